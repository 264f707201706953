import { readFileSync } from 'node:fs';

/** toolVersion is the package's version, read once from package.json next to dist/. */
export const toolVersion: string = (() => {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    return (JSON.parse(text) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
})();
