/* Runs before the page is drawn (not deferred): puts the reader's stored light/dark choice on
 * <html data-theme>, so a page reloaded in the other theme than the system's never flashes. */
"use strict";
try {
  const chosen = localStorage.getItem("qa-chat.theme");
  if (chosen === "dark" || chosen === "light") document.documentElement.dataset.theme = chosen;
} catch {
  // storage off: the system setting applies
}
