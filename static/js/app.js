// Progressive enhancement only: every page works without this file.
// One polite live region (#live-region in base.html) announces saves and caseload counts, and
// after an htmx swap the focus goes somewhere sensible: the first invalid field, else the saved
// message, else the region's marked element or heading. Focus moves only when the swap took
// it away (the focused element was replaced) or when the region asks for it
// (data-focus-on-swap); typing in a filter keeps the focus where it is.
(function () {
  "use strict";

  function announce(message) {
    const region = document.getElementById("live-region");
    if (!region) { return; }
    const text = message || region.dataset.savedText || "";
    region.textContent = "";
    // A short delay makes screen readers notice the change even for the same text twice.
    window.setTimeout(() => { region.textContent = text; }, 50);
  }

  // Sent by the server with HX-Trigger after a successful save: {"ips:saved": {"message": …}}.
  document.addEventListener("ips:saved", (event) => {
    announce(event.detail && event.detail.message);
  });

  function focusable(element) {
    if (!element.matches("a[href], button, input, select, textarea, [tabindex]")) {
      element.setAttribute("tabindex", "-1");
    }
    return element;
  }

  // In order of preference; the first selector that matches wins.
  const FOCUS_ORDER = [
    "[aria-invalid='true']", ".message.error", ".message.success", "[data-swap-focus]",
    "h1, h2, h3",
  ];

  function focusTarget(region) {
    for (const selector of FOCUS_ORDER) {
      const found = region.querySelector(selector);
      if (found) { return focusable(found); }
    }
    return focusable(region);
  }

  function focusWasLost() {
    const active = document.activeElement;
    return !active || active === document.body || !active.isConnected;
  }

  document.addEventListener("htmx:afterSettle", (event) => {
    const target = event.detail.target;
    if (!target) { return; }
    // An outerHTML swap replaces the target: look the region up again by its id.
    const region = (target.id && document.getElementById(target.id)) || target;
    if (!region.isConnected) { return; }
    const announced = region.querySelector("[data-announce]");
    if (announced) { announce(announced.textContent.trim()); }
    if (region.hasAttribute("data-focus-on-swap") || focusWasLost()) {
      focusTarget(region).focus();
    }
  });
})();
