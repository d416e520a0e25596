/** The badge colours (`lib/state/colors.ts`): never shared, always AA for white text, no stylesheet injection. */
import assert from "node:assert/strict";
import { badgeColors, paletteColor, tracksCss, whiteContrast } from "../../lib/state/colors.ts";

function rgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

Deno.test("colours: no two tracks share one, each reaches AA for white text, chosen ones are kept", () => {
  const tracks = Array.from({ length: 300 }, (_, i) => `track-${i}`);
  const colors = badgeColors(tracks, {});
  assert.equal(new Set(colors.values()).size, 300);
  for (const [t, c] of colors) assert.ok(whiteContrast(rgb(c)) >= 4.5, `${t} ${c}`);
  for (let i = 0; i < 400; i++) assert.ok(whiteContrast(rgb(paletteColor(i))) >= 4.5, paletteColor(i));
  // The tracks the hash once gave one brown all differ now.
  const sample = badgeColors(["cinder", "horizon", "neutron", "swift"], {});
  assert.equal(new Set(sample.values()).size, 4);
  // A choice is kept (darkened to AA if needed) and never handed to another track.
  const chosen = badgeColors(["a", "b", "c"], { a: "#1f6f8b", b: "#ffff00", c: "red" });
  assert.equal(chosen.get("a"), "#1f6f8b");
  assert.ok(whiteContrast(rgb(chosen.get("b")!)) >= 4.5);
  assert.equal(chosen.get("c"), "color-mix(in srgb, red 45%, black)");
  const others = badgeColors(["a", "z"], { a: "#1f6f8b" });
  assert.notEqual(others.get("z"), "#1f6f8b");
  // Only safe track names and colours reach the stylesheet.
  const css = tracksCss(["ok", "x}body{", "bad"], { bad: "red;background:url(x)" });
  assert.doesNotMatch(css, /body|url/);
  assert.match(css, /^\.t-bad\{background-color:#[0-9a-f]{6}\}$/m);
});
