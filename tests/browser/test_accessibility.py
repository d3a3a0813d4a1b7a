"""axe-core (WCAG 2.1 A and AA) on every page and state of the web UI, in both languages.

Each case opens one page as the person who uses it (a sign-in per person, kept as the context's
cookies), brings it to the state named (a failed submit, an overdue task, a conflict ...),
switches to English when asked, injects axe-core from node_modules and runs the WCAG 2.1 A/AA
rules. A failure names the page, the language, the rule and the elements.

The module runs its own `alur serve --demo`: it makes a task overdue by moving its due time in
the database, which the other modules' server must not see.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from engine.alur import Alur
from engine.config import Settings
from engine.inbox import InboxFilter
from engine.runtime.lifecycle import Completion
from tests.browser.conftest import (
    PASSWORD,
    WAIT_MS,
    Console,
    Server,
    all_ok,
    cli,
    demo_server,
    open_task,
    start,
)
from tests.conftest import ROOT
from webui import demo

pytestmark = pytest.mark.slow  # a real browser: make test runs it

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Known exceptions (docs/accessibility.md): none. A node excluded here needs its reason there.
EXCLUDE: list[str] = []


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    with demo_server(tmp_path_factory.mktemp("alur-a11y")) as running:
        yield running


def make_overdue(server: Server, task: int) -> None:
    past = (datetime.now(UTC) - timedelta(days=3)).replace(tzinfo=None)
    with sqlite3.connect(server.home / "alur.sqlite3") as db:
        db.execute("update human_tasks set due_at = ? where id = ?", (past.isoformat(" "), task))


@dataclass
class World:
    server: Server
    instance: int  # C.1: step 1 done, step 2 open and overdue
    task: int  # its open (overdue) task, for the kabid
    fresh_task: int  # another C.1 instance at step 1 (Kelengkapan to tick)
    long: int  # a C.1 instance sent back so often that its page leaves events and rows out


def long_case(server: Server, rounds: int = 20) -> int:
    """A C.1 instance whose draft (step 6) the Sub Koordinator sent back `rounds` times: a history
    and a working-time table longer than the instance page shows (driven in this process)."""
    alur = Alur(Settings.from_env({"ALUR_HOME": str(server.home)}))
    try:
        instance = alur.start("sop_c_1", "kabid", "Aksesibilitas: riwayat panjang")
        sent = 0
        while sent < rounds:
            (task,) = alur.tasks(flt=InboxFilter(instance_id=instance.id))
            answer = Completion()
            if task.step_no == 7:
                sent += 1
                answer = Completion(decision="Tidak", note=f"putaran {sent}")
            alur.complete(task.id, demo.USERNAMES[task.role], answer)
        return instance.id
    finally:
        alur.db.dispose()


@pytest.fixture(scope="module")
def world(server) -> World:
    instance = start(server, "Aksesibilitas: RPJMD 2027")
    first = open_task(server, instance)
    cli(server, "complete", str(first), "--user", "kabid", *all_ok(server, first))
    task = open_task(server, instance)
    make_overdue(server, task)
    fresh = start(server, "Aksesibilitas: langkah pertama")
    editors = ROOT / "tests" / "data" / "editors"  # a process with a DMN decision table
    cli(server, "deploy", str(editors / "pengajuan_cuti.bpmn"), str(editors / "cuti_penyetuju.dmn"),
        "--user", "analis")  # fmt: skip
    return World(server, instance, task, open_task(server, fresh), long_case(server))


# --- signing in once per person ---------------------------------------------------------------

_states: dict[str, dict] = {}


@pytest.fixture
def as_user(browser: Browser, server: Server, console: Console):
    """as_user(name, lang) -> a page signed in as name (None: nobody) in lang ("id" or "en")."""
    contexts = []

    def make(username: str | None, lang: str) -> Page:
        if username and username not in _states:
            context = browser.new_context(base_url=server.url)
            page = context.new_page()
            page.goto("/login")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", PASSWORD)
            page.click("form.form button[type=submit]")
            page.wait_for_url(lambda address: "/login" not in address)
            _states[username] = context.storage_state()
            context.close()
        context = browser.new_context(
            base_url=server.url,
            viewport={"width": 1280, "height": 900},
            storage_state=_states.get(username),
        )
        context.set_default_timeout(WAIT_MS)
        console.watch(context)
        context.add_init_script(path=AXE)  # as the browser's own script: the page's CSP allows it
        contexts.append(context)
        page = context.new_page()
        if lang == "en":
            page.goto("/login" if username is None else "/profile/")
            page.locator(".lang-switch button[value=en]").click()
            expect(page.locator("html")).to_have_attribute("lang", "en")
        return page

    yield make
    for context in contexts:
        context.close()


# --- the pages and their states ---------------------------------------------------------------


def _login_failed(page: Page, world: World) -> None:
    page.goto("/login")
    page.fill("input[name=username]", "kabid")
    page.fill("input[name=password]", "salah")
    page.click("form.form button[type=submit]")
    expect(page.locator(".flash-error")).to_be_visible()


def _task_error(page: Page, world: World) -> None:
    page.goto(f"/tasks/{world.fresh_task}")
    page.locator("#complete-button").click()
    expect(page.locator(".error-summary")).to_be_visible()


def _instance(view: str) -> Callable[[Page, World], None]:
    def visit(page: Page, world: World) -> None:
        page.goto(f"/instances/{world.instance}?view={view}")
        if view == "bpmn":
            expect(page.locator("#bpmn-canvas")).to_have_attribute("data-ready", "true")
        else:
            page.wait_for_function(
                "() => [...document.images].every(i => i.complete && i.naturalWidth > 0)"
            )

    return visit


def _long_instance(page: Page, world: World) -> None:
    page.goto(f"/instances/{world.long}")
    expect(page.locator(".list-gap")).to_have_count(2)  # events and table rows left out


def _deploy_error(page: Page, world: World) -> None:
    page.goto("/processes/deploy")
    page.set_input_files(
        "#files", files=[{"name": "rusak.bpmn", "mimeType": "text/xml", "buffer": b"<bpmn"}]
    )
    page.locator("form.form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()


def _migration_error(page: Page, world: World) -> None:
    page.goto("/processes/sop_c_1")
    page.select_option("#migrate-from", index=0)
    page.select_option("#migrate-to", index=0)
    page.locator("#migrate button[type=submit]").last.click()
    expect(page.locator("#migrate .field-error")).to_be_visible()


def _studio(page: Page, world: World) -> None:
    page.goto("/processes/sop_c_1")
    page.locator("form[action*='/studio/drafts'] button[type=submit]").click()
    page.wait_for_url("**/studio/drafts/*")
    page.wait_for_selector(".djs-container svg .djs-element", state="attached")


def _conflict(page: Page, world: World) -> None:
    instance = start(world.server, "Aksesibilitas: bentrok")
    task = open_task(world.server, instance)
    page.goto(f"/tasks/{task}")
    cli(world.server, "complete", str(task), "--user", "kabid", *all_ok(world.server, task))
    page.locator("#task-form input[type=checkbox]").first.check()
    page.locator("#complete-button").click()
    expect(page.locator("h1")).to_be_visible()
    assert "/tasks/" in page.url


def _refused(path: str, form: str, fill: dict[str, str] | None = None):
    """Open path and send form (a CSS selector) with the browser's own checks off, so that the
    server's refusal (an error summary) is the state checked."""

    def visit(page: Page, world: World) -> None:
        page.goto(path.format(instance=world.instance))
        for field, value in (fill or {}).items():
            page.fill(field, value)
        with page.expect_navigation():
            page.locator(form).evaluate("f => { f.noValidate = true; f.requestSubmit(); }")
        expect(page.locator(".error-summary")).to_be_focused()

    return visit


