"""Importing from spreadsheets: the pure reader, the four kinds in CSV and XLSX, errors by row
and column, all or nothing, idempotency, hostile cells, encodings, dates and access."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from ips import importing
from ips.models import (
    AccessEvent,
    AccessEventClient,
    Client,
    Contact,
    Employer,
    EmployerContact,
    Episode,
    ImportBatch,
    JobStart,
    Membership,
    User,
)
from ips.services import spreadsheets

from .conftest import login
from .factories import (
    EmployerFactory,
    EpisodeFactory,
    MembershipFactory,
    UserFactory,
)

TODAY = datetime.date(2026, 6, 15)
HOSTILE = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
]


# --- Building files ------------------------------------------------------------------------


def csv_file(rows: list[list], *, delimiter=";", encoding="utf-8-sig") -> bytes:
    text = "\r\n".join(delimiter.join(str(cell) for cell in row) for row in rows) + "\r\n"
    return text.encode(encoding)


def xlsx_file(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a text cell, even when it starts with "="
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def build(rows, file_type):
    return xlsx_file(rows) if file_type == "xlsx" else csv_file(rows)


# --- The pure module, without the database -----------------------------------------------


class TestPureReader:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("31.12.2025", datetime.date(2025, 12, 31)),
            ("1.2.2026", datetime.date(2026, 2, 1)),
            ("2025-12-31", datetime.date(2025, 12, 31)),
            (datetime.datetime(2025, 12, 31, 0, 0), datetime.date(2025, 12, 31)),
            (46022, datetime.date(2025, 12, 31)),  # an Excel serial number
        ],
    )
    def test_dates_in_finnish_iso_and_excel_form(self, value, expected):
        assert importing.parse_date(value, TODAY) == expected

    @pytest.mark.parametrize(
        "value", ["31.2.2025", "2025-02-30", "12/31/2025", "huomenna", "1.1.1850"]
    )
    def test_impossible_or_foreign_dates_are_refused(self, value):
        with pytest.raises(importing.CellError):
            importing.parse_date(value, TODAY)

    def test_utf8_with_and_without_bom(self):
        assert importing.decode_text("Päivä;Ö\n".encode("utf-8-sig")) == ("Päivä;Ö\n", "utf-8")
        assert importing.decode_text("Päivä;Ö\n".encode()) == ("Päivä;Ö\n", "utf-8")

    def test_windows_1252_is_the_fallback(self):
        assert importing.decode_text("Sukunimi\nMäkelä €\n".encode("cp1252")) == (
            "Sukunimi\nMäkelä €\n",
            "cp1252",
        )

    @pytest.mark.parametrize(
        "data",
        ["Nimi;Päivä\n".encode("utf-16"), bytes(range(256)) * 4, b"\x89PNG\r\n\x1a\n\x00\x00"],
    )
    def test_utf16_and_binary_are_refused_with_a_message(self, data):
        with pytest.raises(importing.ImportFileError) as error:
            importing.read_table(data)
        assert "UTF-8" in str(error.value.message)

    @pytest.mark.parametrize(
        ("delimiter", "name"), [(";", "semicolon"), (",", "comma"), ("\t", "tab")]
    )
    def test_delimiter_is_sniffed(self, delimiter, name):
        table = importing.read_table(csv_file([["a", "b"], ["1", "2"]], delimiter=delimiter))
        assert table.headers == ["a", "b"]
        assert table.rows == [(2, ["1", "2"])]

    def test_headers_are_matched_in_finnish_and_english(self):
        columns = services_columns("clients")
        finnish = importing.guess_mapping([" Etunimi * ", "SUKUNIMI", "Lähetepäivä"], columns)
        english = importing.guess_mapping(["last_name", "First name", "Referral date"], columns)

        assert finnish == {"first_name": 0, "last_name": 1, "referral_date": 2}
        assert english == {"first_name": 1, "last_name": 0, "referral_date": 2}

    def test_formula_cells_stay_text_in_csv_and_xlsx(self):
        rows = [["Nimi"], *[[value] for value in HOSTILE]]

        for data in (csv_file(rows), xlsx_file(rows)):
            table = importing.read_table(data)
            assert [cells[0] for _n, cells in table.rows] == HOSTILE

    def test_a_real_formula_cell_is_read_as_its_saved_value_never_as_a_formula(self):
        # openpyxl writes formula cells without a computed value, like a file never opened in
        # Excel: the import reads the value Excel saved (none here), not the formula.
        workbook = Workbook()
        workbook.active.append(["Nimi", "Minuutit"])
        workbook.active.append(["=cmd|' /C calc'!A0", "=1+1"])
        out = io.BytesIO()
        workbook.save(out)

        with pytest.raises(importing.ImportFileError, match="no rows to import"):
            importing.read_table(out.getvalue())  # both cells read as empty

    def test_a_10000_character_cell_is_an_error_with_row_and_column(self):
        table = importing.read_table(csv_file([["Nimi"], ["x" * 10_000]]))
        column = importing.Column("name", "Name", max_length=100)

        [row] = importing.parse_rows(table, [column], {"name": 0}, TODAY)

        assert row.errors[0].row == 2
        assert row.errors[0].column == "Name"
        assert "10000" in row.errors[0].message

    def test_too_many_rows_and_too_big_files_are_refused(self):
        rows = [["a"]] + [["1"]] * (importing.MAX_ROWS + 1)
        with pytest.raises(importing.ImportFileError, match="more than 5000 rows"):
            importing.read_table(csv_file(rows))
        with pytest.raises(importing.ImportFileError, match="larger than 5 MB"):
            importing.read_table(b"a\n" + b"x" * importing.MAX_FILE_BYTES)

    def test_empty_rows_are_skipped_but_row_numbers_kept(self):
        table = importing.read_table(csv_file([["a", "b"], ["", ""], ["1", "2"]]))
        assert table.rows == [(3, ["1", "2"])]

    def test_xlsx_date_and_number_cells_are_read_as_such(self):
        rows = [["Päivä", "Minuutit"], [datetime.datetime(2025, 12, 31), 45]]
        table = importing.read_table(xlsx_file(rows))
        date_column = importing.Column("date", "Date", kind="date")
        minutes = importing.Column("minutes", "Minutes", kind="int")

        [row] = importing.parse_rows(
            table, [date_column, minutes], {"date": 0, "minutes": 1}, TODAY
        )

        assert row.values == {"date": datetime.date(2025, 12, 31), "minutes": 45}
        assert row.errors == []

    def test_a_damaged_xlsx_is_a_message_not_a_crash(self):
        with pytest.raises(importing.ImportFileError):
            importing.read_table(importing.XLSX_MAGIC + b"not really a zip")

    def test_an_xlsx_that_unpacks_to_gigabytes_is_refused_before_it_is_read(self):
        # A real workbook plus a 60 MB part of zeros that deflates to about 60 kB.
        buffer = io.BytesIO(xlsx_file([["Etunimi"], ["Maija"]]))
        with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/media/bomb.bin", bytes(60 * 1024 * 1024))
        data = buffer.getvalue()
        assert len(data) < importing.MAX_FILE_BYTES

        with pytest.raises(importing.ImportFileError, match="unpacks to more than 50 MB"):
            importing.read_table(data)


def services_columns(kind):
    return spreadsheets.import_columns(kind)


# --- Fixtures ------------------------------------------------------------------------------


@pytest.fixture
def team_client(owner, team_a):
    return EpisodeFactory(
        coach=owner,
        team=team_a,
        client__first_name="Aino",
        client__last_name="Mäkelä",
        client__birth_year=1985,
        client__personal_identity_code="131052-308T",
        referral_date=datetime.date(2025, 1, 10),
        accepted_date=datetime.date(2025, 1, 15),
    ).client


@pytest.fixture
def other_lead(team_b):
    user = UserFactory(username="otherlead", role=User.Role.LEAD)
    MembershipFactory(user=user, team=team_b, role=Membership.Role.LEAD)
    return user


def import_file(http, *, kind, team, data, filename="data.csv"):
    """Upload, accept the guessed columns, return the preview response and the batch."""
    response = http.post(
        reverse("import-upload"),
        {"kind": kind, "team": team.pk, "file": _upload(data, filename)},
    )
    if response.status_code != 302:
        return response, None
    batch = ImportBatch.objects.latest("pk")
    return http.get(reverse("import-preview", args=[batch.pk])), batch


def _upload(data: bytes, filename: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(filename, data)


def confirm(http, batch):
    return http.post(reverse("import-confirm", args=[batch.pk]))


def good_rows(kind, *, owner, client=None):
    day = (timezone.localdate() - datetime.timedelta(days=3)).strftime("%d.%m.%Y")
    if kind == "clients":
        return [
            ["Etunimi", "Sukunimi", "Henkilötunnus", "Sukupuoli", "Valmentaja", "Lähetepäivä",
             "Lähettäjä", "Aloituspäivä", "Työtilanne alussa"],
            ["Eero", "Virtanen", "010190-123M", "male", owner.username, "31.12.2025",
             "Mielenterveyspalvelut", "2026-01-05", "out_of_work"],
            ["Liisa", "Ölander", "", "Nainen", owner.username, "2.1.2026", "self", "",
             "Out of work"],
        ]  # fmt: skip
    if kind == "contacts":
        return [
            ["Henkilötunnus", "Etunimi", "Sukunimi", "Päivä", "Minuutit", "Tapa", "Tarkoitus",
             "Muistiinpano"],
            [client.personal_identity_code, "", "", day, "45", "phone", "job_search", "Soitto"],
            ["", client.first_name, client.last_name, "31.12.2025", "60", "", "Career profile", ""],
        ]  # fmt: skip
    if kind == "employer_contacts":
        return [
            ["Päivä", "Valmentaja", "Työnantaja", "Y-tunnus", "Kasvokkain", "Tarkoitus",
             "Henkilötunnus", "Tulos"],
            [day, owner.username, "Kauppa Oy", "1572860-0", "kyllä", "learn_needs", "", "Soita"],
            [day, owner.username, "Kauppa Oy", "1572860-0", "ei", "present_candidate",
             client.personal_identity_code, ""],
        ]  # fmt: skip
    return [
        ["Henkilötunnus", "Työnantaja", "Y-tunnus", "Tehtävänimike", "Ammattiryhmä",
         "Aloituspäivä", "Tunnit viikossa", "Tuntipalkka", "Kuka löysi"],
        [client.personal_identity_code, "Kauppa Oy", "1572860-0", "Myyjä", "52", day, "20",
         "13,50", "coach"],
    ]  # fmt: skip


def counts():
    return {
        "clients": Client.objects.count(),
        "contacts": Contact.objects.count(),
        "employer_contacts": EmployerContact.objects.count(),
        "job_starts": JobStart.objects.count(),
    }


# --- Good files ----------------------------------------------------------------------------


@pytest.mark.parametrize("file_type", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", ["clients", "contacts", "employer_contacts", "job_starts"])
def test_a_good_file_of_each_kind_imports(lead, owner, team_a, team_client, kind, file_type):
    rows = good_rows(kind, owner=owner, client=team_client)
    before = counts()
    http = login(lead)

    preview, batch = import_file(
        http, kind=kind, team=team_a, data=build(rows, file_type), filename=f"f.{file_type}"
    )
    response = confirm(http, batch)

    assert preview.status_code == 200
    assert preview.context["plan"].errors == []
    assert response.status_code == 302
    assert counts()[kind] == before[kind] + len(rows) - 1
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED
    assert batch.created_count == len(rows) - 1
    assert batch.created_by == lead
    assert batch.content == b""  # the file (identity codes) is not kept after the import


def test_imported_clients_have_the_values_of_the_file(lead, owner, team_a):
    http = login(lead)
    preview, batch = import_file(
        http, kind="clients", team=team_a, data=csv_file(good_rows("clients", owner=owner))
    )

    confirm(http, batch)

    assert "<td>Mental health services</td>" in preview.content.decode()  # labels, not codes
    eero = Client.objects.get(last_name="Virtanen")
    liisa = Client.objects.get(last_name="Ölander")
    assert eero.birth_year == 1990  # from the identity code, as the form does
    assert eero.gender == "male"
    episode = eero.episodes.get()
    assert (episode.team, episode.coach) == (team_a, owner)
    assert episode.referral_date == datetime.date(2025, 12, 31)
    assert episode.referral_source == Episode.ReferralSource.MENTAL_HEALTH
    assert liisa.gender == "female"
    assert liisa.episodes.get().accepted_date is None


def test_job_start_adds_an_unknown_employer_once(lead, owner, team_a, team_client):
    http = login(lead)
    rows = good_rows("job_starts", owner=owner, client=team_client)
    rows.append([team_client.personal_identity_code, *rows[1][1:3], "Kassa", "52",
                 rows[1][5], "10", "12", "client"])  # fmt: skip

    _preview, batch = import_file(http, kind="job_starts", team=team_a, data=csv_file(rows))
    confirm(http, batch)

    employer = Employer.objects.get(business_id="1572860-0")
    assert employer.organisation == team_a.organisation
    assert JobStart.objects.filter(employer=employer).count() == 2
    job = JobStart.objects.get(job_title="Myyjä")
    assert job.hourly_wage == Decimal("13.50")
    assert job.created_by == lead


def test_the_import_is_logged_in_the_access_log(lead, owner, team_a, team_client):
    http = login(lead)
    _preview, batch = import_file(
        http, kind="contacts", team=team_a, data=csv_file(good_rows("contacts", owner=owner,
                                                                    client=team_client))
    )  # fmt: skip

    confirm(http, batch)

    event = AccessEvent.objects.get(action="create", what="import: contacts")
    assert event.user == lead
    assert list(event.clients.values_list("client_id", flat=True)) == [team_client.pk]
    preview_event = AccessEvent.objects.get(action="list", what="import preview")
    assert list(preview_event.clients.values_list("client_id", flat=True)) == [team_client.pk]


# --- Errors --------------------------------------------------------------------------------


def test_a_file_with_errors_lists_each_with_row_and_column_and_saves_nothing(
    lead, owner, team_a, team_client
):
    rows = [
        ["Henkilötunnus", "Päivä", "Minuutit", "Tarkoitus"],
        [team_client.personal_identity_code, "31.2.2025", "30", "job_search"],
        [team_client.personal_identity_code, "1.1.2026", "kolme", "job_search"],
        [team_client.personal_identity_code, "1.1.2026", "30", "lunch"],
        ["010190-123M", "1.1.2026", "30", "job_search"],
    ]
    http = login(lead)

    preview, batch = import_file(http, kind="contacts", team=team_a, data=csv_file(rows))
    response = confirm(http, batch)

    errors = [(e.row, e.column) for e in preview.context["plan"].errors]
    assert errors == [
        (2, "Date"),
        (3, "Minutes"),
        (4, "Purpose"),
        (5, "Personal identity code"),
    ]
    content = preview.content.decode()
    assert "31.2.2025 is not a real date." in content
    assert "Import 1 row" not in content
    assert "Import 0 rows" not in content
    assert response.status_code == 400
    assert Contact.objects.count() == 0
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PENDING


def test_one_bad_row_saves_nothing_at_all(lead, owner, team_a):
    rows = good_rows("clients", owner=owner)
    rows.append(["Paha", "Rivi", "", "", owner.username, "31.2.2025", "self", "", "out_of_work"])
    http = login(lead)

    preview, batch = import_file(http, kind="clients", team=team_a, data=csv_file(rows))
    response = confirm(http, batch)

    assert [(e.row, e.column) for e in preview.context["plan"].errors] == [(4, "Referral date")]
    assert response.status_code == 400
    assert Client.objects.count() == 0


def test_a_failure_while_saving_rolls_everything_back(
    lead, owner, team_a, team_client, monkeypatch
):
    calls = []
    real = spreadsheets.log_contact

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise ValidationError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(spreadsheets, "log_contact", failing)  # where the import calls it
    http = login(lead)
    _preview, batch = import_file(
        http,
        kind="contacts",
        team=team_a,
        data=csv_file(good_rows("contacts", owner=owner, client=team_client)),
    )

    response = confirm(http, batch)

    assert response.status_code == 400
    assert "Nothing was imported" in response.content.decode()
    assert Contact.objects.count() == 0
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PENDING


def test_a_clients_import_rolled_back_logs_no_ids_of_rows_that_no_longer_exist(
    lead, owner, team_a, monkeypatch
):
    calls = []
    real = spreadsheets.create_client

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise IntegrityError("unique constraint failed")
        return real(**kwargs)

    monkeypatch.setattr(spreadsheets, "create_client", failing)
    http = login(lead)
    _preview, batch = import_file(
        http, kind="clients", team=team_a, data=csv_file(good_rows("clients", owner=owner))
    )
    logged_before = set(AccessEventClient.objects.values_list("client_id", flat=True))

    response = confirm(http, batch)

    assert response.status_code == 400
    assert "Nothing was imported" in response.content.decode()
    assert Client.objects.count() == 0
    logged = set(AccessEventClient.objects.values_list("client_id", flat=True))
    assert logged == logged_before  # the first row's id was rolled back: never logged


# --- Idempotency ---------------------------------------------------------------------------


def test_the_same_file_again_is_refused_and_points_at_the_earlier_import(lead, owner, team_a):
    data = csv_file(good_rows("clients", owner=owner))
    http = login(lead)
    _preview, first = import_file(http, kind="clients", team=team_a, data=data)
    confirm(http, first)

    response, second = import_file(http, kind="clients", team=team_a, data=data)

    assert second is None
    assert response.status_code == 400
    assert "already imported" in response.content.decode()
    assert reverse("import-detail", args=[first.pk]) in response.content.decode()
    assert Client.objects.count() == 2
    assert ImportBatch.objects.count() == 1


def test_rows_already_recorded_are_skipped_in_a_changed_file(lead, owner, team_a, team_client):
    rows = good_rows("contacts", owner=owner, client=team_client)
    http = login(lead)
    _preview, first = import_file(http, kind="contacts", team=team_a, data=csv_file(rows))
    confirm(http, first)
    rows.append(["", team_client.first_name, team_client.last_name, "2.1.2026", "15", "video",
                 "benefits", "Uusi"])  # fmt: skip

    preview, second = import_file(http, kind="contacts", team=team_a, data=csv_file(rows))
    confirm(http, second)

    assert len(preview.context["plan"].existing_rows) == 2
    assert Contact.objects.count() == 3
    second.refresh_from_db()
    assert (second.created_count, second.skipped_count) == (1, 2)


def test_existing_clients_are_matched_not_duplicated(lead, owner, team_a, team_client):
    rows = good_rows("clients", owner=owner)
    rows.append(["Aino", "Mäkelä", team_client.personal_identity_code, "", owner.username,
                 "1.1.2026", "self", "", "out_of_work"])  # fmt: skip
    http = login(lead)

    preview, batch = import_file(http, kind="clients", team=team_a, data=csv_file(rows))
    confirm(http, batch)

    assert [row.status for row in preview.context["plan"].rows] == ["new", "new", "exists"]
    assert (
        Client.objects.filter(personal_identity_code=team_client.personal_identity_code).count()
        == 1
    )


def test_a_client_twice_in_one_file_is_an_error(lead, owner, team_a):
    rows = good_rows("clients", owner=owner)
    rows.append(rows[1])
    http = login(lead)

    preview, _batch = import_file(http, kind="clients", team=team_a, data=csv_file(rows))

    assert [(e.row, e.column) for e in preview.context["plan"].errors] == [(4, "First name")]


# --- Hostile cells -------------------------------------------------------------------------


@pytest.mark.parametrize("file_type", ["csv", "xlsx"])
def test_formula_cells_are_stored_as_plain_text(lead, owner, team_a, team_client, file_type):
    header = ["Henkilötunnus", "Päivä", "Minuutit", "Tarkoitus", "Muistiinpano"]
    rows = [header] + [
        [team_client.personal_identity_code, "1.1.2026", str(10 + n), "job_search", value]
        for n, value in enumerate(HOSTILE)
    ]
    http = login(lead)

    preview, batch = import_file(
        http, kind="contacts", team=team_a, data=build(rows, file_type), filename=f"f.{file_type}"
    )
    confirm(http, batch)

    assert sorted(Contact.objects.values_list("note", flat=True)) == sorted(HOSTILE)
    assert "=cmd|&#x27; /C calc&#x27;!A0" in preview.content.decode()  # escaped, inert


def test_formula_names_are_stored_as_text_and_defused_in_exports(lead, owner, team_a):
    from outcomes.exports import safe_cell

    rows = [
        ["Etunimi", "Sukunimi", "Lähetepäivä", "Lähettäjä", "Työtilanne alussa", "Valmentaja"],
        [HOSTILE[0], HOSTILE[1], "1.1.2026", "self", "out_of_work", owner.username],
    ]
    http = login(lead)
    _preview, batch = import_file(http, kind="clients", team=team_a, data=csv_file(rows))

    confirm(http, batch)

    client = Client.objects.get()
    assert (client.first_name, client.last_name) == (HOSTILE[0], HOSTILE[1][:100])
    assert all(safe_cell(value) == "'" + value for value in HOSTILE)


def test_a_10000_character_string_is_a_clear_error(lead, owner, team_a):
    rows = [
        ["Etunimi", "Sukunimi", "Lähetepäivä", "Lähettäjä", "Työtilanne alussa", "Valmentaja"],
        ["ä" * 10_000, "Virtanen", "1.1.2026", "self", "out_of_work", owner.username],
    ]
    http = login(lead)

    preview, _batch = import_file(http, kind="clients", team=team_a, data=csv_file(rows))

    assert preview.status_code == 200
    [error] = preview.context["plan"].errors
    assert (error.row, error.column) == (2, "First name")
    assert "10000 characters long; at most 100 fit" in error.message
    assert Client.objects.count() == 0


def test_a_windows_1252_file_keeps_its_scandinavian_letters(lead, owner, team_a):
    rows = [
        ["Etunimi", "Sukunimi", "Lähetepäivä", "Lähettäjä", "Työtilanne alussa", "Valmentaja"],
        ["Åsa", "Öhman-Mäkelä", "31.12.2025", "self", "out_of_work", owner.username],
    ]
    http = login(lead)
    response = http.post(
        reverse("import-upload"),
        {
            "kind": "clients",
            "team": team_a.pk,
            "file": _upload(csv_file(rows, encoding="cp1252"), "w.csv"),
        },
    )
    batch = ImportBatch.objects.get()

    mapping = http.get(reverse("import-mapping", args=[batch.pk]))
    confirm(http, batch)

    assert response.status_code == 302
    assert "read as Windows text" in mapping.content.decode()
    assert Client.objects.get().last_name == "Öhman-Mäkelä"


@pytest.mark.parametrize(
    "data",
    [
        "Etunimi;Sukunimi\nÄ;Ö\n".encode("utf-16"),
        b"\x00\x01\x02\xff\xfe garbage \x00" * 100,
        b"",
        b"Etunimi;Sukunimi\n",
    ],
    ids=["utf-16", "binary", "empty", "no-rows"],
)
def test_unreadable_files_get_a_clear_message_not_a_500(lead, team_a, data):
    http = login(lead)

    response = http.post(
        reverse("import-upload"),
        {"kind": "clients", "team": team_a.pk, "file": _upload(data, "bad.csv")},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert ImportBatch.objects.count() == 0


def test_a_too_big_file_is_refused(lead, team_a, settings):
    http = login(lead)
    data = b"Etunimi\n" + b"x\n" * (importing.MAX_FILE_BYTES // 2 + 1)

    response = http.post(
        reverse("import-upload"),
        {"kind": "clients", "team": team_a.pk, "file": _upload(data, "big.csv")},
    )

    assert response.status_code == 400
    assert "larger than 5 MB" in response.content.decode()


# --- Access --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["owner", "evaluator", "reviewer"])
def test_only_leads_reach_the_import_pages(request, team_a, persona):
    user = request.getfixturevalue(persona)
    http = login(user)

    for name in ("import-list", "import-upload"):
        assert http.get(reverse(name)).status_code == 403
    response = http.post(
        reverse("import-upload"),
        {"kind": "clients", "team": team_a.pk, "file": _upload(b"a\n1\n", "a.csv")},
    )
    assert response.status_code == 403
    assert ImportBatch.objects.count() == 0


def test_a_lead_of_another_team_cannot_import_into_this_team_or_see_its_imports(
    lead, other_lead, owner, team_a
):
    http = login(lead)
    _preview, batch = import_file(
        http, kind="clients", team=team_a, data=csv_file(good_rows("clients", owner=owner))
    )
    other = login(other_lead)

    upload = other.post(
        reverse("import-upload"),
        {"kind": "clients", "team": team_a.pk, "file": _upload(b"Etunimi\nx\n", "a.csv")},
    )
    pages = [
        other.get(reverse(name, args=[batch.pk])).status_code
        for name in ("import-detail", "import-mapping", "import-preview")
    ]
    posted = other.post(reverse("import-confirm", args=[batch.pk])).status_code

    assert upload.status_code == 400
    assert "team" in upload.context["form"].errors
    assert pages == [404, 404, 404]
    assert posted == 404
    assert Client.objects.count() == 0
    assert batch.filename not in other.get(reverse("import-list")).content.decode()


def test_a_client_outside_the_leads_teams_looks_exactly_like_a_missing_one(
    lead, owner, team_a, team_b
):
    outsider = EpisodeFactory(team=team_b, client__personal_identity_code="010190-123M").client
    rows = [
        ["Henkilötunnus", "Päivä", "Minuutit", "Tarkoitus"],
        [outsider.personal_identity_code, "1.1.2026", "30", "job_search"],
        ["131052-308T", "1.1.2026", "30", "job_search"],
    ]
    http = login(lead)

    preview, _batch = import_file(http, kind="contacts", team=team_a, data=csv_file(rows))

    first, second = preview.context["plan"].errors
    assert first.message.replace("010190-", "X") == second.message.replace("131052-", "X")
    assert outsider.last_name not in preview.content.decode()


def test_a_pending_import_belongs_to_the_lead_who_uploaded_it(lead, owner, team_a):
    colead = UserFactory(username="colead", role=User.Role.LEAD)
    MembershipFactory(user=colead, team=team_a, role=Membership.Role.LEAD)
    _preview, batch = import_file(
        login(lead), kind="clients", team=team_a, data=csv_file(good_rows("clients", owner=owner))
    )
    http = login(colead)

    assert http.get(reverse("import-detail", args=[batch.pk])).status_code == 200
    assert http.get(reverse("import-preview", args=[batch.pk])).status_code == 404
    assert http.post(reverse("import-confirm", args=[batch.pk])).status_code == 404


# --- Malformed requests --------------------------------------------------------------------


def test_malformed_posts_get_4xx(lead, owner, team_a):
    http = login(lead)
    _preview, batch = import_file(
        http, kind="clients", team=team_a, data=csv_file(good_rows("clients", owner=owner))
    )

    no_file = http.post(reverse("import-upload"), {"kind": "clients", "team": team_a.pk})
    bad_kind = http.post(
        reverse("import-upload"),
        {"kind": "rockets", "team": "x", "file": _upload(b"a\n1\n", "a.csv")},
    )
    wrong_type = http.post(
        reverse("import-upload"),
        {"kind": "clients", "team": team_a.pk, "file": _upload(b"a\n1\n", "a.exe")},
    )
    bad_mapping = http.post(
        reverse("import-mapping", args=[batch.pk]),
        {"col_first_name": "999", "col_last_name": "abc", "col_referral_date": "0"},
    )
    get_confirm = http.get(reverse("import-confirm", args=[batch.pk]))
    huge_id = http.get(f"/imports/{2**70}/")

    assert no_file.status_code == 400
    assert bad_kind.status_code == 400
    assert wrong_type.status_code == 400
    assert bad_mapping.status_code == 400
    assert get_confirm.status_code == 405
    assert huge_id.status_code == 404
    assert Client.objects.count() == 0


def test_mapping_can_be_changed_and_required_fields_are_enforced(lead, owner, team_a):
    rows = [["Nimi 1", "Nimi 2", "Pvm", "Mistä", "Tilanne"],
            ["Eero", "Virtanen", "1.1.2026", "self", "out_of_work"]]  # fmt: skip
    http = login(lead)
    http.post(
        reverse("import-upload"),
        {"kind": "clients", "team": team_a.pk, "file": _upload(csv_file(rows), "a.csv")},
    )
    batch = ImportBatch.objects.get()

    too_early = http.get(reverse("import-preview", args=[batch.pk]))
    missing = http.post(reverse("import-mapping", args=[batch.pk]), {"col_first_name": "0"})
    chosen = http.post(
        reverse("import-mapping", args=[batch.pk]),
        {
            "col_first_name": "0",
            "col_last_name": "1",
            "col_referral_date": "2",
            "col_referral_source": "3",
            "col_employment_status_at_entry": "4",
        },
    )
    preview = http.get(reverse("import-preview", args=[batch.pk]))

    assert too_early.status_code == 302
    assert missing.status_code == 400
    assert "Choose the column that holds this field." in missing.content.decode()
    assert chosen.status_code == 302
    assert preview.context["plan"].errors == []  # the lead leads the team and coaches by default


def test_the_mapping_page_masks_identity_codes_in_the_sample(lead, team_a):
    rows = [["Henkilötunnus", "Päivä"], ["131052-308T", "1.1.2026"]]
    http = login(lead)
    http.post(
        reverse("import-upload"),
        {"kind": "contacts", "team": team_a.pk, "file": _upload(csv_file(rows), "a.csv")},
    )

    content = http.get(reverse("import-mapping", args=[ImportBatch.objects.get().pk])).content

    assert b"131052-****" in content
    assert b"131052-308T" not in content


def test_a_file_left_waiting_for_a_day_is_dropped(lead, owner, team_a):
    http = login(lead)
    _preview, old = import_file(
        http, kind="clients", team=team_a, data=csv_file(good_rows("clients", owner=owner))
    )
    ImportBatch.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )

    import_file(http, kind="contacts", team=team_a, data=csv_file([["a"], ["1"]]))

    old.refresh_from_db()
    assert old.status == ImportBatch.Status.CANCELLED
    assert bytes(old.content) == b""


def test_a_file_left_waiting_for_a_day_can_no_longer_be_imported(lead, owner, team_a):
    http = login(lead)
    _preview, old = import_file(
        http, kind="clients", team=team_a, data=csv_file(good_rows("clients", owner=owner))
    )
    ImportBatch.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )

    preview = http.get(reverse("import-preview", args=[old.pk]))
    response = confirm(http, old)

    assert preview.status_code == 302
    assert response.status_code == 302
    assert "waited for more than a day" in http.get(response.url).content.decode()
    assert Client.objects.count() == 0


def test_purge_expired_empties_files_left_waiting(lead, owner, team_a):
    http = login(lead)
    _preview, old = import_file(
        http, kind="clients", team=team_a, data=csv_file(good_rows("clients", owner=owner))
    )
    ImportBatch.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )

    call_command("purge_expired", stdout=io.StringIO())

    old.refresh_from_db()
    assert old.status == ImportBatch.Status.CANCELLED
    assert bytes(old.content) == b""


def test_cancel_drops_the_file(lead, owner, team_a):
    http = login(lead)
    _preview, batch = import_file(
        http, kind="clients", team=team_a, data=csv_file(good_rows("clients", owner=owner))
    )

    http.post(reverse("import-cancel", args=[batch.pk]))

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CANCELLED
    assert bytes(batch.content) == b""
    assert confirm(http, batch).status_code == 302
    assert Client.objects.count() == 0


# --- History and templates -----------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 30])
def test_history_query_count_does_not_grow_with_rows(lead, team_a, rows, django_assert_num_queries):
    for n in range(rows):
        ImportBatch.objects.create(
            team=team_a, kind="clients", created_by=lead, filename=f"{n}.csv", size=1,
            sha256=f"{n:064d}",
        )  # fmt: skip
    http = login(lead)
    http.get(reverse("import-list"))  # warm-up

    # session, user, the 2FA device, led teams exist, count, the page's rows (team and
    # uploader joined); the savepoint of ATOMIC_REQUESTS and its release.
    with django_assert_num_queries(8):
        response = http.get(reverse("import-list"))

    assert len(response.context["page"].object_list) == rows


def test_history_lists_imports_of_the_leads_teams(lead, owner, team_a):
    http = login(lead)
    _preview, batch = import_file(
        http, kind="clients", team=team_a, data=csv_file(good_rows("clients", owner=owner)),
        filename="asiakkaat.csv",
    )  # fmt: skip
    confirm(http, batch)
    http.get(reverse("import-detail", args=[batch.pk]))  # shows the "Imported 2 rows." message

    content = http.get(reverse("import-list")).content.decode()

    [row] = re.findall(r"<tr>\s*<td><a href=\"/imports/\d+/\">.*?</tr>", content, re.S)
    cells = [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)
    ]
    assert cells[3:] == ["Clients", "asiakkaat.csv", "Imported", "2", "2", "0"]


@pytest.mark.parametrize("language", ["fi", "en"])
@pytest.mark.parametrize("kind", ImportBatch.Kind.values)
def test_example_templates_have_every_column_and_match_the_code(kind, language):
    from django.conf import settings

    folder = settings.BASE_DIR / "static" / "import-templates"
    columns = spreadsheets.import_columns(kind)
    for file_type in ("csv", "xlsx"):
        table = importing.read_table((folder / f"{kind}_{language}.{file_type}").read_bytes())
        mapping = importing.guess_mapping(table.headers, columns)
        assert mapping == {column.field: index for index, column in enumerate(columns)}
    assert (folder / f"{kind}_{language}.csv").read_bytes() == spreadsheets.import_template(
        kind, language, "csv"
    )


def test_the_upload_page_links_the_templates_and_leads_see_the_nav_link(lead):
    http = login(lead)

    content = http.get(reverse("import-upload")).content.decode()

    assert "/static/import-templates/clients_fi.xlsx" in content
    assert "/static/import-templates/job_starts_en.csv" in content
    assert reverse("import-list") in content


def test_uploaded_xlsx_files_are_parsed_with_defusedxml():
    """openpyxl guards against entity-expansion ("billion laughs") XML only when defusedxml is
    installed; it is a dependency for that reason."""
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True


@pytest.mark.parametrize("kind", ["clients", "job_starts"])
def test_preview_and_import_queries_do_not_grow_with_the_rows_checked(lead, owner, team_a, kind):
    """Check constraints are evaluated in Python (ips.conditions) and earlier records are read
    once: the preview's query count is the same for 2 rows and for 40, and the import adds a
    fixed number per saved row."""
    EmployerFactory(organisation=team_a.organisation, name="Kauppa Oy")
    clients = [
        EpisodeFactory(
            team=team_a, coach=owner, client__first_name=f"Asiakas{n}", client__last_name="Aalto"
        ).client
        for n in range(42)
    ]
    day = (timezone.localdate() - datetime.timedelta(days=3)).strftime("%d.%m.%Y")

    def rows(people, prefix):
        if kind == "clients":
            header = ["Etunimi", "Sukunimi", "Valmentaja", "Lähetepäivä", "Lähettäjä",
                      "Työtilanne alussa"]  # fmt: skip
            body = [[f"{prefix}{n}", "Ranta", owner.username, day, "self", "out_of_work"]
                    for n in range(len(people))]  # fmt: skip
        else:
            header = ["Etunimi", "Sukunimi", "Työnantaja", "Tehtävänimike", "Ammattiryhmä",
                      "Aloituspäivä", "Tunnit viikossa", "Tuntipalkka", "Kuka löysi"]  # fmt: skip
            body = [[c.first_name, c.last_name, "Kauppa Oy", "Myyjä", "93", day, "20", "13,50",
                     "coach"] for c in people]  # fmt: skip
        return csv_file([header, *body])

    def counted(people, prefix):
        http = login(lead)
        response, batch = import_file(http, kind=kind, team=team_a, data=rows(people, prefix))
        assert response.status_code == 200
        with CaptureQueriesContext(connection) as preview:
            http.get(reverse("import-preview", args=[batch.pk]))
        with CaptureQueriesContext(connection) as saving:
            assert confirm(http, batch).status_code == 302
        return len(preview), len(saving)

    preview_2, saving_2 = counted(clients[40:], "Uusi")
    preview_40, saving_40 = counted(clients[:40], "Toinen")

    assert preview_40 == preview_2
    per_row = (saving_40 - saving_2) / 38
    assert per_row == int(per_row)  # a fixed number of queries per saved row
    assert per_row <= 12


def test_a_tracker_that_gained_identity_codes_does_not_create_the_same_client_twice(
    lead, owner, team_a
):
    day = (timezone.localdate() - datetime.timedelta(days=3)).strftime("%d.%m.%Y")
    header = ["Etunimi", "Sukunimi", "Syntymävuosi", "Henkilötunnus", "Valmentaja",
              "Lähetepäivä", "Lähettäjä", "Työtilanne alussa"]  # fmt: skip
    http = login(lead)
    _preview, first = import_file(
        http,
        kind="clients",
        team=team_a,
        data=csv_file(
            [header, ["Eero", "Virtanen", "1990", "", owner.username, day, "self", "out_of_work"]]
        ),  # fmt: skip
    )
    confirm(http, first)

    preview, second = import_file(
        http,
        kind="clients",
        team=team_a,
        data=csv_file(
            [
                header,
                ["Eero", "Virtanen", "", "010190-123M", owner.username, day, "self", "out_of_work"],
            ]
        ),  # fmt: skip
    )
    confirm(http, second)

    assert "Recorded without an identity code; skipped." in preview.content.decode()
    assert Client.objects.filter(first_name="Eero").count() == 1
