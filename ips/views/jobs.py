"""Employers, employer contacts, job starts and education starts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import trigger_client_event
from django_tables2 import RequestConfig

from ips import audit, queries, services, weekly
from ips.audit import Action, client_view
from ips.forms import (
    ContactPersonForm,
    EducationForm,
    EmployerContactForm,
    EmployerForm,
    EmployerMergeForm,
    JobStartForm,
)
from ips.models import Client, Employer, Industry
from ips.tables import EmployerContactTable, EmployerTable
from ips.views.common import is_htmx_target, week_from_request, week_navigation


def _require_client_worker(request: HttpRequest) -> None:
    if not request.user.works_with_clients:
        raise PermissionDenied


# --- Employers ---------------------------------------------------------------------------


@login_required
@require_GET
def employer_list(request: HttpRequest) -> HttpResponse:
    _require_client_worker(request)
    employers = queries.employers_for_user(request.user).annotate(
        contact_count=Count("contacts"), last_contact=Max("contacts__date")
    )
    query = request.GET.get("q", "").strip()[:100]
    if query:
        employers = employers.filter(Q(name__icontains=query) | Q(business_id__startswith=query))
    industry = request.GET.get("industry", "")
    if industry in Industry.values:
        employers = employers.filter(industry=industry)
    table = EmployerTable(employers)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    template = "ips/employer_list.html"
    if is_htmx_target(request, "employer-table"):
        template += "#employer-table"
    return render(
        request,
        template,
        {"table": table, "q": query, "industry": industry, "industries": Industry.choices},
    )


@login_required
@require_GET
def employer_options(request: HttpRequest) -> HttpResponse:
    """htmx: the employer <option>s matching what was typed, for the contact and job forms."""
    _require_client_worker(request)
    query = request.GET.get("employer_search", "").strip()[:100]
    employers = queries.employers_for_user(request.user).order_by("name")
    if query:
        employers = employers.filter(Q(name__icontains=query) | Q(business_id__startswith=query))
    return render(
        request, "ips/employer_options.html", {"employers": employers[:50], "query": query}
    )


@login_required
@require_http_methods(["GET", "POST"])
def employer_create(request: HttpRequest) -> HttpResponse:
    _require_client_worker(request)
    organisations = list(
        queries.teams_for_user(request.user).values_list("organisation", flat=True)
    )
    if not organisations:
        raise PermissionDenied  # staff outside any team have no employer directory
    form = EmployerForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        employer = form.save(commit=False)
        employer.organisation_id = organisations[0]
        try:
            services.create_employer(employer=employer)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Employer %(name)s added.") % {"name": employer.name})
            return redirect("employer-detail", employer.pk)
    return render(request, "ips/employer_form.html", {"form": form, "employer": None})


@login_required
@require_http_methods(["GET", "POST"])
def employer_detail(request: HttpRequest, employer_id: int) -> HttpResponse:
    """An employer, its contact people (add one here) and aggregate counts."""
    _require_client_worker(request)
    employer = queries.get_employer_for_user(request.user, employer_id)
    person_form = ContactPersonForm(request.POST or None)
    if request.method == "POST" and person_form.is_valid():
        person = person_form.save(commit=False)
        person.employer = employer
        person.save()
        messages.success(request, _("Contact person added."))
        return redirect("employer-detail", employer.pk)
    stats = employer.contacts.aggregate(
        contacts=Count("pk"),
        face_to_face=Count("pk", filter=Q(face_to_face=True)),
        last=Max("date"),
    )
    jobs = employer.jobs.aggregate(
        jobs=Count("pk", filter=Q(is_job=True)),
        current=Count("pk", filter=Q(is_job=True, end_date__isnull=True)),
    )
    return render(
        request,
        "ips/employer_detail.html",
        {
            "employer": employer,
            "people": employer.people.all(),
            "person_form": person_form,
            "stats": stats,
            "jobs": jobs,
            "can_merge": queries.led_teams(request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def employer_edit(request: HttpRequest, employer_id: int) -> HttpResponse:
    _require_client_worker(request)
    employer = queries.get_employer_for_user(request.user, employer_id)
    form = EmployerForm(
        request.POST or None, instance=employer, organisations=[employer.organisation_id]
    )
    if request.method == "POST" and form.is_valid():
        services.create_employer(employer=form.save(commit=False))
        messages.success(request, _("Changes saved."))
        return redirect("employer-detail", employer.pk)
    return render(request, "ips/employer_form.html", {"form": form, "employer": employer})


@login_required
@require_http_methods(["GET", "POST"])
def employer_merge(request: HttpRequest, employer_id: int) -> HttpResponse:
    """A lead merges a duplicate into this employer; contacts and jobs move over."""
    _require_client_worker(request)
    employer = queries.get_employer_for_user(request.user, employer_id)
    if not queries.led_teams(request.user).exists():
        raise PermissionDenied
    form = EmployerMergeForm(request.POST or None, keep=employer)
    if request.method == "POST" and form.is_valid():
        duplicate = form.cleaned_data["duplicate"]
        name = duplicate.name
        try:
            services.merge_employers(keep=employer, duplicate=duplicate)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(duplicate)s was merged into %(employer)s.")
                % {"duplicate": name, "employer": employer.name},
            )
            return redirect("employer-detail", employer.pk)
    return render(request, "ips/employer_merge.html", {"form": form, "employer": employer})


# --- Employer contacts -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def employer_contact_create(request: HttpRequest) -> HttpResponse:
    """Log an employer contact in under a minute, from a phone. With htmx the form is swapped
    for a fresh one and the week's count; without it, the page redirects."""
    _require_client_worker(request)
    team = queries.teams_for_user(request.user).first()
    if team is None:
        raise PermissionDenied  # an employer contact is logged for the coach's team
    form = EmployerContactForm(request.POST or None, user=request.user)
    saved = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        clients = data.pop("clients")
        new_name = data.pop("new_employer_name")
        new_business_id = data.pop("new_employer_business_id")
        employer = data.pop("employer")
        if employer is None:
            employer = services.create_employer(
                employer=Employer(
                    organisation=team.organisation, name=new_name, business_id=new_business_id
                )
            )
        services.log_employer_contact(
            coach=request.user, team=team, employer=employer, clients=clients, **data
        )
        if clients:
            audit.record(request, Action.CREATE, [c.pk for c in clients], what="employer contact")
        saved = _("Employer contact with %(employer)s saved.") % {"employer": employer.name}
        if not request.htmx:
            messages.success(request, saved)
            return redirect("coach-week")
        form = EmployerContactForm(user=request.user)
    # The form lists the coach's open caseload by name: that is a read of client data.
    audit.record(
        request,
        Action.LIST,
        [c.pk for c in form.fields["clients"].queryset],
        what="employer contact form",
    )
    week = queries.week_figures([request.user], queries.today(), weeks=1)[request.user.pk]
    context = {"form": form, "saved": saved, "this_week": week.this_week}
    if is_htmx_target(request, "employer-contact-form"):
        response = render(request, "ips/employer_contact_form.html#form-panel", context)
        if saved:
            trigger_client_event(response, "ips:saved", {"message": saved})
        return response
    return render(request, "ips/employer_contact_form.html", context)


