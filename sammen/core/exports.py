"""Spreadsheet downloads, written the same way for every kind of activity."""

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

from django.http import HttpResponse

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
    response = HttpResponse(csv_text(rows, fields), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
