"""Request-wide security behaviour: no caching of staff pages, session timeouts, the second
factor, and the list of a user's active sessions."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django_htmx.http import HttpResponseClientRedirect

from .demo import DEMO_USERNAMES

SESSION_STARTED = "ips_session_started"
SESSION_LAST_SEEN = "ips_last_seen"


class NoStoreMiddleware:
    """Pages for signed-in staff may hold client data: browsers and proxies must not keep them.

    Static files are served before this runs (WhiteNoise), so they stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, max-age=0, private"
        return response


def _to_login(request: HttpRequest) -> HttpResponse:
    url = f"{reverse('login')}?next={request.path}"
    return HttpResponseClientRedirect(url) if getattr(request, "htmx", False) else redirect(url)


class SessionTimeoutMiddleware:
    """Ends a session after ``SESSION_IDLE_TIMEOUT`` seconds without requests, and in any case
    ``SESSION_ABSOLUTE_TIMEOUT`` seconds after login. Also records the session for the user's
    "active sessions" page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.setdefault(SESSION_STARTED, now)
            last_seen = session.get(SESSION_LAST_SEEN, now)
            if (
                now - last_seen > settings.SESSION_IDLE_TIMEOUT
                or now - started > settings.SESSION_ABSOLUTE_TIMEOUT
            ):
                logout(request)
                return _to_login(request)
            # Precise to a minute: the session is written at most once a minute, not per request.
            if now - last_seen >= 60 or SESSION_LAST_SEEN not in session:
                session[SESSION_LAST_SEEN] = now
                from .sessions import touch_session

                touch_session(request)
        return self.get_response(request)


def second_factor_required(user) -> bool:
    """Everyone must verify a second factor, except the demo accounts where demo data was
    loaded (DEMO_MODE, never in production)."""
    if not settings.OTP_REQUIRED:
        return False
    return not (settings.DEMO_MODE and user.get_username() in DEMO_USERNAMES)


class SecondFactorMiddleware:
    """A signed-in user who has not verified a second factor reaches only the pages that let
    them do so (and log out). Everything else, the admin site included, redirects there."""

    OPEN_PREFIXES = ("/account/2fa/", "/logout/", "/i18n/", "/static/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and second_factor_required(user)
            and not request.path.startswith(self.OPEN_PREFIXES)
        ):
            from django_otp import devices_for_user

            has_device = any(devices_for_user(user, confirmed=True))
            target = reverse("two-factor-verify" if has_device else "two-factor-setup")
            url = f"{target}?next={request.get_full_path()}"
            if getattr(request, "htmx", False):
                return HttpResponseClientRedirect(url)
            return redirect(url)
        return self.get_response(request)


APPLY_SAVED_LANGUAGE = "ips_apply_saved_language"


def remember_to_apply_saved_language(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver (connected in ``IpsConfig.ready``): the login's response,
    or the first request after it, applies the user's saved language."""
    if getattr(user, "language", "") and hasattr(request, "session"):
        request.session[APPLY_SAVED_LANGUAGE] = True


class UserLanguageMiddleware:
    """At login, a user's saved language (chosen on any device) replaces the browser's: the
    request that carries the login flag activates it and sets the language cookie, once.
    Afterwards the cookie rules, so a later switch in the menu wins, and logging out or another
    user's login on the same browser never inherits it. Runs after the authentication
    middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        saved = self._take_flag(request)
        if saved:
            translation.activate(saved)
            request.LANGUAGE_CODE = saved
        response = self.get_response(request)
        saved = saved or self._take_flag(request)  # the login request itself sets the flag
        if saved:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                saved,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response

    @staticmethod
    def _take_flag(request: HttpRequest) -> str:
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or not session.get(APPLY_SAVED_LANGUAGE):
            return ""
        del session[APPLY_SAVED_LANGUAGE]
        return getattr(user, "language", "") if user and user.is_authenticated else ""
