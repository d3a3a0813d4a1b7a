"""The analyst studio: SOP drafts in the BPMN modeler (webui/frontend), saved, checked while
editing, published with a change note; a second analyst approves a change of performer.

The page loads the modeler bundle (static/build/studio.js) and its glue (studio-page.js); the
glue fetches the XML, saves it (Ctrl+S), asks /studio/check for the deploy checks while the
analyst edits and marks the problems on the diagram. No inline script or style (CSP).
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engine.errors import DeployError, EngineError, InvalidInput, PermissionDenied
from engine.views import AWAITING, DRAFT, DraftRow, NewSop, Problem
from webui import access
from webui.error_texts import FINDING_TEXTS, TEXTS, error_text
from webui.facade import alur

bp = Blueprint("studio", __name__, url_prefix="/studio")
NOTE_MAX = 2000
FIELD_MAX = 300
TABLE_SUFFIXES = (".xlsx", ".csv")
NEW_FIELDS = ("code", "name", "owner", "actor", "activity", "nomor", "unit")


def tabs() -> list[tuple[str, str]]:
    """The editor's tabs: (id, label); each id's panel is templates/studio/_panel_<id>.html."""
    return [("diagram", _("Diagram")), ("table", _("Table"))]


def _analyst():
    user = access.me()
    if not access.abilities().analyst:
        raise PermissionDenied("drafts_forbidden")  # worded by error_texts in the UI's language
    return user


def _json_errors(view):
    """A JSON endpoint of the page's script: engine refusals as {error: {code, message}}."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except EngineError as error:
            body = {"code": error.code, "message": error_text(error)}
            return jsonify(error=body | ({"key": error.key} if error.key else {})), error.status

    return wrapped


def problem_json(problem: Problem) -> dict:
    """A finding for the page: element id, line and the message in the user's language."""
    text = (FINDING_TEXTS.get(problem.key) or TEXTS.get(problem.key)) if problem.key else None
    message = problem.message if text is None else str(text) % problem.params
    return {"element": problem.element, "line": problem.line, "message": message}


def _xml_body() -> bytes:
    limit = int(current_app.config["ALUR_MAX_BPMN_BYTES"])
    data = request.get_data(cache=False)
    if len(data) > limit:
        raise InvalidInput("draft_too_large", size=len(data), limit=limit)
    return data


# -- the list of drafts and new SOPs -----------------------------------------------------------
@bp.get("/")
@login_required
def index():
    user = _analyst()
    key = request.args.get("process") or None
    drafts = alur().drafts(user.username, key=key)
    return render_template(
        "studio/index.html",
        drafts=drafts,
        key=key,
        processes=_process_names(),
        new={},
        errors={},
    )


def _process_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for definition in alur().processes():
        names.setdefault(definition.key, definition.name)
    return names


@bp.post("/drafts")
@login_required
def create():
    """A draft of a deployed version (the process page's button), opened in the modeler."""
    user = _analyst()
    key = request.form.get("key", "")
    version = request.form.get("version", type=int)
    draft = alur().draft_from_version(key, version, user.username)
    return redirect(url_for("studio.edit", draft_id=draft.id))


@bp.post("/new")
@login_required
def new():
    """A new SOP from its identity, one Pelaksana column and a first step."""
    user = _analyst()
    form = {name: request.form.get(name, "").strip()[:FIELD_MAX] for name in NEW_FIELDS}
    try:
        draft = alur().draft_new(NewSop(**form), user.username)
    except (InvalidInput, EngineError) as error:
        return _index_with(form, {"new": error_text(error)}), error.status
    flash(_("Draft %(id)s of a new SOP was made.", id=draft.id), "success")
    return redirect(url_for("studio.edit", draft_id=draft.id))


@bp.post("/import")
@login_required
def import_table():
    """A draft from an SOP table (XLSX or CSV, SOP AP columns) read by the table importer."""
    from exporters.table.reader import read_table

    user = _analyst()
    upload = request.files.get("table")
    name = Path(upload.filename or "").name if upload else ""
    limit = int(current_app.config["ALUR_MAX_BPMN_BYTES"])
    data = upload.read(limit + 1) if upload else b""
    if not name.lower().endswith(TABLE_SUFFIXES):
        return _index_with({}, {"import": _("Choose an .xlsx or .csv SOP table.")}), 422
    if len(data) > limit or not data.strip():
        return _index_with({}, {"import": _("The table is empty or too large.")}), 422
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("table" + Path(name).suffix.lower())
        path.write_bytes(data)
        try:
            sop = read_table(path)
        except ValueError as error:  # TableError: every row and column named
            return _index_with({}, {"import": str(error).replace(path.name, name)}), 422
    try:
        draft = alur().draft_from_sop(sop, user.username)
    except EngineError as error:
        return _index_with({}, {"import": error_text(error)}), error.status
    flash(_("Draft %(id)s was made from %(file)s.", id=draft.id, file=name), "success")
    return redirect(url_for("studio.edit", draft_id=draft.id))


