"""A journey's map as CSV: read an organiser's file line by line, and write the map back.

One row per touchpoint, under a header naming the columns (in any order):

    stage,touchpoint,description,channel,performer,monthly_volume,risk

`stage` and `touchpoint` are required; the others may be left out or empty, which takes
the defaults. Channel, performer and risk take their keys ("in_person") or their labels
("In person"), in English or in the language of the page, in any case. Reading checks
every line first and says which line is wrong ("Line 4: …"): nothing is imported from a
file with one bad line. Comma, semicolon and tab separated files are all read, as
spreadsheet programs save CSV with the separator of their country.
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from sammen.core.errors import ActionRefused
from sammen.core.http import parse_int
from sammen.core.validators import no_control_characters

from .actions.mapping import TouchpointInput, clean_stage_name
from .models import MAX_STAGES, MAX_TOUCHPOINTS, MAX_VOLUME, Channel, Performer, Risk
from .queries.maps import StageView

COLUMNS = ("stage", "touchpoint", "description", "channel", "performer", "monthly_volume", "risk")
REQUIRED_COLUMNS = ("stage", "touchpoint")
MAX_IMPORT_BYTES = 200_000
# The signatures of spreadsheet files people upload instead of their CSV export.
SPREADSHEET_STARTS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


@dataclass
class ImportedStage:
    """A stage named in the file, the line it first appears on, and its touchpoints."""

    name: str
    line: int
    touchpoints: list[tuple[int, TouchpointInput]] = field(default_factory=list)


def at_line(line: int, message: str) -> ActionRefused:
    return ActionRefused(_("Line %(line)s: %(problem)s") % {"line": line, "problem": message})


def too_large() -> ActionRefused:
    return ActionRefused(
        _("The file is too large: keep it under %(size)s KB.") % {"size": MAX_IMPORT_BYTES // 1000}
    )


def decode_upload(data: bytes) -> str:
    """Return an uploaded file's text; refuse what is not UTF-8 text or is too large."""
    if len(data) > MAX_IMPORT_BYTES:
        raise too_large()
    if data.startswith(SPREADSHEET_STARTS):
        raise ActionRefused(
            _("This is a spreadsheet file, not CSV. Save it as “CSV UTF-8” and try again.")
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ActionRefused(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")
        ) from None


def normalised(value: str) -> str:
    return " ".join(value.replace("_", " ").replace("-", " ").casefold().split())


def choices_by_name(choices: Iterable[tuple[str, object]]) -> dict[str, str]:
    """Return each choice by its key and by its label, in English and the page's language."""
    pairs = list(choices)
    names = {normalised(key): key for key, _label in pairs}
    for language in {"en", translation.get_language() or "en"}:
        with translation.override(language):
            names.update({normalised(str(label)): key for key, label in pairs})
    return names


def separator_of(text: str) -> str:
    header = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=header.count)


def read_header(cells: list[str], line: int) -> list[str]:
    columns = [normalised(cell).replace(" ", "_") for cell in cells]
    while columns and not columns[-1]:
        columns.pop()  # trailing separators, as spreadsheet programs write them
    for column in columns:
        if column not in COLUMNS:
            raise at_line(
                line,
                _("Unknown column “%(column)s”. The columns are: %(columns)s.")
                % {"column": column[:40], "columns": ", ".join(COLUMNS)},
            )
        if columns.count(column) > 1:
            raise at_line(line, _("The column “%(column)s” appears twice.") % {"column": column})
    if any(column not in columns for column in REQUIRED_COLUMNS):
        raise at_line(
            line, _("The first line names the columns, with at least stage and touchpoint.")
        )
    return columns


