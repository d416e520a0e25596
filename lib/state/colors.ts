/**
 * Track colours: the default a new track is stored with, and the colours the
 * pages paint badges with, which never collide within one event and always
 * give white text WCAG AA contrast.
 *
 * @module
 */
import { isCssColor } from "./validate.ts";

/** The first colours handed out: distinct, and dark enough for white text. */
const PALETTE = [
  "#1f6f8b",
  "#7b3f00",
  "#2e7d32",
  "#6a1b9a",
  "#c62828",
  "#283593",
  "#00695c",
  "#ad1457",
  "#4e342e",
  "#37474f",
  "#5d4037",
  "#1565c0",
  "#8e24aa",
  "#bf360c",
  "#33691e",
  "#4527a0",
];

/** A stable colour for a track name, stored when a track is added (see `badgeColors` for what is shown). */
export function defaultColor(track: string): string {
  let h = 2166136261;
  for (let i = 0; i < track.length; i++) h = Math.imul(h ^ track.charCodeAt(i), 16777619);
  return PALETTE[(h >>> 0) % PALETTE.length];
}

type Rgb = [number, number, number];

function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** Contrast of white text on a background (WCAG 2). */
export function whiteContrast(rgb: Rgb): number {
  return 1.05 / (luminance(rgb) + 0.05);
}

const AA = 4.5;

function hex(rgb: Rgb): string {
  return `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;
}

/** A colour given as #hex or rgb() with plain numbers, else undefined. */
function parseRgb(text: string): Rgb | undefined {
  const c = text.trim().toLowerCase();
  let m = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/.exec(c);
  if (m) {
    const d = m[1].length <= 4
      ? [...m[1].slice(0, 3)].map((x) => x + x)
      : [0, 2, 4].map((i) => m![1].slice(i, i + 2));
    return d.map((x) => parseInt(x, 16)) as Rgb;
  }
  m = /^rgba?\(\s*(\d+(?:\.\d+)?)\s*,?\s*(\d+(?:\.\d+)?)\s*,?\s*(\d+(?:\.\d+)?)\s*(?:[,/].*)?\)$/.exec(c);
  return m ? [m[1], m[2], m[3]].map((x) => Math.min(255, Number(x))) as Rgb : undefined;
}

/** The colour darkened just enough for white text to reach AA. */
function readable(rgb: Rgb): Rgb {
  let out = rgb.map(Math.round) as Rgb;
  for (let f = 1; whiteContrast(out) < AA && f > 0; f -= 0.02) out = rgb.map((c) => Math.round(c * f)) as Rgb;
  return out;
}

/** The i-th colour handed out: the palette, then hues a golden angle apart, each made readable. */
export function paletteColor(i: number): string {
  if (i < PALETTE.length) return PALETTE[i];
  const hue = ((i - PALETTE.length) * 137.508 + 20) % 360;
  const ring = Math.floor((i - PALETTE.length) / 24);
  const s = 0.7 - (ring % 3) * 0.15;
  const l = 0.42 - (ring % 4) * 0.05;
  const k = (n: number) => (n + hue / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => 255 * (l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1)));
  return hex(readable([f(0), f(8), f(4)]));
}

/**
 * The colour each track's badge is painted with. A colour someone chose
 * (`#track color`, the event document) is kept, darkened if white text on it
 * would miss AA; a named or other CSS colour is mixed with black, which
 * reaches AA whatever the colour. Every other track, in sorted order, gets
 * the next palette colour nobody uses yet, so no two tracks share one.
 * A stored colour equal to `defaultColor` counts as not chosen.
 */
export function badgeColors(tracks: readonly string[], colors: Record<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  const rest: string[] = [];
  for (const t of [...tracks].sort()) {
    const c = colors[t];
    if (typeof c !== "string" || !c || c === defaultColor(t) || !isCssColor(c)) {
      rest.push(t);
      continue;
    }
    const rgb = parseRgb(c);
    const shown = rgb ? hex(readable(rgb)) : `color-mix(in srgb, ${c.trim().toLowerCase()} 45%, black)`;
    out.set(t, shown);
    used.add(shown);
  }
  let i = 0;
  for (const t of rest) {
    while (used.has(paletteColor(i))) i++;
    const c = paletteColor(i++);
    out.set(t, c);
    used.add(c);
  }
  return out;
}

const TRACK_CLASS = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** `/tracks.css`: one rule per track, the class the shared renderer gives its badges. */
export function tracksCss(tracks: readonly string[], colors: Record<string, string>): string {
  let css = "";
  for (const [t, c] of badgeColors(tracks, colors)) {
    if (TRACK_CLASS.test(t)) css += `.t-${t}{background-color:${c}}\n`;
  }
  return css;
}
