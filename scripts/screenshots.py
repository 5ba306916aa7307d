"""Screenshots of the main pages for the README, taken from the demo data in a real browser.

    make screenshots                    # English, into docs/screenshots/
    .venv/bin/python scripts/screenshots.py --language fi --output /tmp/shots

Migrates a throwaway SQLite database, loads the demo data (``seed_demo``), starts the
development server on a free port of 127.0.0.1, logs in as the demo accounts (password "demo";
with DEMO_MODE on they skip the second factor) in Debian's Chromium driven by Playwright, and
saves one 1280 x 800 PNG per page, reduced to a palette so each stays small.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHROMIUM = Path(os.environ.get("IPS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 800}
MAX_BYTES = 250_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_for(url: str, server: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the development server stopped (exit code {server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the development server did not answer at {url}")


def demo_ids() -> dict[str, int]:
    """Ids of the demo records the pages need, read from the throwaway database."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ips.settings")
    django.setup()
    from fidelity.models import Review
    from ips.models import Episode, User

    coach = User.objects.get(username="coach1")
    episode = (
        Episode.objects.filter(coach=coach, discharge_date__isnull=True, jobs__isnull=False)
        .order_by("client__last_name", "pk")
        .first()
    ) or Episode.objects.filter(coach=coach).order_by("pk").first()
    reviews = Review.objects.filter(team__memberships__user__username="lead1").distinct()
    in_progress = reviews.filter(finalised_at__isnull=True).order_by("-period_end").first()
    finalised = reviews.filter(finalised_at__isnull=False).order_by("-period_end").first()
    return {
        "client": episode.client_id,
        "scoring": in_progress.pk,
        "consensus": finalised.pk,
    }


def pages(ids: dict[str, int]) -> dict[str, list[tuple[str, str]]]:
    """Demo account ("" = signed out) → [(file name, URL)]."""
    client = ids["client"]
    return {
        "": [("01-login", "/login/")],
        "coach1": [
            ("02-coach-week", "/"),
            ("03-caseload", "/clients/"),
            ("04-client", f"/clients/{client}/"),
            ("05-contact", f"/clients/{client}/contacts/new/"),
            ("06-employer-contact", "/employer-contacts/new/"),
            ("07-job-start", f"/clients/{client}/jobs/new/"),
        ],
        "lead1": [("08-team-week", "/team/week/")],
        "reviewer2": [("09-fidelity-scoring", f"/fidelity/{ids['scoring']}/score/")],
        "reviewer1": [("10-fidelity-consensus", f"/fidelity/{ids['consensus']}/consensus/")],
        "evaluator1": [
            ("11-outcomes", "/outcomes/"),
            ("12-export", "/outcomes/export/"),
        ],
    }


def optimise(path: Path) -> int:
    """Reduce the PNG to a 256-colour palette (screens are flat colours and text)."""
    from PIL import Image

    with Image.open(path) as image:
        reduced = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        reduced.save(path, optimize=True)
    return path.stat().st_size


def shoot(base_url: str, output: Path, language: str, ids: dict[str, int]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        for username, shots in pages(ids).items():
            context = browser.new_context(
                base_url=base_url,
                viewport=VIEWPORT,
                locale={"fi": "fi-FI", "sv": "sv-FI"}.get(language, "en-GB"),
                extra_http_headers={"Accept-Language": language},
            )
            page = context.new_page()
            if username:
                page.goto("/login/")
                page.locator("input[name=username]").fill(username)
                page.locator("input[name=password]").fill("demo")
                page.locator("main form button[type=submit]").click()
                page.wait_for_load_state("networkidle")
                if "/login/" in page.url:
                    raise SystemExit(f"could not log in as {username}")
            for name, url in shots:
                response = page.goto(url)
                if response is None or response.status != 200:
                    status = response.status if response else "no response"
                    raise SystemExit(f"{url} as {username or 'signed out'} answered {status}")
                page.wait_for_load_state("networkidle")
                path = output / f"{name}.png"
                page.screenshot(path=str(path))
                size = optimise(path)
                shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
                print(f"{shown}: {size} bytes")
                if size > MAX_BYTES:
                    print(f"  warning: over {MAX_BYTES} bytes", file=sys.stderr)
                saved.append(path)
            context.close()
        browser.close()
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--language", default="en", choices=["en", "fi", "sv"])
    args = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit(f"Chromium not found at {CHROMIUM}: run scripts/ensure-chromium")
    args.output.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="ips-screenshots-") as tmp:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"IPS_ENV", "DEBUG", "OTP_REQUIRED"}
        }
        env.update(
            DATABASE_URL=f"sqlite:///{Path(tmp) / 'screens.sqlite3'}",
            DEMO_MODE="1",
            DJANGO_SETTINGS_MODULE="ips.settings",
        )
        manage("migrate", "--noinput", "-v", "0", env=env)
        manage("seed_demo", env=env)
        os.environ.update(env)
        ids = demo_ids()

        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_for(base_url + "/login/", server)
            saved = shoot(base_url, args.output, args.language, ids)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"{len(saved)} screenshots in {args.output}")


if __name__ == "__main__":
    main()
