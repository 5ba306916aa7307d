"""Demo data: two teams in two wellbeing services counties, about 40 clients with a year of
contacts, and one account per role (password ``demo``). Idempotent: running it again changes
nothing but the demo passwords. Refuses to run unless DEMO_MODE is on (never in production).
"""

from __future__ import annotations

import datetime
import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from ips.demo import DEMO_PASSWORD
from ips.models import (
    CareerProfileVersion,
    Client,
    Contact,
    EducationStart,
    Employer,
    EmployerContact,
    EmployerContactPerson,
    EmployerContactReview,
    Episode,
    Industry,
    JobStart,
    Membership,
    Organisation,
    TargetGroup,
    Team,
    User,
)
from ips.validators import pic_check_character
from ips.weekly import week_start

FIRST_NAMES = [
    "Aino",
    "Eero",
    "Helmi",
    "Juho",
    "Kaisa",
    "Lauri",
    "Minna",
    "Niko",
    "Outi",
    "Pekka",
    "Riikka",
    "Sami",
    "Tiina",
    "Ville",
    "Anni",
    "Jari",
    "Leena",
    "Matti",
    "Noora",
    "Oskari",
    "Päivi",
    "Risto",
    "Sanna",
    "Teemu",
    "Ulla",
    "Veera",
    "Antti",
    "Elina",
    "Hannu",
    "Iida",
]
LAST_NAMES = [
    "Virtanen",
    "Korhonen",
    "Mäkinen",
    "Nieminen",
    "Mäkelä",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Lehtinen",
    "Saarinen",
    "Salminen",
    "Heinonen",
    "Niemi",
    "Heikkilä",
    "Kinnunen",
    "Salonen",
    "Turunen",
    "Salo",
    "Laitinen",
]
PREFERENCES = [
    "Varastotyö, mieluiten aamuvuorot",
    "Kahvila- tai ravintola-ala",
    "Kiinteistöhuolto",
    "Asiakaspalvelu kaupassa",
    "IT-tuki osa-aikaisesti",
    "Puutarha- ja viheralan työt",
    "Logistiikka ja kuljetus",
    "Toimistotyö, ei puhelintyötä",
]

ACCOUNTS = [
    # username, first, last, role, team index or None, role in team
    ("coach1", "Katri", "Koutsi", User.Role.COACH, 0, Membership.Role.COACH),
    ("coach2", "Jussi", "Valmentaja", User.Role.COACH, 0, Membership.Role.COACH),
    ("coach3", "Sofia", "Ohjaaja", User.Role.COACH, 1, Membership.Role.COACH),
    ("lead1", "Marja", "Esihenkilö", User.Role.LEAD, 0, Membership.Role.LEAD),
    ("reviewer1", "Ilkka", "Arvioija", User.Role.REVIEWER, None, None),
    ("reviewer2", "Leila", "Laatu", User.Role.REVIEWER, None, None),
    ("evaluator1", "Tuula", "Tutkija", User.Role.EVALUATOR, None, None),
]


EMPLOYERS = [
    # name, business ID, industry, job title, ISCO-08 sub-major group
    ("Kesko Oyj", "0109862-8", Industry.G, "Myyjä", "52"),
    ("Posti Oy", "2344718-6", Industry.H, "Lajittelija", "93"),
    ("Fazer Food Services Oy", "", Industry.I, "Keittiöapulainen", "94"),
    ("Lassila & Tikanoja Oyj", "", Industry.N, "Siistijä", "91"),
    ("Ravintola Aalto", "", Industry.I, "Tarjoilija", "51"),
    ("Tampereen Kiinteistöhuolto Oy", "", Industry.L, "Kiinteistönhoitaja", "71"),
    ("Puutarha Vihreä Oy", "", Industry.A, "Puutarhatyöntekijä", "92"),
    ("Kirjasto- ja kulttuuripalvelut", "", Industry.R, "Kirjastoavustaja", "44"),
    ("IT-Tuki Savo Oy", "", Industry.J, "IT-tukihenkilö", "35"),
    ("Kuljetus Nieminen Ky", "", Industry.H, "Lähettikuski", "83"),
]


def demo_pic(rng: random.Random, birth: datetime.date) -> str:
    sign = "-" if birth.year < 2000 else "A"
    digits = birth.strftime("%d%m%y")
    individual = f"{rng.randint(2, 899):03d}"
    return f"{digits}{sign}{individual}{pic_check_character(digits, individual)}"


