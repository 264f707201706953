import { renderTargetsText, targetsListing } from '../targets/listing.js';
import type { Io } from './io.js';
import { toolVersion } from './version.js';

export const TARGETS_FORMATS = ['text', 'json'] as const;

export interface TargetsOptions {
  readonly format: (typeof TARGETS_FORMATS)[number];
}

/** runTargets prints the catalogue; it always succeeds. */
export async function runTargets(options: TargetsOptions, io: Io): Promise<number> {
  const text = options.format === 'json' ? `${JSON.stringify(targetsListing(toolVersion), null, 2)}\n` : renderTargetsText();
  await io.stdout.write(text);
  return 0;
}