def _goto(path: str) -> Callable[[Page, World], None]:
    def visit(page: Page, world: World) -> None:
        page.goto(path.format(task=world.task, instance=world.instance, long=world.long))

    return visit


PAGES: dict[str, tuple[str | None, Callable[[Page, World], None]]] = {
    "login": (None, _goto("/login")),
    "login-failed": (None, _login_failed),
    "inbox-overdue": ("kabid", _goto("/")),
    "task": ("kabid", _goto("/tasks/{task}")),
    "task-error": ("kabid", _task_error),
    "conflict": ("kabid", _conflict),
    "instance-bpmn": ("kabid", _instance("bpmn")),
    "instance-flowchart": ("kabid", _instance("sop")),
    "instance-long-history": ("kabid", _long_instance),
    "start": ("kabid", _goto("/start/")),
    "my-processes": ("kabid", _goto("/mine/")),
    "catalog": ("kabid", _goto("/processes/")),
    "process": ("kabid", _goto("/processes/sop_c_1")),
    "process-flowchart": ("kabid", _goto("/processes/sop_c_1?view=sop")),
    "profile": ("kabid", _goto("/profile/")),
    "profile-error": ("kabid", _refused("/profile/", "form[action$='/profile/password']")),
    "start-error": ("kabid", _refused("/start/", "form[action$='/start/sop_c_1']")),
    "cancel-error": ("kabid", _refused("/instances/{instance}", "form[action$='/cancel']")),
    "notifications": ("kabid", _goto("/notifications/")),
    "auditor-all-processes": ("auditor", _goto("/instances/")),
    "deploy-error": ("analis", _deploy_error),
    "analytics": ("analis", _goto("/processes/sop_c_1/analytics")),
    "incidents": ("analis", _goto("/incidents/")),
    "decision-table": ("analis", _goto("/processes/pengajuan_cuti/1/decisions/cuti_penyetuju")),
    "drafts": ("analis", _goto("/studio/")),
    "drafts-error": ("analis", _refused("/studio/", "form[action$='/studio/new']")),
    "studio": ("analis", _studio),
    "compare": ("analis", _goto("/processes/sop_c_1/compare")),
    "migration-error": ("analis", _migration_error),
    "sop-table": ("analis", _goto("/processes/sop_c_1/table")),
    "admin-users": ("admin", _goto("/admin/users")),
    "admin-user": ("admin", _goto("/admin/users/kabid")),
    "admin-new-user": ("admin", _goto("/admin/users/new")),
    "admin-new-user-error": ("admin", _refused("/admin/users/new", "form.card.form")),
    "admin-user-error": (
        "admin",
        _refused("/admin/users/kabid", "form[action$='/password']", {"#password": "pendek"}),
    ),
}


