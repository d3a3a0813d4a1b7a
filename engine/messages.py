"""What the engine's errors and deploy findings say: a stable key per message and its text.

An error carries its key and parameters (`NotFound("instance_missing", id=7)`); its message is
the Indonesian text in MESSAGES with the parameters filled in (`%(name)s`, as gettext writes
them), which the CLI and the JSON API show. A deploy finding (engine/bpmn/validate.py) carries
its key the same way; FINDINGS keeps the English the CLI has always printed for them. The web UI
translates both by key (webui/error_texts.py), so every key here has an English and an
Indonesian text there.
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # not found
    "user_missing": "pengguna '%(username)s' tidak ada",
    "task_missing": "tugas %(id)s tidak ada",
    "instance_missing": "instans %(id)s tidak ada",
    "process_missing": "proses %(key)s tidak ada",
    "process_version_missing": "proses %(key)s versi %(version)s tidak ada",
    "decision_not_deployed": "keputusan %(id)s tidak diterbitkan bersama proses %(key)s versi "
    "%(version)s",
    "decision_file_missing": "berkas DMN %(name)s tidak diterbitkan bersama proses %(key)s versi "
    "%(version)s",
    "token_missing": "token %(id)s tidak ada",
    "delegation_missing": "pelimpahan %(id)s tidak ada",
    # forbidden
    "start_forbidden": "%(user)s tidak boleh memulai %(process)s: perlu peran %(roles)s",
    "user_inactive": "pengguna %(user)s tidak aktif",
    "task_assigned_to_other": "tugas %(id)s ditugaskan kepada %(assignee)s",
    "task_claimed_by_other": "tugas %(id)s sedang dikerjakan oleh %(claimant)s",
    "task_role_missing": "%(user)s tidak memegang peran '%(role)s' untuk tugas %(id)s",
    "claim_role_missing": "%(user)s tidak memegang peran '%(role)s'",
    "unclaim_forbidden": "hanya %(claimant)s, Kabid atau admin yang dapat melepas",
    "reassign_forbidden": "hanya Kabid atau admin yang dapat mengalihkan tugas",
    "cancel_forbidden": "hanya pemula, Kabid bidangnya atau admin yang dapat membatalkan",
    "unclaim_reason_required": "beri alasan untuk melepas tugas yang diambil %(claimant)s",
    "task_hidden": "tugas %(id)s milik peran '%(role)s'",
    "password_wrong": "kata sandi saat ini salah",
    "instances_list_forbidden": (
        "%(user)s tidak boleh melihat semua proses: hanya auditor, Kabid, analis dan admin"
    ),
    "analytics_forbidden": "%(user)s tidak berhak membaca analitik proses",
    "period_invalid": (
        "periode %(value)s tidak dikenali: tulis YYYY-MM, YYYY-Qn, YYYY atau tanggal YYYY-MM-DD"
    ),
    "period_order": "periode terbalik: %(start)s sesudah %(end)s",
    "instance_not_involved": "%(user)s tidak terlibat dalam instans %(id)s",
    "migrate_forbidden": (
        "hanya admin atau analis yang dapat memindahkan, menangguhkan atau melanjutkan instans"
    ),
    "delegate_forbidden": "hanya %(user)s sendiri atau admin yang dapat melimpahkan perannya",
    "delegate_role_missing": "%(user)s tidak memegang peran '%(role)s'",
    "delegation_revoke_forbidden": (
        "hanya pejabat, pelaksananya atau admin yang dapat mengakhiri pelimpahan %(id)s"
    ),
    # conflict: the state changed under the caller
    "task_completed_by": "tugas %(id)s sudah diselesaikan oleh %(by)s pada %(at)s",
    "task_completed_by_someone": "tugas %(id)s sudah diselesaikan oleh orang lain",
    "task_not_waiting": "tugas %(id)s tidak lagi menunggu",
    "task_claimed": "tugas %(id)s sudah diambil oleh %(claimant)s",
    "task_not_open": "tugas %(id)s sudah %(state)s",
    "task_not_open_files": "tugas %(id)s sudah %(state)s; berkas tidak dilampirkan",
    "task_still_yours": "tugas %(id)s masih terbuka untuk Anda: lampirkan berkas pada tugas itu",
    "instance_not_running": "instans %(id)s sudah %(state)s",
    "instance_suspended": (
        "instans %(id)s sedang ditangguhkan: tugasnya tidak dapat diambil atau diselesaikan"
    ),
    "instance_not_suspended": "instans %(id)s tidak ditangguhkan (%(state)s)",
    # migration to another version: why an instance cannot move
    "migration_wrong_version": (
        "instans %(id)s berjalan pada %(key)s versi %(actual)s, bukan versi %(version)s"
    ),
    "migration_current_removed": (
        "langkah yang sedang berjalan '%(step)s' (%(element)s) tidak ada di versi baru;"
        " petakan ke langkah baru"
    ),
    "migration_done_removed": (
        "langkah yang sudah selesai '%(step)s' (%(element)s) tidak ada di versi baru;"
        " riwayat instans tidak lagi cocok"
    ),
    "migration_history_changed": (
        "langkah yang sudah selesai '%(step)s' (%(element)s) diubah (%(changes)s)"
        " sehingga riwayatnya tertulis ulang"
    ),
    "migration_subprocess_changed": "subproses '%(name)s' yang sedang berjalan berubah",
    "migration_failed": "migrasi gagal: %(reason)s",
    "user_exists": "pengguna %(name)s sudah ada",
    # invalid input
    "delegate_self": "peran tidak dapat dilimpahkan kepada diri sendiri",
    "delegate_inactive": "pengguna %(user)s tidak aktif",
    "delegation_date": "bukan tanggal: '%(text)s' (YYYY-MM-DD)",
    "delegation_title": "sebutan '%(title)s' tidak dikenal: Plh atau Plt",
    "delegation_no_roles": "%(user)s tidak memegang peran apa pun untuk dilimpahkan",
    "delegation_period": "tanggal berakhir harus sesudah tanggal mulai dan belum lewat",
    "delegation_too_long": "pelimpahan paling lama %(days)s hari",
    "password_too_short": "kata sandi baru perlu sedikitnya %(min)s karakter",
    "password_mismatch": "kata sandi baru dan ulangannya tidak sama",
    "username_invalid": "nama pengguna tidak boleh kosong atau berisi spasi",
    "role_empty": "nama peran tidak boleh kosong",
    "reassign_role_missing": "%(user)s tidak memegang peran '%(role)s'",
    "own_admin_right": "Anda tidak dapat mencabut hak administrator Anda sendiri",
    "deactivate_self": "Anda tidak dapat menonaktifkan diri sendiri",
    "email_invalid": "alamat e-mail tidak sah: '%(address)s'",
    "cancel_reason_missing": "alasan pembatalan wajib diisi",
    "not_a_decision": "langkah ini bukan keputusan; jangan kirim Ya/Tidak",
    "decision_missing": "langkah %(step)s adalah keputusan: pilih Ya atau Tidak",
    "task_draft_invalid": "draf tidak valid: isian %(field)s",
    "file_not_yours": "berkas %(id)s diunggah oleh %(by)s; hanya ia yang dapat menghapusnya",
    "file_not_of_task": "berkas %(id)s bukan berkas tugas %(task)s",
    "send_back_reason_missing": "Tidak (kembalikan) wajib disertai alasan",
    "file_name_empty": "nama berkas kosong",
    "file_too_large": "berkas '%(name)s' terlalu besar (%(size)s byte); batas %(limit)s MB",
    "not_sha256": "bukan sha256: '%(digest)s'",
    "request_not_json": "badan permintaan bukan JSON yang sah: %(error)s",
    "request_not_object": "badan permintaan harus berupa objek JSON",
    "fields_unknown": "kolom tidak dikenal: %(fields)s",
    "fields_missing": "kolom wajib tidak ada: %(fields)s",
    "field_type": "kolom '%(field)s' bertipe salah",
    "flag_invalid": "parameter '%(name)s' harus true atau false",
    "version_invalid": "versi harus bilangan bulat positif",
    "title_nul": "judul tidak boleh berisi karakter NUL",
    "checklist_invalid": "nilai checklist harus true/false atau catatan kekurangan",
    "form_invalid": "isian formulir belum benar: %(fields)s",
    "form_field_required": "%(label)s wajib diisi",
    "form_field_number": "%(label)s harus bilangan bulat",
    "form_field_boolean": "%(label)s harus Ya atau Tidak (true/false)",
    "form_field_date": "%(label)s harus tanggal (TTTT-BB-HH)",
    "form_field_choice": "%(label)s: pilih salah satu pilihannya (%(options)s)",
    "form_field_text": "%(label)s harus teks",
    "form_field_too_short": "%(label)s paling sedikit %(limit)s karakter",
    "form_field_too_long": "%(label)s paling banyak %(limit)s karakter",
    "form_field_below": "%(label)s paling kecil %(limit)s",
    "form_field_above": "%(label)s paling besar %(limit)s",
    "form_field_readonly": "%(label)s hanya dapat dibaca dan tidak dapat diubah",
    "migration_same_version": "versi asal dan tujuan sama: %(version)s",
    "migration_map_unknown": (
        "pemetaan %(old)s=%(new)s: langkah '%(missing)s' tidak ada di versi %(version)s"
    ),
    "migration_map_invalid": "pemetaan harus berbentuk LAMA=BARU: '%(item)s'",
    # unauthenticated (API)
    "token_required": "kirim header Authorization: Bearer <token>",
    "token_refused": "token tidak dikenal, dicabut, atau penggunanya tidak aktif",
    # storage full, deploy refused
    "storage_full": (
        "penyimpanan berkas penuh; '%(name)s' tidak tersimpan dan tidak ada yang berubah."
        " Hubungi admin."
    ),
    "deploy_refused": "%(count)s masalah; tidak ada yang diterbitkan",
    # what the database would choke on (engine.storage.guard)
    "field_nul": "%(field)s memuat karakter NUL; hapus karakter itu",
    "field_too_long": "%(field)s terlalu panjang: %(length)s karakter, paling banyak %(limit)s",
    "field_too_big": "%(field)s terlalu besar: %(size)s KiB, paling banyak %(limit)s KiB",
    # the SOP table editor (engine.sop_table)
    "table_refused": "%(count)s masalah di tabel; diagram tidak diubah",
    "model_forbidden": "hanya analis atau admin yang dapat membandingkan dan menyunting SOP",
    "xml_not_sop": "diagram tidak dapat dibaca sebagai SOP: %(reason)s",
    "xml_too_big": "diagram terlalu besar: %(size)s KiB, paling banyak %(limit)s KiB",
    "compare_other_process": "diagram ini proses %(other)s, bukan %(key)s",
    "table_not_object": "tabel harus berupa objek JSON dengan actors dan rows",
    "table_shape": "baris %(row)s, kolom %(column)s: isian tidak sah",
    "table_no_rows": "tabel tidak punya langkah",
    "table_too_many_rows": "tabel punya lebih dari %(limit)s langkah",
    "table_no_actors": "tabel tidak punya kolom Pelaksana",
    "table_too_many_actors": "tabel punya lebih dari %(limit)s kolom Pelaksana",
    "table_actor_empty": "kolom Pelaksana %(index)s: nama pelaksana kosong",
    "table_actor_long": "kolom Pelaksana %(index)s: nama lebih dari %(limit)s karakter",
    "table_actor_twice": "pelaksana '%(name)s' ada di dua kolom Pelaksana",
    "table_text_long": "baris %(row)s, kolom %(column)s: teks lebih dari %(limit)s karakter",
    "table_activity_empty": "baris %(row)s, kolom Kegiatan: kegiatan kosong",
    "table_performer_missing": "baris %(row)s: tandai satu Pelaksana yang mengerjakan langkah ini",
    "table_performer_unknown": "baris %(row)s: '%(name)s' bukan kolom Pelaksana",
    "table_waktu_invalid": "baris %(row)s, kolom Waktu: tulis angka 0 atau lebih",
    "table_waktu_unit": (
        "baris %(row)s, kolom Waktu: satuan '%(unit)s' tidak dikenal; "
        "pilih menit, jam, hari atau hari kerja"
    ),
    "table_target_missing": (
        "baris %(row)s, kolom %(column)s: langkah %(target)s tidak ada "
        "(tabel punya %(count)s langkah)"
    ),
    "table_target_self": (
        "baris %(row)s, kolom %(column)s: keputusan menunjuk ke langkahnya sendiri"
    ),
    "table_rule": "%(reason)s",
    # the deployed model failed a step (engine.runtime.failures)
    "process_error": "model tidak dapat menjalankan '%(name)s' (%(element)s): %(reason)s",
    "expression_limit": "model dihentikan di '%(name)s' (%(element)s): %(reason)s",
    # incidents: steps the model could not run (engine/incidents.py)
    "incidents_forbidden": "hanya analis atau admin yang dapat melihat dan menangani insiden",
    "incident_missing": "insiden %(id)s tidak ada",
    "incident_not_retryable": (
        "insiden %(id)s tidak dapat diulang: sudah selesai, atau penyelesaian tugasnya yang gagal"
        " (pelaksana menyelesaikan tugas itu lagi)"
    ),
    # a file deploy held for a second person (engine/drafts.py)
    "deploy_own_approval": (
        "Anda sendiri yang men-deploy %(key)s (draf %(id)s): persetujuannya harus dari analis"
        " atau admin lain"
    ),
    "approval_missing": "tidak ada %(key)s versi %(version)s yang menunggu persetujuan",
    "approval_ambiguous": (
        "beberapa draf %(key)s menunggu persetujuan sebagai versi %(version)s (%(ids)s);"
        " sebutkan nomor drafnya"
    ),
    # drafts in the studio and publishing them (engine/drafts.py)
    "draft_missing": "draf %(id)s tidak ada",
    "drafts_forbidden": "hanya analis atau admin yang dapat menyunting dan menerbitkan SOP",
    "draft_not_author": "draf %(id)s milik %(author)s; hanya penyusunnya yang dapat mengubahnya",
    "draft_own_approval": (
        "Anda menyusun draf %(id)s sendiri: persetujuannya harus dari analis atau admin lain"
    ),
    "draft_state": "draf %(id)s berstatus %(state)s",
    "draft_base_outdated": (
        "draf %(id)s disusun dari %(key)s versi %(base)s, tetapi versi terbaru kini %(latest)s;"
        " buat draf baru dari versi terbaru"
    ),
    "draft_too_large": "BPMN draf terlalu besar: %(size)s byte, paling banyak %(limit)s",
    "draft_empty": "BPMN draf kosong",
    "draft_key_changed": (
        "id proses di diagram (%(found)s) bukan %(key)s; draf ini milik proses %(key)s"
    ),
    "draft_unchanged": "draf %(id)s sama dengan versi terbaru %(key)s; tidak ada yang diterbitkan",
    "draft_note_required": "catatan perubahan wajib diisi",
    "draft_note_too_long": "catatan terlalu panjang: paling banyak %(limit)s karakter",
    "draft_new_invalid": "SOP baru tidak lengkap: %(reason)s",
    "draft_process_exists": (
        "proses %(key)s sudah ada (versi %(version)s); buat draf dari versi itu"
    ),
}


FINDINGS: dict[str, str] = {
    # the file itself
    "file_unreadable": "cannot read file: %(reason)s",
    "no_bpmn_files": "tidak ada berkas .bpmn untuk diterbitkan",
    "dmn_without_process": (
        "a .dmn file is deployed together with the process that uses it: choose the .bpmn "
        "file whose business rule tasks name its decisions as well (or the folder holding both)"
    ),
    "xml_unsafe": (
        "DOCTYPE/ENTITY declarations are not allowed in BPMN files "
        "(possible XXE or entity-expansion attack); remove the <!DOCTYPE ...> block"
    ),
    "xml_not_well_formed": "not well-formed XML: %(detail)s",
    "xml_not_well_formed_at": "not well-formed XML: %(detail)s (column %(column)s)",
    "xml_unreadable": "cannot read XML: %(detail)s",
    "xml_empty": "the document is empty",
    # schema and references
    "bpmn_invalid": "not valid BPMN 2.0: %(detail)s",
    "id_duplicate": "duplicate id '%(id)s' (first used on line %(first_line)s)",
    "reference_unknown": "%(attribute)s '%(value)s' does not match any id in this file",
    "default_flow_unknown": "default flow '%(flow)s' does not match any id in this file",
    "default_flow_not_leaving": "default flow '%(flow)s' is not a sequence flow leaving it",
    # lanes
    "lane_unnamed": "lane has no name; name it after its Pelaksana role",
    "lane_name_repeated": (
        "lane name '%(name)s' is also used by lane '%(other)s' (line %(other_line)s); "
        "names must be unique"
    ),
    "node_in_two_lanes": "is in two lanes, '%(first)s' and '%(second)s'; a step has one Pelaksana",
    "node_in_no_lane": "%(kind)s '%(name)s' is in no lane; put it in its Pelaksana's lane",
    # what runs
    "not_executable": (
        'no process has isExecutable="true": nothing here can run; mark the pool that '
        "should run as executable (Camunda Modeler: the pool's Executable box)"
    ),
    "spiff_refused": "SpiffWorkflow cannot build the process: %(detail)s",
    "expression_refused": "%(what)s refused by the safe evaluator: %(reason)s",
    "timer_refused": "timer refused: %(reason)s",
    "name_never_set": (
        "the condition reads '%(name)s', which nothing sets (no form field, Ya/Tidak answer, "
        "business rule task, script or start data 'data' property)%(hint)s"
    ),
    # decisions (.dmn) deployed beside the processes
    "decision_id_twice": "the decision id '%(id)s' is also in %(other)s",
    # call activities
    "call_no_process": (
        "call activity names no process: set Called element (the key of a deployed "
        "process, its process id)"
    ),
    "call_expression": (
        "call activity ('%(process)s') is not a process key: an expression cannot choose the "
        "process here; write the called process's id"
    ),
    "call_bad_version": (
        "call activity ('%(process)s') binds to version '%(version)s': write a version number "
        "(1, 2, ...)"
    ),
    "call_self": (
        "call activity ('%(process)s') calls its own process: draw the repeated steps as a "
        "loop back instead"
    ),
    "call_version_missing": (
        "call activity ('%(process)s') binds to version %(version)s, which is not deployed "
        "(deployed versions: %(versions)s): deploy it, or bind to the latest version"
    ),
    "call_not_deployed": (
        "call activity ('%(process)s') names a process that is not deployed: deploy that "
        "process first, or together with this file (the key is its process id)"
    ),
    "call_two_versions": (
        "call activity ('%(process)s') calls the process at two versions in one process: bind "
        "every call alike"
    ),
    "call_cycle": (
        "call activity ('%(process)s'): %(keys)s call each other in a circle; a call binds to "
        "a version deployed before the caller, so deploy one of them first without the "
        "call"
    ),
}


def text(key: str, params: dict) -> str:
    """The Indonesian message of key with params filled in."""
    return MESSAGES[key] % params


def finding(key: str, params: dict) -> str:
    """The text of a deploy finding with params filled in."""
    return FINDINGS[key] % params
