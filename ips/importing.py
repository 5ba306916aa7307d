"""Reading spreadsheets for the import: pure functions over bytes and plain values.

The file is read into a :class:`Table` (headers and rows of cells), each column the lead
mapped is parsed into a typed value, and every problem is reported with its row number (as the
spreadsheet shows it: the header is row 1) and the column's name. Nothing here touches the
database; ``ips.services`` resolves clients and employers and runs the models' validation.

Text is stored as text. A cell such as ``=HYPERLINK(...)`` is never evaluated: XLSX files are
read with ``data_only`` (a formula gives the value Excel last computed, never the formula), and a
text cell that merely looks like a formula stays a plain string. Exports defuse such strings
(``outcomes.exports.safe_cell``).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import islice

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .validators import EARLIEST_DATE, latest_date

MAX_FILE_BYTES = 5 * 1024 * 1024
# An XLSX file is a zip: its parts may unpack to at most this much (a 5,000-row sheet of
# trackers is a few MB unpacked; a "zip bomb" of 150 kB can unpack to gigabytes).
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 5_000
MAX_COLUMNS = 60
# A cell longer than this cannot fit any field; csv refuses longer fields outright.
MAX_CELL_CHARS = 100_000

XLSX_MAGIC = b"PK\x03\x04"
FINNISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\.?$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
TRUE_WORDS = {"1", "x", "yes", "y", "true", "kyllä", "k", "on", "ja", "sant"}
FALSE_WORDS = {"0", "no", "n", "false", "ei", "e", "off", "nej", "falskt"}


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, for the lead."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list]]  # (row number in the spreadsheet, cells)
    encoding: str = ""


# --- Reading files -------------------------------------------------------------------------


def is_xlsx(data: bytes) -> bool:
    return data.startswith(XLSX_MAGIC)


def read_table(data: bytes) -> Table:
    """Headers and non-empty rows of a CSV or XLSX file (recognised by content, not name)."""
    if not data:
        raise ImportFileError(_("The file is empty."))
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(too_big_message())
    table = _read_xlsx(data) if is_xlsx(data) else _read_csv(data)
    if not any(header.strip() for header in table.headers):
        raise ImportFileError(_("The first row must hold the column names, but it is empty."))
    if len(table.headers) > MAX_COLUMNS:
        raise ImportFileError(
            _("The file has more than %(max)d columns; remove the extra columns.")
            % {"max": MAX_COLUMNS}
        )
    if not table.rows:
        raise ImportFileError(_("The file has column names but no rows to import."))
    return table


def too_big_message() -> str:
    return _("The file is larger than %(mb)d MB. Split it into smaller files.") % {
        "mb": MAX_FILE_BYTES // (1024 * 1024)
    }


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(max)d rows. Split it into smaller files.") % {"max": MAX_ROWS}
    )


def _non_empty(cells: Sequence) -> bool:
    return any(cell is not None and str(cell).strip() != "" for cell in cells)


def decode_text(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read in: UTF-8 (with or without BOM), else Windows-1252.

    UTF-16 and binary files are refused with a message rather than read as garbage.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise ImportFileError(
            _(
                "The file is not a UTF-8 or Windows text file (it looks like UTF-16 or binary "
                "data). In Excel, save it as “CSV UTF-8” or as an XLSX workbook."
            )
        )
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            raise ImportFileError(_unreadable_message()) from None
    if any(_is_control(char) for char in text):
        raise ImportFileError(_unreadable_message())
    return text, encoding


def _unreadable_message():
    return _(
        "The file could not be read as text: it holds characters that are neither UTF-8 nor "
        "Windows-1252. Save it as “CSV UTF-8” or as an XLSX workbook."
    )


def _is_control(char: str) -> bool:
    if char in "\t\r\n":
        return False
    return unicodedata.category(char) == "Cc" or char == "\ufffd"


def sniff_delimiter(text: str) -> str:
    """Semicolon (Finnish Excel), comma or tab: whichever the header line has most of."""
    first_line = text.split("\n", 1)[0]
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    if counts[best]:
        return best
    # One column: split on whatever the text holds least of, so no cell is cut in two.
    return min((";", "\t", ","), key=text.count)


def _read_csv(data: bytes) -> Table:
    text, encoding = decode_text(data)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = [cell.strip() for cell in next(reader, [])]
        rows = []
        for number, cells in enumerate(reader, start=2):
            if _non_empty(cells):
                rows.append((number, cells))
                if len(rows) > MAX_ROWS:
                    raise _too_many_rows()
    except csv.Error:
        raise ImportFileError(
            _(
                "The CSV file is malformed near row %(row)d. Check its quotation marks, or save "
                "it again as CSV from Excel."
            )
            % {"row": reader.line_num}
        ) from None
    return Table(headers=headers, rows=rows, encoding=encoding)


def _unpacked_size(data: bytes) -> int:
    """What the zip's members claim to unpack to; a damaged zip counts as unreadable."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportFileError(
            _("The XLSX file could not be opened. Save it again in Excel.")
        ) from None


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    if _unpacked_size(data) > MAX_UNPACKED_BYTES:
        raise ImportFileError(
            _("The XLSX file unpacks to more than %(mb)d MB. Save the sheet on its own, or as CSV.")
            % {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises assorted errors on damaged or foreign files
        raise ImportFileError(
            _("The XLSX file could not be opened. Save it again in Excel.")
        ) from None
    try:
        sheet = workbook.worksheets[0]
        iterator = sheet.iter_rows(values_only=True)
        header_cells = next(iterator, ())
        headers = ["" if cell is None else str(cell).strip() for cell in header_cells]
        while headers and not headers[-1]:
            headers.pop()
        rows = []
        for number, cells in enumerate(islice(iterator, MAX_ROWS * 4), start=2):
            cells = list(cells[: max(len(headers), 1)])
            if _non_empty(cells):
                rows.append((number, cells))
                if len(rows) > MAX_ROWS:
                    raise _too_many_rows()
    except ImportFileError:
        raise
    except Exception:
        raise ImportFileError(
            _("The XLSX file could not be read. Save it again in Excel.")
        ) from None
    finally:
        workbook.close()
    return Table(headers=headers, rows=rows)


# --- Columns and mapping -------------------------------------------------------------------


def normalise_header(value) -> str:
    """Lower case, accents kept (ä ≠ a), punctuation and extra spaces dropped:
    ``" Syntymä-vuosi * "`` → ``"syntymä vuosi"``."""
    text = unicodedata.normalize("NFC", str(value or "")).casefold()
    text = re.sub(r"\(.*?\)", " ", text)
    text = re.sub(r"[^\w]+", " ", text)
    return re.sub(r"\s+", " ", text.replace("_", " ")).strip()


@dataclass(frozen=True)
class Column:
    """One field an import kind can read. ``label`` names it in messages; ``headers`` are the
    column names it is recognised by (Finnish and English, in the example templates' spelling
    first)."""

    field: str
    label: str
    kind: str = "text"  # text, date, int, decimal, bool, choice
    required: bool = False
    max_length: int | None = None
    choices: dict[str, str] = field(default_factory=dict)  # normalised word -> value
    choice_labels: dict[str, str] = field(default_factory=dict)  # value -> label to show
    headers: tuple[str, ...] = ()


def guess_mapping(headers: Sequence[str], columns: Iterable[Column]) -> dict[str, int]:
    """Which file column each field most likely is, by its Finnish or English name."""
    normalised = [normalise_header(header) for header in headers]
    mapping: dict[str, int] = {}
    taken: set[int] = set()
    for column in columns:
        names = {normalise_header(name) for name in (column.field, column.label, *column.headers)}
        for index, header in enumerate(normalised):
            if header and header in names and index not in taken:
                mapping[column.field] = index
                taken.add(index)
                break
    return mapping


# --- Parsing values ------------------------------------------------------------------------


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ParsedRow:
    number: int
    values: dict = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    def error(self, column: str, message) -> None:
        """Record a problem; one per column is enough (a cell that failed to parse need not
        also be reported as missing)."""
        column = str(column)
        if not any(error.column == column for error in self.errors):
            self.errors.append(RowError(self.number, column, str(message)))


class CellError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def parse_date(value, today: datetime.date) -> datetime.date:
    """A Finnish date (31.12.2025), an ISO date (2025-12-31) or a date cell of Excel, between
    1990 and two years ahead."""
    if isinstance(value, datetime.datetime):
        result = value.date()
    elif isinstance(value, datetime.date):
        result = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        result = _excel_serial(value)
    else:
        text = str(value).strip()
        match = FINNISH_DATE.match(text)
        parts = (match.group(3), match.group(2), match.group(1)) if match else None
        if parts is None and (iso := ISO_DATE.match(text)):
            parts = iso.groups()
        if parts is None:
            raise CellError(
                _("“%(value)s” is not a date. Write it as 31.12.2025 or 2025-12-31.")
                % {"value": shorten(text)}
            )
        try:
            result = datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
        except ValueError:
            raise CellError(_("%(value)s is not a real date.") % {"value": shorten(text)}) from None
    last = latest_date(today)
    if not EARLIEST_DATE <= result <= last:
        raise CellError(
            _("Enter a date between %(first)s and %(last)s.")
            % {
                "first": date_format(EARLIEST_DATE, "SHORT_DATE_FORMAT"),
                "last": date_format(last, "SHORT_DATE_FORMAT"),
            }
        )
    return result


def _excel_serial(value: float) -> datetime.date:
    if not 1 <= value < 2_958_466:
        raise CellError(_("%(value)s is not a date.") % {"value": value})
    return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(value))


def parse_int(value) -> int:
    if isinstance(value, bool):
        raise CellError(_("Enter a whole number."))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError(_("Enter a whole number."))
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not re.fullmatch(r"[+-]?\d{1,12}", text) or not text.isascii():
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": shorten(text)})
    return int(text)


def parse_decimal(value) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("Enter a number."))
    if isinstance(value, int | float):
        text = repr(value)
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not re.fullmatch(r"[+-]?\d{1,12}(\.\d{1,12})?", text):
        raise CellError(_("“%(value)s” is not a number.") % {"value": shorten(text)})
    try:
        return Decimal(text)
    except InvalidOperation:
        raise CellError(_("“%(value)s” is not a number.") % {"value": shorten(text)}) from None


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("“%(value)s” is not yes or no.") % {"value": shorten(str(value))})


