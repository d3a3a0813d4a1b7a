"""Read an SOP table typed in Excel (CSV or XLSX, SOP AP columns) into the SOP model.

Layout: a header row whose first cell is "No" (title rows above it are skipped), then
No | Kegiatan | one column per Pelaksana | Kelengkapan | Waktu | Output | Keterangan [| Ya | Tidak].
Marks in the Pelaksana columns:
- the performer: any text ("x", "v", "✓" ...); exactly one per row;
- a participant: "o", "○", or a cell containing "(p)" or "peserta";
- a decision: "?" or "◇" as the performer's mark, or a Kegiatan ending in "?". In a decision row
  with several lines in Kegiatan the last line is the question; with one line, the activity is
  the question too. Ya/Tidak hold step numbers or "selesai" (the end); empty Ya: the next row
  (the end after the last row), empty Tidak: the previous row.
Kelengkapan/Output: one item per line; a single-line cell splits on ", ".
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

from engine.model import Decision, Sop, Step, Waktu, WaktuError

PARTICIPANT_MARKS = {"o", "○", "◯"}
DECISION_MARKS = {"?", "◇", "◆", "♢"}
END_WORDS = {"selesai", "akhir", "end", "-"}
COLUMNS = {  # normalized header -> column key
    "no": "no",
    "no.": "no",
    "kegiatan": "kegiatan",
    "aktivitas": "kegiatan",
    "uraian prosedur": "kegiatan",
    "aktivitas/uraian prosedur": "kegiatan",
    "kelengkapan": "kelengkapan",
    "waktu": "waktu",
    "output": "output",
    "keterangan": "keterangan",
    "ket": "keterangan",
    "ket.": "keterangan",
    "ya": "ya",
    "tidak": "tidak",
}
REQUIRED = ("no", "kegiatan", "kelengkapan", "waktu", "output")
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


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower().replace(" / ", "/")


def split_items(cell: str) -> list[str]:
    """A Kelengkapan/Output cell as a list: lines if there are several, else ', ' parts."""
    parts = cell.split("\n") if "\n" in cell else cell.split(", ")
    return [p.strip() for p in parts if p.strip()]


def read_table(
    path: Path, code: str | None = None, name: str | None = None, owner: str | None = None
) -> Sop:
    """The SOP in a CSV or XLSX table; options override its identity. Raises TableError."""
    if path.suffix.lower() == ".xlsx":
        rows, identity_rows = read_xlsx(path)
    else:
        rows, identity_rows = read_csv_rows(path.read_bytes(), path.name)
    overrides = {"code": code, "name": name, "owner": owner}
    return sop_from_rows(rows, identity_rows, path.name, overrides)


def sop_from_rows(
    rows: list[tuple[int, list]],
    identity_rows: list[tuple[str, int, str, str]],
    filename: str,
    overrides: dict[str, str | None] | None = None,
) -> Sop:
    """Build the SOP from numbered table rows and identity (where, row, label, value) rows."""
    errors: list[str] = []
    sop = identity_from_rows(identity_rows, errors)
    for key, value in (overrides or {}).items():
        if value:
            setattr(sop, key, value)
    for key, label in (("code", "Kode"), ("name", "Nama")):
        if not getattr(sop, key):
            errors.append(
                f"{filename}: {label} SOP tidak ada: isi '{label}' di identitas atau pakai --{key}"
            )
    _steps(sop, rows, filename, errors)
    if errors:
        raise TableError(errors)
    return sop


def _header(rows: list[tuple[int, list]]) -> int | None:
    for index, (_, cells) in enumerate(rows):
        if cells and _norm(cell_text(cells[0])) in ("no", "no."):
            return index
    return None


def _steps(sop: Sop, rows: list[tuple[int, list]], filename: str, errors: list[str]) -> None:
    """Read the header and the step rows into sop.actors and sop.steps."""
    start = _header(rows)
    if start is None:
        errors.append(f"{filename}: tidak ada baris judul kolom (sel pertama 'No')")
        return
    header_row, header = rows[start][0], [cell_text(c) for c in rows[start][1]]
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        key = COLUMNS.get(_norm(title))
        if key and key not in columns:
            columns[key] = index
    missing = [key for key in REQUIRED if key not in columns]
    if missing:
        names = ", ".join(f"'{m.capitalize()}'" for m in missing)
        errors.append(f"{filename}, baris {header_row}: tidak ada kolom {names}")
        return
    first, last = columns["kegiatan"] + 1, columns["kelengkapan"]
    actor_columns = [
        i for i in range(first, last) if i not in (columns.get("ya"), columns.get("tidak"))
    ]
    sop.actors = [header[i].strip() for i in actor_columns]
    for i in actor_columns:
        if not header[i].strip():
            errors.append(f"{filename}, baris {header_row}, kolom {i + 1}: nama pelaksana kosong")
    parsed = []
    for row_no, cells in rows[start + 1 :]:
        text = [cell_text(c) for c in cells] + [""] * (len(header) - len(cells))
        no_cell, kegiatan = columns["no"], columns["kegiatan"]
        rest = [t for i, t in enumerate(text) if i not in (no_cell, kegiatan) and t.strip()]
        if not rest and not text[kegiatan].strip():
            continue  # blank, or numbered but empty (a template's spare rows)
        if _norm(text[no_cell]) in ("no", "no.") or (not rest and not text[no_cell][:1].isdigit()):
            continue  # a header repeated on a new page, or a section title "A. Asistensi ..."
        marks = [(sop.actors[n], text[i].strip()) for n, i in enumerate(actor_columns)]
        where = f"{filename}, baris {row_no}"
        step = _step(text, columns, marks, where, errors)
        if step is not None:
            parsed.append((where, step, text))
    _decisions(parsed, columns, errors)
    sop.steps = [step for _, step, _ in parsed]
    if not sop.steps and not errors:
        errors.append(f"{filename}: tidak ada langkah di bawah baris judul kolom")


def _step(text, columns, marks, where: str, errors: list[str]) -> Step | None:
    raw_no = text[columns["no"]].strip().rstrip(".")
    if not raw_no.isdigit():
        errors.append(f"{where}, kolom 'No': {raw_no!r} bukan nomor langkah")
        return None
    kegiatan = text[columns["kegiatan"]].strip()
    if not kegiatan:
        errors.append(f"{where}, kolom 'Kegiatan': kosong")
    performers = [(actor, mark) for actor, mark in marks if mark and not _participant(mark)]
    if not performers:
        errors.append(f"{where}: tidak ada pelaksana yang ditandai")
    elif len(performers) > 1:
        count = "dua" if len(performers) == 2 else str(len(performers))
        names = ", ".join(actor for actor, _ in performers)
        errors.append(f"{where}: {count} pelaksana ditandai ({names})")
    try:
        waktu = Waktu.parse(text[columns["waktu"]])
    except WaktuError:
        raw = text[columns["waktu"]].strip()
        errors.append(
            f"{where}, kolom 'Waktu': {raw!r} bukan durasi (tulis 'N menit', 'N jam', "
            "'N hari', 'N hari kerja' atau '-')"
        )
        waktu = Waktu()
    step = Step(
        no=int(raw_no),
        activity=kegiatan,
        actor=performers[0][0] if performers else "",
        participants=[actor for actor, mark in marks if mark and _participant(mark)],
        kelengkapan=split_items(text[columns["kelengkapan"]]),
        waktu=waktu,
        output=split_items(text[columns["output"]]),
        keterangan=text[columns["keterangan"]].strip() if "keterangan" in columns else "",
    )
    decided = performers and performers[0][1] in DECISION_MARKS
    if decided or kegiatan.endswith("?"):
        lines = [line.strip() for line in kegiatan.split("\n")]
        if len(lines) > 1:
            step.activity, question = "\n".join(lines[:-1]).strip(), lines[-1]
        else:
            question = kegiatan
        step.decision = Decision(question=question)
    return step


def _participant(mark: str) -> bool:
    low = mark.strip().lower()
    return low in PARTICIPANT_MARKS or "(p)" in low or "peserta" in low


def _decisions(parsed: list[tuple[str, Step, list[str]]], columns, errors: list[str]) -> None:
    """Fill Ya/Tidak targets: the given step numbers, or the next and the previous row."""
    numbers = [step.no for _, step, _ in parsed]
    seen: set[int] = set()
    for index, (where, step, text) in enumerate(parsed):
        if step.no in seen:
            errors.append(f"{where}, kolom 'No': langkah {step.no} sudah ada di baris lain")
        seen.add(step.no)
        if step.decision is None:
            for key in ("ya", "tidak"):
                if key in columns and text[columns[key]].strip():
                    errors.append(
                        f"{where}, kolom '{key.capitalize()}': diisi, tetapi "
                        "langkah ini bukan keputusan"
                    )
            continue
        default_yes = numbers[index + 1] if index + 1 < len(numbers) else None
        default_no = numbers[index - 1] if index > 0 else None
        for key, label, default in (("ya", "Ya", default_yes), ("tidak", "Tidak", default_no)):
            raw = text[columns[key]].strip().rstrip(".") if key in columns else ""
            if not raw:
                if key == "tidak" and default is None:
                    errors.append(f"{where}: Tidak tidak punya langkah sebelumnya; isi kolom Tidak")
                target = default
            elif raw.lower() in END_WORDS:
                target = None
            elif raw.isdigit():
                target = int(raw)
                if target not in numbers:
                    errors.append(f"{where}: {label} menunjuk ke langkah {target} yang tidak ada")
            else:
                errors.append(f"{where}, kolom '{label}': {raw!r} bukan nomor langkah")
                target = None
            setattr(step.decision, "yes" if key == "ya" else "no", target)


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
        start = _header(rows)
        width = len([c for c in rows[start][1] if c.strip()]) if start is not None else 0
        if not best or width > best[0][0]:
            best = [(width, rows)]
    rows = best[0][1]
    return rows, _comment_identity(rows, where)


def _comment_identity(rows: list[tuple[int, list]], where: str) -> list:
    """Identity rows above the header: '# Kode' | 'A', or '# Kode: A' in one cell."""
    found = []
    for row_no, cells in rows[: _header(rows) or 0]:
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
    labels = {_norm(label): target for label, target in IDENTITY_LABELS.items()}
    current: list[str] | None = None  # the list an unlabelled row continues
    for where, row_no, label, value in rows:
        key, value = _norm(label), value.strip()
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
