import { describe, expect, it } from 'vitest';
import { ENCODE_CHARS, Utf8Scratch } from '../../src/cli/utf8-scratch.js';

/** joined encodes `text` piece by piece, copying each piece out before the next is encoded. */
function joined(text: string): { bytes: Buffer; largest: number; pieces: number } {
  const scratch = new Utf8Scratch();
  const parts: Buffer[] = [];
  for (let from = 0; from < text.length; ) {
    const piece = scratch.encode(text, from);
    parts.push(Buffer.from(piece.bytes));
    from = piece.next;
  }
  return { bytes: Buffer.concat(parts), largest: Math.max(0, ...parts.map((part) => part.length)), pieces: parts.length };
}

describe('Utf8Scratch', () => {
  it.each([
    ['ASCII', 'x'.repeat(3 * ENCODE_CHARS + 17)],
    ['two-byte characters across every boundary', 'é'.repeat(ENCODE_CHARS + 1)],
    ['three-byte characters', '✓'.repeat(ENCODE_CHARS)],
    ['surrogate pairs (four bytes)', 'a😀'.repeat(ENCODE_CHARS / 2)],
    ['a surrogate pair across the boundary', `x${'😀'.repeat(ENCODE_CHARS)}`],
    ['lone surrogates, replaced as Buffer.from does', `x\ud800y`.repeat(40_000) + '\udc00'],
    ['nothing', ''],
  ])('gives the bytes Buffer.from gives, in pieces of at most ENCODE_CHARS characters: %s', (_, text) => {
    const { bytes, largest, pieces } = joined(text);
    expect(bytes.equals(Buffer.from(text, 'utf8'))).toBe(true);
    expect(largest).toBeLessThanOrEqual(3 * ENCODE_CHARS);
    // Every piece but the last takes ENCODE_CHARS characters, or one fewer before a surrogate pair.
    expect(pieces).toBeLessThanOrEqual(Math.ceil(text.length / (ENCODE_CHARS - 1)));
  });
});
