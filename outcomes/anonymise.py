"""Anonymisation of the person-level evaluation dataset, as pure functions over DataFrames.

The quasi-identifiers (QIs) are generalised along fixed, versioned hierarchies, one ladder step
at a time, until every group of rows sharing the same QI values has at least ``k`` rows after
suppressing the rows of smaller groups, with no more than ``max_suppression`` of all rows
suppressed. If no step of the ladder gets there, the export is refused: an export that hides a
large share of the people would mislead its users.

Free text, names, contact details, identity codes, internal ids, dates of birth and calendar
dates are never in the input frame: the caller builds it from an allow-list (``exports.py``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.utils.translation import gettext, gettext_noop

HIERARCHY_VERSION = "ips-qi-hierarchies-v1"
MIN_K = 3
DEFAULT_K = 5
DEFAULT_MAX_SUPPRESSION = 0.10
SUPPRESSED = "*"

QUASI_IDENTIFIERS = ("age_band", "gender", "region", "entry_period", "employment_status_at_entry")

# Each QI's generalisation levels, most detailed first. Level functions take the raw column
# values (age at entry in years, entry date, region name, …) and return strings.


def _age_level0(age: float) -> str:
    if pd.isna(age):
        return "unknown"
    if age < 30:
        return "<30"
    if age >= 60:
        return "60+"
    low = int(age // 10 * 10)
    return f"{low}–{low + 9}"


def _age_level1(age: float) -> str:
    if pd.isna(age):
        return "unknown"
    return "<40" if age < 40 else "40+"


def _quarter(day) -> str:
    if pd.isna(day):
        return "unknown"
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def _year(day) -> str:
    return "unknown" if pd.isna(day) else str(day.year)


HIERARCHIES = {
    "age_band": [_age_level0, _age_level1, lambda _v: SUPPRESSED],
    "entry_period": [_quarter, _year, lambda _v: SUPPRESSED],
    "region": [str, lambda _v: SUPPRESSED],
    "gender": [str, lambda _v: SUPPRESSED],
    "employment_status_at_entry": [str, lambda _v: SUPPRESSED],
}
# English in the risk report; the codebook shows them in the exporter's language.
HIERARCHY_DESCRIPTIONS = {
    "age_band": [
        gettext_noop("10-year bands, <30 and 60+ coded together"),
        "<40 / 40+",
        gettext_noop("suppressed"),
    ],
    "entry_period": [
        gettext_noop("quarter of entry"),
        gettext_noop("year of entry"),
        gettext_noop("suppressed"),
    ],
    "region": [
        gettext_noop("wellbeing services county"),
        gettext_noop("suppressed (whole country)"),
    ],
    "gender": [gettext_noop("as recorded"), gettext_noop("suppressed")],
    "employment_status_at_entry": [gettext_noop("as recorded"), gettext_noop("suppressed")],
}
RAW_COLUMNS = {
    "age_band": "age_at_entry",
    "entry_period": "entry_date",
    "region": "region",
    "gender": "gender",
    "employment_status_at_entry": "employment_status_at_entry",
}

# The generalisation ladder: QI levels tried in order, least generalised first.
LADDER = [
    {"age_band": 0, "entry_period": 0, "region": 0, "gender": 0, "employment_status_at_entry": 0},
    {"age_band": 0, "entry_period": 1, "region": 0, "gender": 0, "employment_status_at_entry": 0},
    {"age_band": 1, "entry_period": 1, "region": 0, "gender": 0, "employment_status_at_entry": 0},
    {"age_band": 1, "entry_period": 1, "region": 1, "gender": 0, "employment_status_at_entry": 0},
    {"age_band": 1, "entry_period": 2, "region": 1, "gender": 0, "employment_status_at_entry": 0},
    {"age_band": 1, "entry_period": 2, "region": 1, "gender": 1, "employment_status_at_entry": 0},
    {"age_band": 2, "entry_period": 2, "region": 1, "gender": 1, "employment_status_at_entry": 0},
    {"age_band": 2, "entry_period": 2, "region": 1, "gender": 1, "employment_status_at_entry": 1},
]


class ExportRefused(ValueError):
    """The data cannot be made k-anonymous within the suppression limit."""


@dataclass
class AnonymisedData:
    frame: pd.DataFrame
    kept_index: pd.Index
    levels: dict[str, int]
    k_required: int
    k_achieved: int
    suppressed: int
    total: int
    group_count: int
    single_outcome_groups: int
    l_diversity: int
    descriptions: dict[str, str] = field(default_factory=dict)

    @property
    def max_prosecutor_risk(self) -> float:
        return round(1 / self.k_achieved, 4) if self.k_achieved else 0.0


def validate_k(k: int) -> int:
    if k < MIN_K:
        raise ValueError(f"k must be at least {MIN_K}")
    return k


def _map_distinct(values: pd.Series, function) -> np.ndarray:
    """``values.map(function)``, calling the function once per distinct value (an export has
    tens of thousands of rows but few ages, dates or regions). Missing values share one call."""
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    missing = values[codes == -1]
    labels = [function(value) for value in distinct]
    labels.append(function(missing.iloc[0]) if len(missing) else None)
    return np.array(labels, dtype=object)[codes]


def generalise(raw: pd.DataFrame, levels: dict[str, int]) -> pd.DataFrame:
    """The QI columns at the given hierarchy levels."""
    return pd.DataFrame(
        {
            qi: _map_distinct(raw[RAW_COLUMNS[qi]], HIERARCHIES[qi][level])
            for qi, level in levels.items()
        },
        index=raw.index,
    )


def group_sizes(qis: pd.DataFrame) -> pd.Series:
    """For each row, the size of its equivalence class on the QIs."""
    return qis.groupby(list(qis.columns), dropna=False)[qis.columns[0]].transform("size")


def anonymise(
    raw: pd.DataFrame,
    *,
    k: int = DEFAULT_K,
    max_suppression: float = DEFAULT_MAX_SUPPRESSION,
    outcome: str = "worked_competitive",
) -> AnonymisedData:
    """Generalise and suppress until k-anonymous; refuse if that needs too much suppression.

    ``raw`` has the raw QI columns (see ``RAW_COLUMNS``) and the outcome columns. The result
    frame has the generalised QIs instead of the raw ones, only for the rows kept.
    """
    validate_k(k)
    total = len(raw)
    if total == 0:
        raise ExportRefused(gettext("no rows to export"))
    for levels in LADDER:
        qis = generalise(raw, levels)
        sizes = group_sizes(qis)
        keep = sizes >= k
        suppressed = int((~keep).sum())
        if keep.any() and suppressed / total <= max_suppression:
            kept_qis = qis[keep]
            frame = pd.concat(
                [kept_qis, raw.loc[keep].drop(columns=list(RAW_COLUMNS.values()))], axis=1
            )
            grouped = frame.groupby(list(QUASI_IDENTIFIERS), dropna=False)[outcome]
            distinct = grouped.nunique(dropna=False)
            return AnonymisedData(
                frame=frame,
                kept_index=frame.index,
                levels=dict(levels),
                k_required=k,
                k_achieved=int(sizes[keep].min()),
                suppressed=suppressed,
                total=total,
                group_count=len(distinct),
                single_outcome_groups=int((distinct == 1).sum()),
                l_diversity=int(distinct.min()),
                descriptions={
                    qi: HIERARCHY_DESCRIPTIONS[qi][level] for qi, level in levels.items()
                },
            )
    raise ExportRefused(
        gettext(
            "k=%(k)s cannot be reached without suppressing more than %(share)s of the "
            "%(total)s rows, even at the coarsest generalisation"
        )
        % {"k": k, "share": f"{max_suppression:.0%}", "total": total}
    )


def shuffled_with_random_ids(frame: pd.DataFrame, column: str = "person_id") -> pd.DataFrame:
    """Shuffle the rows and give each a random id that means nothing outside this export."""
    size = len(frame)
    # Sorting by 64 random bits from the OS's CSPRNG gives a uniformly random order (ties have
    # probability ~n²/2⁶⁵), without a Python-level Fisher–Yates shuffle of every row.
    order = np.argsort(np.frombuffer(secrets.token_bytes(8 * size), dtype=np.uint64))
    shuffled = frame.iloc[order].copy()
    ids: list[str] = []
    seen: set[str] = set()
    while len(ids) < size:
        blob = secrets.token_bytes(6 * (size - len(ids))).hex()
        for start in range(0, len(blob), 12):
            token = blob[start : start + 12]
            if token not in seen:
                seen.add(token)
                ids.append(token)
    shuffled.insert(0, column, ids)
    return shuffled


def band(value: float | None, edges: list[float], labels: list[str]) -> str:
    """The label of the band a number falls in: labels[i] covers values below edges[i], and
    the last label everything from the last edge up."""
    if value is None or pd.isna(value):
        return "unknown"
    for edge, label in zip(edges, labels, strict=False):
        if value < edge:
            return label
    return labels[-1]
