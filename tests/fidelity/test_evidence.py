"""The evidence pack on a small team built by hand. Expected figures are worked out in the
comments, from the records created in each test."""

import datetime

import pytest

from fidelity.evidence import evidence_pack
from fidelity.scale import get_scale
from ips.models import Contact, JobStart
from tests.factories import (
    ContactFactory,
    EmployerContactFactory,
    EmployerFactory,
    EpisodeFactory,
    JobStartFactory,
)

pytestmark = pytest.mark.django_db

SCALE = get_scale("ips25-2019")
START = datetime.date(2026, 1, 5)  # a Monday
END = datetime.date(2026, 3, 1)  # a Sunday: 56 days = 8 weeks


def day(n):
    return START + datetime.timedelta(days=n)


def pack(team):
    return evidence_pack(SCALE, team, START, END)


def test_caseload_per_coach(team_a, owner, colleague):
    # owner: 3 active; colleague: 1 active, 1 discharged before the end, 1 not yet accepted.
    for _ in range(3):
        EpisodeFactory(coach=owner, team=team_a, referral_date=day(-30), accepted_date=day(-20))
    EpisodeFactory(coach=colleague, team=team_a, referral_date=day(-30), accepted_date=day(-20))
    EpisodeFactory(
        coach=colleague,
        team=team_a,
        referral_date=day(-30),
        accepted_date=day(-20),
        discharge_date=day(10),
        discharge_reason="moved",
    )
    EpisodeFactory(coach=colleague, team=team_a, referral_date=day(-30), accepted_date=None)

    evidence = pack(team_a)[1]

    # 4 active clients / 2 coaches = 2.0 → at most 20 → score 5.
    assert (evidence.value, evidence.numerator, evidence.denominator, evidence.suggested) == (
        2.0,
        4,
        2,
        5,
    )
    assert sorted(evidence.details, key=lambda row: row[1]) == sorted(
        [(str(owner), "3"), (str(colleague), "1")], key=lambda row: row[1]
    )


def test_days_to_first_employer_contact(team_a, owner):
    # A entered day 0, first face-to-face contact day 20 → 20 days.
    # B entered day 10; a phone contact on day 12 does not count, and the face-to-face one on
    # day 110 is after the period (which ends on day 55) → counted as 45 days so far.
    # C entered day 40, no contact by the end → counted as 15 days so far.
    a = EpisodeFactory(coach=owner, team=team_a, referral_date=day(0), accepted_date=day(0))
    b = EpisodeFactory(coach=owner, team=team_a, referral_date=day(10), accepted_date=day(10))
    EpisodeFactory(coach=owner, team=team_a, referral_date=day(40), accepted_date=day(40))
    EmployerContactFactory(
        coach=owner, team=team_a, date=day(20), clients=[a.client], kind="client"
    )
    EmployerContactFactory(
        coach=owner,
        team=team_a,
        date=day(12),
        clients=[b.client],
        kind="client",
        face_to_face=False,
    )
    EmployerContactFactory(
        coach=owner, team=team_a, date=day(110), clients=[b.client], kind="client"
    )

    evidence = pack(team_a)[15]

    # Mean (20 + 45 + 15) / 3 = 26.7 → at most 30 → score 5.
    assert (evidence.value, evidence.numerator, evidence.denominator, evidence.suggested) == (
        26.7,
        80,
        3,
        5,
    )
    assert dict(evidence.details)["≤30"] == "2"


def test_preference_matching_and_contacts_per_week(team_a, owner, colleague):
    # owner: 48 face-to-face contacts in 8 weeks = 6.0/week → 5;
    # colleague: 16 in 8 weeks = 2.0/week → 2; mean rating 3.5 → rounds to 4.
    for n in range(48):
        EmployerContactFactory(coach=owner, team=team_a, date=day(n % 56))
    for n in range(16):
        EmployerContactFactory(coach=colleague, team=team_a, date=day(n * 3))
    # Client-specific contacts: 3 matched, 1 not, 1 not recorded → 3 / 4 = 75 % → score 4.
    episode = EpisodeFactory(coach=owner, team=team_a)
    for matched in (True, True, True, False, None):
        EmployerContactFactory(
            coach=owner,
            team=team_a,
            date=day(1),
            clients=[episode.client],
            kind="client",
            matched_preferences=matched,
            face_to_face=False,
        )

    result = pack(team_a)

    per_week = result[17]
    assert (per_week.value, per_week.suggested) == (4.0, 4)
    matched = result[16]
    assert (matched.value, matched.numerator, matched.denominator, matched.suggested) == (
        75.0,
        3,
        4,
        4,
    )


