"""Sessions end when they should: sign-out and password changes end the other sessions (a
copied cookie stops working), an administrator's reset also revokes API tokens and makes the
person choose a new password at their next sign-in."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.webui.conftest import post
from webui import demo

NEW = "rahasia-baru-2"


def copy_of(app, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of client's session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def signed_in(client: FlaskClient) -> bool:
    return client.get("/").status_code == 200


def test_a_cookie_copied_before_sign_out_stops_working(app, login_as):
    staff = login_as("opd")
    copy = copy_of(app, staff)
    assert signed_in(copy)
    post(staff, "/logout")
    assert not signed_in(staff) and not signed_in(copy)
    assert copy.get("/").headers["Location"].startswith("/login")


def test_my_password_change_ends_my_other_sessions_but_not_this_one(login_as):
    here, elsewhere = login_as("opd"), login_as("opd")
    form = {"current": demo.PASSWORD, "new": NEW, "confirm": NEW}
    response = post(here, "/profile/password", form, follow_redirects=True)
    assert "sesi Anda yang lain telah dikeluarkan" in response.text
    assert signed_in(here) and not signed_in(elsewhere)


def test_an_admin_reset_signs_out_revokes_tokens_and_asks_for_a_new_password(
    app, alur, login_as, client
):
    staff = login_as("opd")
    token = alur.create_token("opd", "skrip")
    assert (
        app.test_client()
        .get("/api/v1/tasks", headers={"Authorization": f"Bearer {token}"})
        .status_code
        == 200
    )
    admin = login_as("admin")
    reset = post(admin, "/admin/users/opd/password", {"password": NEW}, follow_redirects=True)
    assert "1 token API dicabut" in reset.text
    assert not signed_in(staff)
    api = app.test_client().get("/api/v1/tasks", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401

    assert post(client, "/login", {"username": "opd", "password": NEW}).status_code == 302
    for page in ("/", "/mine/", "/instances/"):
        forced = client.get(page)
        assert forced.status_code == 302 and forced.headers["Location"].startswith("/profile/")
    assert "pilih kata sandi baru" in client.get("/profile/").text
    chosen = {"current": NEW, "new": "pilihan-sendiri-3", "confirm": "pilihan-sendiri-3"}
    assert post(client, "/profile/password", chosen).status_code == 302
    assert client.get("/").status_code == 200  # free again, still signed in


def test_the_admin_forms_take_the_e_mail_address(alur, login_as):
    admin = login_as("admin")
    form = {"username": "rina", "full_name": "Rina", "password": NEW, "email": "rina@bappeda.test"}
    assert post(admin, "/admin/users/new", form).status_code == 302
    assert alur.user("rina").email == "rina@bappeda.test"
    page = admin.get("/admin/users/rina").text
    assert 'type="email" id="email" name="email" value="rina@bappeda.test"' in page
    bad = post(admin, "/admin/users/rina/roles", {"full_name": "Rina", "email": "bukan-alamat"})
    assert (
        bad.status_code == 422 and 'aria-invalid="true" aria-describedby="email-error"' in bad.text
    )
    assert alur.user("rina").email == "rina@bappeda.test"
    post(admin, "/admin/users/rina/roles", {"full_name": "Rina", "email": ""})
    assert alur.user("rina").email == ""
