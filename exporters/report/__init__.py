"""The compliance report of one SOP over a period, from the analytics' plain figures (the JSON
`engine.analytics.as_json` makes): CSV (standard, or the form Indonesian Excel opens), XLSX,
HTML and PDF (headless Chromium, as the SOP document). Bahasa Indonesia."""

from __future__ import annotations

import csv
import io
from html import escape

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from engine.sop import Sop
from exporters.document.chromium import html_to_pdf
from exporters.report.charts import (
    bar_chart,
    heat_colour,
    heat_legend,
    heat_text_colour,
    histogram,
    line_chart,
    minutes,
    percent,
)

FORMATS = ("pdf", "xlsx", "csv", "html", "json")
# (key in a step's figures, Indonesian column heading)
COLUMNS = (
    ("step_no", "No"),
    ("activity", "Kegiatan"),
    ("actor", "Pelaksana"),
    ("instances", "Instans"),
    ("tasks", "Tugas"),
    ("completions", "Selesai"),
    ("median_work_min", "Median waktu kerja (mnt)"),
    ("p90_work_min", "P90 waktu kerja (mnt)"),
    ("median_calendar_min", "Median waktu kalender (mnt)"),
    ("p90_calendar_min", "P90 waktu kalender (mnt)"),
    ("median_wait_min", "Median menunggu (mnt)"),
    ("median_handle_min", "Median dikerjakan (mnt)"),
    ("unclaimed", "Selesai tanpa diambil"),
    ("standard", "Mutu Baku Waktu"),
    ("standard_min", "Baku (mnt)"),
    ("over_standard", "Melebihi baku"),
    ("over_standard_share", "Porsi melebihi baku"),
    ("over_standard_min", "Menit melebihi baku"),
    ("sendbacks", "Dikembalikan (Tidak)"),
    ("max_rounds", "Putaran terbanyak"),
)