@login_required
@require_GET
def employer_contact_list(request: HttpRequest) -> HttpResponse:
    """The employer-contact log of one ISO week: the coach's own, or a lead's teams'."""
    _require_client_worker(request)
    monday = week_from_request(request)
    rows = queries.employer_contact_rows(request.user).filter(
        date__gte=monday, date__lte=monday + weekly.WEEK_LAST_DAY
    )
    table = EmployerContactTable(rows)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    shown = {c.pk for contact in table.page.object_list.data for c in contact.clients.all()}
    audit.record(request, Action.LIST, shown, what="employer contacts")
    return render(
        request,
        "ips/employer_contact_list.html",
        {"table": table, **week_navigation(monday)},
    )


# --- Jobs and education ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@client_view(write=Action.CREATE)
def job_create(request: HttpRequest, client: Client) -> HttpResponse:
    form = JobStartForm(request.POST or None, user=request.user)
    if not client.episodes.filter(discharge_date__isnull=True).exists():
        form.add_error(
            None,
            _(
                "The client has no open IPS episode: jobs and education can only be recorded "
                "while the client is on the caseload. Reopen or add an episode first."
            ),
        )
    elif request.method == "POST" and form.is_valid():
        try:
            job = services.record_job_start(
                client=client, recorded_by=request.user, job=form.save(commit=False)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(title)s saved.") % {"title": job.job_title})
            return redirect("client-detail", client.pk)
    return render(request, "ips/job_form.html", {"client": client, "form": form, "job": None})


@login_required
@require_http_methods(["GET", "POST"])
@client_view()
def job_edit(request: HttpRequest, client: Client, job_id: int) -> HttpResponse:
    job = queries.get_job_for_client(client, job_id)
    form = JobStartForm(request.POST or None, instance=job, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            ended = services.update_job(job=form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if ended:
                messages.info(
                    request,
                    _(
                        "The job has ended. Update the career profile with what was learned: "
                        "what worked, what did not, and what to look for next."
                    ),
                )
                return redirect("profile-edit", client.pk)
            messages.success(request, _("Changes saved."))
            return redirect("client-detail", client.pk)
    return render(request, "ips/job_form.html", {"client": client, "form": form, "job": job})


@login_required
@require_http_methods(["GET", "POST"])
@client_view(write=Action.CREATE)
def education_create(request: HttpRequest, client: Client) -> HttpResponse:
    form = EducationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_education(
                client=client, recorded_by=request.user, education=form.save(commit=False)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Education start saved."))
            return redirect("client-detail", client.pk)
    return render(
        request, "ips/education_form.html", {"client": client, "form": form, "education": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
@client_view()
def education_edit(request: HttpRequest, client: Client, education_id: int) -> HttpResponse:
    education = queries.get_education_for_client(client, education_id)
    form = EducationForm(request.POST or None, instance=education)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Changes saved."))
        return redirect("client-detail", client.pk)
    return render(
        request,
        "ips/education_form.html",
        {"client": client, "form": form, "education": education},
    )
