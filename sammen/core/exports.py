"""Downloads (spreadsheets, JSON, files), written the same way for every kind of activity."""

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import timezone

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = frozenset({"=", "+", "-", "@", "\t", "\r"})


def neutralise_formula(value: object) -> object:
    """Keep spreadsheet programs from running text that starts like a formula."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def csv_text(rows: Iterable[Mapping[str, object]], fields: Sequence[str]) -> str:
    """Return `rows` as CSV text with a header of `fields`, formulas neutralised.

    The text starts with a byte-order mark so spreadsheet programs read it as UTF-8;
    keys of a row that are not in `fields` are left out.
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=list(fields), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: neutralise_formula(value) for key, value in row.items()})
    return out.getvalue()


def csv_download(
    rows: Iterable[Mapping[str, object]], fields: Sequence[str], filename: str
) -> HttpResponse:
    """Return `rows` as a CSV file the browser saves as `filename`."""
    return file_download(csv_text(rows, fields), "text/csv; charset=utf-8", filename)


def dated_filename(slug: str, what: str, extension: str) -> str:
    """Name a download after its activity (or person), what it holds and today's date."""
    return f"{slug}-{what}-{timezone.now():%Y-%m-%d}.{extension}"


def file_download(content: str | bytes, content_type: str, filename: str) -> HttpResponse:
    """Return `content` as a file the browser saves as `filename`."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_download(payload: object, filename: str) -> HttpResponse:
    """Return `payload` as readable UTF-8 JSON (dates, decimals and UUIDs as text)."""
    text = json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    return file_download(text, "application/json; charset=utf-8", filename)
