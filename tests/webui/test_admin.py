"""User administration: only admins; create, roles, password reset, deactivate and back."""

from __future__ import annotations

import pytest

from tests.webui.conftest import post


def _sign_in(app, username: str, password: str) -> int:
    response = post(app.test_client(), "/login", {"username": username, "password": password})
    return response.status_code


@pytest.mark.parametrize("who", ["kabid", "analis", "auditor"])
def test_only_admins(login_as, who):
    client = login_as(who)
    for url in ("/admin/users", "/admin/users/new", "/admin/users/kabid"):
        assert client.get(url).status_code == 403, url
    assert post(client, "/admin/users/kabid/active", {"active": "0"}).status_code == 403
    assert (
        post(client, "/admin/users/new", {"username": "x", "password": "12345678"}).status_code
        == 403
    )
    assert "/admin/users" not in client.get("/").text


def test_not_signed_in_goes_to_login(client):
    response = client.get("/admin/users")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_list_shows_users_roles_and_lane_names(login_as):
    page = login_as("admin").get("/admin/users").text
    assert 'href="/admin/users/subkor.pemerintahan"' in page
    assert "Sub. Koordinator Pemerintahan" in page and "Administrator" in page


def test_create_a_user_with_lane_roles_and_free_text(app, login_as, alur):
    admin = login_as("admin")
    page = admin.get("/admin/users/new").text
    assert (
        'value="sub koordinator pemerintahan"' in page and "Sub. Koordinator Pemerintahan" in page
    )
    assert 'value="analis"' in page and 'value="auditor"' in page
    form = {
        "username": "budi",
        "full_name": "Budi  Santoso",
        "password": "rahasia123",
        "role": ["sub koordinator pemerintahan", "auditor"],
        "extra": "Tim Mutu; Kepala  Seksi",
    }
    response = post(admin, "/admin/users/new", form)
    assert response.status_code == 302 and response.headers["Location"] == "/admin/users/budi"
    user = alur.user("budi")
    assert user.full_name == "Budi Santoso" and not user.is_admin
    assert user.role_names == {
        "sub koordinator pemerintahan",
        "auditor",
        "tim mutu",
        "kepala seksi",
    }
    assert _sign_in(app, "budi", "rahasia123") == 302
    page = admin.get("/admin/users/budi").text
    assert "tim mutu, kepala seksi" in page or "kepala seksi, tim mutu" in page


def test_create_refuses_bad_input(login_as, alur):
    admin = login_as("admin")
    response = post(admin, "/admin/users/new", {"username": "kabid", "password": "panjang123"})
    assert response.status_code == 422 and "Pengguna kabid sudah ada." in response.text
    response = post(admin, "/admin/users/new", {"username": "ada spasi", "password": "pendek"})
    assert response.status_code == 422
    assert "tanpa spasi" in response.text and "paling sedikit 8 karakter" in response.text


def test_roles_password_and_deactivation(app, login_as, alur):
    admin = login_as("admin")
    form = {"full_name": "Demo FT", "role": ["fungsional umum"], "extra": "analis"}
    assert post(admin, "/admin/users/fungsional.tertentu/roles", form).status_code == 302
    user = alur.user("fungsional.tertentu")
    assert user.role_names == {"fungsional umum", "analis"} and user.full_name == "Demo FT"

    response = post(admin, "/admin/users/fungsional.tertentu/password", {"password": "pendek"})
    assert response.status_code == 422
    form = {"password": "kata-sandi-baru"}
    assert post(admin, "/admin/users/fungsional.tertentu/password", form).status_code == 302
    assert _sign_in(app, "fungsional.tertentu", "demo") == 200
    assert _sign_in(app, "fungsional.tertentu", "kata-sandi-baru") == 302

    staff = app.test_client()
    post(staff, "/login", {"username": "opd", "password": "demo"})
    assert staff.get("/").status_code == 200
    response = post(admin, "/admin/users/opd/active", {"active": "0"}, follow_redirects=True)
    assert "opd tidak dapat masuk lagi." in response.text and "Nonaktif" in response.text
    assert not alur.user("opd").active
    assert staff.get("/").status_code == 302  # signed out at the next request
    assert _sign_in(app, "opd", "demo") == 200
    assert post(admin, "/admin/users/opd/active", {"active": "1"}).status_code == 302
    assert _sign_in(app, "opd", "demo") == 302


def test_admin_cannot_lock_themself_out(login_as, alur):
    admin = login_as("admin")
    response = post(admin, "/admin/users/admin/active", {"active": "0"})
    assert response.status_code == 422 and "menonaktifkan diri sendiri" in response.text
    response = post(admin, "/admin/users/admin/roles", {"full_name": "Admin"})
    assert response.status_code == 422 and "hak administrator Anda sendiri" in response.text
    assert alur.user("admin").active and alur.user("admin").is_admin


def test_unknown_user_is_404(login_as):
    admin = login_as("admin")
    assert admin.get("/admin/users/nobody").status_code == 404
    assert post(admin, "/admin/users/nobody/password", {"password": "x" * 10}).status_code == 404
