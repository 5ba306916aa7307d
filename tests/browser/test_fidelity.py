"""Two reviewers score independently, agree consensus and finalise, in the browser (Finnish)."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from fidelity import services
from fidelity.models import Review
from ips.models import User
from tests.factories import UserFactory

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _score_all(page, score: int, exceptions: dict[int, int] | None = None) -> None:
    for number in range(1, 26):
        value = (exceptions or {}).get(number, score)
        page.locator(f"input[name='score_{number}'][value='{value}']").check()


def test_two_reviewers_consensus_and_finalise(page, lead, team_a):
    first = UserFactory(username="arvioija1", role=User.Role.REVIEWER)
    second = UserFactory(username="arvioija2", role=User.Role.REVIEWER)
    review = services.create_review(
        team=team_a,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
        reviewers=[first, second],
        created_by=lead,
        scale_id="ips25-2019",
    )

    log_in(page, "arvioija1")
    page.goto(f"/fidelity/{review.pk}/")
    page.get_by_role("link", name="Pisteytä kohdat").click()
    _score_all(page, 4)
    page.get_by_role("button", name="Lähetä pisteeni").click()
    expect(page.get_by_text("Pisteet lähetetty.")).to_be_visible()
    page.get_by_role("button", name="Kirjaudu ulos").click()

    log_in(page, "arvioija2")
    page.goto(f"/fidelity/{review.pk}/")
    page.get_by_role("link", name="Pisteytä kohdat").click()
    _score_all(page, 4, exceptions={7: 3})
    page.get_by_role("button", name="Lähetä pisteeni").click()

    page.get_by_role("link", name="Konsensus", exact=True).click()
    differing = page.locator("section.differs")
    expect(differing).to_have_count(1)
    expect(differing).to_contain_text("7.")
    page.locator("input[name='score_7'][value='4']").check()
    page.get_by_role("button", name="Tallenna konsensus").click()
    expect(page.locator(".figure-inline")).to_contain_text("100")

    page.get_by_role("link", name="Raportti ja viimeistely").first.click()
    page.get_by_label("Vahvuudet").fill("Tiivis työnantajayhteistyö")
    page.get_by_role("button", name="Tallenna ja viimeistele").click()
    expect(page.get_by_text("Arviointi on viimeistelty.")).to_be_visible()
    expect(page.get_by_role("link", name="Lataa PDF-raportti")).to_be_visible()

    review = Review.objects.get(pk=review.pk)
    assert review.is_final
    assert review.strengths == "Tiivis työnantajayhteistyö"