def _index_with(new: dict, errors: dict):
    drafts = alur().drafts(current_user.username)
    return render_template(
        "studio/index.html",
        drafts=drafts,
        key=None,
        processes=_process_names(),
        new=new,
        errors=errors,
    )


# -- the modeler page ---------------------------------------------------------------------------
@bp.get("/drafts/<int:draft_id>")
@login_required
def edit(draft_id: int):
    user = _analyst()
    draft = alur().draft(draft_id, user.username)
    return _studio(draft, user)


def _studio(draft: DraftRow, user, problems: list[dict] | None = None, note: str = ""):
    editable = draft.state == DRAFT and draft.author == user.username
    changes = alur().draft_changes(draft.id, user.username) if draft.base_version else []
    return render_template(
        "studio/edit.html",
        draft=draft,
        editable=editable,
        may_approve=draft.state == AWAITING and draft.author != user.username,
        may_withdraw=draft.state == AWAITING and draft.author == user.username,
        changes=changes,
        problems=problems,
        note=note or draft.note,
        tabs=tabs(),
        urls={
            "xml": url_for("studio.xml", draft_id=draft.id),
            "save": url_for("studio.save", draft_id=draft.id) if editable else "",
            "check": url_for("studio.check", key=draft.process_key),
        },
    )


@bp.get("/drafts/<int:draft_id>/diagram.bpmn")
@login_required
def xml(draft_id: int):
    user = _analyst()
    draft = alur().draft(draft_id, user.username)
    return Response(
        draft.xml,
        mimetype="application/xml",
        headers={"Content-Disposition": f'attachment; filename="draft-{draft.id}.bpmn"'},
    )


@bp.post("/drafts/<int:draft_id>/save")
@login_required
@_json_errors
def save(draft_id: int):
    """The modeler's XML as the request body (the page's script sends the CSRF header)."""
    user = _analyst()
    draft = alur().save_draft(draft_id, _xml_body(), user.username)
    return jsonify(id=draft.id, size=draft.size, updated_at=draft.updated_at.isoformat())


@bp.post("/check")
@login_required
@_json_errors
def check():
    """The deploy checks of the XML in the body: [{element, line, message}] in the UI language."""
    user = _analyst()
    key = request.args.get("key") or None
    problems = alur().check_xml(_xml_body(), key, user.username)
    return jsonify(problems=[problem_json(p) for p in problems])


@bp.post("/drafts/<int:draft_id>/publish")
@login_required
def publish(draft_id: int):
    user = _analyst()
    note = request.form.get("note", "").strip()
    try:
        done = alur().publish_draft(draft_id, user.username, note[: NOTE_MAX + 1])
    except DeployError as error:
        draft = alur().draft(draft_id, user.username)
        problems = [problem_json(p) for p in error.problems]
        flash(_("The draft has problems; nothing was published."), "error")
        return _studio(draft, user, problems, note), 422
    except InvalidInput as error:
        flash(error_text(error), "error")
        return _studio(alur().draft(draft_id, user.username), user, None, note), 422
    if done.awaiting:
        flash(
            _(
                "The draft has changes that need a second person (listed below), so another "
                "analyst or an administrator must approve it. Until then new processes start on "
                "the current version."
            ),
            "success",
        )
        return redirect(url_for("studio.edit", draft_id=draft_id))
    flash(_("Published as version %(v)s.", v=done.version), "success")
    return redirect(url_for("processes.show", key=done.draft.process_key, version=done.version))


@bp.post("/drafts/<int:draft_id>/approve")
@login_required
def approve(draft_id: int):
    user = _analyst()
    note = request.form.get("note", "").strip()[:NOTE_MAX]
    try:
        done = alur().approve_draft(draft_id, user.username, note)
    except DeployError as error:
        draft = alur().draft(draft_id, user.username)
        flash(_("The draft has problems; nothing was published."), "error")
        return _studio(draft, user, [problem_json(p) for p in error.problems]), 422
    flash(_("Approved and published as version %(v)s.", v=done.version), "success")
    return redirect(url_for("processes.show", key=done.draft.process_key, version=done.version))


@bp.post("/drafts/<int:draft_id>/withdraw")
@login_required
def withdraw(draft_id: int):
    user = _analyst()
    alur().withdraw_draft(draft_id, user.username)
    flash(_("The draft is back in editing."), "success")
    return redirect(url_for("studio.edit", draft_id=draft_id))


@bp.post("/drafts/<int:draft_id>/delete")
@login_required
def delete(draft_id: int):
    user = _analyst()
    draft = alur().draft(draft_id, user.username)
    alur().delete_draft(draft_id, user.username)
    flash(_("Draft %(id)s was deleted.", id=draft_id), "success")
    return redirect(url_for("studio.index", process=draft.process_key))
