"""Import from spreadsheets: resolve, check and save the rows that ``ips.importing`` read.

Writes with side effects, like the rest of ``ips.services``; the views log the access.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ips import importing
from ips.models import (
    Client,
    Contact,
    Employer,
    EmployerContact,
    Episode,
    ImportBatch,
    JobStart,
    OccupationGroup,
    Team,
    User,
)
from ips.validators import (
    mask_pic,
    normalise_business_id,
    normalise_pic,
    pic_birth_date,
    validate_personal_identity_code,
)

from . import (
    _fill_birth_year,
    create_client,
    create_employer,
    log_contact,
    log_employer_contact,
    record_job_start,
)

# --- Spreadsheet import --------------------------------------------------------------------
#
# ``ips.importing`` reads the file and parses each cell; here each row is resolved (clients by
# identity code or name within the team, employers by business ID or name within the team's
# organisation, coaches by username within the team), validated with the models' own
# ``full_clean`` and the forms' date rules, and compared with what is already recorded. The
# import itself is all or nothing: one transaction, and any row with an error saves nothing.


class ImportRejected(Exception):
    """The import was refused; ``plan`` (when given) lists every problem."""

    def __init__(self, message="", plan=None, earlier=None):
        super().__init__(str(message))
        self.message = message
        self.plan = plan
        self.earlier = earlier  # the import of the same file, when that is the reason


@dataclass
class PlannedRow:
    number: int
    values: dict
    status: str = "new"  # new, exists, error
    note: str = ""
    client_ids: set = field(default_factory=set)
    save: Callable | None = None


@dataclass
class ImportPlan:
    columns: list
    rows: list[PlannedRow]
    errors: list  # importing.RowError

    @property
    def new_rows(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.status == "new"]

    @property
    def existing_rows(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.status == "exists"]

    @property
    def client_ids(self) -> set[int]:
        return set().union(*(row.client_ids for row in self.rows)) if self.rows else set()


def _choice_words(choices) -> dict[str, str]:
    """Each choice by its code and by its label in every language of the app (the default
    language last, so its label wins where two languages spell one word differently)."""
    words = {}
    for language, _name in reversed(settings.LANGUAGES):
        with translation.override(language):
            for value, label in choices:
                words[importing.normalise_header(label)] = value
    for value, _label in choices:
        words[importing.normalise_header(value)] = value
    return words


def _choice_column(field: str, label, choices, **options) -> importing.Column:
    """A column read as one of ``choices``: by its code or its label in any language."""
    return importing.Column(
        field,
        label,
        kind="choice",
        choices=_choice_words(choices),
        choice_labels=dict(choices),
        **options,
    )


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _client_key_columns() -> list[importing.Column]:
    Col = importing.Column
    return [
        Col(
            "client_pic",
            _lazy("Personal identity code"),
            max_length=11,
            headers=("Henkilötunnus", "Personal identity code", "hetu", "identity code"),
        ),
        Col(
            "client_first_name",
            _lazy("First name"),
            max_length=100,
            headers=("Etunimi", "First name", "client first name"),
        ),
        Col(
            "client_last_name",
            _lazy("Last name"),
            max_length=100,
            headers=("Sukunimi", "Last name", "client last name"),
        ),
        Col(
            "client_birth_year",
            _lazy("Year of birth"),
            kind="int",
            headers=("Syntymävuosi", "Year of birth", "birth year"),
        ),
    ]


def _employer_columns() -> list[importing.Column]:
    Col = importing.Column
    return [
        Col(
            "employer_name",
            _lazy("Employer"),
            max_length=_max_length(Employer, "name"),
            headers=("Työnantaja", "Employer", "employer name", "työnantajan nimi"),
        ),
        Col(
            "employer_business_id",
            _lazy("Business ID"),
            max_length=9,
            headers=("Y-tunnus", "Business ID", "ytunnus", "business id of the employer"),
        ),
    ]


def import_columns(kind: str) -> list[importing.Column]:
    """The columns each kind of import reads, in the example templates' order."""
    Col = importing.Column
    Kind = ImportBatch.Kind
    if kind == Kind.CLIENTS:
        return [
            Col(
                "first_name",
                _lazy("First name"),
                required=True,
                max_length=_max_length(Client, "first_name"),
                headers=("Etunimi", "First name"),
            ),
            Col(
                "last_name",
                _lazy("Last name"),
                required=True,
                max_length=_max_length(Client, "last_name"),
                headers=("Sukunimi", "Last name"),
            ),
            Col(
                "personal_identity_code",
                _lazy("Personal identity code"),
                max_length=11,
                headers=("Henkilötunnus", "Personal identity code", "hetu", "identity code"),
            ),
            Col(
                "birth_year",
                _lazy("Year of birth"),
                kind="int",
                headers=("Syntymävuosi", "Year of birth", "birth year"),
            ),
            _choice_column(
                "gender",
                _lazy("Gender"),
                Client.Gender.choices,
                headers=("Sukupuoli", "Gender"),
            ),
            Col(
                "phone",
                _lazy("Phone"),
                max_length=_max_length(Client, "phone"),
                headers=("Puhelin", "Phone", "puhelinnumero", "phone number"),
            ),
            Col(
                "email",
                _lazy("Email"),
                max_length=_max_length(Client, "email"),
                headers=("Sähköposti", "Email", "e mail"),
            ),
            Col(
                "municipality",
                _lazy("Municipality"),
                max_length=_max_length(Client, "municipality"),
                headers=("Kotikunta", "Municipality", "kunta", "municipality of residence"),
            ),
            Col(
                "coach",
                _lazy("Coach"),
                max_length=150,
                headers=("Valmentaja", "Coach", "työhönvalmentaja", "job coach"),
            ),
            Col(
                "referral_date",
                _lazy("Referral date"),
                kind="date",
                required=True,
                headers=("Lähetepäivä", "Referral date", "lähete"),
            ),
            _choice_column(
                "referral_source",
                _lazy("Referral source"),
                Episode.ReferralSource.choices,
                required=True,
                headers=("Lähettäjä", "Referral source", "lähettävä taho"),
            ),
            Col(
                "accepted_date",
                _lazy("Accepted onto caseload"),
                kind="date",
                headers=("Aloituspäivä", "Accepted date", "accepted onto caseload"),
            ),
            _choice_column(
                "employment_status_at_entry",
                _lazy("Employment status at entry"),
                Episode.EmploymentStatus.choices,
                required=True,
                headers=("Työtilanne alussa", "Employment status at entry", "työtilanne"),
            ),
        ]
    if kind == Kind.CONTACTS:
        return [
            *_client_key_columns(),
            Col("date", _lazy("Date"), kind="date", required=True, headers=("Päivä", "Date")),
            Col(
                "minutes",
                _lazy("Minutes"),
                kind="int",
                required=True,
                headers=("Minuutit", "Minutes", "kesto", "duration"),
            ),
            _choice_column(
                "mode",
                _lazy("Mode"),
                Contact.Mode.choices,
                headers=("Tapa", "Mode", "yhteydenottotapa"),
            ),
            _choice_column(
                "setting",
                _lazy("Setting"),
                Contact.Setting.choices,
                headers=("Paikka", "Setting"),
            ),
            _choice_column(
                "purpose",
                _lazy("Purpose"),
                Contact.Purpose.choices,
                required=True,
                headers=("Tarkoitus", "Purpose", "aihe"),
            ),
            Col("note", _lazy("Note"), max_length=NOTE_MAX, headers=("Muistiinpano", "Note")),
        ]
    if kind == Kind.EMPLOYER_CONTACTS:
        return [
            Col("date", _lazy("Date"), kind="date", required=True, headers=("Päivä", "Date")),
            Col(
                "coach",
                _lazy("Coach"),
                required=True,
                max_length=150,
                headers=("Valmentaja", "Coach", "työhönvalmentaja", "job coach"),
            ),
            *_employer_columns(),
            Col(
                "face_to_face",
                _lazy("Face to face"),
                kind="bool",
                headers=("Kasvokkain", "Face to face"),
            ),
            _choice_column(
                "purpose",
                _lazy("Purpose"),
                EmployerContact.Purpose.choices,
                required=True,
                headers=("Tarkoitus", "Purpose"),
            ),
            *_client_key_columns(),
            Col(
                "matched_preferences",
                _lazy("Matched the client's preferences"),
                kind="bool",
                headers=("Asiakkaan toiveiden mukainen", "Matched preferences"),
            ),
            Col(
                "outcome",
                _lazy("Outcome or next step"),
                max_length=_max_length(EmployerContact, "outcome"),
                headers=("Tulos tai seuraava askel", "Outcome", "tulos"),
            ),
        ]
    if kind == Kind.JOB_STARTS:
        return [
            *_client_key_columns(),
            *_employer_columns(),
            _choice_column(
                "activity",
                _lazy("Type"),
                JobStart.Activity.choices,
                headers=("Tyyppi", "Type", "activity"),
            ),
            Col(
                "job_title",
                _lazy("Job title"),
                required=True,
                max_length=_max_length(JobStart, "job_title"),
                headers=("Tehtävänimike", "Job title", "nimike"),
            ),
            Col(
                "occupation",
                _lazy("Occupation (ISCO-08)"),
                required=True,
                max_length=2,
                headers=("Ammattiryhmä", "Occupation", "isco", "isco 08"),
            ),
            Col(
                "start_date",
                _lazy("Start date"),
                kind="date",
                required=True,
                headers=("Aloituspäivä", "Start date"),
            ),
            Col(
                "first_paid_day",
                _lazy("First paid day"),
                kind="date",
                headers=("Ensimmäinen palkallinen päivä", "First paid day"),
            ),
            Col(
                "hours_per_week",
                _lazy("Hours per week"),
                kind="decimal",
                required=True,
                headers=("Tunnit viikossa", "Hours per week", "viikkotunnit"),
            ),
            Col(
                "hourly_wage",
                _lazy("Hourly wage (€)"),
                kind="decimal",
                headers=("Tuntipalkka", "Hourly wage", "tuntipalkka €", "hourly wage €"),
            ),
            Col(
                "open_labour_market",
                _lazy("Open labour market"),
                kind="bool",
                headers=("Avoimet työmarkkinat", "Open labour market"),
            ),
            Col(
                "customary_wage",
                _lazy("At least the customary wage"),
                kind="bool",
                headers=("Vähintään tavanomainen palkka", "Customary wage"),
            ),
            Col(
                "set_aside",
                _lazy("Set aside for disabled people"),
                kind="bool",
                headers=("Varattu vammaisille", "Set aside"),
            ),
            _choice_column(
                "permanence",
                _lazy("Permanence"),
                JobStart.Permanence.choices,
                headers=("Kesto", "Permanence", "pysyvyys"),
            ),
            Col(
                "wage_subsidy",
                _lazy("Wage subsidy"),
                kind="bool",
                headers=("Palkkatuki", "Wage subsidy"),
            ),
            _choice_column(
                "found_by",
                _lazy("How it was found"),
                JobStart.FoundBy.choices,
                required=True,
                headers=("Kuka löysi", "Found by", "how it was found"),
            ),
        ]
    raise ValueError(kind)


