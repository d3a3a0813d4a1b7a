"""The task page: what to do, what came before, and claim / unclaim / complete."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engine.errors import Conflict, InvalidInput
from engine.inbox import InboxFilter, is_supervisor
from engine.runtime.lifecycle import NO
from engine.storage.tables import HumanTask, User
from webui import access, request_cache
from webui.error_texts import error_text
from webui.facade import alur
from webui.forms.task import TaskForm
from webui.present import downloads, timeline
from webui.templating import megabytes

bp = Blueprint("tasks", __name__, url_prefix="/tasks")


@bp.get("/<int:task_id>")
@login_required
def show(task_id: int):
    task, user = access.viewable_task(task_id)
    return _page(task, user, None)


@bp.post("/<int:task_id>/claim")
@login_required
def claim(task_id: int):
    access.viewable_task(task_id)
    alur().claim(task_id, current_user.username)
    flash(_("You took this task; others of your role no longer see it."), "success")
    return redirect(url_for("tasks.show", task_id=task_id))


@bp.post("/<int:task_id>/unclaim")
@login_required
def unclaim(task_id: int):
    access.viewable_task(task_id)
    alur().unclaim(task_id, current_user.username)
    flash(_("The task is back in the inbox of its role."), "success")
    return redirect(url_for("tasks.show", task_id=task_id))


@bp.post("/<int:task_id>/complete")
@login_required
def complete(task_id: int):
    """Check the form; complete with the files in one step, or show what to correct."""
    task, user = access.viewable_task(task_id)
    if task.state != "open":
        raise Conflict(_("Task %(id)s is no longer open.", id=task.id))
    instance = request_cache.instance(task.instance_id)
    form = TaskForm.for_step(request_cache.step(instance.definition, task.step_no))
    form.read(request.form, request.files, alur().files.max_bytes, _types())
    if form.file_errors:  # nothing is stored; the typed entries come back filled in
        return _page(task, user, form), 422
    if form.errors:
        # The files themselves were fine: keep them with the task so they need no second upload.
        for upload in form.uploads:
            alur().attach(task_id, user.username, upload)
        if form.uploads:
            flash(_("%(n)s file(s) saved with this task.", n=len(form.uploads)), "info")
        return _page(task, user, form), 422
    kept = [f.id for f in alur().files_of(task.instance_id) if f.human_task_id == task.id]
    try:  # the new files' rows commit together with the completion, or not at all
        alur().complete(task_id, user.username, form.completion(kept), form.uploads)
    except InvalidInput as error:
        form.errors["form"] = error_text(error)
        form.reselect = bool(form.uploads)
        return _page(task, user, form), 422
    flash(_where_next(task, form.decision), "success")
    return redirect(url_for("inbox.index"))


@bp.get("/<int:task_id>/files/<int:file_id>")
@login_required
def download(task_id: int, file_id: int):
    task, _user = access.viewable_task(task_id)
    return downloads.stored_file(task.instance_id, file_id)


def _page(task: HumanTask, user: User, form: TaskForm | None):
    instance = request_cache.instance(task.instance_id)
    definition = instance.definition
    step = request_cache.step(definition, task.step_no)
    form = form or TaskForm.for_step(step)
    files = alur().files_of(instance.id)
    history = alur().history(instance.id)
    earlier = [  # newest first
        {
            "event": event,
            "step": request_cache.step(definition, event.step_no),
            "files": [f for f in files if f.human_task_id == event.human_task_id],
        }
        for event in reversed(history)
        if event.kind == "completed"
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
        returned=(task.data or {}).get("dikembalikan"),
        returned_gaps=timeline.gaps_sent_back(history, task.id),
        can_act=access.may_act(task, user),
        can_claim=access.may_act(task, user) and not task.claimed_by,
        can_unclaim=task.state == "open"
        and bool(task.claimed_by)
        and (task.claimed_by == user.username or is_supervisor(user)),
        extensions=", ".join(sorted(_types())),
        max_mb=megabytes(alur().files.max_bytes),
    )


def _types() -> set[str]:
    return set(current_app.config["ALUR_UPLOAD_EXTENSIONS"].replace(",", " ").lower().split())


def _where_next(task: HumanTask, decision: str) -> str:
    """'Step 11 done. Next: step 12 (Kabid ...).' or 'The process is finished.'"""
    done = (
        _("Step %(no)s sent back.", no=task.step_no)
        if decision == NO
        else _("Step %(no)s done.", no=task.step_no)
    )
    instance = alur().instance(task.instance_id)
    if instance.state == "completed":
        return " ".join([done, _("The process is finished.")])
    following = alur().tasks(flt=InboxFilter(instance_id=task.instance_id))
    if not following:
        return done
    steps = "; ".join(
        _(
            "step %(no)s, %(name)s, with %(role)s",
            no=t.step_no,
            name=t.name,
            role=request_cache.role_label(t.role),
        )
        for t in following
    )
    return " ".join([done, _("Next: %(steps)s.", steps=steps)])
