"""Authorisation built from the URLconf: every named URL of the app, requested by every
persona with real objects, against a table of expected status codes. A URL that nobody added
to the table fails ``test_every_url_is_in_the_table``."""

from __future__ import annotations

import datetime

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone

from fidelity import services as fidelity
from ips import services
from ips.services import spreadsheets
from outcomes.models import EvaluationGrant
from tests.factories import EducationStartFactory, EmployerFactory, JobStartFactory, UserFactory

from .conftest import login
from .fidelity.conftest import all_items

PERSONAS = ["anonymous", "owner", "other_coach", "lead", "reviewer", "evaluator", "admin"]
CLIENT = {
    "owner": 200,
    "other_coach": 404,
    "lead": 200,
    "reviewer": 404,
    "evaluator": 404,
    "admin": 404,
}
LEAD_CLIENT = {**CLIENT, "owner": 403}
CLIENT_WORK = {
    "owner": 200,
    "other_coach": 200,
    "lead": 200,
    "reviewer": 403,
    "evaluator": 403,
    "admin": 403,
}
LEAD_ONLY = dict(CLIENT_WORK, owner=403, other_coach=403)
EMPLOYER = {
    "owner": 200,
    "other_coach": 404,
    "lead": 200,
    "reviewer": 403,
    "evaluator": 403,
    "admin": 403,
}
REVIEW_READ = {
    "owner": 404,
    "other_coach": 404,
    "lead": 200,
    "reviewer": 200,
    "evaluator": 404,
    "admin": 200,
}
REVIEW_WORK = {**REVIEW_READ, "lead": 403, "admin": 403}
EVERYONE = {
    "owner": 200,
    "other_coach": 200,
    "lead": 200,
    "reviewer": 200,
    "evaluator": 200,
    "admin": 200,
}

# name -> (method, url kwargs from the fixture's objects, expected status per persona)
TABLE = {
    "home": (
        "get",
        [],
        {
            "owner": 302,
            "other_coach": 302,
            "lead": 302,
            "reviewer": 200,
            "evaluator": 200,
            "admin": 200,
        },
    ),
    "coach-week": ("get", [], CLIENT_WORK),
    "team-week": ("get", [], dict(CLIENT_WORK, owner=403, other_coach=403)),
    "team-week-review": ("post", [], dict(CLIENT_WORK, owner=403, other_coach=403, lead=400)),
    "caseload": ("get", [], CLIENT_WORK),
    "client-create": ("get", [], CLIENT_WORK),
    "client-detail": ("get", ["client_id"], CLIENT),
    "client-edit": ("get", ["client_id"], CLIENT),
    "contact-create": ("get", ["client_id"], CLIENT),
    "profile-edit": ("get", ["client_id"], CLIENT),
    "client-cover": ("get", ["client_id"], LEAD_CLIENT),
    "cover-revoke": ("post", ["client_id", "cover_id"], {**LEAD_CLIENT, "lead": 302}),
    "client-access-log": ("get", ["client_id"], LEAD_CLIENT),
    "client-data-json": ("get", ["client_id"], LEAD_CLIENT),
    "client-data-pdf": ("get", ["client_id"], LEAD_CLIENT),
    "job-create": ("get", ["client_id"], CLIENT),
    "job-edit": ("get", ["client_id", "job_id"], CLIENT),
    "education-create": ("get", ["client_id"], CLIENT),
    "education-edit": ("get", ["client_id", "education_id"], CLIENT),
    "employer-list": ("get", [], CLIENT_WORK),
    "employer-create": ("get", [], CLIENT_WORK),
    "employer-options": ("get", [], CLIENT_WORK),
    "employer-detail": ("get", ["employer_id"], EMPLOYER),
    "employer-edit": ("get", ["employer_id"], EMPLOYER),
    "employer-merge": ("get", ["employer_id"], dict(EMPLOYER, owner=403)),
    "employer-contact-list": ("get", [], CLIENT_WORK),
    "employer-contact-create": ("get", [], CLIENT_WORK),
    "import-list": ("get", [], LEAD_ONLY),
    "import-upload": ("get", [], LEAD_ONLY),
    "import-detail": ("get", ["batch_id"], LEAD_ONLY),
    "import-mapping": ("get", ["batch_id"], LEAD_ONLY),
    "import-preview": ("get", ["batch_id"], LEAD_ONLY),
    "import-confirm": ("post", ["batch_id"], dict(LEAD_ONLY, lead=302)),
    "import-cancel": ("post", ["batch_id"], dict(LEAD_ONLY, lead=302)),
    "review-list": ("get", [], EVERYONE),
    "review-create": (
        "get",
        [],
        dict(EVERYONE, owner=403, other_coach=403, reviewer=403, evaluator=403),
    ),
    "review-detail": ("get", ["review_id"], REVIEW_READ),
    "review-evidence": ("get", ["review_id"], REVIEW_READ),
    "review-score": ("get", ["review_id"], REVIEW_WORK),
    "review-consensus": ("get", ["review_id"], REVIEW_WORK),
    "review-report": ("get", ["review_id"], REVIEW_WORK),
    "review-pdf": ("get", ["review_id"], REVIEW_READ),
    "review-correct": ("post", ["review_id"], dict(REVIEW_READ, lead=302, reviewer=302, admin=302)),
    "team-trend": ("get", ["team_id"], dict(REVIEW_READ, reviewer=404)),
    "outcomes-dashboard": ("get", [], dict(EVERYONE, reviewer=403)),
    "outcomes-export": (
        "get",
        [],
        {
            "owner": 403,
            "other_coach": 403,
            "lead": 403,
            "reviewer": 403,
            "evaluator": 200,
            "admin": 200,
        },
    ),
    "account": ("get", [], EVERYONE),
    "password-change": ("get", [], EVERYONE),
    "two-factor-setup": ("get", [], EVERYONE),
    "two-factor-verify": ("get", [], EVERYONE),
    "two-factor-backup-codes": ("post", [], EVERYONE),
    "login": ("get", [], dict.fromkeys(EVERYONE, 302)),
    "logout": ("post", [], dict.fromkeys(EVERYONE, 302)),
}
ANONYMOUS_OPEN = {"login": 200, "logout": 302}
NOT_OURS = {"set_language"}  # Django's language switch: open to all by design


