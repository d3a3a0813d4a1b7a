"""Diagram downloads: the SOP AP flowchart (SVG, PNG, PDF), the BPMN file of a definition and
the DMN files deployed with it."""

from __future__ import annotations

import hashlib
from io import BytesIO
from pathlib import Path

from flask import abort, request, send_file

import exporters
from engine.views import Definition
from exporters.flowchart import FORMATS, render_flowchart
from exporters.progress import InstanceOverlay
from webui import caching

MIMETYPES = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf"}


def flowchart(definition: Definition, fmt: str, name: str, overlay: InstanceOverlay | None = None):
    """The flowchart shown in the page, or as a download with ?download=1."""
    if fmt not in FORMATS:
        abort(404)
    tag = caching.validator(DRAWING, definition.sha256, fmt, overlay, _download())
    unchanged = caching.not_modified(tag)
    if unchanged is not None:
        return unchanged
    data = render_flowchart(definition.model, fmt, overlay)
    return caching.revalidate(_send(data, MIMETYPES[fmt], f"{name}.{fmt}"), tag)


def bpmn(definition: Definition):
    """The BPMN XML of a version, fetched by the diagram viewer or saved. Always an attachment of
    no renderable type: a script an analyst hid in an extension element never runs in the
    browser when someone opens the URL. A weak ETag from the version's hash: 304 when held."""
    tag = caching.validator(definition.sha256)
    unchanged = caching.not_modified(tag)
    if unchanged is not None:
        return unchanged
    response = send_file(
        BytesIO(definition.xml),
        mimetype="application/octet-stream",
        as_attachment=True,
        download_name=f"{definition.key}-v{definition.version}.bpmn",
        max_age=0,
    )
    return caching.revalidate(response, tag)


def dmn(xml: bytes, sha256: str, name: str):
    """A deployed DMN file, fetched by the decision page's viewer: an attachment of no
    renderable type, as the BPMN file is; a weak ETag from its hash."""
    tag = caching.validator(sha256)
    unchanged = caching.not_modified(tag)
    if unchanged is not None:
        return unchanged
    response = send_file(
        BytesIO(xml),
        mimetype="application/octet-stream",
        as_attachment=True,
        download_name=name,
        max_age=0,
    )
    return caching.revalidate(response, tag)


def _send(data: bytes, mimetype: str, name: str):
    return send_file(
        BytesIO(data),
        mimetype=mimetype,
        as_attachment=_download(),
        download_name=name,
        max_age=0,
    )


def _download() -> bool:
    return request.args.get("download") == "1"


def _drawing_code() -> str:
    """A fingerprint of the code that draws flowcharts: a new release draws anew."""
    root = Path(exporters.__file__).parent
    sources = sorted([*root.glob("flowchart/*.py"), root / "progress.py"])
    return hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:16]


DRAWING = _drawing_code()
