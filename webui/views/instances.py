"""The instance page: where a process stands, its diagram, its history; reassign, cancel,
suspend and resume."""

from __future__ import annotations

from io import BytesIO

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engine.errors import PermissionDenied
from engine.views import STATES, all_traces, eventlog_formats, log_chunks, may_view_task
from exporters.document import render_document
from exporters.progress import timing_lines
from webui import access, request_cache
from webui.facade import alur
from webui.present import charts, downloads, instance_list, progress, timeline
from webui.present.history_csv import history_csv

DOCUMENT_TYPES = {"pdf": "application/pdf"}  # the HTML's inline style is the CSP's to refuse
bp = Blueprint("instances", __name__, url_prefix="/instances")
VIEWS = ("bpmn", "sop")
ALL = "semua"  # ?riwayat=semua: the whole history; ?waktu=semua: every working-time row
REASON_MAX = 2000
NOTE_MAX = 2000


@bp.get("/")
@login_required
def index():
    """'Semua proses': every instance, filtered and paged, for those who may read them all."""
    if not access.abilities().read_all:
        raise PermissionDenied(
            _("Only auditors, supervisors, analysts and administrators see every process.")
        )
    choice = instance_list.choice_from(request.args)
    page = {"limit": instance_list.PAGE}
    for key in ("before", "after"):
        if (value := request.args.get(key, type=int)) is not None and value > 0:
            page[key] = value
            break
    found = alur().all_instances(
        current_user.username, instance_list.instance_filter(choice, **page)
    )
    processes = request_cache.latest_processes()
    return render_template(
        "instances/index.html",
        found=found,
        processes=processes,
        versions=_versions(processes.get(choice["sop"])),
        choice=choice,
        args=instance_list.query_args(choice),
        states=STATES,
        state_labels=_state_labels(),
        roles=request_cache.lane_roles(),
        people=request_cache.people(),
    )


@bp.get("/export.csv")
@login_required
def export():
    """The filtered list as CSV; excel=1: semicolons and a BOM, as Indonesian Excel opens it."""
    if not access.abilities().read_all:
        raise PermissionDenied(
            _("Only auditors, supervisors, analysts and administrators see every process.")
        )
    choice = instance_list.choice_from(request.args)
    excel = request.args.get("excel") == "1"
    chunks = instance_list.csv_chunks(
        instance_list.lines(current_user.username, choice), excel, _state_labels()
    )
    name = "semua-proses-excel.csv" if excel else "semua-proses.csv"
    return Response(
        stream_with_context(chunk.encode("utf-8") for chunk in chunks),
        mimetype="text/csv",
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{name}"',
        },
    )


@bp.get("/eventlog.<fmt>")
@login_required
def event_log(fmt: str):
    """The chosen SOP's event log (instances started in the period) as XES or flat CSV."""
    choice = instance_list.choice_from(request.args)
    if fmt not in eventlog_formats() or not choice["sop"]:
        abort(404)
    flt = instance_list.instance_filter(choice)
    key, me = choice["sop"], current_user.username
    alur().event_log_page(key, flt.since, flt.until, 0, me, limit=1)  # refuse before streaming
    traces = all_traces(lambda after: alur().event_log_page(key, flt.since, flt.until, after, me))
    mimetype = "application/xml" if fmt == "xes" else "text/csv"
    return Response(
        stream_with_context(c.encode("utf-8") for c in log_chunks(fmt, traces, key)),
        headers={
            "Content-Type": f"{mimetype}; charset=utf-8",
            "Content-Disposition": f'attachment; filename="log-{key}.{fmt}"',
        },
    )


def _state_labels() -> dict[str, str]:
    return {
        "running": _("Running"),
        "suspended": _("Suspended"),
        "completed": _("Finished"),
        "cancelled": _("Cancelled"),
    }


def _versions(definition) -> list[int]:
    """The versions of the chosen SOP, newest first (none when no SOP is chosen)."""
    return list(range(definition.version, 0, -1)) if definition is not None else []


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


