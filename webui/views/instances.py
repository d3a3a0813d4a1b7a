"""The instance page: where a process stands, its diagram, its history; reassign, cancel,
suspend and resume."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import login_required

from engine.errors import PermissionDenied
from engine.views import may_cancel, may_view_task
from webui import access, request_cache
from webui.facade import alur
from webui.present import charts, downloads, progress, timeline
from webui.present.history_csv import history_csv

bp = Blueprint("instances", __name__, url_prefix="/instances")
VIEWS = ("bpmn", "sop")
STATES = ("running", "suspended", "completed", "cancelled")
REASON_MAX = 2000
NOTE_MAX = 2000
LIST_LIMIT = 200


@bp.get("/")
@login_required
def index():
    """Every instance, for those who may read them all (auditors, admins, Kabid)."""
    if not access.abilities().read_all:
        raise PermissionDenied(
            _("Only auditors, supervisors and administrators see every process.")
        )
    processes = request_cache.latest_processes()
    choice = {"sop": request.args.get("sop", ""), "state": request.args.get("state", "")}
    choice["sop"] = choice["sop"] if choice["sop"] in processes else ""
    choice["state"] = choice["state"] if choice["state"] in STATES else ""
    found = alur().instances(
        state=choice["state"] or None, process=choice["sop"] or None, limit=LIST_LIMIT
    )
    return render_template(
        "instances/index.html",
        instances=found,
        processes=processes,
        choice=choice,
        states=STATES,
        limit=LIST_LIMIT,
    )


@bp.get("/<int:instance_id>")
@login_required
def show(instance_id: int):
    return _page(instance_id, {}), 200


@bp.get("/<int:instance_id>/diagram.bpmn")
@login_required
def diagram(instance_id: int):
    instance, _user = access.readable_instance(instance_id)
    return charts.bpmn(instance.definition)


@bp.get("/<int:instance_id>/flowchart.<fmt>")
@login_required
def flowchart(instance_id: int, fmt: str):
    instance, _user = access.readable_instance(instance_id)
    overlay = progress.of(instance).overlay
    name = f"{instance.process_key}-instans-{instance.id}"
    return charts.flowchart(instance.definition, fmt, name, overlay)


@bp.get("/<int:instance_id>/history.csv")
@login_required
def history(instance_id: int):
    instance, _user = access.readable_instance(instance_id)
    return send_file(
        BytesIO(history_csv(instance)),
        mimetype="text/csv; charset=utf-8",
        as_attachment=True,
        download_name=f"riwayat-instans-{instance.id}.csv",
    )


@bp.get("/<int:instance_id>/files/<int:file_id>")
@login_required
def download(instance_id: int, file_id: int):
    instance, _user = access.readable_instance(instance_id)
    return downloads.stored_file(instance.id, file_id)


@bp.post("/<int:instance_id>/reassign")
@login_required
def reassign(instance_id: int):
    instance, user = access.readable_instance(instance_id)
    task_id = request.form.get("task_id", type=int)
    task = next((t for t in progress.of(instance).open if t.id == task_id), None)
    if task is None:
        abort(404)
    to = request.form.get("to", "")
    alur().reassign(task.id, to, user.username)  # the engine checks who may, and the holder
    flash(
        _("Step %(no)s now lies with %(user)s.", no=task.step_no, user=request_cache.person(to)),
        "success",
    )
    return redirect(url_for("instances.show", instance_id=instance.id))


@bp.post("/<int:instance_id>/cancel")
@login_required
def cancel(instance_id: int):
    instance, user = access.readable_instance(instance_id)
    if not may_cancel(instance, user):
        raise PermissionDenied(
            _("Only the person who started it, a Kabid or an administrator may cancel it.")
        )
    reason = request.form.get("reason", "").strip()[:REASON_MAX]
    if not reason:
        return _page(instance.id, {"reason": _("Give the reason for cancelling.")}), 422
    alur().cancel(instance.id, user.username, reason)
    flash(_("The process was cancelled."), "success")
    return redirect(url_for("instances.show", instance_id=instance.id))


@bp.post("/<int:instance_id>/suspend")
@login_required
def suspend(instance_id: int):
    """Analysts and admins: no task of it can be taken or completed until it is resumed."""
    note = request.form.get("note", "").strip()[:NOTE_MAX]
    alur().suspend(instance_id, access.me().username, note)  # the engine checks who may
    flash(_("The process is suspended."), "success")
    return redirect(url_for("instances.show", instance_id=instance_id))


@bp.post("/<int:instance_id>/resume")
@login_required
def resume(instance_id: int):
    note = request.form.get("note", "").strip()[:NOTE_MAX]
    alur().resume(instance_id, access.me().username, note)
    flash(_("The process runs again."), "success")
    return redirect(url_for("instances.show", instance_id=instance_id))


def _page(instance_id: int, errors: dict[str, str]):
    """The instance page (with the cancel form's errors), from one read of the engine."""
    page = access.instance_page(instance_id)
    instance, user = page.instance, page.user
    definition = instance.definition
    state = progress.of(instance, page.tasks)
    view = request.args.get("view") if request.args.get("view") in VIEWS else "bpmn"
    current = [
        {
            "task": t,
            "step": request_cache.step(definition, t.step_no),
            "may_view": may_view_task(t, user),
        }
        for t in state.open
    ]
    return render_template(
        "instances/show.html",
        instance=instance,
        definition=definition,
        current=current,
        holders=page.holders,
        uncovered=page.uncovered,
        marks=state.element_marks(definition),
        entries=timeline.entries(instance, page.history, page.files),
        timings=state.timings(definition.model.steps),
        view=view,
        may_cancel=page.may_cancel,
        may_suspend=access.abilities().analyst and instance.state in ("running", "suspended"),
        errors=errors,
        reason=request.form.get("reason", ""),
    )
