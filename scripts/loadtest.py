"""Load test: gunicorn with several workers on the bench database, 50 coaches at once.

    make bench-postgres SCALE=0.1      # seed the bench database first
    make loadtest                      # 50 coaches for 60 s against PostgreSQL

Each virtual coach logs in (password and a backup code, like a real user), then loops over
their usual pages for a bounded time: the week, the caseload, a client page, and logging a
contact with htmx. It reports requests per second, p50, p95 and the error count, and checks
that every contact it posted is in the database afterwards (no lost writes). Traffic goes to
127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CLIENT_LINK = re.compile(r'href="/clients/(\d+)/"')


def prepare(coaches: int, run_id: str) -> list[tuple[str, str]]:
    """Give the first ``coaches`` bench coaches a password and a backup code."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ips.settings")
    django.setup()
    from django.contrib.auth.hashers import make_password
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    from ips.models import User

    users = list(
        User.objects.filter(username__startswith="bench-coach-", episodes__isnull=False)
        .distinct()
        .order_by("pk")[:coaches]
    )
    if len(users) < coaches:
        raise SystemExit(f"only {len(users)} bench coaches with clients: seed a larger bench")
    password = make_password(run_id)
    User.objects.filter(pk__in=[u.pk for u in users]).update(password=password)
    credentials = []
    for user in users:
        device, _ = StaticDevice.objects.get_or_create(user=user, name="loadtest")
        token = f"lt{user.pk % 10**6:06d}"[:16]
        StaticToken.objects.get_or_create(device=device, token=token)
        credentials.append((user.username, token))
    return credentials


class Coach(threading.Thread):
    def __init__(
        self,
        base: str,
        username: str,
        password: str,
        token: str,
        until: float,
        run_id: str,
        results: dict,
    ):
        super().__init__(daemon=True)
        self.base, self.username, self.password, self.token = base, username, password, token
        self.until, self.run_id, self.results = until, run_id, results
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def request(self, path: str, data: dict | None = None, headers: dict | None = None) -> str:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        request.add_header("Referer", self.base + path)
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as response:
                text = response.read().decode()
                ok = response.status < 400
        except Exception:  # noqa: BLE001 - every failure is counted, whatever it is
            text, ok = "", False
        self.results["latencies"].append(time.perf_counter() - started)
        if not ok:
            self.results["errors"] += 1
        return text

    def login(self) -> None:
        page = self.request("/login/")
        token = CSRF.search(page).group(1)
        page = self.request(
            "/login/",
            {"csrfmiddlewaretoken": token, "username": self.username, "password": self.password},
        )
        token = CSRF.search(page).group(1)
        self.request(
            "/account/2fa/verify/",
            {"csrfmiddlewaretoken": token, "token": self.token, "next": "/week/"},
        )

    def run(self) -> None:
        try:
            self.login()
        except Exception:  # noqa: BLE001
            self.results["errors"] += 1
            return
        while time.time() < self.until:
            self.request("/week/")
            listing = self.request("/clients/")
            ids = CLIENT_LINK.findall(listing)
            if not ids:
                continue
            page = self.request(f"/clients/{ids[0]}/")
            match = CSRF.search(page)
            if match is None:
                continue
            answer = self.request(
                f"/clients/{ids[0]}/contacts/new/",
                {
                    "csrfmiddlewaretoken": match.group(1),
                    "date": time.strftime("%Y-%m-%d"),
                    "minutes": "15",
                    "mode": "phone",
                    "setting": "remote",
                    "purpose": "engagement",
                    "note": self.run_id,
                },
                {"HX-Request": "true", "HX-Target": "contact-panel"},
            )
            if self.run_id in answer:
                self.results["posted"] += 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--coaches", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    run_id = f"loadtest-{int(time.time())}"
    credentials = prepare(args.coaches, run_id)

    env = dict(os.environ, DEMO_MODE="false")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "ips.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(base + "/login/", timeout=2)
                break
            except Exception:  # noqa: BLE001 - waiting for the server to start
                time.sleep(0.2)
        results = {"latencies": [], "errors": 0, "posted": 0}
        until = time.time() + args.seconds
        coaches = [
            Coach(base, username, run_id, token, until, run_id, results)
            for username, token in credentials
        ]
        started = time.perf_counter()
        for coach in coaches:
            coach.start()
        for coach in coaches:
            coach.join(args.seconds + 60)
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(10)

    from ips.models import Contact

    stored = Contact.objects.filter(note=run_id).count()
    latencies = sorted(results["latencies"])
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else 0
    print(f"coaches {args.coaches}, workers {args.workers}, {args.seconds} s")
    print(f"requests {len(latencies)}, {len(latencies) / elapsed:.1f} req/s")
    print(f"p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    print(f"errors {results['errors']}")
    print(f"contacts posted {results['posted']}, stored {stored}")
    if results["errors"] or stored != results["posted"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
