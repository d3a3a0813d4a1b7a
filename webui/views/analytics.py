"""A process's figures against its Mutu Baku across instances (auditors, analysts, supervisors):
the page with its period picker, table and charts, and the report's downloads."""

from __future__ import annotations

import json
from io import BytesIO

from flask import Blueprint, abort, render_template, request, send_file
from flask_login import login_required

from engine.views import analytics_json
from exporters.report import report_csv, report_pdf, report_xlsx
from webui import access
from webui.api.analytics import period_args, version_arg
from webui.facade import alur
from webui.present import analytics as present

bp = Blueprint("analytics", __name__, url_prefix="/processes")
DOWNLOADS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


def _figures(key: str):
    engine = alur()
    period = engine.period(**period_args(request.args))
    return engine.analytics(key, access.me().username, period, version_arg(request.args))


@bp.get("/<key>/analytics")
@login_required
def show(key: str):
    figures = _figures(key)
    versions = [d.version for d in alur().processes() if d.key == key]
    return render_template(
        "analytics/show.html",
        figures=figures,
        pictures=present.pictures(figures),
        bpmn_heat=present.bpmn_heat(figures),
        heat_attrs=present.heat_attrs,
        share=present.share_text,
        versions=sorted(versions, reverse=True),
        args={k: request.args.get(k, "") for k in ("period", "from", "to", "version")},
    )


@bp.get("/<key>/analytics.<fmt>")
@login_required
def download(key: str, fmt: str):
    """The report as PDF, XLSX, CSV (excel=1: for Indonesian Excel) or JSON."""
    if fmt not in DOWNLOADS:
        abort(404)
    figures = _figures(key)
    data = analytics_json(figures)
    if fmt == "pdf":
        content = report_pdf(data, figures.sop)
    elif fmt == "xlsx":
        content = report_xlsx(data)
    elif fmt == "csv":
        content = report_csv(data, excel=request.args.get("excel") == "1")
    else:
        content = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    name = f"laporan-{figures.code or key}-{figures.period.label}.{fmt}".replace("..", "_")
    return send_file(
        BytesIO(content), mimetype=DOWNLOADS[fmt], as_attachment=True, download_name=name
    )
