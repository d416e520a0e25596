// @ts-check
/// <reference lib="dom" />
/**
 * Light or dark: the system's choice unless the visitor picked one here
 * (remembered in localStorage). Loaded early in <head> as a classic script,
 * before the styles apply, so a page never flashes the other theme.
 *
 * @module
 */
(() => {
  const KEY = "ptgbot-theme";
  const root = document.documentElement;
  // Controls that need the scripts (the ptg page's stars and tools) show from the first paint.
  root.classList.add("js");
  let saved = null;
  try {
    saved = localStorage.getItem(KEY);
  } catch {
    // Storage can be off: the system's choice then.
  }
  if (saved === "dark" || saved === "light") root.dataset.theme = saved;
  const current = () =>
    root.dataset.theme ?? (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
  const label = (/** @type {HTMLElement} */ button) => {
    button.setAttribute("aria-pressed", String(current() === "dark"));
  };
  document.addEventListener("DOMContentLoaded", () => {
    const button = document.getElementById("theme-toggle");
    if (!button) return;
    // Shown only where it works: with this script running.
    button.hidden = false;
    label(button);
    // Following the system, the button follows it too.
    matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => label(button));
    button.addEventListener("click", () => {
      root.dataset.theme = current() === "dark" ? "light" : "dark";
      try {
        localStorage.setItem(KEY, root.dataset.theme);
      } catch {
        // Not remembered, still switched.
      }
      label(button);
    });
  });
})();
