/**
 * Byte chunks joined into one buffer (what arrived in pieces, read as a whole).
 *
 * @module
 */

/** A new buffer holding `parts` one after another. */
export function joinBytes(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    joined.set(p, at);
    at += p.length;
  }
  return joined;
}
