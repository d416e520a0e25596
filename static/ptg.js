// The main page: now, next, and the schedule, rebuilt in place on every change.
import {
  badge,
  banners,
  checkedIn,
  el,
  isCurrent,
  live,
  richText,
  roomTable,
  safeUrl,
  shownDay,
  slotLabel,
} from "./common.js";

let selectedDay;

function nowSection(state) {
  const tracks = Object.keys(state.now ?? {}).filter((t) => state.now[t]).sort();
  if (!tracks.length) return el("p", { class: "empty" }, "No track has told us its topic yet.");
  const people = checkedIn(state);
  return el(
    "table",
    { class: "topics" },
    el("caption", { class: "visually-hidden" }, "What each track discusses now"),
    el(
      "thead",
      {},
      el(
        "tr",
        {},
        el("th", { scope: "col" }, "Track"),
        el("th", { scope: "col" }, "Topic"),
        el("th", { scope: "col" }, "People"),
      ),
    ),
    el(
      "tbody",
      {},
      tracks.map((t) => {
        const names = people.get(t) ?? [];
        const count = el("span", {
          class: "people",
          title: names.join(", "),
          "aria-label": names.length
            ? `${names.length} checked in: ${names.join(", ")}`
            : "nobody checked in",
        }, String(names.length));
        return el(
          "tr",
          {},
          el("th", { scope: "row" }, badge(state, t)),
          el("td", { class: "topic" }, richText(state, state.now[t])),
          el("td", {}, count),
        );
      }),
    ),
  );
}

function nextSection(state) {
  const tracks = Object.keys(state.next ?? {}).filter((t) => state.next[t]?.length).sort();
  if (!tracks.length) return el("p", { class: "empty" }, "Nothing announced yet.");
  return el(
    "ul",
    { class: "next" },
    tracks.map((t) =>
      el(
        "li",
        {},
        badge(state, t),
        el("ol", {}, state.next[t].map((topic) => el("li", { class: "topic" }, richText(state, topic)))),
      )
    ),
  );
}

function roomHeader(name, room) {
  const href = safeUrl(room.url);
  const icon = room.cap_icon
    ? safeUrl(room.cap_icon)
      ? el("img", {
        src: safeUrl(room.cap_icon),
        alt: room.cap_desc || "",
        class: "cap",
        width: 20,
        height: 20,
      })
      : el("span", { class: "cap", title: room.cap_desc || "" }, room.cap_icon)
    : null;
  return el(
    "th",
    { scope: "row" },
    href ? el("a", { href, rel: "noopener noreferrer", target: "_blank" }, name) : name,
    icon ? [" ", icon] : null,
    room.cap_desc ? el("span", { class: "visually-hidden" }, ` (${room.cap_desc})`) : null,
    room.desc ? el("small", {}, room.desc) : null,
  );
}

function scheduleSection(state) {
  const days = Object.keys(state.slots ?? {});
  const tabs = document.getElementById("days");
  if (!days.includes(selectedDay)) selectedDay = shownDay(state);
  tabs.replaceChildren(
    ...days.map((d) =>
      el("button", {
        type: "button",
        role: "tab",
        "aria-selected": String(d === selectedDay),
        class: d === selectedDay ? "tab active" : "tab",
        onclick: () => {
          selectedDay = d;
          render(lastState);
        },
      }, d)
    ),
  );
  if (!days.length) return el("p", { class: "empty" }, "No schedule published.");
  const slots = state.slots[selectedDay] ?? [];
  const rooms = Object.entries(state.schedule ?? {});
  return el(
    "div",
    { class: "scroll" },
    roomTable({
      className: "schedule",
      caption: `Rooms and tracks on ${selectedDay}`,
      slots,
      rooms,
      head: (s) => [
        el("span", {}, s.name),
        el("small", {}, slotLabel(s)),
        isCurrent(s) ? el("small", { class: "now-label" }, "now") : null,
      ],
      row: roomHeader,
      cell: (name, room, s) => {
        const value = room[s.name];
        if (value === undefined) return el("span", { class: "none", "aria-label": "not available" }, "–");
        if (value === "") {
          return el(
            "code",
            { class: "free", title: "Free: book it with #TRACK book CODE" },
            `${name}-${s.name}`,
          );
        }
        return badge(state, value);
      },
    }),
  );
}

let lastState;

function render(state) {
  lastState = state;
  document.getElementById("title").textContent = state.eventid ? `${state.eventid}: tracks` : "Event tracks";
  document.getElementById("banners").replaceChildren(...banners(state));
  document.getElementById("now").replaceChildren(nowSection(state));
  document.getElementById("next").replaceChildren(nextSection(state));
  document.getElementById("schedule").replaceChildren(scheduleSection(state));
  document.getElementById("updated").textContent = state.timestamp || "never";
}

live(render);
// The current slot moves with the clock, not only with the state.
setInterval(() => lastState && render(lastState), 60000);
