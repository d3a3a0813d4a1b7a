"""The task page: what to do, what came before, and claim / unclaim / complete."""

from __future__ import annotations

from flask import (
    Blueprint,
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

from engine.errors import Conflict, FormInvalid, InvalidInput, PermissionDenied
from engine.views import NO, Completion, HumanTask, Outcome
from webui import access, request_cache
from webui.error_texts import error_text
from webui.facade import alur
from webui.forms.task import TaskForm
from webui.present import downloads, timeline
from webui.templating import megabytes

bp = Blueprint("tasks", __name__, url_prefix="/tasks")
REASON_MAX = 2000  # characters of the reason for releasing someone else's claim


@bp.get("/<int:task_id>")
@login_required
def show(task_id: int):
    return _page(task_id, None)


@bp.post("/<int:task_id>/claim")
@login_required
def claim(task_id: int):
    with access.worded(task_id):  # one write: who may see it, then who may take it
        alur().claim(task_id, current_user.username, must_see=True)
    flash(_("You took this task; others of your role no longer see it."), "success")
    return redirect(url_for("tasks.show", task_id=task_id))


@bp.post("/<int:task_id>/unclaim")
@login_required
def unclaim(task_id: int):
    """Give a task back; a supervisor releasing someone else's claim says why (in the history)."""
    reason = request.form.get("reason", "").strip()[:REASON_MAX]
    try:
        with access.worded(task_id):
            alur().unclaim(task_id, current_user.username, must_see=True, reason=reason)
    except InvalidInput as error:
        flash(error_text(error), "error")
        return redirect(url_for("tasks.show", task_id=task_id)), 303
    flash(_("The task is back in the inbox of its role."), "success")
    return redirect(url_for("tasks.show", task_id=task_id))


@bp.post("/<int:task_id>/complete")
@login_required
def complete(task_id: int):
    """Check the form; complete with the files in one step, or show what to correct.

    One write transaction reads the task, checks who may, and completes it (or keeps valid files
    while the form is corrected); the redirect's message comes from what it returns.
    """
    form = TaskForm()
    max_files = int(current_app.config["ALUR_MAX_FILES"])
    form.read_files(request.files, alur().files.max_bytes, _types(), max_files)
    if form.file_errors:  # nothing is stored; the typed entries come back filled in
        task, _user = access.viewable_task(task_id)
        if task.state != "open":
            raise _no_longer_open(task_id)
        return _page(task_id, form.for_step(_step_of(task)).read_fields(request.form)), 422

    def check(step: dict | None) -> Completion | None:
        form.for_step(step).read_fields(request.form)
        return None if form.errors else form.completion([])

    try:  # the new files' rows commit together with the completion, or not at all
        with access.worded(task_id):
            outcome = alur().complete_from_web(task_id, current_user.username, check, form.uploads)
    except Conflict as error:
        if error.params.get("closed"):
            return _overtaken(task_id, form, error_text(error)), 409
        raise
    except PermissionDenied as error:
        if error.key == "task_claimed_by_other":
            return _overtaken(task_id, form, error_text(error)), 409
        raise
    except FormInvalid as error:
        form.field_errors({ident: error_text(e) for ident, e in error.fields.items()})
        form.reselect = bool(form.uploads)
        return _page(task_id, form), 422
    except InvalidInput as error:
        form.errors["form"] = error_text(error)
        form.reselect = bool(form.uploads)
        return _page(task_id, form), 422
    if not outcome.done:  # the files themselves were fine: kept, so no second upload is needed
        if outcome.attached:
            flash(_("%(n)s file(s) saved with this task.", n=outcome.attached), "info")
        return _page(task_id, form), 422
    flash(_where_next(outcome), "success")
    return redirect(url_for("inbox.index"))


@bp.post("/<int:task_id>/draft")
@login_required
def save_draft(task_id: int):
    """Keep what was typed and ticked (and chosen files): the Save draft button, or task.js."""
    task, _user = access.viewable_task(task_id)
    form = TaskForm().for_step(_step_of(task))
    form.read_files(request.files, alur().files.max_bytes, _types())
    form.read_fields(request.form)
    if form.file_errors:
        return _page(task_id, form), 422
    with access.worded(task_id):
        saved_at, attached = alur().save_task_draft(
            task_id, current_user.username, form.draft(), form.uploads
        )
    if _wants_json():
        return jsonify(saved_at=saved_at.isoformat())
    flash(_("Draft saved. It is here when you come back to this task."), "success")
    if attached:
        flash(_("%(n)s file(s) saved with this task.", n=attached), "info")
    return redirect(url_for("tasks.show", task_id=task_id))


@bp.post("/<int:task_id>/files/<int:file_id>/remove")
@login_required
def remove_file(task_id: int, file_id: int):
    """Remove a file one attached by mistake, before completing; what was typed is kept."""
    with access.worded(task_id):
        if "note" in request.form:  # sent from the task form: keep its values as the draft
            task, _user = access.viewable_task(task_id)
            form = TaskForm().for_step(_step_of(task)).read_fields(request.form)
            alur().save_task_draft(task_id, current_user.username, form.draft())
        name = alur().remove_task_file(task_id, file_id, current_user.username)
    flash(_("%(name)s was removed.", name=name), "success")
    return redirect(url_for("tasks.show", task_id=task_id))


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


@bp.get("/<int:task_id>/files/<int:file_id>")
@login_required
def download(task_id: int, file_id: int):
    task, _user = access.viewable_task(task_id)
    return downloads.stored_file(task.instance_id, file_id)


def _page(task_id: int, form: TaskForm | None):
    """The task page (with form's values and errors when given), from one read of the engine."""
    page = access.task_page(task_id)
    task, instance, files = page.task, page.instance, page.files
    definition = instance.definition
    if task.called_definition_id is None:
        step = request_cache.step(definition, task.step_no)
    else:  # a task of a process a call activity started: its step there
        step = request_cache.step(page.step_version, task.called_step_no)
    form = form or TaskForm().for_step(step).resume(page.draft)
    form.fields = page.fields
    earlier = [  # newest first
        {
            "event": event,
            "step": request_cache.step(definition, event.step_no),
            "files": [f for f in files if f.human_task_id == event.human_task_id],
        }
        for event in reversed(page.history)
        if event.kind == "completed" and event.human_task_id != task.id  # not the step itself
    ]
    return render_template(
        "tasks/task.html",
        task=task,
        instance=instance,
        definition=definition,
        step=step,
        form=form,
        earlier=earlier,
        attached=[f for f in files if f.human_task_id == task.id],
        draft_saved_at=(page.draft or {}).get("saved_at"),
        returned=(task.data or {}).get("dikembalikan"),
        returned_gaps=timeline.gaps_sent_back(list(page.history), task.id),
        can_act=page.actions.can_act,
        can_claim=page.actions.can_claim,
        can_unclaim=page.actions.can_unclaim,
        extensions=", ".join(sorted(_types())),
        max_mb=megabytes(alur().files.max_bytes),
    )


def _overtaken(task_id: int, form: TaskForm, refusal: str) -> str:
    """Someone else completed (or took) the task meanwhile: who and when, and what I sent.

    My note comes back in a box to copy; my files are kept with the process (not as the step's
    output), each with a link to download it again.
    """
    kept = alur().keep_overtaken_files(task_id, current_user.username, form.uploads)
    task = alur().task(task_id)
    return render_template(
        "tasks/overtaken.html",
        task=task,
        instance=request_cache.instance(task.instance_id),
        note=request.form.get("note", "").strip(),
        refusal=refusal,
        files=kept,
    )


def _types() -> set[str]:
    return set(current_app.config["ALUR_UPLOAD_EXTENSIONS"].replace(",", " ").lower().split())


def _no_longer_open(task_id: int) -> Conflict:
    return Conflict(_("Task %(id)s is no longer open.", id=task_id))


def _step_of(task: HumanTask) -> dict | None:
    if task.called_definition_id is not None:  # a task of a process a call activity started
        return alur().task_step(task.id)
    return request_cache.step(request_cache.instance(task.instance_id).definition, task.step_no)


def _where_next(outcome: Outcome) -> str:
    """'Step 11 done. Next: step 12 (Kabid ...).' or 'The process is finished.'"""
    if outcome.step_no is None:  # a task of a process a call activity started
        done = _("The step was sent back.") if outcome.decision == NO else _("The step is done.")
    elif outcome.decision == NO:
        done = _("Step %(no)s sent back.", no=outcome.step_no)
    else:
        done = _("Step %(no)s done.", no=outcome.step_no)
    if outcome.finished:
        return " ".join([done, _("The process is finished.")])
    if not outcome.next:
        return done
    steps = "; ".join(
        _("step %(no)s, %(name)s, with %(role)s", no=t.step_no, name=t.name, role=t.lane or t.role)
        if t.step_no is not None
        else _("%(name)s, with %(role)s", name=t.name, role=t.lane or t.role)
        for t in outcome.next
    )
    return " ".join([done, _("Next: %(steps)s.", steps=steps)])
