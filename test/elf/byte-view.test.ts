import { describe, expect, it } from 'vitest';
import { ByteView } from '../../src/elf/byte-view.js';

/** What u64 must give: the field through getBigUint64, a number when it is a safe integer. */
function expected(bytes: Uint8Array, littleEndian: boolean): number | 'out of range' {
  const value = new DataView(bytes.buffer).getBigUint64(0, littleEndian);
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? 'out of range' : Number(value);
}

describe('ByteView 64-bit fields', () => {
  const values = [0n, 1n, 0xffffffffn, 0x100000000n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 0x1fffff00000000n, 2n ** 64n - 1n, 0x123456789abcdefn];
  let seed = 7;
  for (let i = 0; i < 200; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    values.push((BigInt(seed) << 32n | BigInt(Math.imul(seed, 69069) >>> 0)) >> BigInt(seed % 12));
  }

  it('reads every value as getBigUint64 does, in both byte orders, and refuses what is not a safe integer', () => {
    for (const littleEndian of [true, false]) {
      for (const value of values) {
        const bytes = new Uint8Array(8);
        new DataView(bytes.buffer).setBigUint64(0, value, littleEndian);
        const view = new ByteView(bytes, littleEndian, 0x40);
        const want = expected(bytes, littleEndian);
        if (want === 'out of range') {
          expect(() => view.u64(0, 'e_shoff')).toThrow(/^e_shoff 0x[0-9a-f]+ is out of range/);
          expect(view.u64Loose(0, 'd_tag')).toBe(Number.MAX_SAFE_INTEGER);
        } else {
          expect(view.u64(0, 'e_shoff')).toBe(want);
          expect(view.u64Loose(0, 'd_tag')).toBe(want);
        }
      }
    }
  });
});