class RowReader:
    """Turn the cells of one line into a stage name and a touchpoint, or refuse the line."""

    def __init__(self, columns: list[str]) -> None:
        self.columns = columns
        self.channels = choices_by_name(Channel.choices)
        self.performers = choices_by_name(Performer.choices)
        self.risks = choices_by_name(Risk.choices)

    def read(self, cells: list[str], line: int) -> tuple[str, TouchpointInput]:
        try:
            return self.read_cells(cells)
        except ActionRefused as refusal:
            raise at_line(line, refusal.message) from None

    def read_cells(self, cells: list[str]) -> tuple[str, TouchpointInput]:
        if any(cell.strip() for cell in cells[len(self.columns) :]):
            raise ActionRefused(_("This line has more cells than the first line has columns."))
        values = dict(zip(self.columns, cells, strict=False))
        for value in values.values():
            try:
                no_control_characters(value)
            except ValidationError as error:
                raise ActionRefused(" ".join(str(message) for message in error.messages)) from None
        stage = clean_stage_name(values.get("stage", ""))
        data = TouchpointInput(
            name=values.get("touchpoint", ""),
            description=values.get("description", ""),
            channel=choose(values.get("channel", ""), self.channels, Channel.IN_PERSON),
            performer=choose(values.get("performer", ""), self.performers, Performer.STAFF),
            monthly_volume=volume(values.get("monthly_volume", "")),
            risk=choose(values.get("risk", ""), self.risks, Risk.LOW),
        ).cleaned()
        return stage, data


def choose(value: str, names: dict[str, str], default: str) -> str:
    """Return the key a cell names (a key or a label), the default when it is empty."""
    value = normalised(value)
    if not value:
        return default
    if value not in names:
        keys = sorted(set(names.values()))
        raise ActionRefused(
            _("“%(value)s” is not one of the choices. Use one of: %(keys)s.")
            % {"value": value[:40], "keys": ", ".join(keys)}
        )
    return names[value]


def volume(value: str) -> int | None:
    """Return the times a month a cell says ("1200", "1,200", "1 200"), None when empty."""
    digits = "".join(value.replace(",", "").replace("_", "").split())
    if not digits:
        return None
    number = parse_int(digits, high=MAX_VOLUME)
    if number is None:
        raise ActionRefused(
            _("Give the times a month as a whole number from 0 to %(max)s.")
            % {"max": f"{MAX_VOLUME:,}"}
        )
    return number


def parse_map_csv(text: str) -> list[ImportedStage]:
    """Return the stages and touchpoints a CSV text holds, in its order; refuse a bad file.

    Raises ActionRefused (translated, naming the line) and nothing else.
    """
    if len(text) > MAX_IMPORT_BYTES:
        raise too_large()
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ActionRefused(_("The file is empty."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator_of(text), strict=True)
    stages: dict[str, ImportedStage] = {}
    row_reader: RowReader | None = None
    count = 0
    line = 1
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if row_reader is None:
                row_reader = RowReader(read_header(cells, line))
                continue
            count += 1
            if count > MAX_TOUCHPOINTS:
                raise at_line(
                    line,
                    _("A journey holds at most %(count)s touchpoints.")
                    % {"count": MAX_TOUCHPOINTS},
                )
            stage_name, data = row_reader.read(cells, line)
            stage = stages.get(stage_name.casefold())
            if stage is None:
                if len(stages) >= MAX_STAGES:
                    raise at_line(
                        line,
                        _("A journey holds at most %(count)s stages.") % {"count": MAX_STAGES},
                    )
                stage = stages[stage_name.casefold()] = ImportedStage(stage_name, line)
            stage.touchpoints.append((line, data))
    except csv.Error:
        raise at_line(
            reader.line_num or line,
            _("This is not CSV we can read. Check the quotes around the cells."),
        ) from None
    if not stages:
        raise ActionRefused(
            _("The file has no touchpoints: put one per line under the line naming the columns.")
        )
    return list(stages.values())


def map_rows(stages: list[StageView]) -> list[dict[str, object]]:
    """Return the map's shown touchpoints as rows in the import's columns, to save as CSV."""
    return [
        {
            "stage": view.stage.name,
            "touchpoint": touchpoint.name,
            "description": touchpoint.description,
            "channel": touchpoint.channel,
            "performer": touchpoint.performer,
            "monthly_volume": ""
            if touchpoint.monthly_volume is None
            else touchpoint.monthly_volume,
            "risk": touchpoint.risk,
        }
        for view in stages
        for touchpoint in view.touchpoints
        if touchpoint.is_shown
    ]
