/** Bounds on what users and imported documents may put in the state. */
export const LIMITS = {
  trackName: 40,
  tracks: 1000,
  topic: 300,
  nextItems: 20,
  location: 100,
  url: 500,
  color: 64,
  motds: 10,
  motdMessage: 400,
  pattern: 200,
  nick: 64,
  checkIns: 50_000,
  /** Tracks one person may follow. */
  followsPerPerson: 30,
  /** People following at least one track. */
  followers: 20_000,
  eventid: 64,
  rooms: 200,
  roomKey: 40,
  roomValue: 500,
  roomEntries: 300,
  days: 14,
  dayName: 20,
  slotsPerDay: 100,
  slotName: 20,
  slotDesc: 100,
  links: 200,
  linkTitle: 200,
  /** Largest JSON document `~fetchdb` and `--import` accept. */
  documentBytes: 2 * 1024 * 1024,
} as const;
