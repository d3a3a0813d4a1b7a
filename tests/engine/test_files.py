"""Output documents: content-addressed bytes, a metadata row per upload, size limit first."""

from __future__ import annotations

import hashlib

import pytest

from engine.errors import InvalidInput
from engine.files import Upload
from engine.runtime.lifecycle import Completion
from tests.engine.helpers import complete_step, holder, only_task, run_to_step, snapshot, starter

KEY = "sop_b"
NOTULEN = Upload("notulen rapat.pdf", b"%PDF-1.7\nnotulen rapat koordinasi\n", "application/pdf")


def _blobs(alur) -> list:
    root = alur.settings.upload_dir
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_an_upload_is_stored_by_its_sha256_with_a_metadata_row(alur):
    instance = alur.start(KEY, starter(alur, KEY))
    task = only_task(alur, instance.id)
    user = holder(task.role)
    alur.complete(task.id, user, Completion(note="terlampir"), uploads=[NOTULEN])

    digest = hashlib.sha256(NOTULEN.data).hexdigest()
    path = alur.settings.upload_dir / digest[:2] / digest[2:]
    assert _blobs(alur) == [path]
    assert path.read_bytes() == NOTULEN.data
    (row,) = alur.files_of(instance.id)
    assert (row.sha256, row.name, row.content_type, row.size) == (
        digest,
        "notulen rapat.pdf",
        "application/pdf",
        len(NOTULEN.data),
    )
    assert (row.uploaded_by, row.human_task_id, row.instance_id) == (user, task.id, instance.id)
    assert alur.task(task.id).data["files"] == [row.id]
    events = alur.history(instance.id)
    attached = next(e for e in events if e.kind == "file_attached")
    completed = next(e for e in events if e.kind == "completed")
    assert attached.data["sha256"] == digest and attached.human_task_id == task.id
    assert completed.data["files"] == [row.id] and attached.id < completed.id


def test_the_same_bytes_are_stored_once(alur):
    instance = alur.start(KEY, starter(alur, KEY))
    first = only_task(alur, instance.id)
    alur.complete(first.id, holder(first.role), uploads=[NOTULEN])
    second = only_task(alur, instance.id)
    copy = Upload("salinan.pdf", NOTULEN.data, "application/pdf")
    alur.complete(second.id, holder(second.role), uploads=[copy])
    rows = alur.files_of(instance.id)
    assert [r.name for r in rows] == ["notulen rapat.pdf", "salinan.pdf"]
    assert len({r.sha256 for r in rows}) == 1 and len(_blobs(alur)) == 1


def test_a_file_over_the_limit_is_refused_before_anything_changes(alur, make_alur):
    small = make_alur(max_upload_bytes=len(NOTULEN.data))
    instance = small.start(KEY, starter(small, KEY))
    task = only_task(small, instance.id)
    before = snapshot(small, instance.id)
    big = Upload("lampiran.pdf", NOTULEN.data + b"!", "application/pdf")
    with pytest.raises(InvalidInput) as refused:
        small.complete(task.id, holder(task.role), uploads=[NOTULEN, big])
    assert "lampiran.pdf" in refused.value.message and "terlalu besar" in refused.value.message
    assert snapshot(small, instance.id) == before
    assert small.files_of(instance.id) == [] and _blobs(small) == []
    small.complete(task.id, holder(task.role), uploads=[NOTULEN])  # at the limit is fine
    assert len(small.files_of(instance.id)) == 1


def test_a_refused_completion_keeps_no_file_row(alur):
    instance = alur.start(KEY, starter(alur, KEY))
    task = run_to_step(alur, instance.id, 8)  # a decision step
    before = snapshot(alur, instance.id)
    with pytest.raises(InvalidInput):
        alur.complete(task.id, holder(task.role), uploads=[NOTULEN])  # no Ya/Tidak
    assert snapshot(alur, instance.id) == before
    assert alur.files_of(instance.id) == []


def test_files_stay_after_their_task_and_instance_complete(alur):
    instance = alur.start(KEY, starter(alur, KEY))
    task = only_task(alur, instance.id)
    alur.complete(task.id, holder(task.role), uploads=[NOTULEN])
    while alur.instance(instance.id).state == "running":
        complete_step(alur, only_task(alur, instance.id))
    (row,) = alur.files_of(instance.id)
    assert row.human_task_id == task.id
    assert alur.files.read(row.sha256) == NOTULEN.data
