/** IRC text: stripping formatting codes from what comes in, making what goes out safe and short. */

// Colour codes carry their digits (\x03 12,04; \x04 hex); the others are single toggles.
// deno-lint-ignore no-control-regex
const FORMATTING =
  /\x03(?:\d{1,2}(?:,\d{1,2})?)?|\x04(?:[0-9a-fA-F]{6}(?:,[0-9a-fA-F]{6})?)?|[\x02\x0f\x11\x16\x1d\x1e\x1f]/g;

/** Removes IRC bold, colour, italics, reverse, underline and reset codes. */
export function stripFormatting(text: string): string {
  return text.replace(FORMATTING, "");
}

/**
 * Outgoing text never holds CR, LF or NUL (they would end or break the IRC
 * line: they become spaces, as do tabs), nor a lone surrogate (it has no
 * UTF-8 form), nor formatting or other control codes: the bot repeats text
 * others wrote (topics, locations, nicks) and must not pass on their colours
 * or hidden codes.
 */
export function safeOutgoing(text: string): string {
  return stripFormatting(text.toWellFormed()).replace(/[\r\n\0\t]+/g, " ").replace(/[\x00-\x1f\x7f]/g, "");
}

const encoder = new TextEncoder();

function byteLength(text: string): number {
  return encoder.encode(text).length;
}

/**
 * Splits text into lines of at most `maxBytes` bytes of UTF-8, at spaces
 * where possible, never inside a character; at most `maxLines` lines, the
 * last one ending in "…" when text was left out.
 */
export function splitText(text: string, maxBytes: number, maxLines = 4): string[] {
  const clean = safeOutgoing(text).trim();
  if (byteLength(clean) <= maxBytes) return clean ? [clean] : [];
  const lines: string[] = [];
  let rest = clean;
  while (rest && lines.length < maxLines) {
    const last = lines.length === maxLines - 1;
    const budget = last && byteLength(rest) > maxBytes ? maxBytes - byteLength("…") : maxBytes;
    if (byteLength(rest) <= maxBytes) {
      lines.push(rest);
      rest = "";
      break;
    }
    // Take whole code points up to the budget.
    let taken = "";
    let bytes = 0;
    for (const ch of rest) {
      const n = byteLength(ch);
      if (bytes + n > budget) break;
      taken += ch;
      bytes += n;
    }
    const space = taken.lastIndexOf(" ");
    const cut = space > taken.length / 2 ? space : taken.length;
    let line = taken.slice(0, cut).trimEnd();
    rest = rest.slice(cut).trimStart();
    if (last && rest) line += "…";
    lines.push(line);
  }
  return lines;
}
