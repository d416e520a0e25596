/**
 * The shared renderer and the badge colours: escaping, links only from
 * http(s), where and when of a track, dated day tabs, colours that never
 * collide and always reach AA, and the pages served with the state in them.
 */
import assert from "node:assert/strict";
import {
  badge,
  dayLabel,
  h,
  ptgRegions,
  richText,
  signageRegions,
  toHtml,
  whereOf,
} from "../../lib/shared/render.js";
import { badgeColors, paletteColor, tracksCss, whiteContrast } from "../../lib/state/colors.ts";
import { applyChanges } from "../../lib/state/model.ts";
import { NOW, sampleState, webApp } from "../helpers/fixtures.ts";
import { createWebApp } from "../../lib/web/server.ts";

const at = NOW.getTime();

Deno.test("render: text and attributes are escaped; tags and attribute names come only from code", () => {
  const html = toHtml(h("p", { title: `"><script>x</script>` }, "<b>&'</b>"));
  assert.equal(html, `<p title="&quot;&gt;&lt;script&gt;x&lt;/script&gt;">&lt;b&gt;&amp;&#39;&lt;/b&gt;</p>`);
  assert.throws(() => toHtml(h("p onclick=x", {})));
  assert.throws(() => toHtml(h("p", { onclick: "x" })));
  assert.throws(() => toHtml(h("p", { 'a"b': "x" })));
  // Adjacent text joins, empty text and absent attributes vanish: the shape the HTML parser gives back.
  assert.deepEqual(h("p", { a: undefined, b: false }, "x", "", ["y", null]), {
    tag: "p",
    attrs: {},
    children: ["xy"],
  });
});

