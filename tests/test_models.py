import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ips.models import AccessEvent, Contact, Episode

from .factories import ContactFactory, EpisodeFactory

pytestmark = pytest.mark.django_db


def test_database_refuses_discharge_before_referral():
    episode = EpisodeFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Episode.objects.filter(pk=episode.pk).update(
            discharge_date=episode.referral_date - datetime.timedelta(days=1),
            discharge_reason=Episode.DischargeReason.MOVED,
        )


def test_database_refuses_discharge_without_reason():
    episode = EpisodeFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Episode.objects.filter(pk=episode.pk).update(discharge_date=episode.referral_date)


def test_database_refuses_contact_without_minutes():
    contact = ContactFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.filter(pk=contact.pk).update(minutes=0)


def test_one_open_episode_per_client():
    first = EpisodeFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        EpisodeFactory(client=first.client, team=first.team, coach=first.coach)


def test_full_clean_explains_discharge_before_referral():
    episode = EpisodeFactory()
    episode.discharge_date = episode.referral_date - datetime.timedelta(days=1)
    episode.discharge_reason = Episode.DischargeReason.MOVED

    with pytest.raises(ValidationError) as caught:
        episode.full_clean()

    assert "A client cannot be discharged before they were referred." in caught.value.messages


def test_status_follows_the_dates():
    episode = EpisodeFactory.build(accepted_date=None)
    assert episode.status == Episode.Status.REFERRED
    episode.accepted_date = episode.referral_date
    assert episode.status == Episode.Status.ACTIVE
    episode.discharge_date = episode.referral_date
    assert episode.status == Episode.Status.DISCHARGED


def test_access_events_cannot_be_changed_through_the_orm(owner):
    event = AccessEvent.objects.create(user=owner, username="owner", action="view")

    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_database_refuses_update_of_access_events(owner):
    AccessEvent.objects.create(user=owner, username="owner", action="view")

    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AccessEvent.objects.update(action="list")