def test_every_url_is_in_the_table():
    names = {
        name
        for name in get_resolver().reverse_dict
        if isinstance(name, str) and not name.startswith("admin") and name not in NOT_OURS
    }
    assert names == set(TABLE)


@pytest.fixture
def world(db, team_a, owner, lead, other_coach, episode, admin_user):
    evaluator = UserFactory(username="evaluator", role="evaluator")
    EvaluationGrant.objects.create(evaluator=evaluator, organisation=team_a.organisation)
    reviewer = UserFactory(username="reviewer", role="reviewer")
    second = UserFactory(username="reviewer2", role="reviewer")
    review = fidelity.create_review(
        team=team_a,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
        reviewers=[reviewer, second],
        created_by=lead,
        scale_id="ips25-2019",
    )
    for person in (reviewer, second):
        fidelity.save_own_ratings(review=review, reviewer=person, ratings=all_items(4), submit=True)
    fidelity.save_consensus(review=review, ratings=all_items(4), expected_revision=0)
    fidelity.finalise(review=review)
    colleague = UserFactory(username="cover")
    cover = services.grant_cover(
        client=episode.client,
        coach=colleague,
        reason="x",
        granted_by=lead,
        ends_on=timezone.localdate() + datetime.timedelta(days=2),
    )
    users = {
        "owner": owner,
        "other_coach": other_coach,
        "lead": lead,
        "reviewer": reviewer,
        "evaluator": evaluator,
        "admin": admin_user,
    }
    ids = {
        "client_id": episode.client_id,
        "job_id": JobStartFactory(episode=episode).pk,
        "education_id": EducationStartFactory(episode=episode).pk,
        "cover_id": cover.pk,
        "employer_id": EmployerFactory(organisation=team_a.organisation).pk,
        "review_id": review.pk,
        "team_id": team_a.pk,
        "batch_id": spreadsheets.start_import(
            team=team_a,
            kind="contacts",
            filename="contacts.csv",
            content=(
                "Etunimi;Sukunimi;Päivä;Minuutit;Tarkoitus\n"
                f"{episode.client.first_name};{episode.client.last_name};"
                f"{timezone.localdate():%d.%m.%Y};30;job_search\n"
            ).encode(),
            created_by=lead,
        ).pk,
    }
    return users, ids


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(TABLE))
def test_authorisation(client, world, name, persona):
    users, ids = world
    method, keys, expected = TABLE[name]
    url = reverse(name, kwargs={key: ids[key] for key in keys})
    http = client if persona == "anonymous" else login(users[persona])

    response = getattr(http, method)(url)

    if persona == "anonymous":
        assert response.status_code == ANONYMOUS_OPEN.get(name, 302)
        if name not in ANONYMOUS_OPEN:
            assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected[persona]


WHO_CAN_POST = {
    "review-score": "reviewer",
    "review-consensus": "reviewer",
    "review-report": "reviewer",
    "review-correct": "reviewer",
    "outcomes-export": "evaluator",
}


@pytest.mark.parametrize("name", sorted(TABLE))
def test_csrf_is_enforced_on_every_state_changing_request(world, name):
    from django.test import Client as HttpClient

    from .conftest import verify_second_factor

    users, ids = world
    method, keys, _expected = TABLE[name]
    user = users[WHO_CAN_POST.get(name, "lead")]
    http = HttpClient(enforce_csrf_checks=True, headers={"accept-language": "en"})
    http.force_login(user)
    verify_second_factor(http, user)

    response = http.post(reverse(name, kwargs={key: ids[key] for key in keys}), {"x": "1"})

    # Every view either refuses POST outright (405) or checks the CSRF token first (403).
    assert response.status_code in {403, 405}
    if response.status_code == 403:
        assert b"CSRF" in response.content
