"""The profile's 'Delegate my roles': name a Plh., see it listed, end it; the daily digest."""

from __future__ import annotations

from datetime import timedelta

from engine.storage.tables import utcnow
from tests.webui.conftest import post


def _day(days: int) -> str:
    return (utcnow() + timedelta(days=days)).date().isoformat()


def test_delegate_my_roles_from_the_profile(login_as, alur):
    kaban = login_as("kaban")
    page = kaban.get("/profile/").text
    assert 'name="role" value="kepala badan" checked' in page
    form = {"to": "sekban", "role": "kepala badan", "title": "Plh", "until": _day(5)}
    assert post(kaban, "/profile/delegations", form).status_code == 302
    [made] = alur.delegations("kaban")
    assert (made.to_user, made.role, made.in_force) == ("sekban", "kepala badan", True)
    assert 'class="delegation-row"' in login_as("sekban").get("/profile/").text  # theirs too
    refused = post(kaban, "/profile/delegations", {**form, "until": _day(-3)})
    assert refused.status_code == 422 and 'role="alert"' in refused.text
    refused = post(kaban, "/profile/delegations", {**form, "role": "bupati"})
    assert refused.status_code == 403
    assert len(alur.delegations("kaban")) == 1
    assert post(kaban, f"/profile/delegations/{made.id}/revoke").status_code == 302
    assert alur.delegations("kaban") == []


def test_mark_me_away_and_choose_the_digest(login_as, alur):
    opd = login_as("opd")
    assert post(opd, "/profile/away", {"until": _day(2)}).status_code == 302
    [away] = alur.delegations("opd")
    assert away.away and away.in_force
    form = {"email": "opd@example.go.id", "digest": "1"}
    assert post(opd, "/profile/email", form).status_code == 302
    assert alur.user("opd").email_digest is True
    assert post(opd, "/profile/email", {"email": "opd@example.go.id"}).status_code == 302
    assert alur.user("opd").email_digest is False


def test_a_task_whose_role_holders_are_all_away_is_flagged(login_as, started, alur):
    instance = started()
    kabid = login_as("kabid")
    assert "away-warning" not in kabid.get(f"/instances/{instance.id}").text
    alur.mark_away("kabid", utcnow() + timedelta(days=2), by="kabid")
    assert "away-warning" in kabid.get(f"/instances/{instance.id}").text
    assert "away-warning" in kabid.get("/").text  # the inbox row too
    alur.delegate("kabid", "sekban", utcnow() + timedelta(days=2), by="admin")
    assert "away-warning" not in kabid.get(f"/instances/{instance.id}").text


def test_an_admin_delegates_anyones_roles(login_as, alur):
    admin = login_as("admin")
    assert 'name="role" value="kepala badan" checked' in admin.get("/admin/users/kaban").text
    form = {"to": "sekban", "role": "kepala badan", "title": "Plt", "until": _day(5)}
    assert post(admin, "/admin/users/kaban/delegations", form).status_code == 302
    [made] = alur.delegations("kaban")
    assert (made.to_user, made.title, made.in_force) == ("sekban", "Plt", True)
    page = admin.get("/admin/users/kaban").text
    assert 'class="delegation-row"' in page and "Plt. Demo Sekban" in page
    path = f"/admin/users/kaban/delegations/{made.id}/revoke"
    assert post(login_as("opd"), path).status_code == 403  # admins only
    assert post(admin, path).status_code == 302
    assert alur.delegations("kaban") == []


def test_the_inbox_marks_tasks_seen_through_a_delegation(login_as, started, alur):
    instance = started()
    sekban = login_as("sekban")
    assert f"/instances/{instance.id}" not in sekban.get("/").text  # not Sekban's role
    alur.delegate("kabid", "sekban", utcnow() + timedelta(days=2), by="admin")
    [row] = [r for r in alur.inbox_rows("sekban") if r.instance_id == instance.id]
    acting = (row.acting_title, row.acting_official, row.acting_name)
    assert acting == ("Plh", "kabid", "Demo Kabid")
    page = sekban.get("/").text
    assert 'class="badge badge-acting"' in page and "Plh. " in page
    assert "(kabid)" in page  # the official's name and login on hover
    assert "badge-acting" not in login_as("kabid").get("/").text  # the official's own role
