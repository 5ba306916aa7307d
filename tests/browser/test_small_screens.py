"""Every main page fits a 320 px wide screen and 200 % zoom (a 1280 px window at 200 % is a
640 px wide CSS viewport) without scrolling the page sideways. Wide tables may scroll inside
their own wrapper (``.table-wrap``, ``overflow-x: auto``)."""

from __future__ import annotations

import pytest

from .conftest import log_in
from .pages import PASSWORD, build_world, main_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["", "coach", "teamlead", "reviewer_1", "evaluator"]
SCREENS = {
    "320px": {"viewport": {"width": 320, "height": 720}, "device_scale_factor": 1},
    "zoom200": {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2},
}

OVERFLOW = """() => {
    const width = window.innerWidth;
    const root = document.documentElement;
    const culprits = [];
    if (root.scrollWidth > width + 1) {
        for (const el of document.body.querySelectorAll("*")) {
            const box = el.getBoundingClientRect();
            if (box.right <= width + 1 || box.width === 0) { continue; }
            let scrolled = false;
            for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
                const overflow = getComputedStyle(up).overflowX;
                if (overflow === "auto" || overflow === "scroll" || overflow === "hidden") {
                    scrolled = true; break;
                }
            }
            if (!scrolled) {
                culprits.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
                    (el.className && typeof el.className === "string"
                        ? "." + el.className.trim().split(/\\s+/).join(".") : "") +
                    " right=" + Math.round(box.right));
            }
            if (culprits.length >= 5) { break; }
        }
    }
    return {scrollWidth: root.scrollWidth, width, culprits};
}"""


@pytest.mark.parametrize("screen", SCREENS, ids=list(SCREENS))
@pytest.mark.parametrize("username", ROLES, ids=lambda u: u or "signed-out")
def test_main_pages_do_not_scroll_sideways(new_page, username, screen):
    world = build_world()
    page = new_page(**SCREENS[screen])
    if username:
        log_in(page, username, PASSWORD)
    problems = []
    for name, url in main_pages(world)[username]:
        response = page.goto(url)
        assert response.status == 200, f"{name} ({url}) answered {response.status}"
        result = page.evaluate(OVERFLOW)
        if result["scrollWidth"] > result["width"] + 1:
            problems.append(
                f"{name} ({url}): page is {result['scrollWidth']} px wide in a "
                f"{result['width']} px viewport; widest: {', '.join(result['culprits'])}"
            )
    assert problems == [], "Pages scroll sideways:\n" + "\n".join(problems)
