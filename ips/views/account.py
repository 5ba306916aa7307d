"""The user's own account: two-factor enrolment and verification, backup codes, active
sessions and password change."""

from __future__ import annotations

import secrets

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordChangeView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ips import sessions

BACKUP_CODES = 10


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=gettext_lazy("The 6-digit code from your authenticator app, or a backup code."),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return "/"
    return target


def _new_backup_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name="backup")
    device.token_set.all().delete()
    codes = [secrets.token_hex(4) for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code (or type the key), confirm with a code,
    and receive backup codes once."""
    if any(devices_for_user(request.user, confirmed=True)) and not request.user.is_verified():
        return redirect("two-factor-verify")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="app", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            codes = _new_backup_codes(request.user)
            return render(
                request, "account/backup_codes.html", {"codes": codes, "next": _next(request)}
            )
        form.add_error("token", _("The code did not match. Check the time on your phone."))
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "account/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": qr.svg_inline(scale=4, dark="#000", light="#fff"),
            "secret": device.config_url.split("secret=")[1].split("&")[0],
            "next": _next(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of logging in: a code from the app, or one backup code."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].strip())
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    _(
                        "You used a backup code; %(n)s are left. Create new ones on your account "
                        "page if you are running low."
                    )
                    % {"n": left},
                )
            return redirect(_next(request))
        form.add_error("token", _("The code is not valid."))
    return render(request, "account/two_factor_verify.html", {"form": form, "next": _next(request)})


@login_required
@require_POST
def backup_codes(request: HttpRequest) -> HttpResponse:
    """Replace the backup codes (the old ones stop working)."""
    if not request.user.is_verified():
        return redirect("two-factor-verify")
    return render(
        request,
        "account/backup_codes.html",
        {"codes": _new_backup_codes(request.user), "next": "/account/"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """The user's sessions (end any of them) and links to security settings."""
    if request.method == "POST":
        key = request.POST.get("session", "")
        if key == request.session.session_key:
            messages.error(request, _("Use Log out to end the session you are using."))
        elif sessions.end_session(request.user, key):
            messages.success(request, _("The session was ended."))
        return redirect("account")
    return render(
        request,
        "account/account.html",
        {
            "sessions": sessions.active_sessions(request.user),
            "current": request.session.session_key,
            "has_totp": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
        },
    )


class PasswordChange(PasswordChangeView):
    """Changing the password keeps this session and ends every other one (Django checks the
    password hash stored in each session)."""

    template_name = "account/password_change.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        current = self.request.session.session_key
        sessions.end_other_sessions(self.request.user, current)
        response = super().form_valid(form)  # cycles the session key
        sessions.rekey(current, self.request.session.session_key)
        messages.success(self.request, _("Password changed. Your other sessions were ended."))
        return response


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (cookie), and for a signed-in user also their saved choice."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if (
        request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and request.user.language != language
    ):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response
