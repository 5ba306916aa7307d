"""Persona tests for every URL that takes a client: who gets 200, 403, 404 or a redirect to
log in, and which access-log rows each request leaves."""

from __future__ import annotations

import re

import pytest
from django.urls import get_resolver, reverse

from ips.models import AccessEvent, AccessEventClient
from tests.factories import EducationStartFactory, JobStartFactory

pytestmark = pytest.mark.django_db

# URL name -> (HTTP method, extra kwargs). Every client URL must be listed here; the test
# below fails when a new one is added without persona coverage.
CLIENT_URLS = {
    "client-detail": ("get", {}),
    "client-edit": ("get", {}),
    "contact-create": ("get", {}),
    "profile-edit": ("get", {}),
    "client-cover": ("get", {}),
    "client-access-log": ("get", {}),
    "cover-revoke": ("post", {"cover_id": 999}),
    "job-create": ("get", {}),
    "job-edit": ("get", {"job_id": "job"}),
    "education-create": ("get", {}),
    "education-edit": ("get", {"education_id": "education"}),
    "client-data-json": ("get", {}),
    "client-data-pdf": ("get", {}),
}
LEAD_ONLY = {
    "client-cover",
    "client-access-log",
    "cover-revoke",
    "client-data-json",
    "client-data-pdf",
}
EXPORT_ACTION = {"client-data-json", "client-data-pdf"}


@pytest.mark.usefixtures("db")
def test_every_client_url_has_persona_coverage():
    names = {
        name
        for name, patterns in get_resolver().reverse_dict.lists()
        if isinstance(name, str) and any("client_id" in p[0][0][1] for p in patterns)
    }

    assert names == set(CLIENT_URLS)


def _without_tokens(response):
    """The page minus the per-request CSRF token and CSP nonce."""
    body = response.content.decode()
    body = re.sub(r'(value|nonce)="[^"]*"', "", body)
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", body)


@pytest.fixture
def records(episode):
    """A job and an education start of the client, for the URLs that name one."""
    return {
        "job": JobStartFactory(episode=episode).pk,
        "education": EducationStartFactory(episode=episode).pk,
    }


def _request(http, name, client_id, records):
    method, extra = CLIENT_URLS[name]
    kwargs = {key: records.get(value, value) for key, value in extra.items()}
    url = reverse(name, kwargs={"client_id": client_id, **kwargs})
    return getattr(http, method)(url)


def _action(name):
    if name in EXPORT_ACTION:
        return "export"
    return "view" if CLIENT_URLS[name][0] == "get" else "grant"


def _events(user):
    return list(
        AccessEvent.objects.filter(user=user).values_list("action", "outcome", "clients__client_id")
    )


@pytest.mark.parametrize("name", sorted(set(CLIENT_URLS) - LEAD_ONLY - {"cover-revoke"}))
def test_owner_sees_own_client_and_is_logged(as_user, owner, client_record, name, records):
    response = _request(as_user(owner), name, client_record.pk, records)

    assert response.status_code == 200
    assert _events(owner) == [("view", "ok", client_record.pk)]


@pytest.mark.parametrize("name", sorted(set(CLIENT_URLS) - {"cover-revoke"}))
def test_lead_sees_every_client_of_the_team(as_user, lead, client_record, name, records):
    response = _request(as_user(lead), name, client_record.pk, records)

    assert response.status_code == 200
    assert _events(lead) == [(_action(name), "ok", client_record.pk)]


@pytest.mark.parametrize("name", sorted(LEAD_ONLY - {"cover-revoke"}))
def test_owner_is_refused_lead_pages_with_403(as_user, owner, client_record, name, records):
    response = _request(as_user(owner), name, client_record.pk, records)

    assert response.status_code == 403
    assert _events(owner) == [(_action(name), "denied", client_record.pk)]


@pytest.mark.parametrize("name", sorted(CLIENT_URLS))
@pytest.mark.parametrize("persona", ["other_coach", "evaluator", "reviewer", "admin_user"])
def test_no_access_gives_404_and_a_denied_log_row(
    request, as_user, client_record, name, persona, records
):
    user = request.getfixturevalue(persona)

    response = _request(as_user(user), name, client_record.pk, records)

    assert response.status_code == 404
    assert _events(user) == [(_action(name), "denied", client_record.pk)]


@pytest.mark.parametrize("name", sorted(CLIENT_URLS))
def test_a_client_that_does_not_exist_looks_the_same_as_a_forbidden_one(
    as_user, other_coach, client_record, name, records
):
    missing = _request(as_user(other_coach), name, client_record.pk + 1000, records)
    forbidden = _request(as_user(other_coach), name, client_record.pk, records)

    assert missing.status_code == forbidden.status_code == 404
    assert _without_tokens(missing) == _without_tokens(forbidden)


@pytest.mark.parametrize("name", sorted(CLIENT_URLS))
def test_anonymous_is_sent_to_login_and_nothing_is_read(client, client_record, name, records):
    response = _request(client, name, client_record.pk, records)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert AccessEventClient.objects.count() == 0


def test_a_huge_client_id_is_a_404_not_a_crash(as_user, owner):
    response = as_user(owner).get(f"/clients/{10**30}/")

    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["evaluator", "reviewer", "admin_user"])
def test_roles_without_client_access_cannot_open_the_caseload(request, as_user, persona):
    user = request.getfixturevalue(persona)

    assert as_user(user).get(reverse("caseload")).status_code == 403
    assert as_user(user).get(reverse("client-create")).status_code == 403


def test_global_permission_does_not_open_client_records(as_user, other_coach, client_record):
    from django.contrib.auth.models import Permission

    other_coach.user_permissions.add(
        Permission.objects.get(codename="view_client"),
        Permission.objects.get(codename="change_client"),
    )

    response = as_user(other_coach).get(reverse("client-detail", args=[client_record.pk]))

    assert response.status_code == 404