def axe(page: Page) -> list[dict]:
    return page.evaluate(
        """([tags, exclude]) => axe.run({include: [document], exclude: exclude.map(s => [s])},
             {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
           .then(r => r.violations.map(v => ({id: v.id, help: v.help, impact: v.impact,
             nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary)})))""",
        [TAGS, EXCLUDE],
    )


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_axe_violations(name: str, lang: str, world: World, as_user, console: Console):
    console.allow(r"status of 4(09|22)")  # the failed submits answer 422 / 409 on purpose
    username, visit = PAGES[name]
    page = as_user(username, lang)
    visit(page, world)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    violations = axe(page)
    report = "\n".join(
        f"  {v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(f"    {n}" for n in v["nodes"])
        for v in violations
    )
    assert not violations, f"{name} [{lang}] {page.url}:\n{report}"


def test_the_link_to_the_whole_history_lands_on_the_events_left_out(world: World, as_user):
    page = as_user("kabid", "id")
    page.goto(f"/instances/{world.long}")
    page.get_by_role("link", name="Tampilkan seluruh riwayat").click()
    expect(page).to_have_url(
        f"{world.server.url}/instances/{world.long}?riwayat=semua#earlier-events"
    )
    expect(page.locator("#earlier-events")).to_be_in_viewport()
    page.keyboard.press("Tab")  # the keyboard goes on from there, not from the page's top
    after = page.evaluate(
        """() => Boolean(document.getElementById("earlier-events")
                  .compareDocumentPosition(document.activeElement)
                  & Node.DOCUMENT_POSITION_FOLLOWING)"""
    )
    assert after
