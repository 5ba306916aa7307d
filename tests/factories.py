"""factory_boy factories: one per model, boring on purpose."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from ips.models import (
    CareerProfileVersion,
    Client,
    Contact,
    Episode,
    Membership,
    Organisation,
    Team,
    User,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Hyvinvointialue {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"IPS team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="fi_FI")
    last_name = factory.Faker("last_name", locale="fi_FI")
    role = User.Role.COACH
    password = factory.django.Password("correct horse battery")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    role = Membership.Role.COACH


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    first_name = factory.Faker("first_name", locale="fi_FI")
    last_name = factory.Faker("last_name", locale="fi_FI")
    municipality = "Tampere"


class EpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Episode

    client = factory.SubFactory(ClientFactory)
    team = factory.SubFactory(TeamFactory)
    coach = factory.SubFactory(UserFactory)
    referral_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))
    referral_source = Episode.ReferralSource.MENTAL_HEALTH
    accepted_date = factory.LazyAttribute(lambda o: o.referral_date + datetime.timedelta(days=3))
    employment_status_at_entry = Episode.EmploymentStatus.OUT_OF_WORK


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    episode = factory.SubFactory(EpisodeFactory)
    date = factory.LazyFunction(timezone.localdate)
    minutes = 30
    mode = Contact.Mode.FACE_TO_FACE
    setting = Contact.Setting.COMMUNITY
    purpose = Contact.Purpose.JOB_SEARCH
    recorded_by = factory.SelfAttribute("episode.coach")


class CareerProfileVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareerProfileVersion

    client = factory.SubFactory(ClientFactory)
    version = factory.Sequence(lambda n: n + 1)
    job_preferences = "Warehouse work"
    created_by = factory.SubFactory(UserFactory)
