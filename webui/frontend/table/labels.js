/* The table editor's labels in Bahasa Indonesia (the default) or English, chosen from <html lang>
   as the studio's (../i18n.js). */

import { language } from "../i18n";

const LABELS = {
  id: {
    caption: "Tabel SOP: langkah, pelaksana dan mutu baku",
    no: "No",
    activity: "Kegiatan",
    pelaksana: "Pelaksana",
    mutuBaku: "Mutu Baku",
    kelengkapan: "Kelengkapan",
    waktu: "Waktu",
    output: "Output",
    keterangan: "Keterangan",
    yes: "Ya",
    no_answer: "Tidak",
    actions: "Ubah baris",
    "cell.activity": "Kegiatan langkah {n}",
    "cell.question": "Pertanyaan keputusan langkah {n}",
    "cell.actor": "{actor}, langkah {n}",
    "cell.kelengkapan": "Kelengkapan langkah {n} (satu butir per baris)",
    "cell.amount": "Waktu langkah {n}: jumlah",
    "cell.unit": "Waktu langkah {n}: satuan",
    "cell.output": "Output langkah {n} (satu butir per baris)",
    "cell.keterangan": "Keterangan langkah {n}",
    "cell.yes": "Jika Ya, langkah {n} lanjut ke",
    "cell.no": "Jika Tidak, langkah {n} lanjut ke",
    "mark.none": "–",
    "mark.performer": "● Pelaksana",
    "mark.participant": "○ Peserta",
    "unit.none": "–",
    "target.none": "– (bukan keputusan)",
    "target.end": "Selesai",
    "target.step": "{n}. {text}",
    "actor.name": "Nama pelaksana kolom {n}",
    "actor.left": "Geser kolom {name} ke kiri",
    "actor.right": "Geser kolom {name} ke kanan",
    "actor.remove": "Hapus kolom {name}",
    "actor.add": "Tambah kolom pelaksana",
    "actor.new": "Pelaksana baru",
    "row.up": "Naikkan langkah {n}",
    "row.down": "Turunkan langkah {n}",
    "row.insert": "Sisipkan langkah setelah langkah {n}",
    "row.remove": "Hapus langkah {n}",
    "row.add": "Tambah langkah",
    "row.removed": "Langkah {n} dihapus.",
    "row.moved": "Langkah dipindah ke nomor {n}.",
    "actor.removed": "Kolom {name} dihapus.",
    "pasted": "{rows} baris ditempel.",
    hint:
      "Tempel blok dari Excel (Ctrl+V) di sel mana pun. Alt+↑/↓ memindah langkah, Ctrl+Enter " +
      "menyisipkan langkah di bawahnya, Alt+←/→ di kolom pelaksana memindah kolomnya.",
    problems: "Perbaiki dulu isian berikut:",
    "paste.waktu": "baris {row}, kolom Waktu: '{text}' tidak dikenali; tulis misalnya '30 menit'",
    "paste.target": "baris {row}, kolom {column}: langkah {text} tidak ada",
  },
  en: {
    caption: "SOP table: steps, performers and Mutu Baku",
    no: "No",
    activity: "Kegiatan (activity)",
    pelaksana: "Pelaksana (performers)",
    mutuBaku: "Mutu Baku (standards)",
    kelengkapan: "Kelengkapan",
    waktu: "Waktu (time)",
    output: "Output",
    keterangan: "Keterangan (notes)",
    yes: "Ya (yes)",
    no_answer: "Tidak (no)",
    actions: "Edit row",
    "cell.activity": "Activity of step {n}",
    "cell.question": "Decision question of step {n}",
    "cell.actor": "{actor}, step {n}",
    "cell.kelengkapan": "Kelengkapan of step {n} (one item a line)",
    "cell.amount": "Time of step {n}: amount",
    "cell.unit": "Time of step {n}: unit",
    "cell.output": "Output of step {n} (one item a line)",
    "cell.keterangan": "Notes of step {n}",
    "cell.yes": "If Ya (yes), step {n} goes to",
    "cell.no": "If Tidak (no), step {n} goes to",
    "mark.none": "–",
    "mark.performer": "● Performer",
    "mark.participant": "○ Participant",
    "unit.none": "–",
    "target.none": "– (no decision)",
    "target.end": "End",
    "target.step": "{n}. {text}",
    "actor.name": "Name of performer column {n}",
    "actor.left": "Move column {name} left",
    "actor.right": "Move column {name} right",
    "actor.remove": "Remove column {name}",
    "actor.add": "Add a performer column",
    "actor.new": "New performer",
    "row.up": "Move step {n} up",
    "row.down": "Move step {n} down",
    "row.insert": "Insert a step after step {n}",
    "row.remove": "Remove step {n}",
    "row.add": "Add a step",
    "row.removed": "Step {n} removed.",
    "row.moved": "Step moved to number {n}.",
    "actor.removed": "Column {name} removed.",
    "pasted": "{rows} rows pasted.",
    hint:
      "Paste a block from Excel (Ctrl+V) into any cell. Alt+↑/↓ moves a step, Ctrl+Enter " +
      "inserts a step below it, Alt+←/→ in a performer column moves the column.",
    problems: "Fix these first:",
    "paste.waktu": "row {row}, column Waktu: '{text}' is not understood; write e.g. '30 menit'",
    "paste.target": "row {row}, column {column}: there is no step {text}",
  },
};

const UNIT_LABELS = {
  id: { menit: "menit", jam: "jam", hari: "hari", "hari kerja": "hari kerja" },
  en: {
    menit: "minutes (menit)",
    jam: "hours (jam)",
    hari: "days (hari)",
    "hari kerja": "working days (hari kerja)",
  },
};

export function label(key, values) {
  const table = LABELS[language()];
  const template = table[key] || LABELS.id[key] || key;
  return template.replace(/{([^}]+)}/g, (match, name) =>
    values && name in values ? String(values[name]) : match,
  );
}

export function unitLabel(unit) {
  return UNIT_LABELS[language()][unit] || unit;
}
