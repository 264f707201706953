import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { readElf } from '../../src/elf/read-elf.js';
import { openFileSource } from '../../src/io/byte-source.js';
import { readObjectSymbols } from '../../src/objects/relocatable.js';
import { fixturePath } from '../helpers/fixtures.js';
import { toolAvailable } from '../helpers/tools.js';

const nmAvailable = toolAvailable('nm');

async function symbolsOf(file: string) {
  const source = await openFileSource(fixturePath(file));
  try {
    return await readObjectSymbols((await readElf(source)).layout);
  } finally {
    await source.close();
  }
}

describe('undefined and defined symbols of relocatable objects', () => {
  test.each(['objects/arc4random-x86_64.o', 'objects/arc4random-aarch64.o'])('%s', async (file) => {
    expect(await symbolsOf(file)).toEqual({ undefined: [{ name: 'arc4random', weak: false }], defined: ['vendored_random'] });
  });

  test('an object with no undefined symbol', async () => {
    expect(await symbolsOf('objects/isa-v3-used-x86_64.o')).toEqual({ undefined: [], defined: ['scale'] });
  });

  test.skipIf(!nmAvailable)('agrees with nm on the x86_64 object fixtures', async () => {
    for (const file of ['objects/arc4random-x86_64.o', 'objects/nostack-x86_64.o', 'objects/isa-v3-needed-x86_64.o']) {
      const out = execFileSync('nm', ['-P', fixturePath(file)], { encoding: 'utf8' });
      const lines = out.trim().split('\n').map((line) => line.split(' '));
      const undefinedNames = lines.filter(([, type]) => type === 'U' || type === 'w' || type === 'v').map(([name]) => name);
      const definedNames = lines.filter(([, type]) => type !== undefined && /^[A-TV-Z]$/.test(type) && type !== 'U').map(([name]) => name);
      const read = await symbolsOf(file);
      expect(read.undefined.map((s) => s.name), file).toEqual(undefinedNames.sort());
      expect(read.defined, file).toEqual(definedNames.sort());
    }
  });
});