class Command(BaseCommand):
    help = "Load demo organisations, teams, accounts and clients (idempotent; DEMO_MODE only)."

    def handle(self, *args, **options) -> None:
        if not settings.DEMO_MODE:
            raise CommandError(
                "Demo data can only be loaded with DEMO_MODE on (never in production)."
            )
        with transaction.atomic():
            teams = self.create_teams()
            users = self.create_accounts(teams)
            created = self.create_clients(teams, users)
            self.create_job_development(teams, users)
            self.create_fidelity_reviews(teams, users)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {Client.objects.count()} clients "
                f"({created} new); accounts {', '.join(users)} and admin, "
                f"password '{DEMO_PASSWORD}'."
            )
        )

    def create_teams(self) -> list[Team]:
        pirkanmaa, _ = Organisation.objects.get_or_create(name="Pirkanmaan hyvinvointialue")
        pohjois_savo, _ = Organisation.objects.get_or_create(name="Pohjois-Savon hyvinvointialue")
        team1, _ = Team.objects.get_or_create(organisation=pirkanmaa, name="IPS-tiimi Tampere")
        team2, _ = Team.objects.get_or_create(organisation=pohjois_savo, name="IPS-tiimi Kuopio")
        return [team1, team2]

    def create_accounts(self, teams: list[Team]) -> dict[str, User]:
        users = {}
        for username, first, last, role, team_index, team_role in ACCOUNTS:
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "role": role, "is_active": True},
            )
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            if team_index is not None:
                Membership.objects.update_or_create(
                    user=user, team=teams[team_index], defaults={"role": team_role}
                )
            users[username] = user
        admin, _ = User.objects.update_or_create(
            username="admin",
            defaults={
                "first_name": "Aki",
                "last_name": "Ylläpitäjä",
                "role": User.Role.ADMIN,
                "is_staff": True,
                "is_superuser": True,
            },
        )
        admin.set_password(DEMO_PASSWORD)
        admin.save(update_fields=["password"])
        return users

    def create_clients(self, teams: list[Team], users: dict[str, User]) -> int:
        if Episode.objects.filter(team__in=teams).exists():
            return 0
        rng = random.Random(20251111)
        today = timezone.localdate()
        groups = list(TargetGroup.objects.all())
        coaches = [
            (users["coach1"], teams[0]),
            (users["coach2"], teams[0]),
            (users["coach3"], teams[1]),
        ]
        municipalities = {
            teams[0]: ["Tampere", "Nokia", "Ylöjärvi"],
            teams[1]: ["Kuopio", "Siilinjärvi"],
        }
        used_names: set[tuple[str, str]] = set()
        for index in range(40):
            coach, team = coaches[index % 3]
            while True:
                name = (rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))
                if name not in used_names:
                    used_names.add(name)
                    break
            birth = datetime.date(rng.randint(1965, 2004), rng.randint(1, 12), rng.randint(1, 28))
            client = Client.objects.create(
                first_name=name[0],
                last_name=name[1],
                personal_identity_code=demo_pic(rng, birth) if index % 4 else "",
                birth_year=birth.year,
                gender=rng.choice([Client.Gender.FEMALE, Client.Gender.MALE, Client.Gender.FEMALE]),
                phone=f"040 {rng.randint(1000000, 9999999)}",
                municipality=rng.choice(municipalities[team]),
            )
            referral = today - datetime.timedelta(days=rng.randint(5, 560))
            accepted = referral + datetime.timedelta(days=rng.randint(0, 14))
            if accepted > today:
                accepted = None
            discharged = None
            if accepted and index % 7 == 0 and (today - accepted).days > 120:
                discharged = accepted + datetime.timedelta(
                    days=rng.randint(60, (today - accepted).days)
                )
            episode = Episode.objects.create(
                client=client,
                team=team,
                coach=coach,
                referral_date=referral,
                referral_source=rng.choice(Episode.ReferralSource.values),
                accepted_date=accepted,
                career_profile_start=(
                    min(accepted + datetime.timedelta(days=rng.randint(0, 10)), today)
                    if accepted
                    else None
                ),
                employment_status_at_entry=rng.choices(
                    Episode.EmploymentStatus.values, weights=[8, 1, 1]
                )[0],
                discharge_date=discharged,
                discharge_reason=(
                    rng.choice(Episode.DischargeReason.values[:3]) if discharged else ""
                ),
            )
            episode.target_groups.set(rng.sample(groups, k=rng.randint(1, 2)))
            if accepted:
                self.add_history(rng, episode, coach, accepted, discharged or today)
        return 40

    def add_history(self, rng, episode, coach, start, end) -> None:
        contacts = []
        day = start
        while day <= end:
            contacts.append(
                Contact(
                    episode=episode,
                    date=day,
                    minutes=rng.choice([15, 30, 45, 60, 90]),
                    mode=rng.choices(Contact.Mode.values, weights=[6, 2, 1, 1])[0],
                    setting=rng.choices(Contact.Setting.values, weights=[6, 3, 1])[0],
                    purpose=rng.choice(Contact.Purpose.values),
                    note="",
                    recorded_by=coach,
                )
            )
            day += datetime.timedelta(days=rng.randint(4, 16))
        Contact.objects.bulk_create(contacts)
        CareerProfileVersion.objects.create(
            client=episode.client,
            version=1,
            job_preferences=rng.choice(PREFERENCES),
            work_history="Aiempaa kokemusta kaupan alalta ja kesätöistä.",
            education=rng.choice(["Peruskoulu", "Ammatillinen perustutkinto", "Ylioppilas"]),
            skills="Täsmällinen, hyvä asiakaspalveluasenne.",
            strengths="Sitoutunut, haluaa oppia uutta.",
            supports_wanted="Tukea työhaastatteluihin ja työn aloitukseen.",
            disclosure_preference=rng.choice(CareerProfileVersion.Disclosure.values),
            created_at=timezone.make_aware(datetime.datetime.combine(start, datetime.time(10))),
            created_by=coach,
        )

    def create_job_development(self, teams: list[Team], users: dict[str, User]) -> None:
        """Employers, 8 weeks of employer contacts per coach, jobs (ended ones and a work
        trial), education and follow-along contacts, so the weekly pages show real figures."""
        if Employer.objects.filter(organisation__in=[t.organisation for t in teams]).exists():
            return
        rng = random.Random(20260811)
        today = timezone.localdate()
        employers = {team.pk: [] for team in teams}
        for index, (name, business_id, industry, _title, _isco) in enumerate(EMPLOYERS):
            team = teams[index % 2]
            employer = Employer.objects.create(
                organisation=team.organisation,
                name=name,
                business_id=business_id,
                industry=industry,
                municipality="Tampere" if team == teams[0] else "Kuopio",
            )
            EmployerContactPerson.objects.create(
                employer=employer,
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                title="Esihenkilö",
                phone=f"050 {rng.randint(1000000, 9999999)}",
            )
            employers[team.pk].append((employer, _title, _isco))

        for username, team in (("coach1", teams[0]), ("coach2", teams[0]), ("coach3", teams[1])):
            coach = users[username]
            caseload = list(
                Client.objects.filter(episodes__coach=coach, episodes__discharge_date__isnull=True)
            )
            for weeks_ago in range(8):
                monday = week_start(today) - datetime.timedelta(weeks=weeks_ago)
                for _ in range(rng.randint(3, 8)):
                    day = monday + datetime.timedelta(days=rng.randint(0, 4))
                    if day > today:
                        continue
                    employer, _title, _isco = rng.choice(employers[team.pk])
                    specific = caseload and rng.random() < 0.6
                    contact = EmployerContact.objects.create(
                        date=day,
                        coach=coach,
                        team=team,
                        employer=employer,
                        face_to_face=rng.random() < 0.8,
                        kind=EmployerContact.Kind.CLIENT_SPECIFIC
                        if specific
                        else EmployerContact.Kind.GENERAL,
                        purpose=rng.choice(EmployerContact.Purpose.values),
                        matched_preferences=(rng.random() < 0.85) if specific else None,
                        outcome=rng.choice(
                            [
                                "Soitto ensi viikolla",
                                "Työhaastattelu sovittu",
                                "Ei avoimia paikkoja nyt",
                                "Tutustumiskäynti",
                            ]
                        ),
                    )
                    if specific:
                        contact.clients.set(rng.sample(caseload, k=1))

            active = list(
                Episode.objects.filter(
                    coach=coach, discharge_date__isnull=True, accepted_date__isnull=False
                ).order_by("accepted_date")
            )
            for number, episode in enumerate(active[:8]):
                employer, title, isco = rng.choice(employers[team.pk])
                start = episode.accepted_date + datetime.timedelta(days=rng.randint(15, 150))
                start = min(start, today - datetime.timedelta(days=2))
                ended = number in (3, 6)
                job = JobStart.objects.create(
                    episode=episode,
                    employer=employer,
                    job_title=title,
                    occupation_id=isco,
                    activity=(
                        JobStart.Activity.WORK_TRIAL if number == 4 else JobStart.Activity.JOB
                    ),
                    start_date=start,
                    first_paid_day=start,
                    hours_per_week=rng.choice([10, 16, 20, 25, 30, 37.5]),
                    hourly_wage=None if number == 4 else rng.choice([11.5, 12.8, 13.9, 15.2]),
                    permanence=rng.choice(JobStart.Permanence.values),
                    wage_subsidy=rng.random() < 0.3,
                    found_by=rng.choice(JobStart.FoundBy.values),
                    matches_profile=rng.random() < 0.8,
                    disclosed=rng.random() < 0.5,
                    end_date=min(start + datetime.timedelta(days=rng.randint(20, 120)), today)
                    if ended
                    else None,
                    end_reason=JobStart.EndReason.CONTRACT_ENDED if ended else "",
                    created_by=coach,
                )
                support_days = [
                    start - datetime.timedelta(days=3),
                    start + datetime.timedelta(days=2),
                ]
                support_days += [start + datetime.timedelta(days=d) for d in (9, 16)]
                Contact.objects.bulk_create(
                    Contact(
                        episode=episode,
                        job=job,
                        date=day,
                        minutes=30,
                        mode=Contact.Mode.FACE_TO_FACE,
                        setting=Contact.Setting.COMMUNITY,
                        purpose=Contact.Purpose.FOLLOW_ALONG,
                        recorded_by=coach,
                    )
                    for day in support_days
                    if episode.referral_date <= day <= today and rng.random() < 0.8
                )
            if active:
                EducationStart.objects.create(
                    episode=active[-1],
                    programme="Liiketalouden perustutkinto",
                    institution="Tredu" if team == teams[0] else "Savon ammattiopisto",
                    start_date=today - datetime.timedelta(days=40),
                    created_by=coach,
                )
        from outcomes.models import EvaluationGrant

        for team in teams:
            EvaluationGrant.objects.get_or_create(
                evaluator=users["evaluator1"], organisation=team.organisation
            )
        EmployerContactReview.objects.create(
            team=teams[0],
            week_start=week_start(today) - datetime.timedelta(weeks=1),
            reviewed_by=users["lead1"],
            note="Hyvä viikko.",
        )

    def create_fidelity_reviews(self, teams: list[Team], users: dict[str, User]) -> None:
        """Two finalised reviews of team 1 (so the trend shows) and one in progress."""
        from fidelity import services as fidelity
        from fidelity.models import Review
        from fidelity.services import RatingInput

        if Review.objects.filter(team=teams[0]).exists():
            return
        rng = random.Random(2019)
        today = timezone.localdate()
        reviewers = [users["reviewer1"], users["reviewer2"]]
        periods = [
            (today - datetime.timedelta(days=540), today - datetime.timedelta(days=360), 3),
            (today - datetime.timedelta(days=359), today - datetime.timedelta(days=180), 4),
            (today - datetime.timedelta(days=179), today - datetime.timedelta(days=1), None),
        ]
        for start, end, level in periods:
            review = fidelity.create_review(
                team=teams[0],
                period_start=start,
                period_end=end,
                reviewers=reviewers,
                created_by=users["lead1"],
                scale_id="ips25-2019",
            )
            base = level or 4
            scores = {n: max(1, min(5, base + rng.choice([-1, 0, 0, 1]))) for n in range(1, 26)}
            own = {
                n: RatingInput(score, "Haastattelut ja kirjaukset tukevat arviota.")
                for n, score in scores.items()
            }
            fidelity.save_own_ratings(
                review=review, reviewer=reviewers[0], ratings=own, submit=True
            )
            if level is None:
                continue  # in progress: the second reviewer is still scoring
            other = dict(own)
            other[7] = RatingInput(max(1, scores[7] - 1), "Varahenkilöjärjestely puuttuu.")
            fidelity.save_own_ratings(
                review=review, reviewer=reviewers[1], ratings=other, submit=True
            )
            fidelity.save_consensus(review=review, ratings=own, expected_revision=0)
            review.refresh_from_db()
            fidelity.save_report(
                review=review,
                strengths="Tiivis työnantajayhteistyö ja nopea työnhaun aloitus.",
                recommendations="Viikoittainen ryhmätyönohjaus ja varahenkilöjärjestely.",
                expected_revision=review.revision,
            )
            review.actions.create(
                item=7,
                action="Aloitetaan viikoittaiset tiimipalaverit",
                owner="Marja Esihenkilö",
                due_date=end + datetime.timedelta(days=60),
            )
            fidelity.finalise(review=review)
