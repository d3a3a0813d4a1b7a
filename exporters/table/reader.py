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
The rows and the identity come from exporters.table.sheets.
"""

from __future__ import annotations

from pathlib import Path

from engine.sop import Decision, Rule, Sop, Step, Waktu, WaktuError
from exporters.table.sheets import (
    TableError,
    cell_text,
    header_index,
    identity_from_rows,
    norm,
    read_csv_rows,
    read_xlsx,
)

__all__ = ["TableError", "read_table", "sop_from_rows", "split_items"]

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


def _steps(sop: Sop, rows: list[tuple[int, list]], filename: str, errors: list[str]) -> None:
    """Read the header and the step rows into sop.actors and sop.steps."""
    start = header_index(rows)
    if start is None:
        errors.append(f"{filename}: tidak ada baris judul kolom (sel pertama 'No')")
        return
    header_row, header = rows[start][0], [cell_text(c) for c in rows[start][1]]
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        key = COLUMNS.get(norm(title))
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
    parsed = []
    for row_no, cells in rows[start + 1 :]:
        text = [cell_text(c) for c in cells] + [""] * (len(header) - len(cells))
        no_cell, kegiatan = columns["no"], columns["kegiatan"]
        rest = [t for i, t in enumerate(text) if i not in (no_cell, kegiatan) and t.strip()]
        if not rest and not text[kegiatan].strip():
            continue  # blank, or numbered but empty (a template's spare rows)
        if norm(text[no_cell]) in ("no", "no.") or (not rest and not text[no_cell][:1].isdigit()):
            continue  # a header repeated on a new page, or a section title "A. Asistensi ..."
        marks = [(sop.actors[n], text[i].strip()) for n, i in enumerate(actor_columns)]
        where = f"{filename}, baris {row_no}"
        step = _step(text, columns, marks, where, errors)
        if step is not None:
            parsed.append((where, step, text))
    _decisions(parsed, columns, errors)
    sop.steps = [step for _, step, _ in parsed]
    header_where = [f"{filename}, baris {header_row}, kolom {i + 1}" for i in actor_columns]
    _model_problems(sop, header_where, [where for where, _, _ in parsed], errors)
    if not sop.steps and not errors:
        errors.append(f"{filename}: tidak ada langkah di bawah baris judul kolom")


def _model_problems(sop: Sop, columns: list[str], rows: list[str], errors: list[str]) -> None:
    """The SOP model's own rules (Sop.problems), each named by its Pelaksana column or row."""
    for problem in sop.problems():
        if problem.rule is Rule.ACTOR_NAME:
            errors.append(f"{columns[problem.index]}: nama pelaksana kosong")
        elif problem.rule is Rule.ACTOR_UNIQUE:
            name = sop.actors[problem.index]
            errors.append(f"{columns[problem.index]}: pelaksana {name!r} sudah ada di kolom lain")
        elif problem.rule is Rule.STEP_NO:
            where = rows[problem.index]
            errors.append(f"{where}, kolom 'No': langkah {problem.step} sudah ada di baris lain")
        elif problem.rule is Rule.ACTIVITY:
            errors.append(f"{rows[problem.index]}, kolom 'Kegiatan': kosong")
        elif problem.rule is Rule.TARGET:
            decision = sop.steps[problem.index].decision
            target = decision.yes if problem.answer == "Ya" else decision.no
            where, answer = rows[problem.index], problem.answer
            errors.append(f"{where}: {answer} menunjuk ke langkah {target} yang tidak ada")
        # STEPS: said with the file name by the caller; ACTORS, PERFORMER, PARTICIPANT: every
        # row already says which Pelaksana it marks


def _step(text, columns, marks, where: str, errors: list[str]) -> Step | None:
    raw_no = text[columns["no"]].strip().rstrip(".")
    if not raw_no.isdigit():
        errors.append(f"{where}, kolom 'No': {raw_no!r} bukan nomor langkah")
        return None
    kegiatan = text[columns["kegiatan"]].strip()
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
    for index, (where, step, text) in enumerate(parsed):
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
                target = int(raw)  # one that does not exist: see _model_problems
            else:
                errors.append(f"{where}, kolom '{label}': {raw!r} bukan nomor langkah")
                target = None
            setattr(step.decision, "yes" if key == "ya" else "no", target)
