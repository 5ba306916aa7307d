import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ips.models import AccessEvent, TargetGroup

from .factories import ContactFactory, EpisodeFactory

pytestmark = pytest.mark.django_db


def _names(response):
    return [row.record.client.full_name for row in response.context["table"].page.object_list]


def test_coach_sees_own_open_caseload_only(as_user, owner, colleague, team_a, other_coach):
    mine = EpisodeFactory(
        coach=owner, team=team_a, client__first_name="Aino", client__last_name="A"
    )
    EpisodeFactory(coach=colleague, team=team_a)
    EpisodeFactory(coach=other_coach)
    closed = EpisodeFactory(coach=owner, team=team_a, client__last_name="B")
    closed.discharge_date = closed.accepted_date
    closed.discharge_reason = "moved"
    closed.save()

    response = as_user(owner).get(reverse("caseload"))

    assert response.status_code == 200
    assert _names(response) == [mine.client.full_name]


def test_lead_sees_the_whole_team(as_user, lead, owner, colleague, team_a, other_coach):
    first = EpisodeFactory(coach=owner, team=team_a, client__last_name="Aalto")
    second = EpisodeFactory(coach=colleague, team=team_a, client__last_name="Berg")
    EpisodeFactory(coach=other_coach)

    response = as_user(lead).get(reverse("caseload"))

    assert _names(response) == [first.client.full_name, second.client.full_name]


def test_list_is_logged_with_the_clients_shown(as_user, owner, team_a):
    episodes = [EpisodeFactory(coach=owner, team=team_a) for _ in range(3)]

    as_user(owner).get(reverse("caseload"))

    event = AccessEvent.objects.get(user=owner)
    assert event.action == "list"
    assert sorted(event.clients.values_list("client_id", flat=True)) == sorted(
        e.client_id for e in episodes
    )


def test_search_filters_by_name_and_is_logged_as_search(as_user, owner, team_a):
    wanted = EpisodeFactory(
        coach=owner, team=team_a, client__first_name="Helmi", client__last_name="Virtanen"
    )
    EpisodeFactory(coach=owner, team=team_a, client__first_name="Juho", client__last_name="Laine")

    response = as_user(owner).get(reverse("caseload"), {"q": "virta"})

    assert _names(response) == ["Helmi Virtanen"]
    event = AccessEvent.objects.get(user=owner)
    assert (event.action, list(event.clients.values_list("client_id", flat=True))) == (
        "search",
        [wanted.client_id],
    )


def test_status_and_target_group_filters(as_user, owner, team_a):
    referred = EpisodeFactory(coach=owner, team=team_a, accepted_date=None, client__last_name="R")
    active = EpisodeFactory(coach=owner, team=team_a, client__last_name="S")
    group = TargetGroup.objects.get(code="immigrants")
    active.target_groups.add(group)
    http = as_user(owner)

    assert _names(http.get(reverse("caseload"), {"status": "referred"})) == [
        referred.client.full_name
    ]
    assert _names(http.get(reverse("caseload"), {"target_group": group.pk})) == [
        active.client.full_name
    ]


def test_htmx_request_gets_only_the_table(as_user, owner, team_a):
    EpisodeFactory(coach=owner, team=team_a, client__first_name="Helmi")

    response = as_user(owner).get(
        reverse("caseload"),
        {"sort": "-name"},
        headers={"HX-Request": "true", "HX-Target": "caseload-table"},
    )

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="caseload-table"')
    assert "Helmi" in body
    assert "<html" not in body


def test_malformed_filter_values_are_not_a_crash(as_user, owner, team_a):
    EpisodeFactory(coach=owner, team=team_a)

    response = as_user(owner).get(
        reverse("caseload"), {"coach": "abc", "target_group": "999999", "status": "nonsense"}
    )

    assert response.status_code == 200
    assert _names(response) == []
    assert response.context["filter"].errors


def test_last_contact_column_shows_the_latest_contact(as_user, owner, team_a):
    episode = EpisodeFactory(coach=owner, team=team_a)
    today = timezone.localdate()
    ContactFactory(episode=episode, date=today - datetime.timedelta(days=9))
    ContactFactory(episode=episode, date=today - datetime.timedelta(days=2))

    response = as_user(owner).get(reverse("caseload"))

    row = response.context["table"].page.object_list[0]
    assert row.record.last_contact == today - datetime.timedelta(days=2)


@pytest.mark.parametrize("rows", [1, 30])
def test_caseload_query_count_does_not_grow_with_rows(
    as_user, lead, owner, team_a, rows, django_assert_num_queries
):
    for _ in range(rows):
        episode = EpisodeFactory(coach=owner, team=team_a)
        episode.target_groups.add(*TargetGroup.objects.all()[:2])
        ContactFactory(episode=episode)
    http = as_user(lead)
    http.get(reverse("caseload"))  # warm the content-type cache guardian uses

    # session, user, the 2FA device, guardian permission lookup, count, page rows, target
    # groups, coach choices, target-group choices; the access-log event and its client ids;
    # savepoints of ATOMIC_REQUESTS and of the log write.
    with django_assert_num_queries(14):
        response = http.get(reverse("caseload"))

    assert len(response.context["table"].page.object_list) == min(rows, 25)
