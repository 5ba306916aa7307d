"""factory_boy factories: one per model, boring on purpose."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from ips.models import (
    CareerProfileVersion,
    Client,
    Contact,
    EducationStart,
    Employer,
    EmployerContact,
    Episode,
    Industry,
    JobStart,
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


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Yritys {n} Oy")
    industry = Industry.G
    municipality = "Tampere"


class EmployerContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmployerContact
        skip_postgeneration_save = True

    date = factory.LazyFunction(timezone.localdate)
    coach = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    employer = factory.SubFactory(
        EmployerFactory, organisation=factory.SelfAttribute("..team.organisation")
    )
    face_to_face = True
    kind = EmployerContact.Kind.GENERAL
    purpose = EmployerContact.Purpose.LEARN_NEEDS

    @factory.post_generation
    def clients(self, create, extracted, **kwargs):
        if create and extracted:
            self.clients.set(extracted)


class JobStartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobStart

    episode = factory.SubFactory(EpisodeFactory)
    employer = factory.SubFactory(
        EmployerFactory, organisation=factory.SelfAttribute("..episode.team.organisation")
    )
    job_title = "Varastotyöntekijä"
    occupation_id = "93"
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    hours_per_week = Decimal("20.0")
    hourly_wage = Decimal("13.50")
    found_by = JobStart.FoundBy.COACH
    created_by = factory.SelfAttribute("episode.coach")


class EducationStartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EducationStart

    episode = factory.SubFactory(EpisodeFactory)
    programme = "Logistiikan perustutkinto"
    institution = "Tredu"
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=5))
    created_by = factory.SelfAttribute("episode.coach")
