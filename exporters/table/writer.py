"""Write an SOP as the table people keep in Excel: CSV, or XLSX with Identitas and Prosedur."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from engine.sop import Sop, Step
from exporters.table.sheets import IDENTITY_LABELS, IDENTITY_SHEET, TABLE_SHEET

PERFORMER, DECISION, PARTICIPANT, END = "x", "◇", "(p)", "selesai"
WIDTHS = {
    "No": 5,
    "Kegiatan": 48,
    "Kelengkapan": 34,
    "Waktu": 13,
    "Output": 34,
    "Keterangan": 26,
    "Ya": 7,
    "Tidak": 7,
}
ACTOR_WIDTH = 14


def join_items(items: list[str]) -> str:
    """A list as one cell that table.reader splits back the same way."""
    if any(", " in item or "\n" in item for item in items):
        text = "\n".join(items)
        return text + "\n" if len(items) == 1 else text  # one line would split on ", "
    return ", ".join(items)


def _kegiatan(step: Step) -> str:
    """The activity; a decision's question on its own last line when it differs."""
    question = step.decision.question if step.decision else None
    if question is None or (question == step.activity and "\n" not in step.activity):
        return step.activity
    return f"{step.activity}\n{question}"


def _target(no: int | None) -> str:
    return END if no is None else str(no)


def table_rows(sop: Sop) -> list[list[str]]:
    """Header and one row per step (Ya/Tidak columns when the SOP has decisions)."""
    decisions = any(step.decision for step in sop.steps)
    header = ["No", "Kegiatan", *sop.actors, "Kelengkapan", "Waktu", "Output", "Keterangan"]
    rows = [header + (["Ya", "Tidak"] if decisions else [])]
    for step in sop.steps:
        marks = []
        for actor in sop.actors:
            if actor == step.actor:
                marks.append(DECISION if step.decision else PERFORMER)
            else:
                marks.append(PARTICIPANT if actor in step.participants else "")
        row = [
            str(step.no),
            _kegiatan(step),
            *marks,
            join_items(step.kelengkapan),
            step.waktu.text,
            join_items(step.output),
            step.keterangan,
        ]
        if decisions:
            d = step.decision
            row += [_target(d.yes), _target(d.no)] if d else ["", ""]
        rows.append(row)
    return rows


def identity_rows(sop: Sop) -> list[list[str]]:
    """(label, value) rows for every identity field; list fields one row per item."""
    values = {"code": sop.code, "name": sop.name, "owner": sop.owner}
    values |= {f"identity.{k}": v for k, v in asdict(sop.identity).items()}
    values |= {f"signatory.{k}": v for k, v in asdict(sop.identity.disahkan_oleh).items()}
    rows = []
    for label, target in IDENTITY_LABELS.items():
        value = values[target]
        if isinstance(value, list):
            rows += [[label, item] for item in value] or [[label, ""]]
        else:
            rows.append([label, value])
    return rows


def write_csv(sop: Sop, delimiter: str = ",") -> bytes:
    """UTF-8 CSV with a BOM (so Excel reads it): '# label' identity rows, a blank row, the table."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerows([f"# {label}", value] for label, value in identity_rows(sop))
    writer.writerow([])
    writer.writerows(table_rows(sop))
    return out.getvalue().encode("utf-8-sig")


def write_xlsx(sop: Sop) -> bytes:
    """A workbook: Identitas (label | value) and Prosedur (bold frozen header, wrapped text)."""
    book = Workbook()
    identity = book.active
    identity.title = IDENTITY_SHEET
    _fill(identity, [["Isian", "Nilai"], *identity_rows(sop)], {"Isian": 26, "Nilai": 90})
    table = book.create_sheet(TABLE_SHEET)
    rows = table_rows(sop)
    widths = {title: WIDTHS.get(title, ACTOR_WIDTH) for title in rows[0]}
    _fill(table, rows, widths)
    for column in range(3, 3 + len(sop.actors)):  # the marks, centred
        for cell in table.iter_rows(min_col=column, max_col=column, min_row=2):
            cell[0].alignment = Alignment(horizontal="center", vertical="center")
    table.freeze_panes = "C2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill(sheet, rows: list[list[str]], widths: dict[str, float]) -> None:
    thin = Side(style="thin", color="999999")
    for values in rows:  # step numbers as numbers; any other text stays text
        sheet.append(
            [int(v) if v.isdigit() and str(int(v)) == v and len(v) < 6 else v for v in values]
        )
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, not a formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for index, title in enumerate(rows[0], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(title, ACTOR_WIDTH)
    sheet.freeze_panes = "A2"
