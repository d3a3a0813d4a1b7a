"""Diagram downloads: the SOP AP flowchart (SVG, PNG, PDF) and the BPMN file of a definition."""

from __future__ import annotations

from io import BytesIO

from flask import abort, request, send_file

from engine.views import Definition
from exporters.flowchart import FORMATS, render_flowchart
from exporters.progress import InstanceOverlay

MIMETYPES = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf"}


def flowchart(definition: Definition, fmt: str, name: str, overlay: InstanceOverlay | None = None):
    """The flowchart shown in the page, or as a download with ?download=1."""
    if fmt not in FORMATS:
        abort(404)
    data = render_flowchart(definition.model, fmt, overlay)
    return _send(data, MIMETYPES[fmt], f"{name}.{fmt}")


def bpmn(definition: Definition):
    """The BPMN XML of a version, fetched by the diagram viewer or saved. Always an attachment of
    no renderable type: a script an analyst hid in an extension element never runs in the
    browser when someone opens the URL."""
    return send_file(
        BytesIO(definition.xml),
        mimetype="application/octet-stream",
        as_attachment=True,
        download_name=f"{definition.key}-v{definition.version}.bpmn",
        max_age=0,
    )


def _send(data: bytes, mimetype: str, name: str):
    return send_file(
        BytesIO(data),
        mimetype=mimetype,
        as_attachment=request.args.get("download") == "1",
        download_name=name,
        max_age=0,
    )
