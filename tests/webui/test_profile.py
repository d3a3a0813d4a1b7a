"""The profile page: my password; personal API tokens shown once and revocable; the e-mail."""

from __future__ import annotations

import re

import pytest

from engine import users
from engine.errors import InvalidInput, PermissionDenied
from tests.webui.conftest import post
from webui import demo

TOKEN = re.compile(r'id="new-token" class="token" value="(alur_[^"]+)"')


def test_create_use_and_revoke_a_token(login_as, app):
    staff = login_as("fungsional.tertentu")
    assert "Token API pribadi" in staff.get("/profile/").text
    response = post(staff, "/profile/tokens", {"label": "skrip laporan"})
    assert response.status_code == 201
    token = TOKEN.search(response.text).group(1)
    page = staff.get("/profile/").text
    assert "skrip laporan" in page and token not in page  # shown once only
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/tasks", headers=headers).status_code == 200
    token_id = re.search(r'action="/profile/tokens/(\d+)/revoke"', page).group(1)
    response = post(staff, f"/profile/tokens/{token_id}/revoke", follow_redirects=True)
    assert "Token dicabut" in response.text and "Dicabut" in response.text
    assert api.get("/api/v1/tasks", headers=headers).status_code == 401


def test_nobody_revokes_another_users_token(login_as):
    owner = login_as("kabid")
    post(owner, "/profile/tokens", {"label": "milik kabid"})
    token_id = re.search(r"/profile/tokens/(\d+)/revoke", owner.get("/profile/").text).group(1)
    other = login_as("opd")
    assert post(other, f"/profile/tokens/{token_id}/revoke").status_code == 404
    assert "Cabut" in owner.get("/profile/").text


def test_email_for_notifications(login_as, alur):
    staff = login_as("opd")
    response = post(staff, "/profile/email", {"email": "bukan alamat"})
    assert response.status_code == 422 and "alamat e-mail tidak sah" in response.text
    assert post(staff, "/profile/email", {"email": "opd@example.go.id"}).status_code == 302
    assert alur.user("opd").email == "opd@example.go.id"


def test_profile_needs_sign_in(client):
    assert client.get("/profile/").status_code == 302


def test_change_my_own_password(login_as, client):
    staff = login_as("opd")
    page = staff.get("/profile/").text
    assert "Ubah kata sandi saya" in page and 'autocomplete="current-password"' in page
    new = {"current": demo.PASSWORD, "new": "rahasia-baru-1", "confirm": "rahasia-baru-1"}
    response = post(staff, "/profile/password", new, follow_redirects=True)
    assert "Kata sandi Anda diubah" in response.text
    assert post(client, "/login", {"username": "opd", "password": demo.PASSWORD}).status_code == 200
    response = post(client, "/login", {"username": "opd", "password": "rahasia-baru-1"})
    assert response.status_code == 302


NEW = "rahasia-baru-1"
REFUSED = {  # what was sent -> the field named and its message
    "wrong current": (
        {"current": "salah", "new": NEW, "confirm": NEW},
        "current",
        "Kata sandi saat ini salah.",
    ),
    "no current": (
        {"current": "", "new": NEW, "confirm": NEW},
        "current",
        "Masukkan kata sandi Anda saat ini.",
    ),
    "too short": (
        {"current": demo.PASSWORD, "new": "pendek", "confirm": "pendek"},
        "new",
        "Kata sandi paling sedikit 8 karakter.",
    ),
    "not repeated": (
        {"current": demo.PASSWORD, "new": NEW, "confirm": NEW + "x"},
        "confirm",
        "Kedua kata sandi baru tidak sama.",
    ),
}


@pytest.mark.parametrize(("form", "field", "message"), REFUSED.values(), ids=REFUSED.keys())
def test_a_refused_change_says_why_and_keeps_the_old_password(login_as, alur, form, field, message):
    staff = login_as("opd")
    response = post(staff, "/profile/password", form)
    assert response.status_code == 422
    # the summary (focused by validity.js) links to the field; the field names its message
    assert f'<a href="#password-{field}">{message}</a>' in response.text
    assert f'id="password-{field}-error">{message}</p>' in response.text
    hint = "password-new-hint " if field == "new" else ""
    assert f'aria-describedby="{hint}password-{field}-error" aria-invalid="true"' in response.text
    assert form["new"] not in response.text  # passwords are never echoed back
    assert users.check_password(alur.user("opd"), demo.PASSWORD)


def test_guessing_the_current_password_is_rate_limited(login_as, alur):
    staff = login_as("opd")
    wrong = {"current": "tebakan", "new": "rahasia-baru-1", "confirm": "rahasia-baru-1"}
    for _ in range(5):
        assert post(staff, "/profile/password", wrong).status_code == 422
    right = {**wrong, "current": demo.PASSWORD}
    response = post(staff, "/profile/password", right)
    assert response.status_code == 429 and "Terlalu banyak kata sandi yang salah" in response.text
    assert users.check_password(alur.user("opd"), demo.PASSWORD)
    # a colleague's own change is not held up
    other = login_as("kabid")
    assert post(other, "/profile/password", {**right}).status_code == 302


def test_change_password_in_the_facade(alur):
    with pytest.raises(PermissionDenied):
        alur.change_password("opd", "salah", "rahasia-baru-1")
    with pytest.raises(InvalidInput, match="sedikitnya 8"):
        alur.change_password("opd", demo.PASSWORD, "pendek")
    with pytest.raises(InvalidInput, match="tidak sama"):
        alur.change_password("opd", demo.PASSWORD, "rahasia-baru-1", "rahasia-baru-2")
    assert users.check_password(alur.user("opd"), demo.PASSWORD)
    alur.change_password("opd", demo.PASSWORD, "rahasia-baru-1")
    assert users.check_password(alur.user("opd"), "rahasia-baru-1")
    assert not users.check_password(alur.user("opd"), demo.PASSWORD)


def test_changing_a_password_needs_sign_in(client):
    response = post(
        client, "/profile/password", {"current": "x", "new": "y" * 8, "confirm": "y" * 8}
    )
    assert response.status_code == 302 and "/login" in response.headers["Location"]
