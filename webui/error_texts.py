"""Engine errors and deploy findings in the user's language, one text per key of
engine/messages.py.

pybabel cannot follow a key to its text, so every text is written out here with lazy_gettext;
the Indonesian catalog says what the engine says, or the sentence a page already used.
"""

from __future__ import annotations

from typing import Protocol

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from engine.errors import EngineError

TEXTS: dict[str, LazyString] = {
    # not found
    "user_missing": _l("There is no user %(username)s."),
    "task_missing": _l("Task %(id)s does not exist."),
    "instance_missing": _l("Process %(id)s does not exist."),
    "process_missing": _l("There is no process %(key)s."),
    "process_version_missing": _l("Process %(key)s has no version %(version)s."),
    "decision_not_deployed": _l(
        "Decision %(id)s was not deployed with process %(key)s version %(version)s."
    ),
    "decision_file_missing": _l(
        "The DMN file %(name)s was not deployed with process %(key)s version %(version)s."
    ),
    "token_missing": _l("There is no token %(id)s."),
    "delegation_missing": _l("There is no delegation %(id)s."),
    # forbidden
    "start_forbidden": _l("%(user)s may not start %(process)s: it needs the role %(roles)s."),
    "user_inactive": _l("The user %(user)s is not active."),
    "task_assigned_to_other": _l("Task %(id)s is assigned to %(assignee)s."),
    "task_claimed_by_other": _l("Task %(id)s is being worked on by %(claimant)s."),
    "task_hidden": _l("Task %(id)s belongs to the role %(role)s; you do not hold it."),
    "task_role_missing": _l("%(user)s does not hold the role '%(role)s' of task %(id)s."),
    "claim_role_missing": _l("%(user)s does not hold the role '%(role)s'."),
    "unclaim_forbidden": _l("Only %(claimant)s, a Kabid or an administrator may release it."),
    "reassign_forbidden": _l("Only a Kabid or an administrator may hand a task on."),
    "cancel_forbidden": _l(
        "Only the person who started it, a Kabid of its unit or an administrator may cancel it."
    ),
    "unclaim_reason_required": _l("Give a reason for releasing the step %(claimant)s took."),
    "password_wrong": _l("The current password is wrong."),
    "instances_list_forbidden": _l(
        "%(user)s may not see every process: only auditors, Kabid, analysts and administrators."
    ),
    "analytics_forbidden": _l("%(user)s may not read process analytics."),
    "period_invalid": _l(
        "Period %(value)s is not understood: write YYYY-MM, YYYY-Qn, YYYY or a date YYYY-MM-DD."
    ),
    "period_order": _l("The period is reversed: %(start)s is after %(end)s."),
    "instance_not_involved": _l("%(user)s took no part in process %(id)s."),
    "migrate_forbidden": _l(
        "Only an administrator or an analyst may migrate, suspend or resume a process."
    ),
    "delegate_forbidden": _l("Only %(user)s or an administrator may delegate their roles."),
    "delegate_role_missing": _l("%(user)s does not hold the role %(role)s."),
    "delegation_revoke_forbidden": _l(
        "Only the official, the person acting for them or an administrator may end delegation"
        " %(id)s."
    ),
    # conflict
    "task_completed_by": _l("Task %(id)s was already completed by %(by)s at %(at)s."),
    "task_completed_by_someone": _l("Task %(id)s was already completed by someone else."),
    "task_not_waiting": _l("Task %(id)s is no longer waiting."),
    "task_claimed": _l("Task %(id)s was already taken by %(claimant)s."),
    "task_not_open": _l("Task %(id)s is already %(state)s."),
    "task_not_open_files": _l("Task %(id)s is already %(state)s; the files were not attached."),
    "task_still_yours": _l("Task %(id)s is still open for you: attach the files to it."),
    "instance_not_running": _l("Process %(id)s is already %(state)s."),
    "instance_suspended": _l(
        "Process %(id)s is suspended: its tasks cannot be taken or completed."
    ),
    "instance_not_suspended": _l("Process %(id)s is not suspended (%(state)s)."),
    "migration_wrong_version": _l(
        "Process %(id)s runs %(key)s version %(actual)s, not version %(version)s."
    ),
    "migration_current_removed": _l(
        "The current step '%(step)s' (%(element)s) is not in the new version; map it to a new step."
    ),
    "migration_done_removed": _l(
        "The completed step '%(step)s' (%(element)s) is not in the new version; "
        "the process history would no longer match."
    ),
    "migration_history_changed": _l(
        "The completed step '%(step)s' (%(element)s) was changed (%(changes)s) "
        "in a way that rewrites its history."
    ),
    "migration_subprocess_changed": _l("The running subprocess '%(name)s' has changed."),
    "migration_failed": _l("The migration failed: %(reason)s"),
    "user_exists": _l("The user %(name)s already exists."),
    # invalid input
    "delegate_self": _l("A role cannot be delegated to oneself."),
    "delegate_inactive": _l("The user %(user)s is not active."),
    "delegation_date": _l("Not a date: %(text)s (YYYY-MM-DD)."),
    "delegation_title": _l("Unknown title %(title)s: Plh or Plt."),
    "delegation_no_roles": _l("%(user)s holds no role to delegate."),
    "delegation_period": _l("The end must come after the start and must not have passed."),
    "delegation_too_long": _l("A delegation lasts at most %(days)s days."),
    "password_too_short": _l("The new password needs at least %(min)s characters."),
    "password_mismatch": _l("The new password and its repetition are not the same."),
    "username_invalid": _l("A username may not be empty or contain spaces."),
    "role_empty": _l("A role name may not be empty."),
    "reassign_role_missing": _l("%(user)s does not hold the role '%(role)s'."),
    "own_admin_right": _l("You cannot take away your own administrator right."),
    "deactivate_self": _l("You cannot deactivate yourself."),
    "email_invalid": _l("Not a valid e-mail address: '%(address)s'."),
    "cancel_reason_missing": _l("A reason for cancelling is required."),
    "not_a_decision": _l("This step is not a decision; do not send Ya or Tidak."),
    "decision_missing": _l("Step %(step)s is a decision: choose Ya or Tidak."),
    "task_draft_invalid": _l("The draft is not valid: field %(field)s."),
    "file_not_yours": _l("File %(id)s was uploaded by %(by)s; only they can remove it."),
    "file_not_of_task": _l("File %(id)s is not a file of task %(task)s."),
    "send_back_reason_missing": _l("Tidak (send back) needs a reason."),
    "file_name_empty": _l("The file name is empty."),
    "file_too_large": _l(
        "The file '%(name)s' is too large (%(size)s bytes); the limit is %(limit)s MB."
    ),
    "not_sha256": _l("Not a sha256: '%(digest)s'."),
    "request_not_json": _l("The request body is not valid JSON: %(error)s"),
    "request_not_object": _l("The request body must be a JSON object."),
    "fields_unknown": _l("Unknown fields: %(fields)s."),
    "fields_missing": _l("Required fields missing: %(fields)s."),
    "field_type": _l("The field '%(field)s' has the wrong type."),
    "flag_invalid": _l("The parameter '%(name)s' must be true or false."),
    "version_invalid": _l("The version must be a positive whole number."),
    "title_nul": _l("The title may not contain a NUL character."),
    "checklist_invalid": _l("A checklist value must be true/false or a note of what is missing."),
    "form_invalid": _l("The form's entries are not right: %(fields)s."),
    "form_field_required": _l("%(label)s is required."),
    "form_field_number": _l("%(label)s must be a whole number."),
    "form_field_boolean": _l("%(label)s must be yes or no (true/false)."),
    "form_field_date": _l("%(label)s must be a date (YYYY-MM-DD)."),
    "form_field_choice": _l("%(label)s: choose one of its options (%(options)s)."),
    "form_field_text": _l("%(label)s must be text."),
    "form_field_too_short": _l("%(label)s needs at least %(limit)s characters."),
    "form_field_too_long": _l("%(label)s may have at most %(limit)s characters."),
    "form_field_below": _l("%(label)s may not be less than %(limit)s."),
    "form_field_above": _l("%(label)s may not be more than %(limit)s."),
    "form_field_readonly": _l("%(label)s is read-only and cannot be changed."),
    "migration_same_version": _l("The source and target versions are the same: %(version)s."),
    "migration_map_unknown": _l(
        "Mapping %(old)s=%(new)s: the step '%(missing)s' is not in version %(version)s."
    ),
    "migration_map_invalid": _l("A mapping must be written OLD=NEW: '%(item)s'."),
    # unauthenticated (API)
    "token_required": _l("Send the header Authorization: Bearer <token>."),
    "token_refused": _l("The token is unknown or revoked, or its user is not active."),
    # storage full, deploy refused
    "storage_full": _l(
        "File storage is full; '%(name)s' was not stored and nothing changed. "
        "Contact the administrator."
    ),
    "deploy_refused": _l("%(count)s problems; nothing was deployed."),
    # the SOP table editor
    "table_refused": _l("%(count)s problems in the table; the diagram was not changed."),
    "model_forbidden": _l("Only analysts and administrators may compare and edit SOPs."),
    "xml_not_sop": _l("The diagram cannot be read as an SOP: %(reason)s"),
    "xml_too_big": _l("The diagram is too large: %(size)s KiB, at most %(limit)s KiB."),
    "compare_other_process": _l("This diagram is process %(other)s, not %(key)s."),
    "table_not_object": _l("The table must be a JSON object with actors and rows."),
    "table_shape": _l("Row %(row)s, column %(column)s: this value is not valid."),
    "table_no_rows": _l("The table has no steps."),
    "table_too_many_rows": _l("The table has more than %(limit)s steps."),
    "table_no_actors": _l("The table has no Pelaksana column."),
    "table_too_many_actors": _l("The table has more than %(limit)s Pelaksana columns."),
    "table_actor_empty": _l("Pelaksana column %(index)s: the name is empty."),
    "table_actor_long": _l(
        "Pelaksana column %(index)s: the name is longer than %(limit)s characters."
    ),
    "table_actor_twice": _l("The Pelaksana '%(name)s' has two columns."),
    "table_text_long": _l(
        "Row %(row)s, column %(column)s: the text is longer than %(limit)s characters."
    ),
    "table_activity_empty": _l("Row %(row)s, column Kegiatan: the activity is empty."),
    "table_performer_missing": _l("Row %(row)s: mark the one Pelaksana who performs this step."),
    "table_performer_unknown": _l("Row %(row)s: '%(name)s' is not a Pelaksana column."),
    "table_waktu_invalid": _l("Row %(row)s, column Waktu: enter a number, 0 or more."),
    "table_waktu_unit": _l(
        "Row %(row)s, column Waktu: the unit '%(unit)s' is unknown; "
        "choose menit, jam, hari or hari kerja."
    ),
    "table_target_missing": _l(
        "Row %(row)s, column %(column)s: there is no step %(target)s "
        "(the table has %(count)s steps)."
    ),
    "table_target_self": _l("Row %(row)s, column %(column)s: the decision points to its own step."),
    "table_rule": _l("%(reason)s"),
    "field_nul": _l("%(field)s contains a NUL character; remove it."),
    "field_too_long": _l("%(field)s is too long: %(length)s characters, at most %(limit)s."),
    "field_too_big": _l("%(field)s is too large: %(size)s KiB, at most %(limit)s KiB."),
    "process_error": _l("The process model cannot run '%(name)s' (%(element)s): %(reason)s"),
    "expression_limit": _l("The process model was stopped at '%(name)s' (%(element)s): %(reason)s"),
    # incidents: steps the model could not run
    "incidents_forbidden": _l("Only analysts and administrators may see and handle incidents."),
    "incident_missing": _l("There is no incident %(id)s."),
    "incident_not_retryable": _l(
        "Incident %(id)s cannot be retried: it is resolved, or it is a failed completion (the "
        "performer completes that task again)."
    ),
    # a file deploy held for a second person
    "deploy_own_approval": _l(
        "You deployed %(key)s yourself (draft %(id)s): another analyst or an administrator "
        "must approve it."
    ),
    "approval_missing": _l("No %(key)s version %(version)s awaits approval."),
    "approval_ambiguous": _l(
        "Several drafts of %(key)s await approval as version %(version)s (%(ids)s); name the draft."
    ),
    # drafts in the studio and publishing them
    "draft_missing": _l("There is no draft %(id)s."),
    "drafts_forbidden": _l("Only analysts and administrators may edit and publish SOPs."),
    "draft_not_author": _l("Draft %(id)s belongs to %(author)s; only its author may change it."),
    "draft_own_approval": _l(
        "You wrote draft %(id)s yourself: another analyst or an administrator must approve it."
    ),
    "draft_state": _l("Draft %(id)s is %(state)s."),
    "draft_base_outdated": _l(
        "Draft %(id)s was made from %(key)s version %(base)s, but the newest version is now "
        "%(latest)s; make a new draft from the newest version."
    ),
    "draft_too_large": _l("The draft's BPMN is too large: %(size)s bytes, at most %(limit)s."),
    "draft_empty": _l("The draft's BPMN is empty."),
    "draft_key_changed": _l(
        "The process id in the diagram (%(found)s) is not %(key)s; this draft belongs to "
        "process %(key)s."
    ),
    "draft_unchanged": _l(
        "Draft %(id)s is the same as the newest version of %(key)s; nothing was published."
    ),
    "draft_note_required": _l("A change note is required."),
    "draft_note_too_long": _l("The note is too long: at most %(limit)s characters."),
    "draft_new_invalid": _l("The new SOP is incomplete: %(reason)s"),
    "draft_process_exists": _l(
        "The process %(key)s already exists (version %(version)s); make a draft from that version."
    ),
}