@bp.get("/<int:instance_id>/document.<fmt>")
@login_required
def document(instance_id: int, fmt: str):
    """The instance's SOP AP document: identity page, the flowchart with its progress (late steps
    marked), and its working-time table (office and calendar time, totals, send-backs)."""
    if fmt not in DOCUMENT_TYPES:
        abort(404)
    instance, _user = access.readable_instance(instance_id)
    state = progress.of(instance)
    engine = alur()
    names = {t.completed_by: request_cache.person(t.completed_by) for t in state.tasks}
    sop = instance.definition.model
    lines = timing_lines(state.tasks, sop.steps, names, engine.calendar.average_day_minutes)
    try:
        data = render_document(sop, fmt, state.overlay, lines, engine.calendar.timezone)
    except RuntimeError:  # no Chromium on this server to print the PDF
        abort(503)
    return send_file(
        BytesIO(data),
        mimetype=DOCUMENT_TYPES[fmt],
        as_attachment=True,
        download_name=f"{instance.process_key}-instans-{instance.id}.{fmt}",
    )


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


@bp.get("/<int:instance_id>/timings.csv")
@login_required
def timings(instance_id: int):
    """The working-time table as CSV; excel=1: semicolons and a BOM."""
    instance, _user = access.readable_instance(instance_id)
    found = progress.of(instance).timings(instance.definition.model.steps)
    excel = request.args.get("excel") == "1"
    return send_file(
        BytesIO(progress.timings_csv(found, excel)),
        mimetype="text/csv; charset=utf-8",
        as_attachment=True,
        download_name=f"waktu-kerja-instans-{instance.id}.csv",
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
    """Cancel with a reason and a confirmation; the engine checks who may (starter, a Kabid of
    its unit, an admin)."""
    instance, user = access.readable_instance(instance_id)
    reason = request.form.get("reason", "").strip()[:REASON_MAX]
    errors = {}
    if not reason:
        errors["reason"] = _("Give the reason for cancelling.")
    if request.form.get("confirm") != "yes":
        errors["confirm"] = _("Confirm that the process is to be cancelled.")
    if errors:
        alur().check_cancel(instance.id, user.username)  # who may not gets the refusal first
        return _page(instance.id, errors), 422
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
    """The instance page (with the cancel form's errors), from one read of the engine.

    A long-running case shows the first and newest events of its history and the newest rows
    of its working-time table (the totals over every row); ?riwayat=semua and ?waktu=semua
    show all of them.
    """
    whole = {
        "riwayat": request.args.get("riwayat") == ALL,
        "waktu": request.args.get("waktu") == ALL,
    }
    page = access.instance_page(instance_id, None if whole["riwayat"] else timeline.WINDOW)
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
    timings = state.timings(definition.model.steps)
    return render_template(
        "instances/show.html",
        instance=instance,
        definition=definition,
        current=current,
        holders=page.holders,
        uncovered=page.uncovered,
        marks=state.element_marks(definition),
        step_states=[(s, state.overlay.mark(s.no)) for s in definition.model.steps],
        history=timeline.of_page(page),
        timings=timings if whole["waktu"] else timings[-progress.NEWEST_TIMINGS :],
        totals=progress.Totals.of(timings),
        whole=whole,
        timing_window=progress.NEWEST_TIMINGS,
        args={  # the page's choices, kept by its links to more or fewer rows
            "view": None if view == "bpmn" else view,
            "riwayat": ALL if whole["riwayat"] else None,
            "waktu": ALL if whole["waktu"] else None,
        },
        view=view,
        may_cancel=page.may_cancel,
        incidents=page.incidents,
        may_handle_incidents=access.abilities().analyst,
        may_suspend=access.abilities().analyst and instance.state in ("running", "suspended"),
        errors=errors,
        reason=request.form.get("reason", ""),
    )