def parse_choice(value, column: Column) -> str:
    word = normalise_header(value)
    if word in column.choices:
        return column.choices[word]
    allowed = sorted(set(column.choices.values()))
    raise CellError(
        _("“%(value)s” is not one of the allowed values: %(allowed)s.")
        % {"value": shorten(str(value)), "allowed": ", ".join(allowed)}
    )


def as_text(value) -> str:
    """A cell as text: numbers without a spurious “.0”, dates in Finnish form."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return f"{value:%d.%m.%Y}"
    return str(value).strip()


def shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_cell(value, column: Column, today: datetime.date):
    """The typed value of one cell; ``None`` for an empty cell. Raises :class:`CellError`."""
    text = as_text(value)
    if text == "":
        if column.required:
            raise CellError(_("This column is required."))
        return "" if column.kind == "text" else None
    if column.kind == "text":
        if column.max_length is not None and len(text) > column.max_length:
            raise CellError(
                _("The text is %(length)d characters long; at most %(max)d fit.")
                % {"length": len(text), "max": column.max_length}
            )
        return text
    if len(text) > 200:
        raise CellError(_("The value is too long (%(length)d characters).") % {"length": len(text)})
    if column.kind == "date":
        return parse_date(value if not isinstance(value, str) else text, today)
    if column.kind == "int":
        return parse_int(value if not isinstance(value, str) else text)
    if column.kind == "decimal":
        return parse_decimal(value if not isinstance(value, str) else text)
    if column.kind == "bool":
        return parse_bool(text)
    if column.kind == "choice":
        return parse_choice(text, column)
    raise ValueError(column.kind)


def parse_rows(
    table: Table, columns: Sequence[Column], mapping: dict[str, int], today: datetime.date
) -> list[ParsedRow]:
    """Every row's typed values and cell errors; unmapped fields are absent from ``values``."""
    result = []
    for number, cells in table.rows:
        row = ParsedRow(number=number)
        for column in columns:
            index = mapping.get(column.field)
            if index is None:
                continue
            value = cells[index] if index < len(cells) else None
            try:
                row.values[column.field] = parse_cell(value, column, today)
            except CellError as error:
                row.error(column.label, error.message)
        result.append(row)
    return result


def missing_required(columns: Iterable[Column], mapping: dict[str, int]) -> list[Column]:
    return [c for c in columns if c.required and c.field not in mapping]


# --- Example templates ---------------------------------------------------------------------


def template_headers(columns: Sequence[Column], language: str) -> list[str]:
    index = 0 if language == "fi" else 1
    return [column.headers[index] for column in columns]


def template_csv(columns: Sequence[Column], language: str, example: Sequence[str]) -> bytes:
    """An example CSV: UTF-8 with BOM and semicolons, so Finnish Excel opens it as columns."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(template_headers(columns, language))
    writer.writerow(example)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(columns: Sequence[Column], language: str, example: Sequence[str]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(template_headers(columns, language))
    sheet.append(list(example))
    for cell in sheet[2]:
        cell.data_type = "s"  # text, exactly as written
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
