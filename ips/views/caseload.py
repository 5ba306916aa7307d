"""Views of the caseload core. Each one that touches client data starts from ``ips.queries``
(directly, or through ``audit.client_view``) and logs the access through ``ips.audit``."""

from __future__ import annotations

import datetime
from itertools import chain

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event
from django_tables2 import RequestConfig

from ips import audit, followalong, queries, rights, services
from ips.audit import Action, client_view
from ips.filters import CaseloadFilter
from ips.forms import CareerProfileForm, ClientForm, ContactForm, CoverForm, EpisodeForm
from ips.models import CareerProfileVersion, Client, Episode, User
from ips.tables import CaseloadTable
from ips.views.common import is_htmx_target

TIMELINE_LIMIT = 100


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The landing page: the lead's week, the coach's week, or a note for other roles."""
    if request.user.works_with_clients:
        if queries.led_teams(request.user).exists():
            return redirect("team-week")
        return redirect("coach-week")
    return render(request, "ips/home.html")


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    """The caseload list: filters, sorting and paging; the table updates in place with htmx."""
    if not request.user.works_with_clients:
        raise PermissionDenied
    filterset = CaseloadFilter(
        request.GET, request=request, queryset=queries.caseload_rows(request.user)
    )
    rows = filterset.qs if filterset.is_valid() else Episode.objects.none()
    table = CaseloadTable(rows)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    shown = [episode.client_id for episode in table.page.object_list.data]
    action = Action.SEARCH if request.GET.get("q") else Action.LIST
    audit.record(request, action, shown)
    template = "ips/caseload.html"
    if is_htmx_target(request, "caseload-table"):
        template += "#caseload-table"
    return render(request, template, {"filter": filterset, "table": table})


@login_required
@require_http_methods(["GET", "POST"])
def client_create(request: HttpRequest) -> HttpResponse:
    if not request.user.works_with_clients:
        raise PermissionDenied
    client_form = ClientForm(request.POST or None, prefix="client", user=request.user)
    episode_form = EpisodeForm(request.POST or None, prefix="episode", user=request.user)
    if request.method == "POST" and client_form.is_valid() and episode_form.is_valid():
        try:
            client = services.create_client(
                client=client_form.save(commit=False),
                episode=episode_form.save(commit=False),
                target_groups=episode_form.cleaned_data["target_groups"],
            )
        except ValidationError as error:
            client_form.add_error(None, error)
        else:
            audit.record(request, Action.CREATE, [client.pk])
            messages.success(request, _("Client %(name)s added.") % {"name": client.full_name})
            return redirect("client-detail", client.pk)
    return render(
        request,
        "ips/client_form.html",
        {"client_form": client_form, "episode_form": episode_form, "client": None},
    )


def _timeline(client: Client, versions: list[CareerProfileVersion]) -> list[dict]:
    contacts = queries.contacts_for_client(client)[:TIMELINE_LIMIT]
    entries = chain(
        ({"kind": "contact", "date": c.date, "item": c} for c in contacts),
        ({"kind": "profile", "date": v.created_at.date(), "item": v} for v in versions),
    )
    return sorted(entries, key=lambda entry: entry["date"], reverse=True)


def _detail_context(request: HttpRequest, client: Client, contact_form=None) -> dict:
    client = queries.load_client_detail(client)
    episodes = list(client.episodes.all())
    versions = list(client.profile_versions.all())
    jobs = list(queries.jobs_for_client(client))
    current_jobs = [job for job in jobs if job.is_job and job.is_current]
    today = queries.today()
    checkpoints = queries.follow_along_for_jobs(current_jobs, today)
    return {
        "jobs": jobs,
        "support": [
            (job, followalong.needing_action(checkpoints[job.pk], today)) for job in current_jobs
        ],
        "education": list(queries.education_for_client(client)),
        "client": client,
        "episodes": episodes,
        "current_episode": next((e for e in episodes if e.is_open), None),
        "profile": versions[0] if versions else None,
        "timeline": _timeline(client, versions),
        "timeline_limit": TIMELINE_LIMIT,
        "contact_form": contact_form or ContactForm(client=client),
        "is_lead": queries.user_leads_client(request.user, client),
        "covers": list(queries.current_covers(client)),
    }


@login_required
@require_http_methods(["GET", "HEAD"])
@client_view()
def client_detail(request: HttpRequest, client: Client) -> HttpResponse:
    return render(request, "ips/client_detail.html", _detail_context(request, client))


@login_required
@require_http_methods(["GET", "POST"])
@client_view()
def client_edit(request: HttpRequest, client: Client) -> HttpResponse:
    episode = client.episodes.filter(discharge_date__isnull=True).first()
    data = request.POST or None
    client_form = ClientForm(data, instance=client, prefix="client", user=request.user)
    episode_form = (
        EpisodeForm(data, instance=episode, prefix="episode", user=request.user)
        if episode
        else None
    )
    forms_valid = client_form.is_valid() and (episode_form is None or episode_form.is_valid())
    if request.method == "POST" and forms_valid:
        try:
            services.update_client(
                client=client_form.save(commit=False),
                episode=episode_form.save(commit=False) if episode_form else None,
                target_groups=episode_form.cleaned_data["target_groups"] if episode_form else None,
            )
        except ValidationError as error:
            client_form.add_error(None, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("client-detail", client.pk)
    return render(
        request,
        "ips/client_form.html",
        {"client_form": client_form, "episode_form": episode_form, "client": client},
    )


@login_required
@require_http_methods(["GET", "POST"])
@client_view(write=Action.CREATE)
def contact_create(request: HttpRequest, client: Client) -> HttpResponse:
    """Log a contact. From the client page the timeline is re-rendered in place; from the
    caseload list a small form opens in the quick-log panel; without JavaScript it is a page."""
    episode = client.episodes.filter(discharge_date__isnull=True).first()
    form = ContactForm(request.POST or None, client=client)
    from_list = is_htmx_target(request, "quick-log")
    if episode is None:
        form.add_error(None, _("The client has no open IPS episode; contacts cannot be logged."))
    elif request.method == "POST" and form.is_valid():
        services.log_contact(episode=episode, recorded_by=request.user, **form.cleaned_data)
        saved = _("Contact saved for %(name)s.") % {"name": client.full_name}
        if is_htmx_target(request, "contact-panel"):
            context = _detail_context(request, client)
            context["saved_message"] = saved
            response = render(request, "ips/client_detail.html#contact-panel", context)
            return trigger_client_event(response, "ips:saved", {"message": saved})
        if from_list:
            response = render(
                request, "ips/contact_form.html#quick-log", {"client": client, "saved": saved}
            )
            return trigger_client_event(response, "ips:saved", {"message": saved})
        messages.success(request, saved)
        return redirect("client-detail", client.pk)
    if is_htmx_target(request, "contact-panel"):
        return render(
            request, "ips/client_detail.html#contact-panel", _detail_context(request, client, form)
        )
    template = "ips/contact_form.html#quick-log" if from_list else "ips/contact_form.html"
    return render(request, template, {"client": client, "form": form, "episode": episode})


@login_required
@require_http_methods(["GET", "POST"])
@client_view()
def profile_edit(request: HttpRequest, client: Client) -> HttpResponse:
    latest = client.profile_versions.first()
    initial = (
        {name: getattr(latest, name) for name in CareerProfileVersion.PROFILE_FIELDS}
        if latest
        else None
    )
    form = CareerProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in CareerProfileVersion.PROFILE_FIELDS}
        version = services.save_career_profile(
            client=client,
            saved_by=request.user,
            change_reason=form.cleaned_data["change_reason"],
            **fields,
        )
        messages.success(
            request, _("Career profile saved as version %(n)s.") % {"n": version.version}
        )
        return redirect("client-detail", client.pk)
    return render(request, "ips/profile_form.html", {"client": client, "form": form})


def _require_lead(user: User, client: Client) -> None:
    if not queries.user_leads_client(user, client):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
@client_view(write=Action.GRANT)
def cover_manage(request: HttpRequest, client: Client) -> HttpResponse:
    """A team lead lets a coach cover this client until an end date."""
    _require_lead(request.user, client)
    form = CoverForm(request.POST or None, user=request.user, client=client)
    if request.method == "POST" and form.is_valid():
        services.grant_cover(client=client, granted_by=request.user, **form.cleaned_data)
        messages.success(request, _("Cover access granted."))
        return redirect("client-cover", client.pk)
    return render(
        request,
        "ips/cover.html",
        {"client": client, "form": form, "covers": queries.current_covers(client)},
    )


@login_required
@require_POST
@client_view(write=Action.GRANT)
def cover_revoke(request: HttpRequest, client: Client, cover_id: int) -> HttpResponse:
    _require_lead(request.user, client)
    cover = get_object_or_404(queries.current_covers(client), pk=cover_id)
    services.revoke_cover(cover=cover)
    messages.success(request, _("Cover access ended."))
    url = reverse("client-cover", args=[client.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


class OlderLogForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for showing entries older than two years"),
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@client_view(write=Action.VIEW)
def client_access_log(request: HttpRequest, client: Client) -> HttpResponse:
    """Who has viewed or changed this client's data: the report the client-data law gives a
    client. The last two years by default; older entries only for a stated reason, which is
    itself logged."""
    _require_lead(request.user, client)
    form = OlderLogForm(request.POST or None)
    years = settings.ACCESS_LOG_REPORT_YEARS
    since = timezone.now() - datetime.timedelta(days=365 * years)
    if request.method == "POST" and form.is_valid():
        since = None
        audit.record(
            request,
            Action.VIEW,
            [client.pk],
            what="access log, older entries",
            reason=form.cleaned_data["reason"],
        )
    events = list(rights.access_log(client, since=since)[:1000])
    return render(
        request,
        "ips/access_log.html",
        {
            "client": client,
            "events": events,
            "limit": 1000,
            "form": form,
            "years": years,
            "all_entries": since is None,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD"])
@client_view(read=Action.EXPORT)
def client_data_copy(request: HttpRequest, client: Client, fmt: str) -> HttpResponse:
    """A copy of all data held about the client (GDPR Art. 15), as JSON or PDF."""
    _require_lead(request.user, client)
    stamp = timezone.localdate().isoformat()
    if fmt == "pdf":
        title = _("Data held about %(name)s") % {"name": client.full_name}
        response = HttpResponse(
            rights.client_data_pdf(client, title), content_type="application/pdf"
        )
    else:
        response = HttpResponse(rights.client_data_json(client), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="client-{client.pk}-{stamp}.{fmt}"'
    return response
