"""The files uploaded with an instance's tasks, as downloads."""

from __future__ import annotations

from io import BytesIO

from flask import abort, send_file

from webui.facade import alur


def stored_file(instance_id: int, file_id: int):
    """File file_id of the instance as an attachment; 404 when the instance has no such file."""
    stored = next((f for f in alur().files_of(instance_id) if f.id == file_id), None)
    if stored is None:
        abort(404)
    return send_file(
        BytesIO(alur().files.read(stored.sha256)),
        mimetype=stored.content_type,
        as_attachment=True,
        download_name=stored.name,
    )
