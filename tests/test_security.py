import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from .conftest import verify_second_factor

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db


def _html_pages(as_user, owner, lead, client_record):
    yield HttpClient(headers={"accept-language": "en"}).get(reverse("login"))
    http = as_user(owner)
    yield http.get(reverse("caseload"))
    yield http.get(reverse("client-detail", args=[client_record.pk]))
    yield http.get(reverse("client-create"))
    yield http.get("/clients/999999/")
    yield as_user(lead).get(reverse("client-access-log", args=[client_record.pk]))


def test_every_html_response_carries_the_enforcing_csp(as_user, owner, lead, client_record):
    for response in _html_pages(as_user, owner, lead, client_record):
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "script-src 'self' 'nonce-" in policy
        assert "style-src 'self'" in policy
        assert "unsafe-inline" not in policy


def test_pages_have_no_inline_script_or_style(as_user, owner, lead, client_record):
    for response in _html_pages(as_user, owner, lead, client_record):
        body = response.content.decode()
        assert " style=" not in body
        assert "<style" not in body
        assert " onclick=" not in body
        for chunk in body.split("<script")[1:]:
            assert " src=" in chunk.split(">")[0]


def test_client_pages_are_not_cached(as_user, owner, client_record):
    response = as_user(owner).get(reverse("client-detail", args=[client_record.pk]))

    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "http:evil"])
def test_login_redirect_never_leaves_the_site(owner, target):
    http = HttpClient(headers={"accept-language": "en"})

    response = http.post(
        reverse("login") + f"?next={target}",
        {"username": "owner", "password": "correct horse battery", "next": target},
    )

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_forged_post_without_csrf_token_is_refused(owner, client_record):
    http = HttpClient(enforce_csrf_checks=True, headers={"accept-language": "en"})
    http.force_login(owner)
    verify_second_factor(http, owner)

    response = http.post(reverse("contact-create", args=[client_record.pk]), {"minutes": 5})

    assert response.status_code == 403


def _settings_env(**extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(extra)
    return env


def test_production_refuses_to_start_without_a_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_settings_env(IPS_ENV="production", ALLOWED_HOSTS="ips.example.fi"),
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_settings_env(IPS_ENV="production", ALLOWED_HOSTS="ips.example.fi", SECRET_KEY="short"),
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_settings_env(
            IPS_ENV="production",
            ALLOWED_HOSTS="ips.example.fi",
            SECRET_KEY="x7Gq2" * 12,
        ),
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_demo_data_cannot_be_loaded_in_production():
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"],
        cwd=ROOT,
        env=_settings_env(
            IPS_ENV="production",
            ALLOWED_HOSTS="ips.example.fi",
            SECRET_KEY="x7Gq2" * 12,
            DEMO_MODE="true",
        ),
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "DEMO_MODE cannot be on" in result.stderr


def test_production_refuses_to_run_without_two_factor():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_settings_env(
            IPS_ENV="production",
            ALLOWED_HOSTS="ips.example.fi",
            SECRET_KEY="x7Gq2" * 12,
            OTP_REQUIRED="false",
        ),
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "OTP_REQUIRED cannot be off" in result.stderr
