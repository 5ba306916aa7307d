// Progressive enhancement only: every page works without this file.
// Announces "saved" messages to screen readers and moves focus after htmx swaps.
document.addEventListener("ips:saved", (event) => {
  const region = document.getElementById("live-region");
  if (region && event.detail && event.detail.message) {
    region.textContent = "";
    window.setTimeout(() => { region.textContent = event.detail.message; }, 50);
  }
});

document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  if (!target) { return; }
  if (target.id === "quick-log" || target.id === "contact-panel") {
    const focusable = target.querySelector(".message.success, input:not([type=hidden]), select, textarea");
    if (focusable) {
      if (!focusable.matches("input, select, textarea")) { focusable.setAttribute("tabindex", "-1"); }
      focusable.focus();
    }
  }
});
