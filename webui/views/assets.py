"""Front-end files served from node_modules through a whitelist (build output stays out of git)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, send_from_directory

bp = Blueprint("vendor", __name__, url_prefix="/vendor")

# URL name -> file inside node_modules; a name ending in "/" opens that folder's files.
FILES = {
    "htmx.min.js": "htmx.org/dist/htmx.min.js",
    "bpmn-js/bpmn-viewer.production.min.js": "bpmn-js/dist/bpmn-viewer.production.min.js",
    "bpmn-js/bpmn-navigated-viewer.production.min.js": (
        "bpmn-js/dist/bpmn-navigated-viewer.production.min.js"
    ),
    "bpmn-js/assets/": "bpmn-js/dist/assets/",
}
SUFFIXES = {".js", ".css", ".woff", ".woff2", ".ttf", ".eot", ".svg"}
MAX_AGE = 24 * 3600


@bp.get("/<path:name>")
def asset(name: str):
    path = vendor_file(name)
    if path is None:
        abort(404)
    # send_from_directory refuses paths that leave the folder ("..", absolute paths).
    root = Path(current_app.config["ALUR_NODE_MODULES"])
    return send_from_directory(root, str(path.relative_to(root)), max_age=MAX_AGE)


def vendor_file(name: str) -> Path | None:
    """The file under node_modules a whitelisted URL name stands for, or None."""
    root = Path(current_app.config["ALUR_NODE_MODULES"])
    if name in FILES and not FILES[name].endswith("/"):
        return root / FILES[name]
    folder = next((k for k in FILES if k.endswith("/") and name.startswith(k)), None)
    if folder is None or Path(name).suffix not in SUFFIXES or ".." in Path(name).parts:
        return None
    return root / (FILES[folder] + name.removeprefix(folder))
