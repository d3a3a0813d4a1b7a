"""Engine errors reach the web page in the user's language, by their message key."""

from __future__ import annotations

import io
import re

import pytest

from engine.errors import Conflict, NotFound
from engine.messages import FINDINGS, MESSAGES
from tests.conftest import sop_path
from tests.webui.conftest import all_ticked, open_task, post
from webui.error_texts import FINDING_TEXTS, TEXTS, error_text

COLLEAGUE_ROLE = "Kabid Pemerintahan dan Sosial Budaya"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
SAID = {  # language -> (forbidden, conflict) as the error page writes them
    "en": (
        "Task {id} is being worked on by kabid2.",
        "Task {id} was already taken by kabid2.",
    ),
    "id": (
        "Tugas {id} sedang dikerjakan oleh kabid2",
        "Tugas {id} sudah diambil oleh kabid2",
    ),
}


@pytest.fixture
def taken(started, alur):
    """An open task that the Kabid's colleague kabid2 has taken."""
    task = open_task(alur, started().id)
    alur.add_user("kabid2", [COLLEAGUE_ROLE], password="demo")
    alur.claim(task.id, "kabid2")
    return task


@pytest.mark.parametrize("lang", ["en", "id"])
def test_forbidden_and_conflict_pages_speak_the_users_language(login_as, alur, taken, lang):
    kabid = login_as("kabid")
    post(kabid, "/language", {"lang": lang})
    forbidden, conflict = (text.format(id=taken.id) for text in SAID[lang])
    response = post(kabid, f"/tasks/{taken.id}/complete", all_ticked(alur, taken))
    assert response.status_code == 409 and forbidden in response.text  # taken meanwhile
    response = post(kabid, f"/tasks/{taken.id}/claim")
    assert response.status_code == 409 and conflict in response.text
    other = SAID["id" if lang == "en" else "en"][1].format(id=taken.id)
    assert other not in response.text


def test_a_form_error_is_translated_too(login_as, alur):
    """The profile page shows the engine's refusal of an e-mail address in English."""
    client = login_as("kabid")
    post(client, "/language", {"lang": "en"})
    response = post(client, "/profile/email", {"email": "bukan alamat"})
    assert response.status_code == 422
    assert "Not a valid e-mail address: &#39;bukan alamat&#39;." in response.text


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "duplicate id &#39;Langkah_1&#39; (first used on line {line})"),
        ("id", "id &#39;Langkah_1&#39; ganda (pertama dipakai di baris {line})"),
    ],
)
def test_deploy_findings_speak_the_users_language(login_as, lang, said):
    data = sop_path("B").read_bytes()
    bad = data.replace(b'id="Langkah_2"', b'id="Langkah_1"', 1)
    analis = login_as("analis")
    post(analis, "/language", {"lang": lang})
    files = {"files": [(io.BytesIO(bad), "rusak.bpmn")]}
    response = post(analis, "/processes/deploy", files, content_type="multipart/form-data")
    assert response.status_code == 422
    first = data[: data.index(b'id="Langkah_1"')].count(b"\n") + 1
    assert said.format(line=first) in response.text


def test_every_engine_key_has_a_web_text_with_the_same_parameters():
    assert set(TEXTS) == set(MESSAGES) and set(FINDING_TEXTS) == set(FINDINGS)
    for texts, engine in ((TEXTS, MESSAGES), (FINDING_TEXTS, FINDINGS)):
        for key, lazy in texts.items():
            english = lazy._args[0]
            assert set(PLACEHOLDER.findall(english)) == set(PLACEHOLDER.findall(engine[key]))
    # the English of a finding is what the CLI prints (one finding the engine says in Indonesian)
    same = {k for k, lazy in FINDING_TEXTS.items() if lazy._args[0] == FINDINGS[k]}
    assert set(FINDINGS) - same == {"no_bpmn_files"}


def test_a_message_the_web_layer_wrote_is_shown_as_it_is(app):
    with app.test_request_context():
        assert error_text(Conflict("Tugas 5 tidak terbuka lagi.")) == "Tugas 5 tidak terbuka lagi."
        assert error_text(NotFound("task_missing", id=5)) == "tugas 5 tidak ada"
