/**
 * Hand-editing tar headers in tests: a field set to a value no writer would write, with the
 * header's checksum made right again, so that the header still decodes and the reader's own rules
 * are what a test tries.
 */

/** setTarChecksum recomputes the checksum of the 512-byte header at `at` of `bytes`, in place. */
export function setTarChecksum(bytes: Uint8Array, at = 0): Uint8Array {
  const header = bytes.subarray(at, at + 512);
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.set(Uint8Array.from(`${sum.toString(8).padStart(6, '0')}\0 `, (c) => c.charCodeAt(0)), 148);
  return bytes;
}

/** setTarField writes `value` (latin1) at `offset` of the header at `at`, then fixes the checksum, in place. */
export function setTarField(bytes: Uint8Array, at: number, offset: number, value: string): Uint8Array {
  const encoded = Uint8Array.from(value, (c) => c.charCodeAt(0) & 0xff);
  bytes.set(encoded.subarray(0, Math.max(0, bytes.length - at - offset)), at + offset);
  return setTarChecksum(bytes, at);
}