Deno.test("render: links only from http(s) URLs, #track badges only for known tracks", () => {
  const state = sampleState();
  const out = toHtml(richText(state, "see javascript:alert(1) https://ok.example.org/x. #nova #nosuch", at));
  assert.match(out, /<a href="https:\/\/ok\.example\.org\/x"/);
  assert.doesNotMatch(out, /href="javascript/);
  assert.match(out, /class="badge t-nova"/);
  assert.match(out, /#nosuch$/);
  state.urls.nova = "javascript:alert(2)";
  assert.doesNotMatch(toHtml(badge(state, "nova", at)), /javascript/);
  assert.doesNotMatch(toHtml(badge(state, "<x>", at)), /<x>/);
});

Deno.test("render: where a track is: location, else today's room and slot, else its URL, else no room today", () => {
  const state = sampleState();
  assert.deepEqual(
    { ...whereOf(state, "nova", at), slot: whereOf(state, "nova", at).slot?.name },
    { place: "Ballroom A", href: "https://meet.example.org/ballroom-a", slot: "MonA1", none: false },
  );
  assert.equal(whereOf(state, "swift", at).none, true, "swift has no room on Monday");
  state.urls.swift = "https://meet.example.org/swift";
  assert.deepEqual(whereOf(state, "swift", at), {
    place: "Online",
    href: "https://meet.example.org/swift",
    none: false,
  });
  state.location.nova = "Hallway";
  assert.equal(whereOf(state, "nova", at).place, "Hallway");
  state.location.nova = "Cedar";
  assert.equal(whereOf(state, "nova", at).href, "https://meet.example.org/cedar");
  // Later on the day its next booking, not the first.
  assert.equal(whereOf(state, "cinder", Date.parse("2027-04-12T12:45:00Z")).slot?.name, "MonB1");
});

Deno.test("render: day tabs carry dates when slots have times; the tab widget's attributes", () => {
  assert.equal(dayLabel("Wednesday", "2027-04-14"), "Wednesday 14 Apr");
  assert.equal(dayLabel("Wednesday", undefined), "Wednesday");
  const state = sampleState();
  const tabs = ptgRegions(state, { now: at, timeZone: "UTC" }).days;
  const html = toHtml(tabs);
  assert.match(html, /aria-selected="true" tabindex="0"[^>]*>Monday 12 Apr</);
  assert.equal((html.match(/tabindex="-1"/g) ?? []).length, 4);
  assert.equal((html.match(/aria-controls="schedule"/g) ?? []).length, 5);
  for (const list of Object.values(state.slots)) for (const s of list) delete s.realtime;
  assert.match(toHtml(ptgRegions(state, { now: at, timeZone: "UTC" }).days), />Monday<\/button>/);
});

Deno.test("render: check-ins show count and names; signage shows where", () => {
  const state = sampleState();
  applyChanges(state, [
    { op: "set", map: "now", key: "nova", value: "Live migration" },
    {
      op: "set",
      map: "last_check_in",
      key: "bob",
      value: { nick: "bob", location: "#nova", in: "x", out: null },
    },
    {
      op: "set",
      map: "last_check_in",
      key: "al",
      value: { nick: "al", location: "#nova", in: "x", out: null },
    },
  ], "2027-04-12 10:00:00");
  const now = toHtml(ptgRegions(state, { now: at, timeZone: "UTC" }).now);
  assert.match(now, /2 here: al, bob/);
  const sign = toHtml(signageRegions(state, { now: at, timeZone: "UTC" }).now);
  assert.match(sign, /Ballroom A.*09:00–10:45.*Live migration/);
});

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

Deno.test("web: pages arrive with the state in them; /tracks.css; rebuilt after a change", async () => {
  const a = webApp();
  const first = await a.get("/ptg.html");
  const html = await first.text();
  assert.match(html, /<h1 id="title">TRN-ptg: tracks<\/h1>/);
  assert.match(html, /<button type="button" role="tab" id="day-0"/);
  assert.match(html, /<link rel="stylesheet" id="tracks-css" href="tracks\.css\?v=/);
  assert.doesNotMatch(html, /<!--@/);
  const etag = first.headers.get("etag")!;
  assert.equal((await a.get("/ptg.html", { "if-none-match": etag })).status, 304);
  applyChanges(a.state, [{ op: "set", map: "now", key: "nova", value: "<b>x</b>" }], "2027-04-12 10:00:01");
  a.bump();
  const changed = await a.get("/ptg.html", { "if-none-match": etag });
  assert.equal(changed.status, 200);
  assert.match(
    await changed.text(),
    /Ballroom A<\/a><\/span> · <span class="slot slot-now">09:00–10:45<\/span>.*&lt;b&gt;x&lt;\/b&gt;/s,
  );
  const css = await a.get("/tracks.css");
  assert.equal(css.headers.get("content-type"), "text/css; charset=utf-8");
  assert.match(await css.text(), /\.t-nova\{background-color:#[0-9a-f]{6}\}/);
  for (const path of ["/signage.html", "/etherpads.html", "/index.html"]) {
    const page = await (await a.get(path)).text();
    assert.doesNotMatch(page, /<!--@|Loading/);
  }
  a.web.close();
});

Deno.test("web: a page follows the clock: the same bytes within a slot, the running slot moved after it", async () => {
  const state = sampleState();
  let now = Date.parse("2027-04-12T10:00:00Z");
  const web = createWebApp({
    state: () => state,
    version: () => 1,
    etherpadBase: "https://pads.example.org/p/",
    timeZone: "UTC",
    now: () => now,
  });
  const get = async (headers: Record<string, string> = {}) =>
    await web.handler(new Request("http://localhost/ptg.html", { headers }));
  const first = await get();
  const etag = first.headers.get("etag")!;
  assert.match(await first.text(), /class="current" title="09:00-10:45"/);
  now += 5 * 60_000;
  assert.equal((await get({ "if-none-match": etag })).status, 304, "nothing moved in five minutes");
  now = Date.parse("2027-04-12T11:05:00Z");
  const later = await get({ "if-none-match": etag });
  assert.equal(later.status, 200);
  assert.match(await later.text(), /class="current" title="11:00-12:30"/);
  web.close();
});

Deno.test("render: a hostile location, nick, day or room name stays text in the served HTML", () => {
  const state = sampleState();
  const evil = `<img src=x onerror=alert(1)>"'`;
  applyChanges(state, [
    { op: "set", map: "now", key: "nova", value: "x" },
    { op: "set", map: "location", key: "nova", value: evil },
    {
      op: "set",
      map: "last_check_in",
      key: "e",
      value: { nick: evil, location: "#nova", in: "x", out: null },
    },
  ], "2027-04-12 10:00:00");
  state.slots[evil] = [];
  state.schedule[evil] = { MonA1: "qa", url: "javascript:alert(2)" };
  for (
    const regions of [
      ptgRegions(state, { now: at, timeZone: "UTC" }),
      signageRegions(state, { now: at, timeZone: "UTC" }),
    ]
  ) {
    const html = toHtml(Object.values(regions).flat());
    assert.doesNotMatch(html, /<img src=x/);
    assert.doesNotMatch(html, /javascript:/);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;&quot;&#39;/);
  }
});