class Finding(Protocol):
    """A deploy finding (engine.bpmn.validate.Problem) as far as its text goes."""

    message: str
    key: str | None
    params: dict


# deploy findings: the English is what the CLI prints (engine.messages.FINDINGS)
FINDING_TEXTS: dict[str, LazyString] = {
    "file_unreadable": _l("cannot read file: %(reason)s"),
    "no_bpmn_files": _l("there is no .bpmn file to deploy"),
    "dmn_without_process": _l(
        "a .dmn file is deployed together with the process that uses it: choose the .bpmn "
        "file whose business rule tasks name its decisions as well (or the folder holding both)"
    ),
    "decision_id_twice": _l("the decision id '%(id)s' is also in %(other)s"),
    "xml_unsafe": _l(
        "DOCTYPE/ENTITY declarations are not allowed in BPMN files "
        "(possible XXE or entity-expansion attack); remove the <!DOCTYPE ...> block"
    ),
    "xml_not_well_formed": _l("not well-formed XML: %(detail)s"),
    "xml_not_well_formed_at": _l("not well-formed XML: %(detail)s (column %(column)s)"),
    "xml_unreadable": _l("cannot read XML: %(detail)s"),
    "xml_empty": _l("the document is empty"),
    "bpmn_invalid": _l("not valid BPMN 2.0: %(detail)s"),
    "id_duplicate": _l("duplicate id '%(id)s' (first used on line %(first_line)s)"),
    "reference_unknown": _l("%(attribute)s '%(value)s' does not match any id in this file"),
    "default_flow_unknown": _l("default flow '%(flow)s' does not match any id in this file"),
    "default_flow_not_leaving": _l("default flow '%(flow)s' is not a sequence flow leaving it"),
    "lane_unnamed": _l("lane has no name; name it after its Pelaksana role"),
    "lane_name_repeated": _l(
        "lane name '%(name)s' is also used by lane '%(other)s' (line %(other_line)s); "
        "names must be unique"
    ),
    "node_in_two_lanes": _l(
        "is in two lanes, '%(first)s' and '%(second)s'; a step has one Pelaksana"
    ),
    "node_in_no_lane": _l("%(kind)s '%(name)s' is in no lane; put it in its Pelaksana's lane"),
    "not_executable": _l(
        'no process has isExecutable="true": nothing here can run; mark the pool that '
        "should run as executable (Camunda Modeler: the pool's Executable box)"
    ),
    "spiff_refused": _l("SpiffWorkflow cannot build the process: %(detail)s"),
    "expression_refused": _l("%(what)s refused by the safe evaluator: %(reason)s"),
    "timer_refused": _l("timer refused: %(reason)s"),
    "name_never_set": _l(
        "the condition reads '%(name)s', which nothing sets (no form field, Ya/Tidak answer, "
        "business rule task, script or start data 'data' property)%(hint)s"
    ),
    "call_no_process": _l(
        "call activity names no process: set Called element (the key of a deployed "
        "process, its process id)"
    ),
    "call_expression": _l(
        "call activity ('%(process)s') is not a process key: an expression cannot choose the "
        "process here; write the called process's id"
    ),
    "call_bad_version": _l(
        "call activity ('%(process)s') binds to version '%(version)s': write a version number "
        "(1, 2, ...)"
    ),
    "call_self": _l(
        "call activity ('%(process)s') calls its own process: draw the repeated steps as a "
        "loop back instead"
    ),
    "call_version_missing": _l(
        "call activity ('%(process)s') binds to version %(version)s, which is not deployed "
        "(deployed versions: %(versions)s): deploy it, or bind to the latest version"
    ),
    "call_not_deployed": _l(
        "call activity ('%(process)s') names a process that is not deployed: deploy that "
        "process first, or together with this file (the key is its process id)"
    ),
    "call_two_versions": _l(
        "call activity ('%(process)s') calls the process at two versions in one process: bind "
        "every call alike"
    ),
    "call_cycle": _l(
        "call activity ('%(process)s'): %(keys)s call each other in a circle; a call binds to "
        "a version deployed before the caller, so deploy one of them first without the "
        "call"
    ),
}


def finding_text(problem: Finding) -> str:
    """A deploy finding in the user's language (one the web layer wrote stays as is)."""
    text = FINDING_TEXTS.get(problem.key) if problem.key else None
    return problem.message if text is None else str(text) % problem.params


# The states a task, an instance or a draft is in, as the messages above name them.
STATES: dict[str, LazyString] = {
    "open": _l("open"),
    "completed": _l("completed"),
    "cancelled": _l("cancelled"),
    "running": _l("running"),
    "suspended": _l("suspended"),
    "draft": _l("a draft"),
    "awaiting_approval": _l("awaiting approval"),
    "published": _l("published"),
}


def error_text(error: EngineError) -> str:
    """The error's message in the user's language (a message the web layer wrote stays as is)."""
    text = TEXTS.get(error.key) if error.key else None
    if text is None:
        return error.message
    params = dict(error.params)
    if isinstance(params.get("state"), str) and params["state"] in STATES:
        params["state"] = str(STATES[params["state"]])
    return str(text) % params
