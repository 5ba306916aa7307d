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

from ips.models import (
    CareerProfileVersion,
    Client,
    Contact,
    Episode,
    Membership,
    Organisation,
    TargetGroup,
    Team,
    User,
)
from ips.validators import pic_check_character

DEMO_PASSWORD = "demo"

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
    ("evaluator1", "Tuula", "Tutkija", User.Role.EVALUATOR, None, None),
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
            referral = today - datetime.timedelta(days=rng.randint(5, 365))
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
