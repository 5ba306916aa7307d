"""Evaluation exports: nothing identifying leaves, k-anonymity holds (checked independently
with pycanon), exports cannot be linked, and the risk report tells the truth."""

import datetime
import io
import zipfile

import pandas as pd
import pytest
from django.utils import translation
from pycanon import anonymity

from ips.models import AccessEvent
from outcomes.anonymise import QUASI_IDENTIFIERS, ExportRefused, anonymise
from outcomes.exports import ExportParameters, build_export, codebook, csv_bytes, safe_cell
from outcomes.models import ExportRecord
from outcomes.services import run_export
from tests.factories import (
    ContactFactory,
    EmployerContactFactory,
    EpisodeFactory,
    JobStartFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)


@pytest.fixture
def dataset(team_a, owner):
    """40 clients: varied enough to need generalisation, regular enough for k = 5."""
    episodes = []
    for n in range(40):
        episode = EpisodeFactory(
            coach=owner,
            team=team_a,
            client__first_name=f"Firstname{n}",
            client__last_name=f"Surname{n}",
            client__personal_identity_code="",
            client__phone=f"040 555 00{n:02d}",
            client__email=f"client{n}@example.fi",
            client__birth_year=1960 + (n % 4) * 10,
            client__gender="female" if n % 2 else "male",
            referral_date=START + datetime.timedelta(days=n),
            accepted_date=START + datetime.timedelta(days=n + 2),
        )
        ContactFactory(episode=episode, note=f"SECRET NOTE {n}")
        if n % 3 == 0:
            JobStartFactory(episode=episode, start_date=START + datetime.timedelta(days=n + 30))
        if n % 4 == 0:
            EmployerContactFactory(
                coach=owner,
                team=team_a,
                clients=[episode.client],
                kind="client",
                date=START + datetime.timedelta(days=n + 5),
            )
        episodes.append(episode)
    return episodes


def _params(user, teams, **overrides):
    values = {"user": user, "teams": teams, "start": START, "end": END}
    values.update(overrides)
    return ExportParameters(**values)


def _read(content, name):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        data = archive.read(name)
    return names, data


def test_zip_holds_the_datasets_codebook_and_risk_report(dataset, team_a, evaluator):
    result = build_export(_params(evaluator, [team_a]))

    names, _ = _read(result.content, "risk_report.json")
    assert sorted(names) == ["codebook.csv", "job.csv", "person.csv", "risk_report.json"]


def test_no_identifier_or_note_text_anywhere_in_the_zip(dataset, team_a, evaluator):
    for fmt in ("csv", "xlsx", "parquet"):
        result = build_export(_params(evaluator, [team_a], format=fmt))

        with zipfile.ZipFile(io.BytesIO(result.content)) as archive:
            blob = b"".join(archive.read(name) for name in archive.namelist())
        for episode in dataset:
            client = episode.client
            for secret in (client.first_name, client.last_name, client.phone, client.email):
                assert secret.encode() not in blob
        assert b"SECRET NOTE" not in blob
        assert b"Firstname" not in blob


def test_k_anonymity_holds_checked_with_pycanon(dataset, team_a, evaluator):
    result = build_export(_params(evaluator, [team_a], k=5))

    _, data = _read(result.content, "person.csv")
    person = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    k = anonymity.k_anonymity(person, list(QUASI_IDENTIFIERS))
    report = result.risk_report
    assert k >= 5
    assert k == report["k_achieved"]
    assert report["max_prosecutor_risk"] == round(1 / k, 4)
    assert report["rows"]["person"] == len(person) == 40 - report["records_suppressed"]
    l_value = anonymity.l_diversity(person, list(QUASI_IDENTIFIERS), ["worked_competitive"])
    assert l_value == report["l_diversity"]["l_achieved"]


def test_job_rows_link_to_person_rows_only(dataset, team_a, evaluator):
    result = build_export(_params(evaluator, [team_a]))

    person = pd.read_csv(io.BytesIO(_read(result.content, "person.csv")[1]), dtype=str)
    job = pd.read_csv(io.BytesIO(_read(result.content, "job.csv")[1]), dtype=str)
    assert set(job["person_id"]) <= set(person["person_id"])
    assert len(job) == result.job_rows > 0
    assert "job_id" not in job.columns
    assert "episode_id" not in person.columns


def test_two_exports_share_no_ids(dataset, team_a, evaluator):
    first = build_export(_params(evaluator, [team_a]))
    second = build_export(_params(evaluator, [team_a]))

    ids = [
        set(pd.read_csv(io.BytesIO(_read(r.content, "person.csv")[1]), dtype=str)["person_id"])
        for r in (first, second)
    ]
    assert ids[0].isdisjoint(ids[1])
    assert first.sha256 != second.sha256


def test_k_below_3_is_refused(dataset, team_a, evaluator):
    with pytest.raises(ValueError, match="at least 3"):
        build_export(_params(evaluator, [team_a], k=2))


def test_too_much_suppression_refuses_the_export():
    raw = pd.DataFrame(
        {
            "age_at_entry": [25, 35, 45, 55, 65, 75],
            "entry_date": pd.to_datetime(["2026-01-05"] * 6),
            "region": ["A", "B", "C", "D", "E", "F"],
            "gender": ["female", "male"] * 3,
            "employment_status_at_entry": ["out_of_work", "in_work_at_risk", "employed_seeking"]
            * 2,
            "worked_competitive": [True, False] * 3,
        }
    )

    # At the coarsest step all 6 rows share one group, so k = 5 holds with no suppression.
    assert anonymise(raw, k=5).suppressed == 0
    with pytest.raises(ExportRefused):
        anonymise(raw, k=7)


