"""Drafts through /api/v1: made, saved, checked, published with a note; a change of performer is
approved by a second person; everyone else gets 403."""

from __future__ import annotations

import pytest

from tests.engine import migration_edits

KEY = "sop_c_1"


@pytest.fixture
def analysts(api, alur):
    """Two analysts with a token each, added to api.tokens."""
    for name in ("ana", "budi"):
        alur.add_user(name, ["analis"])
        api.tokens = {**api.tokens, name: alur.create_token(name, "tests")}
    return api


def _put(api, path: str, as_: str, body: dict):
    return api.call("PUT", path, as_, json=body)


def test_a_draft_is_made_saved_checked_and_published(analysts, alur):
    api = analysts
    status, draft = api.post("/drafts", "ana", json={"process": KEY, "version": 1})
    assert status == 201, draft
    assert (draft["process_key"], draft["base_version"], draft["state"]) == (KEY, 1, "draft")
    assert draft["xml"].encode() == alur.definition(KEY, 1).xml
    path = f"/drafts/{draft['id']}"

    broken = draft["xml"].replace('targetRef="Langkah_2"', 'targetRef="Langkah_99"', 1)
    status, saved = _put(api, path, "ana", {"xml": broken})
    assert status == 200 and saved["size"] == len(broken.encode())
    status, checked = api.post("/validate", "ana", json={"xml": broken, "process": KEY})
    assert status == 200 and checked["problems"]
    assert {"line", "element", "message", "key"} == set(checked["problems"][0])
    status, refused = api.post(path + "/publish", "ana", json={"note": "rusak"})
    assert status == 422 and refused["problems"] and refused["error"]["code"] == "invalid_bpmn"
    assert api.get("/processes", "ana")[1]["processes"][2]["versions"] == [1]

    fixed = migration_edits.set_waktu(draft["xml"].encode(), "Langkah_7", "2 hari kerja")
    assert _put(api, path, "ana", {"xml": fixed.decode()})[0] == 200
    assert api.post("/validate", "ana", json={"xml": fixed.decode()})[1] == {"problems": []}
    status, done = api.post(path + "/publish", "ana", json={"note": "Waktu langkah 7"})
    assert status == 200, done
    assert (done["state"], done["version"], done["performer_changes"]) == ("published", 2, [])
    assert alur.definition(KEY).note == "Waktu langkah 7"
    status, listed = api.get("/drafts", "budi", query_string={"process": KEY})
    assert status == 200 and [d["state"] for d in listed["drafts"]] == ["published"]
    assert "xml" not in listed["drafts"][0]


def test_four_eyes_through_the_api(analysts, alur):
    api = analysts
    xml = migration_edits.move_to_lane(alur.definition(KEY).xml, "Langkah_6", "Fungsional Umum")
    status, draft = api.post("/drafts", "ana", json={"xml": xml.decode()})
    assert status == 201 and draft["base_version"] == 1
    path = f"/drafts/{draft['id']}"
    status, waiting = api.post(path + "/publish", "ana", json={"note": "pindah lajur"})
    assert status == 200 and (waiting["state"], waiting["version"]) == ("awaiting_approval", None)
    assert [(c["change"], c["step_no"]) for c in waiting["performer_changes"]] == [("actor", 6)]
    status, own = api.post(path + "/approve", "ana")
    assert status == 403 and own["error"]["key"] == "draft_own_approval"
    status, approved = api.post(path + "/approve", "budi", json={"note": "setuju"})
    assert status == 200 and approved["version"] == 2
    assert approved["draft"]["approver"] == "budi"
    assert alur.definition(KEY).approved_by == "budi"


@pytest.mark.parametrize("who", ["kabid", "auditor", "tamu"])
def test_others_get_403(analysts, alur, who):
    api = analysts
    draft = alur.draft_from_version(KEY, None, "ana")
    path = f"/drafts/{draft.id}"
    calls = [
        api.get("/drafts", who),
        api.post("/drafts", who, json={"process": KEY}),
        api.get(path, who),
        _put(api, path, who, {"xml": "<x/>"}),
        api.call("DELETE", path, who),
        api.post("/validate", who, json={"xml": "<x/>"}),
        api.post(path + "/publish", who, json={"note": "x"}),
        api.post(path + "/approve", who),
    ]
    assert [status for status, _body in calls] == [403] * len(calls)
    assert alur.draft(draft.id, "ana").xml == draft.xml


def test_bad_requests_are_422_and_change_nothing(analysts, alur):
    api = analysts
    assert api.post("/drafts", "ana", json={})[0] == 422
    assert api.post("/drafts", "ana", json={"process": KEY, "xml": "<x/>"})[0] == 422
    assert api.post("/drafts", "ana", json={"xml": "no xml"})[0] == 422
    assert api.post("/drafts", "ana", json={"process": "sop_zz"})[0] == 404
    draft = alur.draft_from_version(KEY, None, "ana")
    path = f"/drafts/{draft.id}"
    assert _put(api, path, "ana", {})[0] == 422
    assert api.post(path + "/publish", "ana", json={})[0] == 422
    status, body = api.post(path + "/publish", "ana", json={"note": "  "})
    assert status == 422 and body["error"]["key"] == "draft_note_required"
    assert api.get("/drafts", "ana", query_string={"state": "x"})[0] == 422
    assert api.call("DELETE", path, "budi")[0] == 403
    assert api.call("DELETE", path, "ana")[0] == 204
    assert api.get(path, "ana")[0] == 404


def test_a_held_file_deploy_is_approved_over_the_api_by_another_person(analysts, alur):
    api = analysts
    renamed = alur.definition(KEY).xml.replace(b'name="Kepala Badan"', b'name="Analis"', 1)
    (held,) = alur.deploy_sources([(f"{KEY}.bpmn", renamed)], "ana")
    status, listed = api.get("/drafts", "budi", query_string={"state": "awaiting_approval"})
    assert status == 200
    (draft,) = listed["drafts"]
    assert (draft["id"], draft["source"], draft["author"]) == (held.draft.id, "deploy", "ana")
    assert draft["filename"] == f"{KEY}.bpmn"
    status, started = api.post(f"/processes/{KEY}/instances", "kabid", json={"title": "X"})
    assert status == 201 and started["process"]["version"] == 1  # the old one until approved

    path = f"/processes/{KEY}/versions/2/approve"
    status, own = api.post(path, "ana")
    assert (status, own["error"]["key"]) == (403, "deploy_own_approval")
    assert api.post(path, "kabid")[0] == 403  # no analyst
    assert api.post(f"/processes/{KEY}/versions/3/approve", "budi")[0] == 404
    status, done = api.post(path, "budi", json={"note": "setuju"})
    assert status == 200 and (done["state"], done["version"]) == ("published", 2)
    kinds = [(c["change"], c["field"]) for c in done["performer_changes"]]
    assert kinds == [("pelaksana", "renamed"), ("actor", "own_role")]
    new = alur.definition(KEY)
    assert (new.deployed_by, new.approved_by) == ("ana", "budi")
    status, started = api.post(f"/processes/{KEY}/instances", "kabid", json={"title": "Y"})
    assert status == 201 and started["process"]["version"] == 2
