/**
 * Every command and every refusal of the spec, run twice: through the pure
 * engine, and through the runner over a KV file reopened before every line.
 */
import assert from "node:assert/strict";
import { classifyLine } from "../../lib/engine/parse.ts";
import type { Reply, Speaker } from "../../lib/engine/types.ts";
import type { State } from "../../lib/state/model.ts";
import {
  ALICE,
  ALICE_PRIVATE,
  BOB,
  type Driver,
  kvDriver,
  memoryDriver,
  OP,
  STAMP,
  stateProblems,
  texts,
  VOICED,
} from "../helpers/fixtures.ts";

/** A line and the replies expected: null when the bot must ignore it, absent when not checked. */
type Step = [Speaker, string, (string[] | null)?];

interface Case {
  name: string;
  steps: Step[];
  check?: (s: State) => void;
  /** Private notifications expected from the last step. */
  notices?: Reply[];
}

const at = STAMP;
const TRACK_VERBS = "now, next, clean, etherpad, url, color, location, book, unbook";
const USER_HINT =
  "user commands: +in, +out, +seen, +subscribe, +unsubscribe, +follow, +unfollow, +following, +help";
const TRACK_USAGE =
  "Usage: #TRACK now TOPIC | #TRACK next TOPIC | #TRACK clean | #TRACK etherpad URL or auto | " +
  "#TRACK url URL or none | #TRACK color COLOR | #TRACK location TEXT | #TRACK book ROOM-SLOT | " +
  "#TRACK unbook ROOM-SLOT";
const ADMIN_USAGE =
  "Usage: ~list | ~add TRACK [TRACK…] | ~del TRACK [TRACK…] | ~clean TRACK [TRACK…] | ~newday | " +
  "~motd add LEVEL MESSAGE | ~motd del N | ~motd clean | ~motd reorder X Y [Z…] | ~emptydb | ~fetchdb URL | " +
  "~requirevoice | ~alloweveryone";