def _cell(value, excel: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and excel:
        return f"{value:g}".replace(".", ",")  # Indonesian Excel reads a decimal comma
    return str(value)


def report_csv(data: dict, excel: bool = False) -> bytes:
    """One row per step. Standard: comma, UTF-8, the JSON keys as headings. excel=True: the form
    Indonesian Excel opens by double-click: semicolon, UTF-8 with BOM, decimal comma, Indonesian
    headings."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow([label if excel else key for key, label in COLUMNS])
    for step in data["steps"]:
        writer.writerow([_cell(step.get(key), excel) for key, _ in COLUMNS])
    text = out.getvalue()
    return ("\ufeff" + text).encode("utf-8") if excel else text.encode("utf-8")


def report_xlsx(data: dict) -> bytes:
    """Sheets Langkah (the figures per step), Pelaksana, Bulanan and Melebihi baku."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Langkah"
    title = (
        f"{data['process']['code']} {data['process']['name']} · periode {data['period']['label']}"
    )
    sheet.append([title])
    sheet["A1"].font = Font(bold=True)
    sheet.append([label for _, label in COLUMNS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for step in data["steps"]:
        sheet.append([step.get(key) for key, _ in COLUMNS])
        share = step.get("over_standard_share")
        fill = heat_colour(share).lstrip("#")
        sheet.cell(sheet.max_row, 17).fill = PatternFill("solid", fgColor=fill)
        sheet.cell(sheet.max_row, 17).number_format = "0%"
    actors = book.create_sheet("Pelaksana")
    keys = ("instances", "completions", "median_work_min", "p90_work_min", "over_standard_share",
            "sendbacks")  # fmt: skip
    actors.append(["Pelaksana", "Langkah", *keys])
    for actor in data["actors"]:
        steps = ", ".join(map(str, actor["steps"]))
        actors.append([actor["actor"], steps, *[actor[k] for k in keys]])
    months = book.create_sheet("Bulanan")
    months.append(["Bulan", "Dimulai", "Selesai", "Median lead time (mnt)", "Tugas selesai",
                   "Porsi melebihi baku"])  # fmt: skip
    for m in data["months"]:
        months.append([m["month"], m["started"], m["completed"], m["median_lead_min"],
                       m["completions"], m["over_standard_share"]])  # fmt: skip
    late = book.create_sheet("Melebihi baku")
    late.append(["Instans", "Judul", "Versi", "Status", "Mulai", "Selesai", "Lead time (mnt)",
                 "Langkah terburuk", "Kegiatan", "Menit melebihi baku"])  # fmt: skip
    for i in data["late"]:
        late.append([i["id"], i["title"], i["version"], i["state"], i["started_at"],
                     i["ended_at"], i["lead_min"], i["worst_step"], i["worst_activity"],
                     i["worst_over_min"]])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def charts(data: dict, standard_label: str = "Mutu Baku") -> dict[str, str]:
    """The report's SVG charts (Indonesian labels), by name."""
    steps = data["steps"]
    return {
        "bars": bar_chart(
            [
                (
                    f"{s['step_no']}. {s['activity']}",
                    s["median_work_min"],
                    s["standard_min"],
                    s["over_standard_share"],
                )
                for s in steps
            ],  # fmt: skip
            "Median waktu kerja per langkah dibanding Mutu Baku",
            "median",
            standard_label,
        ),
        "trend": line_chart(
            [(m["month"], m["over_standard_share"]) for m in data["months"]],
            "Porsi tugas melebihi baku per bulan",
        ),
        "histogram": histogram(
            [(b["from_min"], b["to_min"], b["instances"]) for b in data["lead_histogram"]],
            "Sebaran lead time instans (menit kerja)",
            data["instances"]["standard_total_min"],
            "jumlah baku",
        ),
        "legend": heat_legend("Porsi melebihi baku", "tanpa data"),
    }


REPORT_CSS = """
@page { size: A4 portrait; margin: 12mm; }
html { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 8.5pt; color: #000; }
h1 { font-size: 14pt; margin: 0 0 2mm; } h2 { font-size: 11pt; margin: 5mm 0 2mm; }
table { width: 100%; border-collapse: collapse; margin-bottom: 3mm; }
th, td { border: 0.5pt solid #555; padding: 0.8mm 1.2mm; vertical-align: top; text-align: left; }
th { background: #e8e8e8; } td.n { text-align: right; white-space: nowrap; }
.chart { width: 100%; height: auto; display: block; margin-bottom: 3mm; }
.legend { width: 60%; } .identitas td { border: none; padding: 0.3mm 1mm; }
section { break-inside: avoid; }
.heat-page { width: 100%; height: 160mm; break-inside: avoid; margin-bottom: 3mm; }
.heat-page svg { width: 100%; height: 100%; }
"""


def _td(value, numeric: bool = True) -> str:
    shown = minutes(value) if isinstance(value, float) else ("–" if value is None else value)
    return f'<td class="{"n" if numeric else ""}">{escape(str(shown))}</td>'


def report_html(data: dict, sop: Sop | None = None, flowchart_svg: str = "") -> str:
    """The report as one HTML page (printed as PDF): identity, period, figures, charts, late."""
    process, period, inst = data["process"], data["period"], data["instances"]
    ident = sop.identity if sop else None
    rows = [
        ("SOP", f"{process['code']} · {process['name']}"),
        ("Nomor SOP", ident.nomor if ident else ""),
        ("Unit", ident.unit if ident else ""),
        (
            "Periode",
            f"{period['label']}"
            + (
                f" ({period['from'] or '…'} s.d. {period['to'] or '…'})"
                if period["from"] or period["to"]
                else ""
            ),
        ),  # fmt: skip
        (
            "Versi",
            ", ".join(map(str, data["versions"]))
            if data["version"] is None
            else str(data["version"]),
        ),  # fmt: skip
        ("Dibuat", (data["generated_at"] or "")[:16].replace("T", " ")),
    ]
    identity = "".join(f"<tr><td><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in rows)
    summary = (
        f"<p>Instans dimulai: <b>{inst['started']}</b>, selesai {inst['completed']}, "
        f"dibatalkan {inst['cancelled']}, berjalan {inst['running']}. Lead time (menit kerja) "
        f"median <b>{minutes(inst['median_lead_min'])}</b>, p90 {minutes(inst['p90_lead_min'])}; "
        f"kalender median {minutes(inst['median_lead_calendar_min'])}. Jumlah Mutu Baku "
        f"{minutes(inst['standard_total_min'])} mnt; {inst['over_standard_total']} instans "
        "selesai melebihinya.</p>"
    )
    head = "".join(
        f"<th>{escape(h)}</th>"
        for h in (
            "No",
            "Kegiatan",
            "Pelaksana",
            "Inst.",
            "Selesai",
            "Median kerja",
            "P90 kerja",
            "Median kalender",
            "Median tunggu",
            "Median dikerjakan",
            "Baku (mnt)",
            "Melebihi baku",
            "Menit lebih",
            "Tidak",
            "Putaran",
        )  # fmt: skip
    )
    body = []
    for s in data["steps"]:
        share = s["over_standard_share"]
        colour = heat_colour(share)
        body.append(
            "<tr>" + _td(s["step_no"]) + _td(s["activity"], False) + _td(s["actor"], False)
            + _td(s["instances"]) + _td(s["completions"]) + _td(s["median_work_min"])
            + _td(s["p90_work_min"]) + _td(s["median_calendar_min"]) + _td(s["median_wait_min"])
            + _td(s["median_handle_min"]) + _td(s["standard_min"])
            + f'<td class="n" style="background:{colour};color:{heat_text_colour(share)}">'
            f"{percent(share)} ({s['over_standard']})</td>"
            + _td(s["over_standard_min"]) + _td(s["sendbacks"]) + _td(s["max_rounds"] or None)
            + "</tr>"
        )  # fmt: skip
    late = "".join(
        "<tr>" + _td(i["id"]) + _td(i["title"], False) + _td(i["version"])
        + _td((i["started_at"] or "")[:10], False) + _td(i["lead_min"])
        + _td(f"{i['worst_step']}. {i['worst_activity']}", False) + _td(i["worst_over_min"])
        + "</tr>"
        for i in data["late"]
    )  # fmt: skip
    pictures = charts(data)
    flow = ""
    if sop is not None and not flowchart_svg:
        from exporters.report.heat import heat_flowchart

        flowchart_svg = heat_flowchart(sop, data)
    if flowchart_svg:
        heading = "<h2>Bagan alir SOP AP menurut porsi melebihi baku</h2>"
        flow = f"<section>{heading}{flowchart_svg}</section>"
    return f"""<!doctype html><html lang="id"><head><meta charset="utf-8">
<title>Laporan kepatuhan {escape(process["code"])} {escape(period["label"])}</title>
<style>{REPORT_CSS}</style></head><body>
<h1>Laporan kepatuhan Mutu Baku: {escape(process["name"])}</h1>
<table class="identitas">{identity}</table>{summary}
<h2>Angka per langkah</h2>
<p>Waktu dalam menit; "kerja" dihitung menurut jam kerja kantor (tanpa malam, akhir pekan dan hari
libur), "kalender" menurut jam dinding. Median dan p90 menurut percentile_cont.</p>
<table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>
<div class="legend">{pictures["legend"]}</div>
<section>{pictures["bars"]}</section>
<section>{pictures["trend"]}</section>
<section>{pictures["histogram"]}</section>
{flow}
<section><h2>Instans dengan langkah melebihi baku ({data["late_count"]})</h2>
<table><thead><tr><th>Instans</th><th>Judul</th><th>Versi</th><th>Mulai</th><th>Lead time (mnt)</th>
<th>Langkah terburuk</th><th>Menit melebihi baku</th></tr></thead><tbody>{late}</tbody></table>
</section></body></html>"""


def report_pdf(data: dict, sop: Sop | None = None, flowchart_svg: str = "") -> bytes:
    return html_to_pdf(report_html(data, sop, flowchart_svg))
