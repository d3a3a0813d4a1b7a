"""The SOP catalog (every process, its versions, diagrams and SOP table), deploying BPMN, and
moving running instances to another version (analysts and admins)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from engine.errors import DeployError, InvalidInput, NotFound, PermissionDenied
from engine.views import Definition
from webui import access, request_cache
from webui.error_texts import TEXTS, error_text
from webui.facade import alur
from webui.forms.deploy import DeployForm
from webui.present import charts
from webui.security import WATERMARK_STYLES, csp_allowing_styles

bp = Blueprint("processes", __name__, url_prefix="/processes")
VIEWS = ("bpmn", "sop")
NOTE_MAX = 2000


@bp.get("/")
@login_required
def index():
    versions: dict[str, list[Definition]] = {}
    for definition in alur().processes():  # newest first within a key
        versions.setdefault(definition.key, []).append(definition)
    rows = [
        {"latest": latest, "versions": versions[key]}
        for key, latest in request_cache.latest_processes().items()
    ]
    return render_template(
        "processes/index.html",
        rows=rows,
        may_deploy=_may_deploy(),
        can_analytics=access.abilities().analytics,
    )


@bp.get("/<key>")
@login_required
def show(key: str):
    return _page(key, request.args.get("version", type=int), None)


@bp.post("/<key>/migrations")
@login_required
def migrate(key: str):
    """Check (the plan per instance), then on confirmation move the instances of one version."""
    user = access.me()
    if not access.abilities().analyst:
        raise PermissionDenied("migrate_forbidden")
    form = {
        "from": request.form.get("from", type=int),
        "to": request.form.get("to", type=int),
        "mapping": request.form.get("mapping", "").strip(),
        "note": request.form.get("note", "").strip()[:NOTE_MAX],
        "confirm": request.form.get("confirm") == "1",
    }
    migration = {"form": form, "errors": {}, "outcomes": None}
    mapping = _mapping(form["mapping"], migration["errors"])
    if form["from"] is None or form["to"] is None:
        migration["errors"]["versions"] = _("Choose both versions.")
    elif form["from"] == form["to"]:
        migration["errors"]["versions"] = _("The source and target versions are the same.")
    if migration["errors"]:
        return _page(key, None, migration), 422
    args = (key, form["from"], form["to"], user.username, None, mapping)
    try:
        if form["confirm"]:
            outcomes = alur().migrate(*args, form["note"])
        else:
            outcomes = alur().plan_migration(*args)
    except InvalidInput as error:
        migration["errors"]["mapping"] = error_text(error)
        return _page(key, None, migration), 422
    migration["outcomes"] = [_outcome(o) for o in outcomes]
    migration["done"] = form["confirm"]
    return _page(key, None, migration), 200


def _page(key: str, wanted: int | None, migration: dict | None):
    versions = _versions(key)
    definition = next((d for d in versions if d.version == wanted), versions[0])
    view = request.args.get("view") if request.args.get("view") in VIEWS else "bpmn"
    urls = {
        v: url_for("processes.show", key=key, version=definition.version, view=v) for v in VIEWS
    }
    actors = [
        {"lane": lane, "role": alur().roles.role(key, lane)} for lane in definition.model.actors
    ]
    may_migrate = _may_deploy()
    return render_template(
        "processes/show.html",
        definition=definition,
        versions=versions,
        view=view,
        urls=urls,
        actors=actors,
        may_deploy=may_migrate,
        may_migrate=may_migrate,
        counts=alur().version_counts(key),
        decision_files=alur().decision_files(key, definition.version),
        drafts=alur().drafts(access.me().username, key=key) if may_migrate else [],
        migration=migration,
        can_analytics=access.abilities().analytics,
    )


def _mapping(text: str, errors: dict[str, str]) -> dict[str, str]:
    """OLD=NEW pairs, one a line or separated by commas."""
    mapping = {}
    for item in text.replace(",", "\n").splitlines():
        if not item.strip():
            continue
        old, sep, new = item.partition("=")
        if not sep or not old.strip() or not new.strip():
            errors["mapping"] = _("A mapping must be written OLD=NEW: '%(item)s'.", item=item)
            continue
        mapping[old.strip()] = new.strip()
    return mapping


def _outcome(outcome) -> dict:
    """One instance's plan or result, its reasons in the user's language."""
    reasons = [
        str(TEXTS[r.key] % r.params) if r.key in TEXTS else r.message for r in outcome.reasons
    ]
    return {"outcome": outcome, "reasons": reasons}


@bp.get("/<key>/<int:version>/diagram.bpmn")
@login_required
def diagram(key: str, version: int):
    return charts.bpmn(alur().definition(key, version))


@bp.get("/<key>/<int:version>/decisions/<decision_id>")
@login_required
def decision(key: str, version: int, decision_id: str):
    """One decision of the DMN files the version was deployed with, drawn read-only by dmn-js."""
    definition = alur().definition(key, version)
    files = alur().decision_files(key, version)
    found = next(((f, d) for f in files for d in f.decisions if d.id == decision_id), (None, None))
    if found[0] is None:
        raise NotFound("decision_not_deployed", id=decision_id, key=key, version=version)
    page = render_template(
        "processes/decision.html", definition=definition, file=found[0], decision=found[1]
    )
    return page, {"Content-Security-Policy": csp_allowing_styles(WATERMARK_STYLES)}


@bp.get("/<key>/<int:version>/dmn/<filename>")
@login_required
def dmn(key: str, version: int, filename: str):
    """A DMN file of the version, as the decision page's viewer fetches it (an attachment)."""
    found = next((f for f in alur().decision_files(key, version) if f.filename == filename), None)
    if found is None:
        raise NotFound("decision_file_missing", name=filename, key=key, version=version)
    return charts.dmn(found.xml, found.sha256, f"{key}-v{version}-{filename}")


@bp.get("/<key>/<int:version>/flowchart.<fmt>")
@login_required
def flowchart(key: str, version: int, fmt: str):
    definition = alur().definition(key, version)
    return charts.flowchart(definition, fmt, f"{key}-v{version}")


@bp.route("/deploy", methods=["GET", "POST"])
@login_required
def deploy():
    """Upload .bpmn files; all are validated, and on any problem nothing is deployed."""
    user = access.require_analyst()
    form = DeployForm(int(current_app.config["ALUR_MAX_BPMN_BYTES"]))
    if request.method == "GET":
        return render_template("processes/deploy.html", form=form)
    form.read(request.files.getlist("files"))
    if not form.problems:
        try:
            form.results = alur().deploy_sources(form.sources, user.username)
        except DeployError as error:
            form.add_problems(error.problems)
    status = 422 if form.problems else 200
    return render_template("processes/deploy.html", form=form), status


def _versions(key: str) -> list[Definition]:
    versions = [d for d in alur().processes() if d.key == key]
    if not versions:
        raise NotFound(_("There is no process %(key)s.", key=key))
    return versions


def _may_deploy() -> bool:
    return access.abilities().analyst
