// Today's schedule for a big screen: rooms, the running and coming slots, and the current topics.
import {
  badge,
  banners,
  el,
  isCurrent,
  live,
  richText,
  roomTable,
  shownDay,
  slotLabel,
  slotTimes,
} from "./common.js";

let lastState;

function pickSlots(slots) {
  // The running slot and the next one; before the day starts, the first two; after it, the last.
  const now = new Date();
  const i = slots.findIndex((s) => isCurrent(s, now));
  if (i >= 0) return slots.slice(i, i + 2);
  const upcoming = slots.findIndex((s) => slotTimes(s) && slotTimes(s).start > now.getTime());
  if (upcoming >= 0) return slots.slice(upcoming, upcoming + 2);
  return slots.some((s) => slotTimes(s)) ? slots.slice(-1) : slots;
}

function render(state) {
  lastState = state;
  const day = shownDay(state);
  document.getElementById("title").textContent = `${state.eventid || "Event"}: ${day ?? "no schedule"}`;
  document.getElementById("banners").replaceChildren(...banners(state));
  const slots = pickSlots(state.slots?.[day] ?? []);
  const rooms = Object.entries(state.schedule ?? {}).filter(([, room]) => slots.some((s) => room[s.name]));
  document.getElementById("today").replaceChildren(
    slots.length && rooms.length
      ? roomTable({
        className: "sign",
        caption: `Rooms on ${day}`,
        captionClass: "visually-hidden",
        slots,
        rooms,
        head: (s) => (isCurrent(s) ? `Now (${slotLabel(s)})` : slotLabel(s)),
        row: (name) => el("th", { scope: "row" }, name),
        cell: (_name, room, s) => (room[s.name] ? badge(state, room[s.name]) : "–"),
      })
      : el("p", { class: "empty" }, "Nothing scheduled today."),
  );
  const tracks = Object.keys(state.now ?? {}).sort();
  document.getElementById("now").replaceChildren(
    tracks.length
      ? el(
        "ul",
        { class: "sign-now" },
        tracks.map((t) =>
          el("li", {}, badge(state, t), " ", el("span", { class: "topic" }, richText(state, state.now[t])))
        ),
      )
      : el("p", { class: "empty" }, "No topics yet."),
  );
  document.getElementById("updated").textContent = state.timestamp || "never";
}

function tick() {
  document.getElementById("clock").textContent = new Date().toLocaleTimeString([], {
    hour: "2-digit",
    minute: "2-digit",
  });
}

tick();
setInterval(() => {
  tick();
  if (lastState) render(lastState);
}, 30000);
live(render);
