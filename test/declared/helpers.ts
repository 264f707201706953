import type { Artifact } from '../../src/archive/read-archive.js';
import type { MemberFacts } from '../../src/check/claim-verdict.js';
import { readElf } from '../../src/elf/read-elf.js';
import { bufferSource } from '../../src/io/byte-source.js';
import { toRequirement } from '../../src/versions/requirement.js';

/** memberFacts reads every ELF entry of an artifact (not of nested ones) the way a check does. */
export async function memberFacts(artifact: Artifact): Promise<MemberFacts[]> {
  const facts: MemberFacts[] = [];
  for (const entry of artifact.entries) {
    if (entry.kind !== 'elf') continue;
    const { elf } = await readElf(bufferSource(entry.bytes));
    facts.push({
      path: entry.path,
      name: entry.path.slice(artifact.path.length + 2),
      machine: elf.machine,
      elfClass: elf.class,
      interpreter: elf.interpreter,
      needed: elf.needed,
      requirements: elf.versionNeeds.map(toRequirement),
    });
  }
  return facts;
}
