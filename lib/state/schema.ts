/** The schema of an event document (the original's JSON shape), with our bounds. */
import { z } from "zod";
import { LIMITS as L } from "./limits.ts";
import { isCssColor, isPlainText, isTrackName, isWebUrl } from "./validate.ts";
import { MOTD_LEVELS } from "./model.ts";

const text = (max: number) => z.string().max(max).refine(isPlainText, "control characters");
const track = z.string().transform((s) => s.toLowerCase()).refine(
  isTrackName,
  "not a track name (letters, digits, - and _)",
);
const webUrl = z.string().refine(isWebUrl, "not an http(s) URL");
const bounded = <T extends z.ZodType>(value: T, max: number) =>
  z.record(z.string(), value).refine(
    (r) => Object.keys(r).length <= max,
    `more than ${max} entries`,
  );
const trackMap = <T extends z.ZodType>(value: T) =>
  bounded(value, L.tracks).refine(
    (r) => Object.keys(r).every((k) => isTrackName(k.toLowerCase())),
    "a key is not a track name",
  );

const slot = z.object({
  name: text(L.slotName).refine((s) => /^[^\s-]+$/.test(s), "slot names have no spaces or -"),
  desc: text(L.slotDesc),
  realtime: z.string().max(40).refine((s) => !Number.isNaN(Date.parse(s)), "not a date")
    .optional(),
  duration: z.number().int().min(1).max(24 * 60).optional(),
});

const room = bounded(text(L.roomValue), L.roomEntries).refine(
  (r) => Object.keys(r).every((k) => k.length > 0 && k.length <= L.roomKey),
  `room keys must have 1 to ${L.roomKey} characters`,
).refine(
  (r) => r.url === undefined || r.url === "" || isWebUrl(r.url),
  "room url is not an http(s) URL",
);

const checkIn = z.object({
  nick: text(L.nick).min(1),
  location: text(L.location + 1),
  in: text(32),
  out: text(32).nullable(),
});

/** Every key a document may carry; each one is optional in `~fetchdb` documents. */
export const documentSchema = z.object({
  eventid: text(L.eventid),
  voice: z.union([z.literal(0), z.literal(1)]),
  tracks: z.array(track).max(L.tracks),
  slots: bounded(z.array(slot).max(L.slotsPerDay), L.days).refine(
    (r) => Object.keys(r).every((k) => k.length > 0 && k.length <= L.dayName),
    "day names must have 1 to 20 characters",
  ),
  schedule: bounded(room, L.rooms).refine(
    (r) => Object.keys(r).every((k) => k.length > 0 && k.length <= L.roomKey && isPlainText(k)),
    `room names must have 1 to ${L.roomKey} plain characters`,
  ),
  now: trackMap(text(L.topic)),
  next: trackMap(z.array(text(L.topic)).min(1).max(L.nextItems)),
  etherpads: trackMap(webUrl),
  urls: trackMap(webUrl),
  colors: trackMap(z.string().refine(isCssColor, "not a CSS colour")),
  location: trackMap(text(L.location)),
  motd: z.array(z.object({ level: z.enum(MOTD_LEVELS), message: text(L.motdMessage) }))
    .max(L.motds),
  links: bounded(webUrl, L.links).refine(
    (r) => Object.keys(r).every((k) => k.length <= L.linkTitle && isPlainText(k)),
    "link titles must be short plain text",
  ),
  last_check_in: bounded(checkIn, L.checkIns),
  subscriptions: bounded(text(L.pattern).nullable(), L.checkIns),
  follows: bounded(z.array(track).max(L.followsPerPerson), L.followers),
  timestamp: text(32),
}).partial();

export type Document = z.infer<typeof documentSchema>;
