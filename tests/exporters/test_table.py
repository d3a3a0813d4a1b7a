"""SOP tables: hand-typed CSV/XLSX in, the same layout out, and round trips through BPMN."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from SpiffWorkflow.util.task import TaskState

from engine.sop import Decision, Identity, Signatory, Sop, Step, Waktu, sop_from_dict, sop_to_dict
from exporters.table.reader import TableError, read_table, split_items
from exporters.table.writer import join_items, table_rows, write_csv, write_xlsx

ROOT = Path(__file__).resolve().parents[2]
TABLES = ROOT / "tests" / "data" / "tables"
TRANSCRIPTIONS = sorted((ROOT / "tests" / "data" / "transcription").glob("*.json"))
SOP_DIAGRAMS = sorted((ROOT / "bpmn").glob("*.bpmn"))


def _transcribed(path: Path) -> Sop:
    return sop_from_dict(json.loads(path.read_text(encoding="utf-8")))


def _step(
    no, activity, actor, participants=(), kelengkapan=(), waktu="", output=(), ket="", decision=None
) -> Step:
    return Step(
        no,
        activity,
        actor,
        list(participants),
        list(kelengkapan),
        Waktu.parse(waktu),
        list(output),
        ket,
        decision,
    )


RENJA = Sop(  # what tests/data/tables/renja_titik_koma.csv says, read by a person
    code="R.1",
    name="Penyusunan Rancangan Renja",
    owner="BAPPEDA Kab. Ketapang - Sekretariat",
    identity=Identity(
        tanggal_efektif="31 Januari 2022",
        dasar_hukum=["Permendagri 86/2017", "Perbup Ketapang tentang Renja"],
    ),
    actors=["Staf Perencana", "Kasubbag Program", "Sekretaris", "Kepala Badan", "OPD"],
    steps=[
        _step(
            1,
            "Menerima usulan program dari OPD",
            "Staf Perencana",
            ["OPD"],
            ["Surat pengantar", "Usulan program"],
            "30 menit",
            ["Tanda terima"],
        ),
        _step(
            2,
            "Memeriksa kelengkapan usulan",
            "Kasubbag Program",
            [],
            ["Usulan program"],
            "60 menit",
            ["Usulan terperiksa"],
            decision=Decision("Usulan lengkap?", 4, 3),
        ),
        _step(
            3,
            "Melengkapi usulan bersama OPD",
            "Staf Perencana",
            ["OPD"],
            ["Daftar kekurangan", "Usulan program"],
            "1,5 jam",
            ["Usulan lengkap"],
            "Rapat bila perlu",
        ),
        _step(
            4,
            "Menyusun draf Renja",
            "Staf Perencana",
            ["Kasubbag Program"],
            ["Usulan lengkap", "Renstra"],
            "3 hari kerja",
            ["Draf Renja"],
        ),
        _step(
            5,
            "Menyetujui Renja?",
            "Kepala Badan",
            ["Sekretaris"],
            ["Draf Renja"],
            "2.550 menit",
            ["Renja disetujui"],
            "Paraf dan tanda tangan",
            Decision("Menyetujui Renja?", 6, 4),
        ),
        _step(
            6,
            "Mengarsipkan Renja",
            "Sekretaris",
            [],
            ["Renja disetujui"],
            "-",
            ["Arsip Renja"],
            "Terkait SOP Arsip",
        ),
    ],
)

VERIFIKASI = Sop(  # what _hand_made_xlsx writes
    code="C.9",
    name="Verifikasi Rancangan Renja OPD",
    owner="BAPPEDA Kab. Ketapang - Bidang Ekonomi",
    identity=Identity(
        organisasi="Pemerintah Kabupaten Ketapang",
        instansi="Badan Perencanaan Pembangunan Daerah",
        nomor="800/12/BAPPEDA",
        tanggal_pembuatan="31 Januari 2022",
        disahkan_oleh=Signatory(
            "KEPALA BADAN", "HARTO, SE, M.Si", "Pembina Utama Muda", "19670612 199604 1 001"
        ),
        dasar_hukum=["UU 23/2014", "PP 18/2016", "Permendagri 86/2017"],
        peralatan_perlengkapan=["Komputer", "ATK"],
    ),
    actors=["Kabid Ekonomi", "Fungsional Perencana", "OPD"],
    steps=[
        _step(
            1,
            "Menerima rancangan Renja dari OPD",
            "Fungsional Perencana",
            ["OPD"],
            ["Surat pengantar", "Rancangan Renja"],
            "30 menit",
            ["Tanda terima"],
        ),
        _step(
            2,
            "Memverifikasi rancangan Renja",
            "Fungsional Perencana",
            [],
            ["Rancangan Renja", "RKPD"],
            "2 hari kerja",
            ["Hasil verifikasi"],
            decision=Decision("Sesuai RKPD?", 4, 3),
        ),
        _step(
            3,
            "Mengembalikan rancangan untuk diperbaiki",
            "Fungsional Perencana",
            ["OPD"],
            ["Hasil verifikasi"],
            "1 jam",
            ["Surat pengembalian"],
            "Via surel dinas",
        ),
        _step(
            4,
            "Menandatangani berita acara verifikasi",
            "Kabid Ekonomi",
            [],
            ["Hasil verifikasi"],
            "45 Menit",
            ["Berita acara"],
            decision=Decision("Berita acara disetujui?", None, 2),
        ),
    ],
)


def _hand_made_xlsx(path: Path, sheet_order=("Identitas", "Prosedur")) -> Path:
    """An XLSX typed the way an office types it: title row, numbers, a date, list rows."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheets = {name: book.create_sheet(name) for name in sheet_order}
    for row in (
        ["Isian", "Nilai"],
        ["Kode", "C.9"],
        ["Nama", "Verifikasi Rancangan Renja OPD"],
        ["Unit Pemilik", "BAPPEDA Kab. Ketapang - Bidang Ekonomi"],
        ["Organisasi", "Pemerintah Kabupaten Ketapang"],
        ["Instansi", "Badan Perencanaan Pembangunan Daerah"],
        ["Nomor SOP", "800/12/BAPPEDA"],
        ["Tanggal Pembuatan", dt.datetime(2022, 1, 31)],
        ["Disahkan oleh (Jabatan)", "KEPALA BADAN"],
        ["Disahkan oleh (Nama)", "HARTO, SE, M.Si"],
        ["Pangkat", "Pembina Utama Muda"],
        ["NIP", "19670612 199604 1 001"],
        ["Dasar Hukum", "UU 23/2014"],
        ["Dasar Hukum", "PP 18/2016"],
        [None, "Permendagri 86/2017"],
        ["Peralatan/Perlengkapan", "Komputer\nATK"],
    ):
        sheets["Identitas"].append(row)
    for row in (
        ["VERIFIKASI RANCANGAN RENJA PERANGKAT DAERAH"],
        [],
        [
            "No",
            "Kegiatan",
            "Kabid Ekonomi",
            "Fungsional Perencana",
            "OPD",
            "Kelengkapan",
            "Waktu",
            "Output",
            "Keterangan",
            "Ya",
            "Tidak",
        ],
        [
            1,
            "Menerima rancangan Renja dari OPD",
            None,
            "x",
            "o",
            "Surat pengantar, Rancangan Renja",
            "30 menit",
            "Tanda terima",
            None,
            None,
            None,
        ],
        [
            2.0,
            "Memverifikasi rancangan Renja\nSesuai RKPD?",
            None,
            "v",
            None,
            "Rancangan Renja\nRKPD",
            "2 hari kerja",
            "Hasil verifikasi",
            None,
            4,
            3,
        ],
        [
            3,
            "Mengembalikan rancangan untuk diperbaiki",
            None,
            "x",
            "peserta",
            "Hasil verifikasi",
            "1 jam",
            "Surat pengembalian",
            "Via surel dinas",
            None,
            None,
        ],
        [
            4,
            "Menandatangani berita acara verifikasi\nBerita acara disetujui?",
            "?",
            None,
            None,
            "Hasil verifikasi",
            "45 Menit",
            "Berita acara",
            None,
            None,
            2,
        ],
    ):
        sheets["Prosedur"].append(row)
    book.save(path)
    return path


