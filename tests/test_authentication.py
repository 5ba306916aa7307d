"""Two-factor authentication, login throttling, session timeouts and active sessions."""

import time

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ips.middleware import SESSION_LAST_SEEN, SESSION_STARTED
from ips.models import UserSession

from .conftest import login
from .factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def _password_login(username):
    http = HttpClient(headers={"accept-language": "en"})
    response = http.post(reverse("login"), {"username": username, "password": PASSWORD})
    return http, response


def test_without_a_device_login_leads_to_enrolment(owner):
    http, response = _password_login("owner")

    assert response.status_code == 302
    page = http.get(reverse("caseload"))
    assert page.status_code == 302
    assert page.url.startswith(reverse("two-factor-setup"))


def test_enrolment_confirms_the_app_and_gives_backup_codes(owner):
    http, _ = _password_login("owner")
    http.get(reverse("two-factor-setup"))
    device = TOTPDevice.objects.get(user=owner, confirmed=False)
    code = f"{TOTP(device.bin_key).token():06d}"

    response = http.post(reverse("two-factor-setup"), {"token": code})

    device.refresh_from_db()
    assert device.confirmed
    assert len(response.context["codes"]) == 10
    assert StaticToken.objects.filter(device__user=owner).count() == 10
    assert http.get(reverse("caseload")).status_code == 200


def test_with_a_device_login_asks_for_a_code_and_a_backup_code_works_once(owner):
    device = StaticDevice.objects.create(user=owner, name="backup")
    device.token_set.create(token="abcd1234")
    http, _ = _password_login("owner")

    assert http.get(reverse("caseload")).url.startswith(reverse("two-factor-verify"))
    right = http.post(reverse("two-factor-verify"), {"token": "abcd1234", "next": "/clients/"})

    assert right.url == "/clients/"
    assert StaticToken.objects.filter(device=device).count() == 0


def test_a_wrong_code_is_refused_and_throttles_the_next_try(owner):
    device = StaticDevice.objects.create(user=owner, name="backup")
    device.token_set.create(token="abcd1234")
    http, _ = _password_login("owner")

    wrong = http.post(reverse("two-factor-verify"), {"token": "00000000"})
    right_too_soon = http.post(reverse("two-factor-verify"), {"token": "abcd1234"})

    assert wrong.context["form"].errors["token"] == ["The code is not valid."]
    assert right_too_soon.status_code == 200  # django-otp's back-off refuses it for now
    assert http.get(reverse("caseload")).status_code == 302


def test_verify_never_redirects_off_site(owner):
    device = StaticDevice.objects.create(user=owner, name="backup")
    device.token_set.create(token="abcd1234")
    http, _ = _password_login("owner")

    response = http.post(
        reverse("two-factor-verify"), {"token": "abcd1234", "next": "https://evil.example/"}
    )

    assert response.url == "/"


def test_the_admin_site_requires_the_second_factor(admin_user):
    http = HttpClient()
    http.force_login(admin_user)

    response = http.get("/admin/")

    assert response.status_code == 302
    assert response.url.startswith(reverse("two-factor-setup"))
    assert login(admin_user).get("/admin/").status_code == 200


def test_demo_accounts_may_skip_the_second_factor_only_in_demo_mode(settings):
    demo = UserFactory(username="coach1")
    real = UserFactory(username="realcoach")
    settings.DEMO_MODE = True

    for user in (demo, real):
        http = HttpClient()
        http.force_login(user)
        response = http.get(reverse("home"))
        if user is demo:
            assert not response.url.startswith("/account/2fa/")
        else:
            assert response.url.startswith("/account/2fa/")
    settings.DEMO_MODE = False
    http = HttpClient()
    http.force_login(demo)
    assert http.get(reverse("home")).url.startswith("/account/2fa/")


def test_five_failed_logins_lock_the_username_from_that_address(owner):
    http = HttpClient()
    for _ in range(5):
        http.post(reverse("login"), {"username": "owner", "password": "wrong"})

    locked = http.post(reverse("login"), {"username": "owner", "password": PASSWORD})
    other = HttpClient(REMOTE_ADDR="10.9.9.9").post(
        reverse("login"), {"username": "owner", "password": PASSWORD}
    )

    assert locked.status_code == 429
    assert other.status_code == 302  # another address is not locked out


def test_idle_session_ends(owner, settings):
    http = login(owner)
    session = http.session
    session[SESSION_LAST_SEEN] = time.time() - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()

    response = http.get(reverse("caseload"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_absolute_session_lifetime(owner, settings):
    http = login(owner)
    session = http.session
    session[SESSION_STARTED] = time.time() - settings.SESSION_ABSOLUTE_TIMEOUT - 5
    session[SESSION_LAST_SEEN] = time.time()
    session.save()

    response = http.get(reverse("caseload"))

    assert response.url.startswith(reverse("login"))


def test_user_sees_and_ends_other_sessions(owner):
    phone, laptop = login(owner), login(owner)
    phone.get(reverse("account"))
    laptop.get(reverse("account"))
    phone_key = phone.session.session_key

    page = laptop.get(reverse("account"))
    laptop.post(reverse("account"), {"session": phone_key})

    assert {s.session_key for s in page.context["sessions"]} == {
        phone_key,
        laptop.session.session_key,
    }
    assert phone.get(reverse("caseload")).status_code == 302
    assert laptop.get(reverse("caseload")).status_code == 200


def test_a_user_cannot_end_someone_elses_session(owner, colleague):
    theirs = login(colleague)
    theirs.get(reverse("account"))

    login(owner).post(reverse("account"), {"session": theirs.session.session_key})

    assert theirs.get(reverse("caseload")).status_code == 200


def test_password_change_ends_the_other_sessions(owner):
    other, current = login(owner), login(owner)
    other.get(reverse("account"))
    current.get(reverse("account"))

    response = current.post(
        reverse("password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a much longer passphrase 42",
            "new_password2": "a much longer passphrase 42",
        },
    )

    assert response.url == reverse("account")
    assert current.get(reverse("caseload")).status_code == 200
    assert other.get(reverse("caseload")).status_code == 302
    assert UserSession.objects.filter(user=owner).count() == 1


def test_deactivated_account_loses_its_sessions(owner):
    http = login(owner)
    owner.is_active = False
    owner.save()

    assert http.get(reverse("caseload")).status_code == 302


@pytest.mark.parametrize("password", ["short", "password1234"])
def test_weak_passwords_are_refused(owner, password):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password(password, owner)