def test_refused_and_delivered_exports_are_logged(dataset, team_a, evaluator, team_b):
    result, record = run_export(None, _params(evaluator, [team_a]))
    refused, refused_record = run_export(None, _params(evaluator, [team_b]))

    assert (record.status, record.sha256, record.person_rows) == (
        "ok",
        result.sha256,
        result.person_rows,
    )
    assert (refused, refused_record.status) == (None, "refused")
    assert "no clients" in refused_record.message
    event = AccessEvent.objects.get(action="export", outcome="ok")
    assert sorted(event.clients.values_list("client_id", flat=True)) == result.client_ids
    assert ExportRecord.objects.count() == 2


def test_pseudonymised_extract_is_stable_and_labelled(dataset, team_a, evaluator, settings):
    settings.IPS_PSEUDONYM_KEY = "k" * 40
    params = _params(evaluator, [team_a], mode="pseudonymised")

    first, second = build_export(params), build_export(params)

    def pseudonyms(result):
        person = pd.read_csv(io.BytesIO(_read(result.content, "person.csv")[1]), dtype=str)
        return set(person["pseudonym"])

    assert pseudonyms(first) == pseudonyms(second)
    assert len(pseudonyms(first)) == 40
    names, readme = _read(first.content, "README_PERSONAL_DATA.txt")
    assert b"PSEUDONYMISED PERSONAL DATA" in readme
    assert first.risk_report["personal_data"] is True


def test_pseudonymised_extract_needs_a_key(dataset, team_a, evaluator, settings):
    settings.IPS_PSEUDONYM_KEY = ""

    result, record = run_export(None, _params(evaluator, [team_a], mode="pseudonymised"))

    assert result is None
    assert record.status == "failed"


@pytest.mark.parametrize("value", ['=HYPERLINK("x")', "+1", "-1+1", "@SUM(A1)", "\tx"])
def test_formula_cells_are_defused(value):
    assert safe_cell(value) == "'" + value
    assert safe_cell("plain") == "plain"
    assert safe_cell(-5) == -5


def test_hostile_region_name_is_defused_in_every_format(owner, evaluator):
    from tests.factories import MembershipFactory, TeamFactory

    team = TeamFactory(organisation=OrganisationFactory(name='=HYPERLINK("http://x")'))
    MembershipFactory(user=owner, team=team)
    for _n in range(6):
        EpisodeFactory(
            coach=owner,
            team=team,
            client__birth_year=1980,
            client__gender="female",
            referral_date=START,
            accepted_date=START,
        )

    result = build_export(_params(evaluator, [team], k=5))

    person = pd.read_csv(io.BytesIO(_read(result.content, "person.csv")[1]), dtype=str)
    assert set(person["region"]) == {'\'=HYPERLINK("http://x")'}


def test_vectorised_banding_matches_the_reference_function():
    from outcomes.anonymise import band
    from outcomes.exports import DAY_EDGES, DAY_LABELS, _band_days

    values = [-3, 0, 30, 31, 60, 61, 150, 151, 270, 271, 5000, None]

    banded = _band_days(pd.Series(values, dtype="object")).tolist()

    assert banded == [band(v, DAY_EDGES, DAY_LABELS) if v is not None else "none" for v in values]


@pytest.mark.parametrize(
    ("language", "meaning", "generalisation"),
    [
        ("en", "Gender as recorded", "as recorded"),
        ("fi", "Sukupuoli kirjattuna", "kirjattuna"),
        ("sv", "Kön enligt registreringen", "enligt registreringen"),
    ],
)
def test_codebook_is_in_the_exporters_language_and_codes_stay_codes(
    language, meaning, generalisation
):
    with translation.override(language):
        book = codebook(ExportRecord.Mode.ANONYMISED, {"gender": "as recorded"})

    gender = book.set_index("column").loc["gender"]
    assert gender["meaning"] == meaning
    assert gender["generalisation"] == generalisation
    assert gender["allowed_values"] == "female, male, other, unknown, *"
    assert list(book.columns) == [
        "dataset",
        "column",
        "meaning",
        "type",
        "allowed_values",
        "generalisation",
    ]


def test_csv_files_read_back_as_the_frame_that_was_written():
    frame = pd.DataFrame(
        {
            "person_id": ["0a1b2c3d4e5f", "ffffffffffff"],
            "band": ["30–39", None],
            "reason": ["'=cmd|' /C calc'!A0", 'moved, then "returned"'],
            "worked": [True, False],
            "jobs": [0, 3],
        }
    )

    text = csv_bytes(frame).decode()
    back = pd.read_csv(io.StringIO(text), keep_default_na=False)

    assert text.splitlines()[1] == '"0a1b2c3d4e5f","30–39","' + "'=cmd|' /C calc'!A0" + '",true,0'
    assert back["band"].tolist() == ["30–39", ""]
    assert back["reason"].tolist() == frame["reason"].tolist()
    assert back["worked"].tolist() == [True, False]
    assert back["jobs"].tolist() == [0, 3]