def test_job_diversity_and_competitive_share(team_a, owner):
    episode = EpisodeFactory(
        coach=owner, team=team_a, referral_date=day(-60), accepted_date=day(-60)
    )
    shop = EmployerFactory(organisation=team_a.organisation)
    cafe = EmployerFactory(organisation=team_a.organisation)
    # 4 jobs started in the period: occupations 52, 52, 94, 93 → 3 types / 4 = 75 % → 4;
    # employers shop, shop, shop, cafe → 2 / 4 = 50 % → 2.
    for occupation, employer in (("52", shop), ("52", shop), ("94", shop), ("93", cafe)):
        JobStartFactory(
            episode=episode, employer=employer, occupation_id=occupation, start_date=day(5)
        )
    # Held in the period as well: a work trial (not competitive) → 4 of 5 competitive = 80 %,
    # but fewer than 10 held → score 1.
    JobStartFactory(
        episode=episode,
        employer=cafe,
        activity=JobStart.Activity.WORK_TRIAL,
        hourly_wage=None,
        start_date=day(-10),
    )

    result = pack(team_a)

    assert (result[19].value, result[19].suggested) == (75.0, 4)
    assert (result[20].value, result[20].suggested) == (50.0, 2)
    assert (
        result[21].value,
        result[21].numerator,
        result[21].denominator,
        result[21].suggested,
    ) == (
        80.0,
        4,
        5,
        1,
    )


def test_follow_along_and_community_time(team_a, owner):
    episode = EpisodeFactory(
        coach=owner, team=team_a, referral_date=day(-60), accepted_date=day(-60)
    )
    job = JobStartFactory(episode=episode, start_date=day(7))
    # Checkpoints closing within the period (start day 7, period ends day 55):
    # before start (closes d6) met by d2; after start (d10) met by d8; weeks 1–4 close on
    # d13, d20, d27, d34: met by d8, d15, missed, d29; month 2 closes d64, after the period.
    # → 5 met of 6 closed = 83.3 % → 75–89 → score 4.
    for offset in (2, 8, 15, 29):
        ContactFactory(
            episode=episode,
            job=job,
            date=day(offset),
            purpose="follow_along",
            minutes=60,
            setting=Contact.Setting.COMMUNITY,
        )
    # Community time: 4 × 60 min in the community, 1 × 160 min in the office → 240 / 400 = 60 %
    # → 50–64 → score 4.
    ContactFactory(episode=episode, date=day(3), minutes=160, setting=Contact.Setting.OFFICE)

    result = pack(team_a)

    follow = result[23]
    assert (follow.value, follow.numerator, follow.denominator, follow.suggested) == (83.3, 5, 6, 4)
    community = result[24]
    assert (community.value, community.numerator, community.denominator, community.suggested) == (
        60.0,
        240,
        400,
        4,
    )


def test_an_empty_team_gives_no_suggestions(team_a, owner):
    result = pack(team_a)

    # No coach worked in the team during the period: nothing to divide by, no suggestion.
    assert [result[n].suggested for n in (1, 15, 16, 17, 19, 20, 23, 24)] == [None] * 8
    assert result[21].suggested is None
    assert 2 not in result  # employment time share is entered by the reviewers


def test_the_pack_never_names_a_client(team_a, owner):
    episode = EpisodeFactory(
        coach=owner,
        team=team_a,
        referral_date=day(0),
        accepted_date=day(0),
        client__first_name="Unique",
        client__last_name="Clientname",
    )
    EmployerContactFactory(
        coach=owner, team=team_a, date=day(3), clients=[episode.client], kind="client"
    )

    text = repr(pack(team_a))

    assert "Clientname" not in text
    assert "Unique" not in text


def test_coaches_are_those_who_worked_in_the_period(team_a, owner, colleague):
    # The colleague is a team member but coached nobody and logged nothing in the period.
    EpisodeFactory(coach=owner, team=team_a, referral_date=day(-30), accepted_date=day(-20))

    evidence = pack(team_a)[1]

    assert (evidence.numerator, evidence.denominator) == (1, 1)
