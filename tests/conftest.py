"""Shared fixtures: the personas every client-data view is tested with.

* ``owner``: coach1 in team A, coach of ``client``;
* ``lead``: leads team A;
* ``other_coach``: coach in team B, no relation to ``client``;
* ``evaluator`` and ``reviewer``: never see client records;
* ``admin_user``: a superuser, who sees client data only through a coach or lead role.
"""

from __future__ import annotations

import os

import pytest
from django.test import Client as HttpClient
from django.utils import translation

from ips.models import Membership, User

from .factories import EpisodeFactory, MembershipFactory, TeamFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# live server and our fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def team_a(db):
    return TeamFactory(name="Team A")


@pytest.fixture
def team_b(db):
    return TeamFactory(name="Team B")


@pytest.fixture
def owner(team_a):
    user = UserFactory(username="owner", role=User.Role.COACH)
    MembershipFactory(user=user, team=team_a)
    return user


@pytest.fixture
def colleague(team_a):
    user = UserFactory(username="colleague", role=User.Role.COACH)
    MembershipFactory(user=user, team=team_a)
    return user


@pytest.fixture
def lead(team_a):
    user = UserFactory(username="lead", role=User.Role.LEAD)
    MembershipFactory(user=user, team=team_a, role=Membership.Role.LEAD)
    return user


@pytest.fixture
def other_coach(team_b):
    user = UserFactory(username="othercoach", role=User.Role.COACH)
    MembershipFactory(user=user, team=team_b)
    return user


@pytest.fixture
def evaluator(db):
    return UserFactory(username="evaluator", role=User.Role.EVALUATOR)


@pytest.fixture
def reviewer(db):
    return UserFactory(username="reviewer", role=User.Role.REVIEWER)


@pytest.fixture
def admin_user(db):
    return UserFactory(
        username="superadmin", role=User.Role.ADMIN, is_staff=True, is_superuser=True
    )


@pytest.fixture
def episode(owner, team_a):
    return EpisodeFactory(coach=owner, team=team_a)


@pytest.fixture
def client_record(episode):
    return episode.client


def login(user: User, *, verified: bool = True) -> HttpClient:
    """A test client signed in as ``user`` who has also passed the second factor."""
    http = HttpClient(headers={"accept-language": "en"})
    http.force_login(user)
    if verified:
        verify_second_factor(http, user)
    return http


def verify_second_factor(http: HttpClient, user: User) -> None:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    device, _created = StaticDevice.objects.get_or_create(user=user, name="test")
    session = http.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def client():
    """pytest-django's client, asking for English: assertions quote the source strings.
    (Finnish, the default, is covered by the browser tests and tests/test_i18n.py.)"""
    return HttpClient(headers={"accept-language": "en"})


@pytest.fixture(autouse=True)
def _english_outside_requests():
    with translation.override("en"):
        yield


@pytest.fixture
def as_user():
    return login


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 is slow on purpose; tests don't need that."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def reference_data(transactional_db):
    """Reload the reference data that migrations ship (target groups, ISCO-08 groups).

    Transactional tests (the browser tests) flush the database afterwards, which empties these
    tables for the transactional tests that follow; the loaders are idempotent.
    """
    import importlib

    from django.apps import apps

    for module in ("ips.migrations.0003_target_groups", "ips.migrations.0006_isco08"):
        migration = importlib.import_module(module)
        loader = getattr(migration, "add_groups", None) or migration.load
        loader(apps, None)
