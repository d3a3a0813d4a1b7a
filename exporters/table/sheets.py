"""The cells of an SOP table file: CSV or XLSX rows, and the identity rows beside them.

Identity: an XLSX "Identitas" sheet (label | value rows), or CSV rows above the header whose first
cell is "# <label>" (value in the next cell, or "# <label>: value"); see IDENTITY_LABELS.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl

from engine.sop import Sop

IDENTITY_LABELS = {  # label on the Identitas sheet / "# label" CSV row -> where the value goes
    "Kode": "code",
    "Nama": "name",
    "Unit Pemilik": "owner",
    "Organisasi": "identity.organisasi",
    "Instansi": "identity.instansi",
    "Unit": "identity.unit",
    "Nomor SOP": "identity.nomor",
    "Tanggal Pembuatan": "identity.tanggal_pembuatan",
    "Tanggal Revisi": "identity.tanggal_revisi",
    "Tanggal Efektif": "identity.tanggal_efektif",
    "Disahkan oleh (Jabatan)": "signatory.jabatan",
    "Disahkan oleh (Nama)": "signatory.nama",
    "Pangkat": "signatory.pangkat",
    "NIP": "signatory.nip",
    "Nama SOP": "identity.nama_sop",
    "Dasar Hukum": "identity.dasar_hukum",
    "Kualifikasi Pelaksana": "identity.kualifikasi_pelaksana",
    "Keterkaitan": "identity.keterkaitan",
    "Peralatan/Perlengkapan": "identity.peralatan_perlengkapan",
    "Peringatan": "identity.peringatan",
    "Pencatatan dan Pendataan": "identity.pencatatan_pendataan",
}
IDENTITY_SHEET, TABLE_SHEET = "Identitas", "Prosedur"
MONTHS = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
).split()


class TableError(ValueError):
    """Everything wrong with a table, one line per problem (row and column named)."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def norm(text: str) -> str:
    """Lower case, single spaces, ' / ' as '/': how labels and headers are compared."""
    return re.sub(r"\s+", " ", text).strip().lower().replace(" / ", "/")


def header_index(rows: list[tuple[int, list]]) -> int | None:
    """Index of the header row (first cell 'No'); None when there is none."""
    for index, (_, cells) in enumerate(rows):
        if cells and norm(cell_text(cells[0])) in ("no", "no."):
            return index
    return None


def cell_text(value: object) -> str:
    """A cell as the text a person sees: 2.0 -> '2', a date -> '31 Januari 2022'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:  # "CSV (Comma delimited)" from Excel: the Windows code page
        return data.decode("cp1252", errors="replace")


def read_csv_rows(data: bytes, where: str) -> tuple[list, list]:
    """Numbered rows and '# label' identity rows of a CSV separated by ';', ',' or tabs."""
    text = _decode(data)
    best: list[tuple[int, list]] = []
    for delimiter in (";", ",", "\t"):  # the one that gives the widest header row wins
        rows = list(enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1))
        start = header_index(rows)
        width = len([c for c in rows[start][1] if c.strip()]) if start is not None else 0
        if not best or width > best[0][0]:
            best = [(width, rows)]
    rows = best[0][1]
    return rows, _comment_identity(rows, where)


def _comment_identity(rows: list[tuple[int, list]], where: str) -> list:
    """Identity rows above the header: '# Kode' | 'A', or '# Kode: A' in one cell."""
    found = []
    for row_no, cells in rows[: header_index(rows) or 0]:
        first = cell_text(cells[0]).strip() if cells else ""
        if not first.startswith("#"):
            continue
        label, value = first[1:].strip(), cell_text(cells[1]) if len(cells) > 1 else ""
        if ":" in label and not value.strip():
            label, value = (part.strip() for part in label.split(":", 1))
        found.append((where, row_no, label.rstrip(":").strip(), value))
    return found


def read_xlsx(path: Path) -> tuple[list, list]:
    """Numbered rows of the Prosedur sheet (else the first) and the Identitas sheet's rows."""
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        raise TableError([f"{path.name}: bukan berkas XLSX yang bisa dibaca ({err})"]) from err
    try:
        names = {name.strip().lower(): name for name in book.sheetnames}
        others = [n for n in book.sheetnames if n.strip().lower() != IDENTITY_SHEET.lower()]
        table = names.get(TABLE_SHEET.lower()) or (others or book.sheetnames)[0]
        rows = [(i, list(r)) for i, r in enumerate(book[table].iter_rows(values_only=True), 1)]
        identity = _comment_identity(rows, f"{path.name}, lembar {table}")
        if IDENTITY_SHEET.lower() in names:
            sheet = names[IDENTITY_SHEET.lower()]
            where = f"{path.name}, lembar {sheet}"
            for row_no, values in enumerate(book[sheet].iter_rows(values_only=True), 1):
                cells = [cell_text(v) for v in values] + ["", ""]
                identity.append((where, row_no, cells[0], cells[1]))
        return rows, identity
    finally:
        book.close()


def identity_from_rows(rows: list[tuple[str, int, str, str]], errors: list[str]) -> Sop:
    """An empty SOP holding the identity rows: scalars once, list fields one item a row/line."""
    sop = Sop(code="", name="", owner="")
    labels = {norm(label): target for label, target in IDENTITY_LABELS.items()}
    current: list[str] | None = None  # the list an unlabelled row continues
    for where, row_no, label, value in rows:
        key, value = norm(label), value.strip()
        if not key:
            if current is not None:
                current.extend(line.strip() for line in value.split("\n") if line.strip())
            continue
        if key in ("isian", "field", "identitas"):
            continue  # a header row
        target = labels.get(key)
        if target is None:
            errors.append(f"{where}, baris {row_no}: isian {label!r} tidak dikenal")
            current = None
            continue
        owner, _, attr = target.rpartition(".")
        obj = {"": sop, "identity": sop.identity, "signatory": sop.identity.disahkan_oleh}[owner]
        if isinstance(getattr(obj, attr), list):
            current = getattr(obj, attr)
            current.extend(line.strip() for line in value.split("\n") if line.strip())
        else:
            setattr(obj, attr, value)
            current = None
    return sop
