/** Default badge colours for new tracks: dark enough for white text. */
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

/** A stable colour for a track name, so a re-added track keeps its colour. */
export function defaultColor(track: string): string {
  let h = 2166136261;
  for (let i = 0; i < track.length; i++) h = Math.imul(h ^ track.charCodeAt(i), 16777619);
  return PALETTE[(h >>> 0) % PALETTE.length];
}
