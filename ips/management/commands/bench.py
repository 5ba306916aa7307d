"""Benchmark: seed a national-scale dataset and time the main pages and the export.

    make bench                      # --scale 0.1 on SQLite (bench/bench.sqlite3)
    .venv/bin/python manage.py bench --scale 1 --repeat 5

Scale 1 is the target deployment: 20,000 clients, 400,000 contacts, 100,000 employer
contacts and 60,000 job starts, with hundreds of staff. Seeding uses bulk inserts. Each page
is requested ``--repeat`` times through Django's test client (server time, no network) and the
median and maximum time and the query count are printed and written as JSON to
``bench/results/``. The whole-country anonymised export is built 3–5 times, each run followed
by a raw SQL dump of the same columns, and the medians are compared ("distance to the
limit"); one more, traced run gives its peak memory. ``ANALYZE`` runs before measuring, as
autovacuum would on a live database. The load average is printed and saved with the results:
timings from a busy machine are noise (see ``docs/performance.md``). The command refuses to
run on a database whose name does not contain "bench", so it never touches real data.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ips.models import (
    Client,
    Contact,
    Employer,
    EmployerContact,
    Episode,
    JobStart,
    Membership,
    Organisation,
    Team,
    User,
)

FULL = {"clients": 20_000, "contacts": 400_000, "employer_contacts": 100_000, "jobs": 60_000}
COACHES_PER_TEAM, CLIENTS_PER_COACH = 8, 20
BATCH = 5_000


class Command(BaseCommand):
    help = "Seed a large dataset into a bench database and print timings and query counts."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=0.1)
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--reseed", action="store_true", help="drop and seed again")

    def handle(self, *args, scale: float, repeat: int, reseed: bool, **options):
        name = str(settings.DATABASES["default"]["NAME"])
        if "bench" not in name:
            raise CommandError(
                f"Refusing to run on database {name!r}: its name must contain 'bench'. "
                "Use `make bench`, which points DATABASE_URL at bench/bench.sqlite3."
            )
        call_command("migrate", verbosity=0)
        if reseed or not Client.objects.exists():
            if reseed:
                self._wipe()
            self.seed(scale)
        self._analyze()
        results = self.measure(repeat)
        self.report(results, scale, repeat)

    # --- seeding ---------------------------------------------------------------------------

    def _progress(self, label: str, done: int, total: int) -> None:
        width = 30
        filled = int(width * done / max(total, 1))
        sys.stdout.write(f"\r  {label:<20} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        sys.stdout.flush()
        if done >= total:
            sys.stdout.write("\n")

    def _bulk(self, label: str, model, rows, total: int) -> list:
        created, batch = [], []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                created += model.objects.bulk_create(batch)
                batch = []
                self._progress(label, len(created), total)
        if batch:
            created += model.objects.bulk_create(batch)
        self._progress(label, len(created), total)
        return created

    def _wipe(self) -> None:
        """Empty the bench database, then reload the reference data migrations ship."""
        import importlib

        from django.apps import apps

        call_command("flush", interactive=False, verbosity=0)
        for module in ("ips.migrations.0003_target_groups", "ips.migrations.0006_isco08"):
            migration = importlib.import_module(module)
            (getattr(migration, "add_groups", None) or migration.load)(apps, None)

    @transaction.atomic
    def seed(self, scale: float) -> None:
        rng = random.Random(8)
        today = timezone.localdate()
        counts = {key: max(1, int(value * scale)) for key, value in FULL.items()}
        self.stdout.write(f"Seeding at scale {scale}: {counts}")
        started = time.perf_counter()
        n_coaches = max(2, counts["clients"] // CLIENTS_PER_COACH)
        n_teams = max(1, n_coaches // COACHES_PER_TEAM)
        organisations = [
            Organisation.objects.get_or_create(name=f"Bench hyvinvointialue {i}")[0]
            for i in range(21)
        ]
        teams = Team.objects.bulk_create(
            Team(organisation=organisations[i % 21], name=f"Bench team {i}") for i in range(n_teams)
        )
        password = User().password  # unusable; bench users log in with force_login
        coaches = User.objects.bulk_create(
            User(username=f"bench-coach-{i}", role=User.Role.COACH, password=password)
            for i in range(n_coaches)
        )
        leads = User.objects.bulk_create(
            User(username=f"bench-lead-{i}", role=User.Role.LEAD, password=password)
            for i in range(n_teams)
        )
        Membership.objects.bulk_create(
            [Membership(user=c, team=teams[i % n_teams]) for i, c in enumerate(coaches)]
            + [Membership(user=lead, team=teams[i], role="lead") for i, lead in enumerate(leads)]
        )
        User.objects.get_or_create(
            username="bench-admin", defaults={"role": User.Role.ADMIN, "is_superuser": True}
        )
        clients = self._bulk(
            "clients",
            Client,
            (
                Client(
                    first_name=f"Etu{i}",
                    last_name=f"Suku{i}",
                    birth_year=rng.randint(1960, 2005),
                    gender=rng.choice(["female", "male"]),
                )
                for i in range(counts["clients"])
            ),
            counts["clients"],
        )
        team_of = {c.pk: teams[i % n_teams] for i, c in enumerate(coaches)}

        def episode(i, client):
            coach = coaches[i % n_coaches]
            referral = today - datetime.timedelta(days=rng.randint(30, 1500))
            discharged = rng.random() < 0.3
            return Episode(
                client=client,
                team=team_of[coach.pk],
                coach=coach,
                referral_date=referral,
                referral_source="mental_health",
                accepted_date=referral + datetime.timedelta(days=3),
                employment_status_at_entry=rng.choice(["out_of_work"] * 8 + ["in_work_at_risk"]),
                discharge_date=(referral + datetime.timedelta(days=200)) if discharged else None,
                discharge_reason="goals_met" if discharged else "",
            )

        episodes = self._bulk(
            "episodes", Episode, (episode(i, c) for i, c in enumerate(clients)), len(clients)
        )
        self._bulk(
            "contacts",
            Contact,
            (
                Contact(
                    episode=(e := episodes[rng.randrange(len(episodes))]),
                    date=e.accepted_date + datetime.timedelta(days=rng.randint(0, 190)),
                    minutes=rng.choice([15, 30, 45, 60]),
                    mode=rng.choice(["face_to_face", "phone"]),
                    setting=rng.choice(["community", "office"]),
                    purpose="job_search",
                    recorded_by_id=e.coach_id,
                )
                for _ in range(counts["contacts"])
            ),
            counts["contacts"],
        )
        employers = self._bulk(
            "employers",
            Employer,
            (
                Employer(organisation=organisations[i % 21], name=f"Bench Oy {i}")
                for i in range(max(10, counts["jobs"] // 6))
            ),
            max(10, counts["jobs"] // 6),
        )
        employer_contacts = self._bulk(
            "employer contacts",
            EmployerContact,
            (
                EmployerContact(
                    date=today - datetime.timedelta(days=rng.randint(0, 365)),
                    coach=(coach := coaches[rng.randrange(n_coaches)]),
                    team=team_of[coach.pk],
                    employer=employers[rng.randrange(len(employers))],
                    face_to_face=rng.random() < 0.8,
                    kind="general",
                    purpose="learn_needs",
                )
                for _ in range(counts["employer_contacts"])
            ),
            counts["employer_contacts"],
        )
        through = EmployerContact.clients.through
        self._bulk(
            "contact clients",
            through,
            (
                through(
                    employercontact_id=ec.pk,
                    client_id=episodes[rng.randrange(len(episodes))].client_id,
                )
                for ec in employer_contacts[: len(employer_contacts) // 2]
            ),
            len(employer_contacts) // 2,
        )
        self._bulk(
            "jobs",
            JobStart,
            (
                JobStart(
                    episode=(e := episodes[rng.randrange(len(episodes))]),
                    employer=employers[rng.randrange(len(employers))],
                    job_title="Työntekijä",
                    occupation_id=rng.choice(["52", "91", "93", "94", "83", "41"]),
                    start_date=e.accepted_date + datetime.timedelta(days=rng.randint(10, 150)),
                    hours_per_week=rng.choice([10, 20, 30, 37.5]),
                    hourly_wage=13,
                    found_by="coach",
                    created_by_id=e.coach_id,
                )
                for _ in range(counts["jobs"])
            ),
            counts["jobs"],
        )
        self.stdout.write(f"Seeded in {time.perf_counter() - started:.1f} s")

    def _analyze(self) -> None:
        """Refresh the planner's statistics, as autovacuum (PostgreSQL) or a periodic
        ``ANALYZE``/``PRAGMA optimize`` (SQLite) would on a live database: after a bulk load
        the planner otherwise guesses row counts and picks plans no production database uses
        (on PostgreSQL, with autovacuum off, it estimated 36 open episodes of 14,028)."""
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"ANALYZE in {time.perf_counter() - started:.1f} s")

    # --- measuring -------------------------------------------------------------------------

    def _time(self, http: HttpClient, url: str, repeat: int, **params) -> dict:
        timings, queries = [], []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as context:
                started = time.perf_counter()
                response = http.get(url, params)
                timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
            queries.append(len(context))
        return {
            "median_ms": round(statistics.median(timings), 1),
            "max_ms": round(max(timings), 1),
            "queries": queries[-1],
        }

    def _client(self, user: User) -> HttpClient:
        """A test client signed in as ``user``, past the second factor (a backup device)."""
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_static.models import StaticDevice

        http = HttpClient()
        http.force_login(user)
        device, _created = StaticDevice.objects.get_or_create(user=user, name="bench")
        session = http.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return http

    def measure(self, repeat: int) -> dict:
        from fidelity import services as fidelity
        from outcomes.exports import ExportParameters, build_export

        settings.DEBUG = False
        coach = User.objects.filter(role=User.Role.COACH, episodes__isnull=False).first()
        lead = User.objects.filter(role=User.Role.LEAD, username__startswith="bench-").first()
        team = Team.objects.filter(memberships__user=lead).first()
        admin = User.objects.get(username="bench-admin")
        client_id = Episode.objects.filter(coach=coach).values_list("client_id", flat=True).first()
        reviewers = [
            User.objects.get_or_create(username=f"bench-reviewer-{i}", role=User.Role.REVIEWER)[0]
            for i in (1, 2)
        ]
        today = timezone.localdate()
        review = fidelity.create_review(
            team=team,
            period_start=today - datetime.timedelta(days=182),
            period_end=today,
            reviewers=reviewers,
            created_by=lead,
            scale_id="ips25-2019",
        )
        as_coach, as_lead, as_admin, as_reviewer = (
            self._client(user) for user in (coach, lead, admin, reviewers[0])
        )
        results = {
            "caseload list": self._time(as_lead, reverse("caseload"), repeat),
            "caseload filtered": self._time(
                as_lead, reverse("caseload"), repeat, q="Suku1", status="all"
            ),
            "client detail": self._time(
                as_coach, reverse("client-detail", args=[client_id]), repeat
            ),
            "coach's week": self._time(as_coach, reverse("coach-week"), repeat),
            "lead's week": self._time(as_lead, reverse("team-week"), repeat),
            "evidence pack": self._time(
                as_reviewer, reverse("review-evidence", args=[review.pk]), repeat
            ),
            "fidelity PDF": self._time(as_lead, reverse("review-pdf", args=[review.pk]), repeat),
            "dashboard one team": self._time(as_lead, reverse("outcomes-dashboard"), repeat),
            "dashboard country": self._time(as_admin, reverse("outcomes-dashboard"), repeat),
        }
        params = ExportParameters(
            user=admin,
            teams=list(Team.objects.all()),
            start=today - datetime.timedelta(days=1500),
            end=today,
        )
        ours, raw, cpu = [], [], []
        for _ in range(max(3, min(repeat, 5))):  # alternate, so load hits both alike
            started, started_cpu = time.perf_counter(), time.process_time()
            export = build_export(params)
            ours.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            raw.append(self._raw_dump())
        ours_median, raw_median = statistics.median(ours), statistics.median(raw)
        results["anonymised export (all)"] = {
            "median_ms": round(ours_median * 1000, 1),
            "max_ms": round(max(ours) * 1000, 1),
            "queries": None,
            "rows": export.person_rows + export.job_rows,
            "zip_bytes": len(export.content),
            "python_cpu_ms": round(statistics.median(cpu) * 1000, 1),
            "raw_sql_dump_ms": round(raw_median * 1000, 1),
            "distance_to_limit": round(ours_median / raw_median, 1) if raw_median else None,
            "peak_memory_mb": self._peak_memory(build_export, params),
        }
        review.assignments.all().delete()
        return results

    def _peak_memory(self, function, *args) -> float:
        """Peak memory allocated while ``function`` runs, in MB, traced by ``tracemalloc``
        (Python objects and NumPy/pandas buffers, which report to it). A separate, untimed
        run: tracing slows the code down."""
        import gc
        import tracemalloc

        gc.collect()
        tracemalloc.start()
        try:
            function(*args)
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        return round(peak / 2**20, 1)

    def _raw_dump(self) -> float:
        """A raw SQL dump of the same columns to CSV: the floor for the export."""
        started = time.perf_counter()
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT e.id, c.birth_year, c.gender, o.name, e.accepted_date, "
                "e.employment_status_at_entry, e.discharge_date, e.discharge_reason "
                "FROM ips_episode e JOIN ips_client c ON c.id = e.client_id "
                "JOIN ips_team t ON t.id = e.team_id "
                "JOIN ips_organisation o ON o.id = t.organisation_id"
            )
            writer.writerows(cursor.fetchall())
            cursor.execute(
                "SELECT episode_id, activity, is_competitive, permanence, wage_subsidy, "
                "occupation_id, hours_per_week, found_by, start_date, end_date FROM ips_jobstart"
            )
            writer.writerows(cursor.fetchall())
        return time.perf_counter() - started

    @staticmethod
    def _load() -> list[float] | None:
        """The 1, 5 and 15-minute load averages: timings taken on a busy machine are noise."""
        try:
            return [round(value, 2) for value in os.getloadavg()]
        except (AttributeError, OSError):
            return None

    def report(self, results: dict, scale: float, repeat: int) -> None:
        self.stdout.write(f"\n{'what':<26}{'median ms':>11}{'max ms':>10}{'queries':>9}")
        for what, row in results.items():
            queries = "" if row["queries"] is None else row["queries"]
            self.stdout.write(f"{what:<26}{row['median_ms']:>11}{row['max_ms']:>10}{queries:>9}")
        export = results["anonymised export (all)"]
        self.stdout.write(
            f"\nexport: {export['rows']} rows, {export['zip_bytes'] / 2**20:.1f} MB zip; "
            f"raw SQL dump {export['raw_sql_dump_ms']} ms; "
            f"distance to the limit {export['distance_to_limit']}×; "
            f"peak memory {export['peak_memory_mb']} MB (tracemalloc)"
        )
        self.stdout.write(f"load average at the end: {self._load()}")
        folder = Path(settings.BASE_DIR) / "bench" / "results"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
        path = folder / f"{stamp}-{connection.vendor}-scale{scale}.json"
        path.write_text(
            json.dumps(
                {
                    "scale": scale,
                    "repeat": repeat,
                    "database": connection.vendor,
                    "python": platform.python_version(),
                    "load_average": self._load(),
                    "results": results,
                    "counts": {
                        "clients": Client.objects.count(),
                        "contacts": Contact.objects.count(),
                        "employer_contacts": EmployerContact.objects.count(),
                        "jobs": JobStart.objects.count(),
                    },
                },
                indent=2,
            )
        )
        self.stdout.write(f"Written to {path.relative_to(settings.BASE_DIR)}")