def _csv(tmp_path: Path, text: str, name: str = "tabel.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "No,Kegiatan,Kabid Pemerintahan,Sub Koordinator,OPD,Kelengkapan,Waktu,Output,Keterangan"


def _errors(path: Path, **options) -> list[str]:
    with pytest.raises(TableError) as caught:
        read_table(path, **options)
    return caught.value.errors


# --- reading hand-typed tables --------------------------------------------------------------


def test_semicolon_csv_with_bom_reads_as_typed():
    assert (TABLES / "renja_titik_koma.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert sop_to_dict(read_table(TABLES / "renja_titik_koma.csv")) == sop_to_dict(RENJA)


@pytest.mark.parametrize("order", [("Identitas", "Prosedur"), ("Prosedur", "Identitas")])
def test_xlsx_with_identity_sheet_reads_as_typed(tmp_path: Path, order):
    path = _hand_made_xlsx(tmp_path / "verifikasi.xlsx", order)
    assert sop_to_dict(read_table(path)) == sop_to_dict(VERIFIKASI)


def test_xlsx_table_on_a_first_sheet_of_any_name(tmp_path: Path):
    path = _hand_made_xlsx(tmp_path / "v.xlsx")
    book = openpyxl.load_workbook(path)
    book["Prosedur"].title = "Sheet1"
    book.move_sheet("Sheet1", offset=-1)
    book.save(path)
    assert sop_to_dict(read_table(path)) == sop_to_dict(VERIFIKASI)


def test_cli_options_give_code_and_name_to_a_table_without_identity(tmp_path: Path):
    path = _csv(tmp_path, f"{HEADER}\n1,Menyusun draf,x,,,Data,1 jam,Draf,\n")
    sop = read_table(path, code="X.1", name="Contoh", owner="Bidang X")
    assert (sop.code, sop.name, sop.owner, sop.steps[0].actor) == (
        "X.1",
        "Contoh",
        "Bidang X",
        "Kabid Pemerintahan",
    )
    assert sop.actors == ["Kabid Pemerintahan", "Sub Koordinator", "OPD"]


def test_marks_participants_sections_and_repeated_headers(tmp_path: Path):
    path = _csv(
        tmp_path,
        f"{HEADER}\nA. Penyusunan,,,,,,,,\n"
        "1,Rapat internal,✓,peserta,(p) hadir,Agenda,2 jam,Notulen,\n"
        f"{HEADER}\n"
        "2,Mengirim undangan,,Sudah,o,,-,,\n",
        name="t.csv",
    )
    sop = read_table(path, code="X", name="X")
    first, second = sop.steps
    assert (first.actor, first.participants) == ("Kabid Pemerintahan", ["Sub Koordinator", "OPD"])
    assert (second.actor, second.participants, second.kelengkapan) == (
        "Sub Koordinator",
        ["OPD"],
        [],
    )


def test_list_cells_split_on_lines_or_commas():
    assert split_items("A, B,C , D") == ["A", "B,C", "D"]
    assert split_items("A, B\nC") == ["A, B", "C"]
    for items in (["A", "B"], ["A, B", "C"], ["A, B"], []):
        assert split_items(join_items(items)) == items


# --- errors ------------------------------------------------------------------------------------


def test_each_bad_row_is_named_and_all_are_reported(tmp_path: Path):
    path = _csv(
        tmp_path,
        "SOP CONTOH,,,,,,,,,,\n"  # row 1: a title
        "# Kode,X.1\n"
        "# Nama,Contoh\n"
        "No,Kegiatan,Kabid Pemerintahan,Sub Koordinator,OPD,Kelengkapan,Waktu,Output,Ket,Ya,Tidak\n"
        "1,Menyusun draf,x,,,Data,1 jam,Draf,,,\n"  # row 5
        "2,Memeriksa draf?,,x,,Draf,30 menit,Draf terperiksa,,,40\n"  # row 6
        "3,Rapat,x,,x,Draf,1 jam,Notulen,,,\n"  # row 7
        "4,Menandatangani,,,,Draf,3 minggu,Dokumen,,,\n"  # row 8
        "5,Mengarsipkan,,,o,Dokumen,-,Arsip,,,\n",  # row 9
    )
    assert _errors(path) == [
        "tabel.csv, baris 7: dua pelaksana ditandai (Kabid Pemerintahan, OPD)",
        "tabel.csv, baris 8: tidak ada pelaksana yang ditandai",
        "tabel.csv, baris 8, kolom 'Waktu': '3 minggu' bukan durasi (tulis 'N menit', "
        "'N jam', 'N hari', 'N hari kerja' atau '-')",
        "tabel.csv, baris 9: tidak ada pelaksana yang ditandai",
        "tabel.csv, baris 6: Tidak menunjuk ke langkah 40 yang tidak ada",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Judul saja\n", "tabel.csv: tidak ada baris judul kolom (sel pertama 'No')"),
        (
            "No,Kegiatan,A,Waktu,Output\n1,x,x,-,y\n",
            "tabel.csv, baris 1: tidak ada kolom 'Kelengkapan'",
        ),
        (f"{HEADER}\n", "tabel.csv: tidak ada langkah di bawah baris judul kolom"),
        (
            f"{HEADER}\n1,A,x,,,,-,,\n1,B,x,,,,-,,\n",
            "tabel.csv, baris 3, kolom 'No': langkah 1 sudah ada di baris lain",
        ),
        (f"{HEADER}\n1,,x,,,,-,,\n", "tabel.csv, baris 2, kolom 'Kegiatan': kosong"),
        (
            "No,Kegiatan,OPD,,Kelengkapan,Waktu,Output\n1,A,x,,,-,\n",
            "tabel.csv, baris 1, kolom 4: nama pelaksana kosong",
        ),
        (
            "No,Kegiatan,OPD,OPD,Kelengkapan,Waktu,Output\n1,A,x,,,-,\n",
            "tabel.csv, baris 1, kolom 4: pelaksana 'OPD' sudah ada di kolom lain",
        ),
        (f"{HEADER}\n1b,A,x,,,,-,,\n", "tabel.csv, baris 2, kolom 'No': '1b' bukan nomor langkah"),
        (
            f"{HEADER}\n1,Setuju?,x,,,,-,,\n",
            "tabel.csv, baris 2: Tidak tidak punya langkah sebelumnya; isi kolom Tidak",
        ),
        (
            f"{HEADER},Ya\n1,A,x,,,,-,,,3\n",
            "tabel.csv, baris 2, kolom 'Ya': diisi, tetapi langkah ini bukan keputusan",
        ),
        (
            f"{HEADER},Ya,Tidak\n1,A,x,,,,-,,,,\n2,B?,,x,,,-,,,dua,1\n",
            "tabel.csv, baris 3, kolom 'Ya': 'dua' bukan nomor langkah",
        ),
    ],
)
def test_table_errors(tmp_path: Path, text: str, message: str):
    assert message in _errors(_csv(tmp_path, text), code="X", name="X")


def test_code_and_name_are_required(tmp_path: Path):
    errors = _errors(_csv(tmp_path, f"{HEADER}\n1,A,x,,,,-,,\n"))
    assert errors == [
        "tabel.csv: Kode SOP tidak ada: isi 'Kode' di identitas atau pakai --code",
        "tabel.csv: Nama SOP tidak ada: isi 'Nama' di identitas atau pakai --name",
    ]


def test_unknown_identity_label(tmp_path: Path):
    path = _hand_made_xlsx(tmp_path / "v.xlsx")
    book = openpyxl.load_workbook(path)
    book["Identitas"].append(["Warna", "biru"])
    book.save(path)
    assert _errors(path) == ["v.xlsx, lembar Identitas, baris 17: isian 'Warna' tidak dikenal"]


def test_not_an_xlsx(tmp_path: Path):
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(b"bukan zip")
    assert _errors(path)[0].startswith("rusak.xlsx: bukan berkas XLSX yang bisa dibaca")


# --- writing and reading back --------------------------------------------------------------


def _round_trip(sop: Sop, tmp_path: Path) -> None:
    for name, data in (
        ("t.csv", write_csv(sop)),
        ("t_semicolon.csv", write_csv(sop, ";")),
        ("t_tab.csv", write_csv(sop, "\t")),
        ("t.xlsx", write_xlsx(sop)),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        assert sop_to_dict(read_table(path)) == sop_to_dict(sop), name


def test_transcriptions_exist():
    assert len(TRANSCRIPTIONS) >= 6, [p.name for p in TRANSCRIPTIONS]


@pytest.mark.parametrize("path", TRANSCRIPTIONS, ids=lambda p: p.stem)
def test_transcribed_sops_survive_export_and_import(path: Path, tmp_path: Path):
    _round_trip(_transcribed(path), tmp_path)


@pytest.mark.parametrize("sop", [RENJA, VERIFIKASI], ids=["csv", "xlsx"])
def test_hand_made_tables_survive_export_and_import(sop: Sop, tmp_path: Path):
    _round_trip(sop, tmp_path)


def test_exported_layout():
    header, *rows = table_rows(RENJA)
    assert header == [
        "No",
        "Kegiatan",
        *RENJA.actors,
        "Kelengkapan",
        "Waktu",
        "Output",
        "Keterangan",
        "Ya",
        "Tidak",
    ]
    assert rows[1][:7] == [
        "2",
        "Memeriksa kelengkapan usulan\nUsulan lengkap?",
        "",
        "◇",
        "",
        "",
        "",
    ]
    assert rows[0][2:7] == ["x", "", "", "", "(p)"]
    assert rows[4][-2:] == ["6", "4"] and rows[0][-2:] == ["", ""]


def test_xlsx_sheets_are_formatted(tmp_path: Path):
    path = tmp_path / "v.xlsx"
    path.write_bytes(write_xlsx(VERIFIKASI))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Identitas", "Prosedur"]
    table = book["Prosedur"]
    assert [c.value for c in table[1]][:3] == ["No", "Kegiatan", "Kabid Ekonomi"]
    assert all(c.font.bold for c in table[1])
    assert table.freeze_panes == "C2"
    assert table["B3"].alignment.wrap_text and table["A2"].value == 1
    assert table.column_dimensions["B"].width > table.column_dimensions["A"].width
    identity = book["Identitas"]
    assert [c.value for c in identity[2]] == ["Kode", "C.9"]
    assert identity["A9"].value == "Tanggal Pembuatan"
    assert identity["B9"].value == "31 Januari 2022"


# --- through BPMN: import-table, validate, run; export-table ------------------------------


def _alur(*args: str) -> str:
    from engine.cli import main

    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _run_all_ya(xml: bytes, sop: Sop, filename: str) -> list[int]:
    """Complete the ready user tasks lane by lane, answering Ya; the steps in the order run."""
    from engine.runtime import spiff

    workflow = spiff.new_workflow(spiff.parse_specs(xml, sop.key, filename))
    workflow.do_engine_steps()
    visited: list[int] = []
    while not workflow.is_completed():
        ready = [
            (lane, task)
            for lane in sop.actors
            for task in workflow.get_tasks(state=TaskState.READY, manual=True, lane=lane)
        ]
        assert ready and len(visited) < 200, "stuck"
        for _, task in ready:
            step = sop.step(int(task.task_spec.name.removeprefix("Langkah_")))
            visited.append(step.no)
            if step.decision:
                task.data[step.decision_variable] = "Ya"
            task.run()
            workflow.do_engine_steps()
            workflow = spiff.load(spiff.dump(workflow))
    return visited


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda tmp: TABLES / "renja_titik_koma.csv", [1, 2, 4, 5, 6]),
        (lambda tmp: _hand_made_xlsx(tmp / "verifikasi.xlsx"), [1, 2, 4]),
    ],
    ids=["csv", "xlsx"],
)
def test_import_table_writes_bpmn_that_validates_and_runs(tmp_path: Path, make, expected):
    from engine.bpmn.reader import read_bpmn

    table = make(tmp_path)
    out = tmp_path / "sop.bpmn"
    _alur("import-table", str(table), "-o", str(out))
    _alur("validate", "--require-executable", str(out))
    sop = read_bpmn(out)
    assert sop_to_dict(sop) == sop_to_dict(read_table(table))
    assert _run_all_ya(out.read_bytes(), sop, out.name) == expected