NOTE_MAX = 5_000

TEMPLATE_EXAMPLES = {
    "clients": [
        "Maija",
        "Meikäläinen",
        "",
        "1985",
        "female",
        "040 123 4567",
        "maija@example.fi",
        "Tampere",
        "",
        "31.12.2025",
        "mental_health",
        "2.1.2026",
        "out_of_work",
    ],
    "contacts": [
        "",
        "Maija",
        "Meikäläinen",
        "1985",
        "15.1.2026",
        "45",
        "face_to_face",
        "community",
        "career_profile",
        "",
    ],
    "employer_contacts": [
        "15.1.2026",
        "",
        "Esimerkki Oy",
        "1572860-0",
        "yes",
        "learn_needs",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    "job_starts": [
        "",
        "Maija",
        "Meikäläinen",
        "1985",
        "Esimerkki Oy",
        "1572860-0",
        "job",
        "Varastotyöntekijä",
        "93",
        "1.2.2026",
        "",
        "20",
        "13,50",
        "yes",
        "yes",
        "no",
        "permanent",
        "no",
        "coach",
    ],
}


def import_template(kind: str, language: str, file_type: str) -> bytes:
    """An example file with the expected columns and one example row."""
    columns = import_columns(kind)
    example = TEMPLATE_EXAMPLES[kind]
    if file_type == "xlsx":
        return importing.template_xlsx(columns, language, example)
    return importing.template_csv(columns, language, example)


def _validation_messages(error: ValidationError, labels: dict[str, str], model) -> list:
    result = []
    if not hasattr(error, "error_dict"):
        return [("—", message) for message in error.messages]
    for name, messages in error.message_dict.items():
        if name in labels:
            label = labels[name]
        elif name == NON_FIELD_ERRORS:
            label = "—"
        else:
            try:
                label = str(model._meta.get_field(name).verbose_name)
            except Exception:
                label = name
        result.extend((label, message) for message in messages)
    return result


def _not_in_future(row: importing.ParsedRow, labels, name: str, today: datetime.date) -> None:
    value = row.values.get(name)
    if value and value > today:
        row.error(labels[name], _("The date cannot be in the future."))


class _Lookups:
    """Everything a row is resolved against, loaded once per import and scoped to the team."""

    def __init__(self, *, user: User, team: Team):
        from ips import queries

        self.user, self.team = user, team
        visible = queries.clients_for_user(user)
        self.in_team = (
            Client.objects.filter(pk__in=visible.values("pk"), episodes__team=team)
            .distinct()
            .only("pk", "first_name", "last_name", "birth_year", "personal_identity_code")
        )
        self.by_pic: dict[str, Client] = {}
        self.by_name: dict[tuple[str, str], list[Client]] = {}
        for client in self.in_team:
            if client.personal_identity_code:
                self.by_pic[client.personal_identity_code] = client
            key = (client.first_name.casefold(), client.last_name.casefold())
            self.by_name.setdefault(key, []).append(client)
        self.visible_pics: dict[str, int] = dict(
            visible.exclude(personal_identity_code="").values_list("personal_identity_code", "pk")
        )
        self.open_episode = {
            episode.client_id: episode
            for episode in Episode.objects.filter(
                team=team, discharge_date__isnull=True, client__in=visible
            )
        }
        coaches = list(queries.coaches_in_team(team))
        self.coaches: dict[str, list[User]] = {}
        for coach in coaches:
            for key in {coach.get_username().casefold(), coach.get_full_name().casefold()}:
                if key:
                    self.coaches.setdefault(key, []).append(coach)
        employers = list(queries.employers_for_user(user).filter(organisation=team.organisation))
        self.employer_by_id = {e.business_id: e for e in employers if e.business_id}
        self.employer_by_name: dict[str, list[Employer]] = {}
        for employer in employers:
            self.employer_by_name.setdefault(employer.name.casefold(), []).append(employer)
        self.new_employers: dict[str, Employer] = {}
        self.employer_errors: dict[str, list] = {}
        self.occupations = set(
            OccupationGroup.objects.filter(parent__isnull=False).values_list("code", flat=True)
        )

    @functools.cached_property
    def contact_keys(self) -> set[tuple]:
        """What identifies a contact already recorded: client, date, purpose, mode, minutes."""
        return set(
            Contact.objects.filter(episode__client__in=self.in_team.values("pk")).values_list(
                "episode__client_id", "date", "purpose", "mode", "minutes"
            )
        )

    @functools.cached_property
    def job_keys(self) -> set[tuple]:
        """What identifies a job start already recorded: episode, employer, start date and
        title (case-insensitive), for the team's episodes, read once."""
        return {
            (episode_id, employer_id, start, title.casefold())
            for episode_id, employer_id, start, title in JobStart.objects.filter(
                episode__team=self.team
            ).values_list("episode_id", "employer_id", "start_date", "job_title")
        }

    @functools.cached_property
    def employer_contact_keys(self) -> set[tuple]:
        """Coach, employer, date, purpose and client (None for general job development) of
        the team's employer contacts already recorded."""
        contacts = EmployerContact.objects.filter(team=self.team)
        general = contacts.filter(kind=EmployerContact.Kind.GENERAL).values_list(
            "coach_id", "employer_id", "date", "purpose"
        )
        specific = EmployerContact.clients.through.objects.filter(
            employercontact__team=self.team
        ).values_list(
            "employercontact__coach_id",
            "employercontact__employer_id",
            "employercontact__date",
            "employercontact__purpose",
            "client_id",
        )
        return {(*key, None) for key in general} | set(specific)

    def coach(self, row, label, value: str) -> User | None:
        if not value:
            return None
        found = self.coaches.get(value.casefold(), [])
        if len(found) != 1:
            row.error(
                label,
                _("“%(coach)s” is not a coach of the team (give the username).")
                % {"coach": importing.shorten(value)},
            )
            return None
        return found[0]

    def client(self, row, labels) -> Client | None:
        """The client a row refers to, among the clients of the team the user may see. A client
        outside that scope is reported exactly as one that does not exist."""
        values = row.values
        pic = normalise_pic(values.get("client_pic") or "")
        if pic:
            client = self.by_pic.get(pic)
            if client is None:
                row.error(
                    labels["client_pic"],
                    _("No client of the team has the identity code %(pic)s.")
                    % {"pic": mask_pic(pic)},
                )
            return client
        first = (values.get("client_first_name") or "").casefold()
        last = (values.get("client_last_name") or "").casefold()
        if not first or not last:
            row.error(
                labels.get("client_pic", "—"),
                _("Give the client's identity code, or their first and last name."),
            )
            return None
        candidates = self.by_name.get((first, last), [])
        year = values.get("client_birth_year")
        if year:
            candidates = [c for c in candidates if c.birth_year == year]
        if not candidates:
            row.error(
                labels["client_last_name"],
                _("No client of the team is called %(name)s.")
                % {
                    "name": importing.shorten(
                        f"{values['client_first_name']} {values['client_last_name']}"
                    )
                },
            )
            return None
        if len(candidates) > 1:
            row.error(
                labels["client_last_name"],
                _(
                    "Several clients of the team are called %(name)s: add the year of birth "
                    "or the identity code."
                )
                % {"name": f"{values['client_first_name']} {values['client_last_name']}"},
            )
            return None
        return candidates[0]

    def episode(self, row, labels, client: Client) -> Episode | None:
        episode = self.open_episode.get(client.pk)
        if episode is None:
            row.error(
                labels.get("client_pic", "—"),
                _("%(name)s has no open IPS episode in this team.") % {"name": client.full_name},
            )
        return episode

    def employer(self, row, labels) -> Employer | None:
        """An employer of the team's organisation by business ID, else by name; an unknown
        one is added (once per file) when the import is saved."""
        business_id = normalise_business_id(row.values.get("employer_business_id") or "")
        name = row.values.get("employer_name") or ""
        if business_id:
            found = self.employer_by_id.get(business_id)
            key = f"id:{business_id}"
        else:
            matches = self.employer_by_name.get(name.casefold(), [])
            if len(matches) > 1:
                row.error(
                    labels["employer_name"],
                    _("Several employers are called %(name)s: add the business ID.")
                    % {"name": importing.shorten(name)},
                )
                return None
            found = matches[0] if matches else None
            key = f"name:{name.casefold()}"
        if found is not None:
            return found
        if not name:
            row.error(
                labels["employer_name"],
                _("Give the employer's name (and business ID if known).")
                if not business_id
                else _("No employer has this business ID: give the name to add it."),
            )
            return None
        if key not in self.new_employers:
            employer = Employer(
                organisation=self.team.organisation, name=name, business_id=business_id
            )
            try:
                employer.full_clean()
            except ValidationError as error:
                self.employer_errors[key] = _validation_messages(
                    error,
                    {
                        "name": labels["employer_name"],
                        "business_id": labels["employer_business_id"],
                    },
                    Employer,
                )
            self.new_employers[key] = employer
        for label, message in self.employer_errors.get(key, []):
            row.error(label, message)
        return None if key in self.employer_errors else self.new_employers[key]


def _save_employer(employer: Employer) -> Employer:
    if employer.pk is None:
        create_employer(employer=employer)
    return employer


def _plan_client(row, labels, lookups: _Lookups, seen: dict, today) -> PlannedRow:
    values = row.values
    planned = PlannedRow(number=row.number, values=values)
    pic = normalise_pic(values.get("personal_identity_code") or "")
    first, last = values.get("first_name") or "", values.get("last_name") or ""
    key = (
        ("pic", pic)
        if pic
        else ("name", first.casefold(), last.casefold(), values.get("birth_year"))
    )
    if key in seen:
        row.error(
            labels["first_name"], _("The same client is on row %(row)d.") % {"row": seen[key]}
        )
        return planned
    seen[key] = row.number
    if pic and pic in lookups.visible_pics:
        planned.status, planned.note = "exists", _("Already recorded; skipped.")
        planned.client_ids = {lookups.visible_pics[pic]}  # shown in the preview: logged
        return planned
    birth_year = values.get("birth_year")
    if pic:
        with contextlib.suppress(ValueError, KeyError):  # reported below with its own message
            birth_year = pic_birth_date(pic).year
    # Matched by name and year of birth: always when the row has no identity code, and when it
    # has one that the team's client was recorded without (a tracker that gained the codes
    # later must not create the same person twice).
    same = [
        c
        for c in lookups.by_name.get((first.casefold(), last.casefold()), [])
        if c.birth_year == birth_year and not (pic and c.personal_identity_code)
    ]
    if same:
        planned.status = "exists"
        planned.note = (
            _("Recorded without an identity code; skipped. Add the code on the client's page.")
            if pic
            else _("Already recorded; skipped.")
        )
        planned.client_ids = {same[0].pk}
        return planned
    for name in ("referral_date", "accepted_date"):
        _not_in_future(row, labels, name, today)
    coach = lookups.coach(row, labels["coach"], values.get("coach") or "")
    if coach is None and not values.get("coach"):
        coach = (
            lookups.user
            if lookups.user in lookups.coaches.get(lookups.user.get_username().casefold(), [])
            else None
        )
        if coach is None:
            row.error(labels["coach"], _("Give the coach's username."))
    client = Client(
        first_name=first,
        last_name=last,
        personal_identity_code=pic,
        birth_year=values.get("birth_year"),
        gender=values.get("gender") or Client.Gender.UNKNOWN,
        phone=values.get("phone", ""),
        email=values.get("email", ""),
        municipality=values.get("municipality", ""),
    )
    episode = Episode(
        team=lookups.team,
        coach=coach,
        referral_date=values.get("referral_date"),
        referral_source=values.get("referral_source") or "",
        accepted_date=values.get("accepted_date"),
        employment_status_at_entry=values.get("employment_status_at_entry") or "",
    )
    if pic:
        try:
            validate_personal_identity_code(pic)
        except ValidationError as error:
            row.error(labels["personal_identity_code"], error.messages[0])
        else:
            _fill_birth_year(client)
    try:
        client.full_clean()
    except ValidationError as error:
        for label, message in _validation_messages(error, labels, Client):
            row.error(label, message)
    try:
        # Team and coach come from the lead's team and its members (resolved above).
        episode.full_clean(exclude=["client", "team", "coach"])
    except ValidationError as error:
        for label, message in _validation_messages(error, labels, Episode):
            row.error(label, message)

    def save():
        create_client(client=client, episode=episode)
        planned.client_ids = {client.pk}

    planned.save = save
    return planned


def _plan_contact(row, labels, lookups: _Lookups, seen: dict, today) -> PlannedRow:
    values = row.values
    planned = PlannedRow(number=row.number, values=values)
    client = lookups.client(row, labels)
    episode = lookups.episode(row, labels, client) if client else None
    if client:
        planned.client_ids = {client.pk}
    _not_in_future(row, labels, "date", today)
    contact = Contact(
        episode=episode,
        recorded_by=lookups.user,
        date=values.get("date"),
        minutes=values.get("minutes"),
        mode=values.get("mode") or Contact.Mode.FACE_TO_FACE,
        setting=values.get("setting") or Contact.Setting.COMMUNITY,
        purpose=values.get("purpose") or "",
        note=values.get("note", ""),
    )
    if episode is None:
        return planned
    try:
        # The episode and the recorder were resolved through the scoped lookups above.
        contact.full_clean(exclude=["episode", "recorded_by", "job"])
    except ValidationError as error:
        for label, message in _validation_messages(error, labels, Contact):
            row.error(label, message)
        return planned
    key = (episode.client_id, contact.date, contact.purpose, contact.mode, contact.minutes)
    if key in seen or key in lookups.contact_keys:
        planned.status, planned.note = "exists", _("Already recorded; skipped.")
        return planned
    seen[key] = row.number

    def save():
        log_contact(
            episode=episode,
            recorded_by=lookups.user,
            **{
                f: getattr(contact, f)
                for f in ("date", "minutes", "mode", "setting", "purpose", "note")
            },
        )

    planned.save = save
    return planned


def _plan_employer_contact(row, labels, lookups: _Lookups, seen: dict, today) -> PlannedRow:
    values = row.values
    planned = PlannedRow(number=row.number, values=values)
    _not_in_future(row, labels, "date", today)
    coach = lookups.coach(row, labels["coach"], values.get("coach") or "")
    employer = lookups.employer(row, labels)
    has_client = any(
        values.get(name) for name in ("client_pic", "client_first_name", "client_last_name")
    )
    client = lookups.client(row, labels) if has_client else None
    if client:
        planned.client_ids = {client.pk}
    contact = EmployerContact(
        date=values.get("date"),
        coach=coach,
        team=lookups.team,
        employer=employer,
        face_to_face=True if values.get("face_to_face") is None else values["face_to_face"],
        kind=EmployerContact.Kind.CLIENT_SPECIFIC if has_client else EmployerContact.Kind.GENERAL,
        purpose=values.get("purpose") or "",
        matched_preferences=values.get("matched_preferences") if has_client else None,
        outcome=values.get("outcome", ""),
    )
    if coach is None or employer is None or (has_client and client is None):
        return planned
    try:
        contact.full_clean(exclude=["employer", "coach", "team"])
    except ValidationError as error:
        for label, message in _validation_messages(error, labels, EmployerContact):
            row.error(label, message)
        return planned
    key = (coach.pk, id(employer), contact.date, contact.purpose, client.pk if client else None)
    existing = employer.pk is not None and (
        (coach.pk, employer.pk, contact.date, contact.purpose, client.pk if client else None)
        in lookups.employer_contact_keys
    )
    if key in seen or existing:
        planned.status, planned.note = "exists", _("Already recorded; skipped.")
        return planned
    seen[key] = row.number

    def save():
        fields = {
            f: getattr(contact, f)
            for f in ("date", "face_to_face", "kind", "purpose", "matched_preferences", "outcome")
        }
        log_employer_contact(
            coach=coach,
            team=lookups.team,
            employer=_save_employer(employer),
            clients=[client] if client else [],
            **fields,
        )

    planned.save = save
    return planned


def _plan_job_start(row, labels, lookups: _Lookups, seen: dict, today) -> PlannedRow:
    values = row.values
    planned = PlannedRow(number=row.number, values=values)
    client = lookups.client(row, labels)
    episode = lookups.episode(row, labels, client) if client else None
    if client:
        planned.client_ids = {client.pk}
    employer = lookups.employer(row, labels)
    occupation = values.get("occupation") or ""
    if occupation and occupation not in lookups.occupations:
        row.error(
            labels["occupation"],
            _("“%(code)s” is not an ISCO-08 sub-major group (two digits, e.g. 93).")
            % {"code": occupation},
        )
    activity = values.get("activity") or JobStart.Activity.JOB
    if activity == JobStart.Activity.JOB and values.get("hourly_wage") is None:
        row.error(labels["hourly_wage"], _("Give the hourly wage of a paid job."))

    def flag(name, default):
        return default if values.get(name) is None else values[name]

    job = JobStart(
        episode=episode,
        employer=employer,
        activity=activity,
        job_title=values.get("job_title", ""),
        occupation_id=occupation or None,
        start_date=values.get("start_date"),
        first_paid_day=values.get("first_paid_day"),
        hours_per_week=values.get("hours_per_week"),
        hourly_wage=values.get("hourly_wage"),
        open_labour_market=flag("open_labour_market", True),
        customary_wage=flag("customary_wage", True),
        set_aside=flag("set_aside", False),
        permanence=values.get("permanence") or JobStart.Permanence.PERMANENT,
        wage_subsidy=flag("wage_subsidy", False),
        found_by=values.get("found_by") or "",
        created_by=lookups.user,
    )
    if episode is None or employer is None or row.errors:
        return planned
    try:
        job.full_clean(
            exclude=["employer", "episode", "occupation", "created_by", "is_job", "is_competitive"]
        )
    except ValidationError as error:
        for label, message in _validation_messages(error, labels, JobStart):
            row.error(label, message)
        return planned
    key = (episode.pk, id(employer), job.start_date, job.job_title.casefold())
    existing = (
        employer.pk is not None
        and (episode.pk, employer.pk, job.start_date, job.job_title.casefold()) in lookups.job_keys
    )
    if key in seen or existing:
        planned.status, planned.note = "exists", _("Already recorded; skipped.")
        return planned
    seen[key] = row.number

    def save():
        job.employer = _save_employer(employer)
        record_job_start(client=client, recorded_by=lookups.user, job=job)

    planned.save = save
    return planned


PLANNERS = {
    ImportBatch.Kind.CLIENTS: _plan_client,
    ImportBatch.Kind.CONTACTS: _plan_contact,
    ImportBatch.Kind.EMPLOYER_CONTACTS: _plan_employer_contact,
    ImportBatch.Kind.JOB_STARTS: _plan_job_start,
}


def plan_import(
    *, batch: ImportBatch, user: User, today: datetime.date | None = None
) -> ImportPlan:
    """Read, parse, resolve and validate every row of the batch without saving anything.
    Raises ``importing.ImportFileError`` when the file as a whole cannot be read."""
    today = today or timezone.localdate()
    table = importing.read_table(bytes(batch.content))
    columns = import_columns(batch.kind)
    mapping = {k: v for k, v in (batch.mapping or {}).items() if v < len(table.headers)}
    labels = {column.field: str(column.label) for column in columns}
    lookups = _Lookups(user=user, team=batch.team)
    planner = PLANNERS[batch.kind]
    seen: dict = {}
    rows = []
    for parsed in importing.parse_rows(table, columns, mapping, today):
        planned = planner(parsed, labels, lookups, seen, today)
        if parsed.errors:
            planned.status, planned.save = "error", None
        rows.append((planned, parsed.errors))
    errors = [error for _planned, row_errors in rows for error in row_errors]
    return ImportPlan(columns=columns, rows=[p for p, _e in rows], errors=errors)


def drop_stale_imports() -> int:
    """Cancel the imports left waiting for longer than ``ImportBatch.PENDING_LIFETIME`` and
    empty their files (they may hold identity codes). Runs at every upload and in the daily
    ``purge_expired``; until then such an upload can no longer be imported
    (``ImportBatch.is_waiting``)."""
    return ImportBatch.objects.filter(
        status=ImportBatch.Status.PENDING,
        created_at__lt=timezone.now() - ImportBatch.PENDING_LIFETIME,
    ).update(status=ImportBatch.Status.CANCELLED, content=b"")


def start_import(
    *, team: Team, kind: str, filename: str, content: bytes, created_by: User
) -> ImportBatch:
    """Keep an uploaded file for the mapping and preview steps. The same file already imported
    into the team as the same kind is refused (``ImportRejected`` with the earlier batch)."""
    drop_stale_imports()
    digest = hashlib.sha256(content).hexdigest()
    earlier = ImportBatch.objects.filter(
        team=team, kind=kind, sha256=digest, status=ImportBatch.Status.IMPORTED
    ).first()
    if earlier is not None:
        raise ImportRejected(
            _("This file was already imported on %(when)s by %(who)s; nothing was changed.")
            % {
                "when": date_format(
                    timezone.localtime(earlier.imported_at), "SHORT_DATETIME_FORMAT"
                ),
                "who": earlier.created_by,
            },
            earlier=earlier,
        )
    table = importing.read_table(content)  # refuse unreadable files at once
    batch = ImportBatch(
        team=team,
        kind=kind,
        filename=filename[:255],
        size=len(content),
        sha256=digest,
        content=content,
        created_by=created_by,
        row_count=len(table.rows),
        mapping=importing.guess_mapping(table.headers, import_columns(kind)),
    )
    batch.full_clean(exclude=["content"])
    batch.save()
    return batch


@transaction.atomic
def run_import(*, batch: ImportBatch, user: User, today: datetime.date | None = None) -> ImportPlan:
    """Save every row of the batch, or none: a row with an error, or any failure while saving,
    rolls the whole import back and raises ``ImportRejected``."""
    # One import at a time per team: two uploads of the same file confirmed at once would
    # otherwise both pass the "already imported" check below.
    Team.objects.select_for_update().filter(pk=batch.team_id).first()
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if not locked.is_waiting:
        raise ImportRejected(_("This import has already been completed or cancelled."))
    if ImportBatch.objects.filter(
        team=locked.team, kind=locked.kind, sha256=locked.sha256, status=ImportBatch.Status.IMPORTED
    ).exists():
        raise ImportRejected(_("This file has already been imported into the team."))
    plan = plan_import(batch=locked, user=user, today=today)
    if plan.errors:
        raise ImportRejected(_("Nothing was imported: fix the errors and upload again."), plan)
    try:
        with transaction.atomic():
            for row in plan.new_rows:
                row.save()
    except (ValidationError, IntegrityError) as error:
        if locked.kind == ImportBatch.Kind.CLIENTS:
            # Rolled back: the ids the saved rows got no longer exist (and may be reused), so
            # they must not reach the access log.
            for row in plan.new_rows:
                row.client_ids = set()
        detail = (
            "; ".join(error.messages)
            if isinstance(error, ValidationError)
            else _("another change got there first; try again")
        )
        raise ImportRejected(
            _("Nothing was imported: a row failed while saving (%(error)s).") % {"error": detail},
            plan,
        ) from None
    locked.status = ImportBatch.Status.IMPORTED
    locked.imported_at = timezone.now()
    locked.row_count = len(plan.rows)
    locked.created_count = len(plan.new_rows)
    locked.skipped_count = len(plan.existing_rows)
    locked.content = b""
    locked.save()
    batch.refresh_from_db()
    return plan


def cancel_import(*, batch: ImportBatch) -> None:
    """Drop a pending import's file; the row stays in the history as cancelled."""
    if batch.status != ImportBatch.Status.PENDING:
        return
    batch.status = ImportBatch.Status.CANCELLED
    batch.content = b""
    batch.save(update_fields=["status", "content"])


def save_import_mapping(*, batch: ImportBatch, mapping: dict[str, int]) -> ImportBatch:
    batch.mapping = mapping
    batch.save(update_fields=["mapping"])
    return batch
