import { basename } from 'node:path';
import { readClaims, type DeclaredClaim, type MemberFacts } from '../declared/claims.js';
import { readElf } from '../elf/read-elf.js';
import { toRequirement } from '../versions/requirement.js';
import { bufferSource, openFileSource } from '../io/byte-source.js';
import type { Input, PathExpander } from '../scan/walk.js';
import { detectArtifact, readArtifact, type Artifact, type ReadArtifactOptions } from './read-archive.js';

/** ArtifactSummary is what a run needs to judge an artifact's claims after its members are checked. */
export interface ArtifactSummary {
  /** The artifact's reported path (`dist.tar.gz`, or `dist.tar.gz!/pkg.whl` when nested). */
  readonly path: string;
  readonly format: Artifact['format'];
  readonly claims: readonly DeclaredClaim[];
  /** Its ELF members as a claim is judged on them (members whose ELF cannot be read are left out: the check reports them). */
  readonly members: readonly MemberFacts[];
}

/**
 * archiveExpander claims the named paths that are archives (zip, tar, compressed tars, .deb,
 * .rpm: detected by content) and yields their members as inputs under `ARCHIVE!/member`: ELF
 * members to be checked (held in memory: nothing is written to disk), the others as skipped,
 * problems as one-line errors. Each ELF member carries the claims of the innermost artifact that
 * holds it, and `onArtifact` hears about every artifact read (nested ones too) once its entries
 * are known. Other paths are left to the next expander or the file/directory walk.
 */
export function archiveExpander(onArtifact: (artifact: ArtifactSummary) => void, options: ReadArtifactOptions = {}): PathExpander {
  return async (path) => {
    let source;
    try {
      source = await openFileSource(path);
    } catch {
      return undefined; // a directory or a missing path: the walk reports it
    }
    try {
      if ((await detectArtifact(source)) === undefined) return undefined;
      const artifact = await readArtifact(source, path, options);
      return artifact === undefined ? undefined : artifactInputs(artifact, onArtifact);
    } catch {
      return undefined;
    } finally {
      await source.close().catch(() => undefined);
    }
  };
}

async function* artifactInputs(artifact: Artifact, onArtifact: (artifact: ArtifactSummary) => void): AsyncGenerator<Input> {
  const claims = readClaims(artifact.format, { fileName: basename(artifact.path), ...artifact.metadata });
  const members: MemberFacts[] = [];
  // Each file of the archive once, as the directory walk lists a tree: a link resolves to its
  // target's very bytes, and every other path to the same bytes is a duplicate of the one the
  // sorted walk of the extracted tree would meet first.
  const firstPath = new Map<Uint8Array, string>();
  for (const entry of artifact.entries) {
    if (entry.kind !== 'elf') continue;
    const known = firstPath.get(entry.bytes);
    if (known === undefined || walkOrder(entry.path, known) < 0) firstPath.set(entry.bytes, entry.path);
  }
  for (const entry of artifact.entries) {
    switch (entry.kind) {
      case 'artifact':
        yield* artifactInputs(entry.artifact, onArtifact);
        break;
      case 'skipped':
        yield { kind: 'skipped', path: entry.path, reason: entry.reason };
        break;
      case 'error':
        yield { kind: 'error', path: entry.path, error: entry.error };
        break;
      case 'elf': {
        const bytes = entry.bytes;
        const first = firstPath.get(bytes);
        if (first !== undefined && first !== entry.path) {
          yield { kind: 'skipped', path: entry.path, reason: 'duplicate', duplicateOf: first };
          break;
        }
        const facts = await memberFacts(entry.path, entry.path.slice(artifact.path.length + 2), bytes);
        if (facts !== undefined) members.push(facts);
        yield {
          kind: 'file',
          path: entry.path,
          named: true,
          declared: { artifact: artifact.path, claims },
          open: () => Promise.resolve({ ...bufferSource(bytes), close: () => Promise.resolve() }),
        };
      }
    }
  }
  // Reported after the entries, so a truncated archive still lists what was read before the cut.
  if (artifact.error !== undefined) yield { kind: 'error', path: artifact.path, error: artifact.error };
  onArtifact({ path: artifact.path, format: artifact.format, claims, members });
}

/**
 * memberFacts reads what a claim is judged on from a member's bytes (already in memory, so this
 * second read of the ELF model costs microseconds). Absent when the ELF cannot be read: the check
 * of the same member reports why.
 */
async function memberFacts(path: string, name: string, bytes: Uint8Array): Promise<MemberFacts | undefined> {
  try {
    const { elf } = await readElf(bufferSource(bytes));
    return {
      path,
      name,
      machine: elf.machine,
      elfClass: elf.class,
      interpreter: elf.interpreter,
      needed: elf.needed,
      requirements: elf.versionNeeds.map(toRequirement),
    };
  } catch {
    return undefined;
  }
}

/** walkOrder compares two member paths as the sorted directory walk meets them: name by name, directory by directory. */
function walkOrder(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] !== pb[i]) return pa[i]! < pb[i]! ? -1 : 1;
  }
  return pa.length - pb.length;
}