def test_import_table_writes_nothing_when_a_row_is_bad(tmp_path: Path):
    from engine.cli import main

    table = _csv(tmp_path, f"{HEADER}\n1,Menyusun,,,,Data,3 minggu,Draf,\n")
    out = tmp_path / "sop.bpmn"
    result = CliRunner().invoke(
        main, ["import-table", str(table), "-o", str(out), "--code", "X", "--name", "X"]
    )
    assert result.exit_code == 1
    assert "baris 2: tidak ada pelaksana yang ditandai" in result.output
    assert "'3 minggu' bukan durasi" in result.output
    assert not out.exists()


def test_sop_diagrams_exist():
    assert len(SOP_DIAGRAMS) >= 6, [p.name for p in SOP_DIAGRAMS]


@pytest.mark.parametrize("path", SOP_DIAGRAMS, ids=lambda p: p.name)
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_table_then_import_table_gives_the_same_sop(path: Path, suffix: str, tmp_path):
    from engine.bpmn.reader import read_bpmn

    table = tmp_path / f"sop{suffix}"
    _alur("export-table", str(path), "-o", str(table), "--delimiter", ";")
    again = tmp_path / "again.bpmn"
    _alur("import-table", str(table), "-o", str(again))
    assert sop_to_dict(read_table(table)) == sop_to_dict(read_bpmn(path))
    assert sop_to_dict(read_bpmn(again)) == sop_to_dict(read_bpmn(path))
    _alur("validate", "--require-executable", str(again))
