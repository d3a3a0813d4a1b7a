"""The SOP catalog (every process, its versions, diagrams and SOP table) and deploying BPMN."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from engine.errors import DeployError, NotFound
from engine.views import Definition
from webui import access, request_cache
from webui.facade import alur
from webui.forms.deploy import DeployForm
from webui.present import charts

bp = Blueprint("processes", __name__, url_prefix="/processes")
VIEWS = ("bpmn", "sop")


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
    return render_template("processes/index.html", rows=rows, may_deploy=_may_deploy())


@bp.get("/<key>")
@login_required
def show(key: str):
    versions = _versions(key)
    wanted = request.args.get("version", type=int)
    definition = next((d for d in versions if d.version == wanted), versions[0])
    view = request.args.get("view") if request.args.get("view") in VIEWS else "bpmn"
    urls = {
        v: url_for("processes.show", key=key, version=definition.version, view=v) for v in VIEWS
    }
    actors = [
        {"lane": lane, "role": alur().roles.role(key, lane)} for lane in definition.model.actors
    ]
    return render_template(
        "processes/show.html",
        definition=definition,
        versions=versions,
        view=view,
        urls=urls,
        actors=actors,
        may_deploy=_may_deploy(),
    )


@bp.get("/<key>/<int:version>/diagram.bpmn")
@login_required
def diagram(key: str, version: int):
    return charts.bpmn(alur().definition(key, version))


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
