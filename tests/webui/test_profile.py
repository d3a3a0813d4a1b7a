"""The profile page: personal API tokens shown once, usable, and revocable; the e-mail."""

from __future__ import annotations

import re

from tests.webui.conftest import post

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
