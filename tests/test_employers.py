import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ips import services
from ips.models import Employer, EmployerContact, EmployerContactPerson, JobStart
from ips.validators import validate_business_id

from .factories import (
    EmployerContactFactory,
    EmployerFactory,
    JobStartFactory,
    OrganisationFactory,
)


@pytest.mark.parametrize("value", ["0112038-9", "1572860-0", "0737546-2", "112038-9"])
def test_valid_business_ids(value):
    validate_business_id(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("0112038-8", "business_id_checksum"),
        ("0112038", "business_id_format"),
        ("A112038-9", "business_id_format"),
        ("0112038-99", "business_id_format"),
        ("0000001-0", "business_id_checksum"),  # remainder 1 has no valid check digit
    ],
)
def test_invalid_business_ids(value, code):
    with pytest.raises(ValidationError) as caught:
        validate_business_id(value)

    assert caught.value.code == code


@pytest.mark.django_db
class TestEmployerPages:
    def test_coach_adds_an_employer_to_the_organisation(self, as_user, owner, team_a):
        response = as_user(owner).post(
            reverse("employer-create"),
            {"name": "Kesko Oyj", "business_id": "112038-9", "industry": "G"},
        )

        employer = Employer.objects.get()
        assert response.url == reverse("employer-detail", args=[employer.pk])
        assert (employer.organisation, employer.business_id) == (team_a.organisation, "0112038-9")

    def test_invalid_business_id_saves_nothing(self, as_user, owner, team_a):
        response = as_user(owner).post(
            reverse("employer-create"), {"name": "X", "business_id": "0112038-8", "industry": "G"}
        )

        assert response.context["form"].errors["business_id"] == [
            "The check digit of the business ID is wrong. Check the ID."
        ]
        assert Employer.objects.count() == 0

    def test_business_id_is_unique(self, as_user, owner, team_a):
        EmployerFactory(organisation=team_a.organisation, business_id="0112038-9")

        response = as_user(owner).post(
            reverse("employer-create"), {"name": "Y", "business_id": "0112038-9", "industry": "G"}
        )

        assert response.context["form"].errors["business_id"] == [
            "An employer with this business ID exists."
        ]

    def test_directory_is_shared_within_the_organisation_only(
        self, as_user, owner, other_coach, team_a
    ):
        mine = EmployerFactory(organisation=team_a.organisation, name="Alpha")
        EmployerFactory(organisation=OrganisationFactory(), name="Beta")

        response = as_user(owner).get(reverse("employer-list"))

        assert [row.record for row in response.context["table"].page.object_list] == [mine]
        assert (
            as_user(other_coach).get(reverse("employer-detail", args=[mine.pk])).status_code == 404
        )

    def test_typeahead_returns_matching_options(self, as_user, owner, team_a):
        EmployerFactory(organisation=team_a.organisation, name="Kesko Oyj")
        EmployerFactory(organisation=team_a.organisation, name="Posti Oy")

        response = as_user(owner).get(reverse("employer-options"), {"employer_search": "kes"})

        body = response.content.decode()
        assert "Kesko Oyj" in body
        assert "Posti" not in body

    @pytest.mark.parametrize("rows", [1, 30])
    def test_employer_list_query_count(
        self, as_user, owner, team_a, rows, django_assert_num_queries
    ):
        for _ in range(rows):
            EmployerContactFactory(
                employer=EmployerFactory(organisation=team_a.organisation), coach=owner, team=team_a
            )
        http = as_user(owner)
        http.get(reverse("employer-list"))  # warm-up: session bookkeeping of the first request

        with django_assert_num_queries(7):
            http.get(reverse("employer-list"))


@pytest.mark.django_db
class TestMerge:
    def test_merge_moves_contacts_jobs_and_people(self, as_user, lead, owner, team_a, episode):
        keep = EmployerFactory(organisation=team_a.organisation, name="Kesko")
        duplicate = EmployerFactory(
            organisation=team_a.organisation, name="Kesko Oyj", business_id="0112038-9"
        )
        contact = EmployerContactFactory(employer=duplicate, coach=owner, team=team_a)
        job = JobStartFactory(episode=episode, employer=duplicate)
        person = EmployerContactPerson.objects.create(employer=duplicate, name="Maija")

        response = as_user(lead).post(
            reverse("employer-merge", args=[keep.pk]), {"duplicate": duplicate.pk}
        )

        assert response.status_code == 302
        assert not Employer.objects.filter(pk=duplicate.pk).exists()
        contact.refresh_from_db()
        job.refresh_from_db()
        person.refresh_from_db()
        keep.refresh_from_db()
        assert (contact.employer, job.employer, person.employer) == (keep, keep, keep)
        assert keep.business_id == "0112038-9"

    def test_merge_is_all_or_nothing(self, team_a, owner):
        keep = EmployerFactory(organisation=team_a.organisation)
        duplicate = EmployerFactory(organisation=OrganisationFactory())
        EmployerContactFactory(employer=duplicate, coach=owner, team=team_a)

        with pytest.raises(ValidationError):
            services.merge_employers(keep=keep, duplicate=duplicate)

        assert EmployerContact.objects.get().employer == duplicate

    def test_only_a_lead_may_merge(self, as_user, owner, team_a):
        keep = EmployerFactory(organisation=team_a.organisation)

        assert as_user(owner).get(reverse("employer-merge", args=[keep.pk])).status_code == 403


@pytest.mark.parametrize(
    "url_name",
    [
        "employer-list",
        "employer-create",
        "employer-options",
        "employer-contact-create",
        "employer-contact-list",
        "coach-week",
    ],
)
@pytest.mark.parametrize("persona", ["evaluator", "reviewer", "admin_user"])
@pytest.mark.django_db
def test_roles_without_client_work_are_refused(request, as_user, url_name, persona):
    user = request.getfixturevalue(persona)

    assert as_user(user).get(reverse(url_name)).status_code == 403


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_from_job_development_pages(client):
    for name in ["employer-list", "employer-contact-create", "coach-week", "team-week"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["employer-detail", "employer-edit", "employer-merge"])
@pytest.mark.parametrize("persona", ["other_coach", "evaluator", "reviewer"])
def test_employer_of_another_organisation_is_a_404(request, as_user, team_a, name, persona):
    employer = EmployerFactory(organisation=team_a.organisation)
    user = request.getfixturevalue(persona)

    response = as_user(user).get(reverse(name, args=[employer.pk]))

    # Another organisation's coach cannot tell the employer exists; other roles may not use
    # the directory at all.
    assert response.status_code == (404 if persona == "other_coach" else 403)


def test_job_start_is_not_a_job_when_it_is_a_work_trial(db, episode):
    trial = JobStartFactory(
        episode=episode, activity=JobStart.Activity.WORK_TRIAL, hourly_wage=None
    )
    subsidised = JobStartFactory(episode=episode, set_aside=True)

    trial.refresh_from_db()
    subsidised.refresh_from_db()
    assert (trial.is_job, trial.is_competitive) == (False, False)
    assert (subsidised.is_job, subsidised.is_competitive) == (True, False)
    assert list(JobStart.objects.filter(is_competitive=True)) == []