const cases: Case[] = [
  // Anyone
  {
    name: "in #TRACK checks in to a known track",
    steps: [[ALICE, "+in #NOVA", ["Alice checked in to #nova"]]],
    check: (s) =>
      assert.deepEqual(s.last_check_in.alice, { nick: "Alice", location: "#nova", in: at, out: null }),
  },
  { name: "in #unknown names the track", steps: [[ALICE, "+in #nope", ["Unknown track #nope"]]] },
  {
    name: "a bare track name means the track",
    steps: [[ALICE, "#in cinder", ["Alice checked in to #cinder"]]],
  },
  {
    name: "in LOCATION is free text",
    steps: [[ALICE, "+in the pub", ["Alice checked in to the pub"]]],
    check: (s) => assert.equal(s.last_check_in.alice.location, "the pub"),
  },
  { name: "in without a place", steps: [[ALICE, "+in", ["Usage: in #TRACK or in LOCATION"]]] },
  {
    name: "in with a too long location",
    steps: [[ALICE, `+in ${"x".repeat(101)}`, ["Location too long (at most 100 characters)"]]],
    check: (s) => assert.equal(s.last_check_in.alice, undefined),
  },
  { name: "out when not checked in", steps: [[ALICE, "+out", ["You are not checked in"]]] },
  {
    name: "out remembers where and when",
    steps: [[ALICE, "+in #nova"], [ALICE, "#out", ["Alice checked out of #nova"]]],
    check: (s) =>
      assert.deepEqual(s.last_check_in.alice, { nick: "Alice", location: "#nova", in: at, out: at }),
  },
  {
    name: "out twice says where and when",
    steps: [[ALICE, "+in #nova"], [ALICE, "+out"], [ALICE, "+out", [
      `You already checked out of #nova at ${at}`,
    ]]],
  },
  {
    name: "seen is case-insensitive and says checked in",
    steps: [[ALICE, "+in #nova"], [BOB, "+seen aLiCe", [
      `Alice was last seen in #nova (checked in at ${at}, still there)`,
    ]]],
  },
  {
    name: "seen after check-out",
    steps: [[ALICE, "+in the pub"], [ALICE, "+out"], [BOB, "#seen ALICE", [
      `Alice was last seen in the pub (checked out at ${at})`,
    ]]],
  },
  { name: "seen somebody who never checked in", steps: [[BOB, "+seen carol", ["carol never checked in"]]] },
  { name: "seen without a nick", steps: [[BOB, "+seen", ["Usage: seen NICK"]]] },
  {
    name: "subscribe, replace, show, unsubscribe",
    steps: [
      [BOB, "+subscribe", ["You have no subscription"]],
      [BOB, "+subscribe nova", [
        "Subscribed to: nova; matching now/next topics will come by private message",
      ]],
      [BOB, "#subscribe cinder|swift", ["Subscribed to: cinder|swift (replaces: nova)"]],
      [BOB, "+subscribe", ["You are subscribed to: cinder|swift"]],
      [BOB, "+unsubscribe", ["Unsubscribed from: cinder|swift"]],
      [BOB, "#unsubscribe", ["You have no subscription"]],
    ],
    check: (s) => assert.equal(s.subscriptions.bob, undefined),
  },
  {
    name: "a pattern RE2 refuses",
    steps: [[BOB, "+subscribe (a)\\1", [
      "Not a valid RE2 regular expression (no backreferences or lookaround)",
    ]]],
    check: (s) => assert.equal(s.subscriptions.bob, undefined),
  },
  {
    name: "a pattern too long",
    steps: [[BOB, `+subscribe ${"a".repeat(201)}`, ["Pattern too long (201 characters, at most 200)"]]],
  },
  {
    name: "private messages work with and without prefixes",
    steps: [
      [ALICE_PRIVATE, "in #nova", ["Alice checked in to #nova"]],
      [ALICE_PRIVATE, "+seen alice", [`Alice was last seen in #nova (checked in at ${at}, still there)`]],
      [ALICE_PRIVATE, "#out", ["Alice checked out of #nova"]],
    ],
  },
  {
    name: "private refusals",
    steps: [
      [ALICE_PRIVATE, "~list", ["Admin commands work in the channel only"]],
      [ALICE_PRIVATE, "#nova now x", ["Track commands work in the channel only"]],
      [ALICE_PRIVATE, "dance", [
        'Unknown command "dance"; try: in, out, seen, subscribe, unsubscribe, follow, unfollow, following, help',
      ]],
    ],
  },
  {
    name: "chatter is ignored",
    steps: [
      [ALICE, "+1", null],
      [ALICE, "+1 to that", null],
      [ALICE, "++", null],
      [ALICE, "+2: agreed", null],
      [ALICE, "hello #nova", null],
      [ALICE, "!nova now x", null],
      [ALICE, "!helpful", null],
    ],
  },
  {
    name: "a sigil alone gets the usage of that sigil's commands",
    steps: [
      [ALICE, "#", [TRACK_USAGE]],
      [ALICE, "#   now forgot the track", [TRACK_USAGE]],
      [OP, "~", [ADMIN_USAGE]],
      [OP, "~ ", [ADMIN_USAGE]],
      [ALICE, "~", ["Need op for admin commands"]],
    ],
  },
  {
    name: "a sigil alone when voice is required",
    steps: [[OP, "~requirevoice"], [ALICE, "#", ["Need voice to issue commands"]], [VOICED, "#", [
      TRACK_USAGE,
    ]]],
  },
  {
    name: "a mistyped user command in the channel gets the short list of user commands",
    steps: [
      [BOB, "+sen bob", [`Unknown command "+sen"; ${USER_HINT}`]],
      [BOB, "+frobnicate", [`Unknown command "+frobnicate"; ${USER_HINT}`]],
      [BOB, "+", [`Unknown command "+"; ${USER_HINT}`]],
      [BOB, "+IN #nova", ["bob checked in to #nova"]],
    ],
  },
  {
    name: "help from any prefix",
    steps: [
      [ALICE, "#help", ["ptgbot commands are explained at https://ptg.example.org/ptg.html#help"]],
      [ALICE, "+help", ["ptgbot commands are explained at https://ptg.example.org/ptg.html#help"]],
      [ALICE_PRIVATE, "help", ["ptgbot commands are explained at https://ptg.example.org/ptg.html#help"]],
      [ALICE, "!help", ["ptgbot commands are explained at https://ptg.example.org/ptg.html#help"]],
      [ALICE, "!HELP", ["ptgbot commands are explained at https://ptg.example.org/ptg.html#help"]],
      [ALICE, "~help", ["ptgbot commands are explained at https://ptg.example.org/ptg.html#help"]],
      [ALICE_PRIVATE, "!help", ["ptgbot commands are explained at https://ptg.example.org/ptg.html#help"]],
      [ALICE_PRIVATE, "~help", ["ptgbot commands are explained at https://ptg.example.org/ptg.html#help"]],
    ],
  },

  // Track moderators
  {
    name: "now sets the topic, wipes next, fills the location from today's schedule",
    steps: [[ALICE, "#nova next Later"], [ALICE, "#NOVA now Live migration", ["#nova now: Live migration"]]],
    check: (s) => {
      assert.equal(s.now.nova, "Live migration");
      assert.equal(s.next.nova, undefined);
      assert.equal(s.location.nova, "Ballroom A");
    },
  },
  {
    name: "now keeps a location override",
    steps: [[ALICE, "#nova location Room 12"], [ALICE, "#nova now x"]],
    check: (s) => assert.equal(s.location.nova, "Room 12"),
  },
  {
    name: "now and next with no room today still work, with a warning",
    steps: [
      [ALICE, "#release now Branching", [
        "#release now: Branching (note: #release has no room scheduled today)",
      ]],
      [ALICE, "#release next Tags", ["#release next: Tags (note: #release has no room scheduled today)"]],
    ],
    check: (s) => {
      assert.equal(s.now.release, "Branching");
      assert.deepEqual(s.next.release, ["Tags"]);
      assert.equal(s.location.release, undefined);
    },
  },
  {
    name: "next appends",
    steps: [[ALICE, "#nova next A", ["#nova next: A"]], [ALICE, "#nova next B", ["#nova next: B"]]],
    check: (s) => assert.deepEqual(s.next.nova, ["A", "B"]),
  },
  {
    name: "next is bounded",
    steps: [
      ...Array.from({ length: 20 }, (_, i): Step => [ALICE, `#nova next t${i}`]),
      [ALICE, "#nova next one more", [
        "#nova already has 20 upcoming topics; move on with #nova now or #nova clean",
      ]],
    ],
    check: (s) => assert.equal(s.next.nova.length, 20),
  },
  { name: "now without a topic", steps: [[ALICE, "#nova now", ["Usage: #nova now TOPIC"]]] },
  {
    name: "a topic too long",
    steps: [[ALICE, `#nova now ${"x".repeat(301)}`, ["Topic too long (301 characters, at most 300)"]]],
    check: (s) => assert.equal(s.now.nova, undefined),
  },
  {
    name: "clean and clear remove now and next",
    steps: [
      [ALICE, "#nova now A"],
      [ALICE, "#nova next B"],
      [ALICE, "#nova clean", ["#nova cleaned"]],
      [ALICE, "#nova clear", ["#nova had nothing to clean"]],
    ],
    check: (s) => {
      assert.equal(s.now.nova, undefined);
      assert.equal(s.next.nova, undefined);
    },
  },
  {
    name: "etherpad URL, refusal, auto",
    steps: [
      [ALICE, "#nova etherpad https://pad.example.org/p/nova", [
        "#nova etherpad set to https://pad.example.org/p/nova",
      ]],
      [ALICE, "#nova etherpad javascript:alert(1)", [
        "Not an http(s) URL: javascript:alert(1) (or say auto)",
      ]],
    ],
    check: (s) => assert.equal(s.etherpads.nova, "https://pad.example.org/p/nova"),
  },
  {
    name: "etherpad auto returns to the generated one",
    steps: [[ALICE, "#nova etherpad https://pad.example.org/x"], [ALICE, "#nova etherpad auto", [
      "#nova etherpad is the generated one again",
    ]]],
    check: (s) => assert.equal(s.etherpads.nova, undefined),
  },
  {
    name: "url URL and none",
    steps: [
      [ALICE, "#nova url https://meet.example.org/nova", ["#nova url set to https://meet.example.org/nova"]],
      [ALICE, "#nova url ftp://x", ["Not an http(s) URL: ftp://x (or say none)"]],
      [ALICE, "#nova url none", ["#nova has no URL of its own now (its room's is used)"]],
    ],
    check: (s) => assert.equal(s.urls.nova, undefined),
  },
  {
    name: "color takes CSS colours only",
    steps: [
      [ALICE, "#nova color teal", ["#nova colour set to teal"]],
      [ALICE, "#nova color #AbCdEf", ["#nova colour set to #AbCdEf"]],
      [ALICE, "#nova color red;background:url(x)", [
        "Not a CSS colour: red;background:url(x) (try a name like teal, or #1f6f8b)",
      ]],
      [ALICE, "#nova color", ["Usage: #nova color COLOR"]],
    ],
    check: (s) => assert.equal(s.colors.nova, "#AbCdEf"),
  },
  {
    name: "location overrides the room",
    steps: [[ALICE, "#nova location Terrace", ["#nova location set to Terrace"]]],
    check: (s) => assert.equal(s.location.nova, "Terrace"),
  },
  {
    name: "book a free slot, refuse a taken one, unbook",
    steps: [
      [ALICE, "#qa book overflow-mona2", ["#qa booked Overflow-MonA2"]],
      [ALICE, "#nova book Overflow-MonA2", ["Overflow-MonA2 is already booked by #qa"]],
      [ALICE, "#qa book Ballroom A-MonA1", ["Ballroom A-MonA1 is already booked by #nova"]],
      [ALICE, "#nova book ballroom a-MonA1", ["#nova already has Ballroom A-MonA1"]],
      [ALICE, "#nova unbook Overflow-MonA2", ["Overflow-MonA2 is not booked by #nova"]],
      [ALICE, "#qa book Overflow-MonA2", ["#qa already has Overflow-MonA2"]],
    ],
    check: (s) => assert.equal(s.schedule.Overflow.MonA2, "qa"),
  },
  {
    name: "unbook frees the slot",
    steps: [[ALICE, "#qa book Overflow-TueB1"], [ALICE, "#qa unbook Overflow-TueB1", [
      "#qa freed Overflow-TueB1",
    ]]],
    check: (s) => assert.equal(s.schedule.Overflow.TueB1, ""),
  },
  {
    name: "book a slot that does not exist",
    steps: [
      [ALICE, "#qa book Attic-MonA1", [
        "No slot Attic-MonA1; slot codes look like ROOM-SLOT and are on the schedule page",
      ]],
      [ALICE, "#qa book Overflow-SunZ9", [
        "No slot Overflow-SunZ9; slot codes look like ROOM-SLOT and are on the schedule page",
      ]],
      [ALICE, "#qa book Overflow-url", [
        "No slot Overflow-url; slot codes look like ROOM-SLOT and are on the schedule page",
      ]],
      [ALICE, "#qa book", ["Usage: #qa book ROOM-SLOT (codes are on the schedule page)"]],
    ],
  },
  { name: "unknown track", steps: [[ALICE, "#nope now x", ["Unknown track #nope"]]] },
  {
    name: "missing sub-command",
    steps: [[ALICE, "#nova", [`Missing command after #nova; try: ${TRACK_VERBS}`]]],
  },
  {
    name: "unknown sub-command suggests now",
    steps: [[ALICE, "#nova discussing quotas", [
      `Unknown command "discussing" for #nova; did you mean "#nova now discussing quotas"? Commands: ${TRACK_VERBS}`,
    ]]],
  },
  {
    name: "voice required",
    steps: [
      [OP, "~requirevoice", ["Track commands now need voice (+v) or op"]],
      [ALICE, "#nova now x", ["Need voice to issue commands"]],
      [VOICED, "#nova now y", ["#nova now: y"]],
      [OP, "#nova next z", ["#nova next: z"]],
      [ALICE, "+in #nova", ["Alice checked in to #nova"]],
      [OP, "~alloweveryone", ["Everyone may use track commands now"]],
      [ALICE, "#nova now w", ["#nova now: w"]],
    ],
    check: (s) => assert.equal(s.voice, 0),
  },
  {
    name: "a subscriber is notified privately",
    steps: [[BOB, "+subscribe nova.*MIGRATION"], [ALICE, "#nova now Live migration", [
      "#nova now: Live migration",
    ]]],
    notices: [{ to: "bob", text: "#nova now Live migration (your subscription: nova.*MIGRATION)" }],
  },
  {
    name: "follow, show, unfollow, unfollow all",
    steps: [
      [BOB, "+following", ["You follow no track; try: +follow #TRACK"]],
      [BOB, "+follow #NOVA swift #nova", [
        "Following #nova, #swift: a private notice before and when each slot starts, and when the topic changes (+unfollow to stop)",
      ]],
      [BOB, "+follow nova", ["You already follow #nova"]],
      [BOB, "#follow #cinder", [
        "Following #cinder: a private notice before and when each slot starts, and when the topic changes (+unfollow to stop)",
      ]],
      [BOB, "+following", ["You follow #cinder, #nova, #swift"]],
      [BOB, "+unfollow #swift", ["You no longer follow #swift"]],
      [BOB, "+unfollow #swift", ["You do not follow #swift; nothing changed"]],
      [BOB, "+unfollow all", ["You no longer follow #cinder, #nova"]],
      [BOB, "+unfollow all", ["You follow no track"]],
      [BOB, "+unfollow", ["Usage: unfollow #TRACK [#TRACK…] or unfollow all"]],
      [BOB, "+follow", ["Usage: follow #TRACK [#TRACK…]"]],
    ],
    check: (s) => assert.equal(s.follows.bob, undefined),
  },
  {
    name: "follow an unknown track changes nothing",
    steps: [[ALICE_PRIVATE, "follow nova nope", ["Unknown track #nope; nothing changed"]]],
    check: (s) => assert.equal(s.follows.alice, undefined),
  },
  {
    name: "follows are kept by the speaker's key",
    steps: [[ALICE_PRIVATE, "follow nova"], [BOB, "+follow qa"]],
    check: (s) => {
      assert.deepEqual(s.follows.alice, ["nova"]);
      assert.deepEqual(s.follows.bob, ["qa"]);
    },
  },
  {
    name: "a follower hears of a new now topic, once even when also subscribed",
    steps: [
      [BOB, "+follow nova"],
      [BOB, "+subscribe migration"],
      [VOICED, "+follow nova"],
      [ALICE, "#nova next Live migration", ["#nova next: Live migration"]],
      [ALICE, "#nova now Live migration", ["#nova now: Live migration"]],
    ],
    notices: [
      { to: "bob", text: "#nova now Live migration (you follow #nova; your subscription: migration)" },
      { to: "vera", text: "#nova now Live migration (you follow #nova)" },
    ],
  },

  // Operators
  { name: "admin commands need op", steps: [[ALICE, "~add x", ["Need op for admin commands"]]] },
  {
    name: "~list",
    steps: [[OP, "~list", [
      "Tracks: cinder, docs, horizon, ironic, keystone, neutron, nova, qa, release, swift",
    ]]],
  },
  {
    name: "~add adds lower-cased tracks with a colour",
    steps: [[OP, "~add Octavia #manila nova", ["Added octavia, manila (already there: nova)"]]],
    check: (s) => {
      assert.ok(s.tracks.includes("octavia") && s.tracks.includes("manila"));
      assert.match(s.colors.octavia, /^#[0-9a-f]{6}$/);
    },
  },
  {
    name: "~add refusals",
    steps: [
      [OP, "~add nova", ["Already tracks: nova"]],
      [OP, "~add ok bad<name>", ["Invalid track name: bad<name> (letters, digits, - and _, at most 40)"]],
      [OP, "~add", ["Usage: ~add TRACK [TRACK…]"]],
    ],
    check: (s) => assert.ok(!s.tracks.includes("ok")),
  },
  {
    name: "~del removes tracks and their topics",
    steps: [[ALICE, "#qa now x"], [OP, "~del qa docs", ["Removed qa, docs"]]],
    check: (s) => {
      assert.ok(!s.tracks.includes("qa") && !s.tracks.includes("docs"));
      assert.equal(s.now.qa, undefined);
    },
  },
  {
    name: "~del with an unknown track changes nothing",
    steps: [[OP, "~del qa nope", ["Unknown track: nope; nothing changed"]]],
    check: (s) => assert.ok(s.tracks.includes("qa")),
  },
  {
    name: "~clean",
    steps: [[ALICE, "#qa now x"], [ALICE, "#nova next y"], [OP, "~clean qa nova", ["Cleaned qa, nova"]]],
    check: (s) => {
      assert.equal(s.now.qa, undefined);
      assert.equal(s.next.nova, undefined);
    },
  },
  {
    name: "~newday clears topics, overrides and check-ins",
    steps: [
      [ALICE, "#qa now x"],
      [ALICE, "#qa next y"],
      [ALICE, "#qa location Terrace"],
      [ALICE, "+in #qa"],
      [BOB, "+subscribe qa"],
      [OP, "~newday", ["New day: topics, location overrides and 1 check-ins cleared"]],
    ],
    check: (s) => {
      assert.deepEqual([s.now, s.next, s.location, s.last_check_in].map((m) => Object.keys(m).length), [
        0,
        0,
        0,
        0,
      ]);
      assert.equal(s.subscriptions.bob, "qa");
      assert.ok(s.tracks.includes("qa"));
    },
  },
  {
    name: "~motd add, reorder, del, clean",
    steps: [
      [OP, "~motd add warning Fire drill at 3pm", ["Banner 2 added"]],
      [OP, "~motd add danger Lunch moved", ["Banner 3 added"]],
      [OP, "~motd reorder 3 1", ["Banners now in the order 3 1"]],
      [OP, "~motd del 1", ["Banner 1 removed"]],
    ],
    check: (s) => assert.deepEqual(s.motd.map((m) => m.level), ["info"]),
  },
  {
    name: "~motd refusals",
    steps: [
      [OP, "~motd add loud x", [
        "LEVEL must be one of info, success, warning, danger; Usage: ~motd add LEVEL MESSAGE | ~motd del N | ~motd clean | ~motd reorder X Y [Z…]",
      ]],
      [OP, "~motd add info", ["Usage: ~motd add LEVEL MESSAGE"]],
      [OP, "~motd del 5", ["No banner 5; there are 1"]],
      [OP, "~motd del x", ["Usage: ~motd del N"]],
      [OP, "~motd reorder 1 1", ["A banner is listed twice"]],
      [OP, "~motd reorder 2", ["No banner 2; there are 1"]],
      [OP, "~motd", ["Usage: ~motd add LEVEL MESSAGE | ~motd del N | ~motd clean | ~motd reorder X Y [Z…]"]],
    ],
    check: (s) => assert.equal(s.motd.length, 1),
  },
  {
    name: "a long list of names is cut short in the reply",
    steps: [[
      OP,
      `~del ${Array.from({ length: 12 }, (_, i) => `x${i}`).join(" ")}`,
      ["Unknown track: x0, x1, x2, x3, x4, x5, x6, x7 and 4 more; nothing changed"],
    ]],
  },
  {
    name: "~clear is ~clean",
    steps: [[ALICE, "#qa now x"], [ALICE, "#nova next y"], [OP, "~clear #qa nova", ["Cleaned qa, nova"]]],
    check: (s) => {
      assert.equal(s.now.qa, undefined);
      assert.equal(s.next.nova, undefined);
    },
  },
  {
    name: "~motd clear is ~motd clean",
    steps: [[OP, "~motd clear", ["Banners removed"]], [OP, "~clear", ["Usage: ~clear TRACK [TRACK…]"]]],
    check: (s) => assert.deepEqual(s.motd, []),
  },
  {
    name: "~motd clean and its limit",
    steps: [
      [OP, "~motd clean", ["Banners removed"]],
      ...Array.from({ length: 10 }, (_, i): Step => [OP, `~motd add info b${i}`]),
      [OP, "~motd add info one more", ["Already 10 banners; remove one first"]],
    ],
    check: (s) => assert.equal(s.motd.length, 10),
  },
  {
    name: "~emptydb",
    steps: [[OP, "~emptydb", ["Database emptied"]], [OP, "~list", ["No tracks yet; add some with ~add"]]],
    check: (s) => {
      assert.deepEqual(s.tracks, []);
      assert.deepEqual(Object.keys(s.schedule), []);
    },
  },
  {
    name: "~fetchdb refuses a URL that is not http(s)",
    steps: [[OP, "~fetchdb file:///etc/passwd", ["Not an http(s) URL: file:///etc/passwd"]], [
      OP,
      "~fetchdb",
      [
        "Usage: ~fetchdb URL",
      ],
    ]],
  },
  {
    name: "unknown admin command",
    steps: [[OP, "~frobnicate", [
      'Unknown admin command "~frobnicate"; try: list, add, del, clean, newday, motd, emptydb, fetchdb, requirevoice, alloweveryone',
    ]]],
  },
];

Deno.test("the transport lets help, a sigil alone and commands through, and ignores chatter", () => {
  const kinds = (place: "channel" | "private", lines: string[]) =>
    lines.map((l) => classifyLine(l, place).kind);
  assert.deepEqual(
    kinds("channel", ["!help", "+help", "\x02#help\x02", "#", "~", "# now x", "#nova now x"]),
    [
      "help",
      "help",
      "help",
      "command",
      "command",
      "command",
      "command",
    ],
  );
  assert.deepEqual(kinds("channel", ["!helpful", "!nova", "+1", "hello", "help"]), Array(5).fill("chatter"));
  assert.deepEqual(kinds("private", ["!help", "~help", "help", "dance"]), [
    "help",
    "help",
    "help",
    "command",
  ]);
});

/** Commands that only ask, or find nothing left to do: they answer without a change and without a refusal. */
const QUESTIONS =
  /^(\S*help|[+#]?seen \S+|[+#]?subscribe|[+#]?following|~list|#\w+ clea[nr]|~motd clea[nr])$/i;

async function runCase(driver: Driver, c: Case): Promise<void> {
  let last: Reply[] | undefined;
  for (const [who, line, expected] of c.steps) {
    const before = JSON.stringify(driver.state());
    last = await driver.run(who, line);
    if (expected !== undefined) assert.deepEqual(texts(last), expected ?? undefined, `${who.nick}: ${line}`);
    const unchanged = JSON.stringify(driver.state()) === before;
    // A refusal changes nothing, whatever it says.
    if (last?.some((r) => r.refusal)) assert.ok(unchanged, `refusal changed the state: ${line}`);
    // A command that answers and changes nothing is a question, or a refusal that says so.
    else if (last && unchanged) assert.match(line, QUESTIONS, `changed nothing but was not refused: ${line}`);
  }
  if (c.notices) assert.deepEqual(last?.filter((r) => r.to), c.notices);
  c.check?.(driver.state());
  assert.deepEqual(stateProblems(driver.state()), []);
}

for (const c of cases) {
  Deno.test(`engine: ${c.name}`, async () => {
    const d = memoryDriver();
    await runCase(d, c);
  });
  Deno.test(`kv store: ${c.name}`, async () => {
    const d = await kvDriver();
    try {
      await runCase(d, c);
    } finally {
      await d.close();
    }
  });
}
