"""Sign-in, sign-out, CSRF, rate limiting, security headers and the language switch."""

from __future__ import annotations

import pytest

from tests.webapp import app_on_copy
from tests.webui.conftest import csrf_token, post
from webui import create_app


@pytest.mark.parametrize("url", ["/", "/start/", "/mine/", "/tasks/1"])
def test_pages_need_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_sign_in_shows_name_and_roles(client):
    response = post(client, "/login", {"username": "subkor.pemerintahan", "password": "demo"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = client.get("/").text
    assert "Demo Subkor Pemerintahan" in page
    assert "Sub. Koordinator Pemerintahan" in page  # the role shown as its lane name
    assert "Keluar" in page


def test_sign_in_goes_to_next_but_never_off_site(client):
    response = post(client, "/login?next=/mine/", {"username": "kabid", "password": "demo"})
    assert response.headers["Location"] == "/mine/"
    other = client.application.test_client()
    response = post(
        other, "/login?next=https://evil.example/", {"username": "kabid", "password": "demo"}
    )
    assert response.headers["Location"] == "/"


def test_wrong_password_is_refused(client):
    response = post(client, "/login", {"username": "kabid", "password": "salah"})
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in response.text
    assert client.get("/").status_code == 302


def test_failed_sign_ins_are_rate_limited(client):
    for _ in range(5):
        assert post(client, "/login", {"username": "kabid", "password": "x"}).status_code == 200
    response = post(client, "/login", {"username": "kabid", "password": "demo"})
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk" in response.text
    # a colleague behind the same address can still sign in
    response = post(client, "/login", {"username": "kaban", "password": "demo"})
    assert response.status_code == 302


def test_failed_sign_ins_from_one_address_are_limited_too(app, client):
    app.config["ALUR_LOGIN_LIMIT_PER_ADDRESS"] = "8 per minute"
    for n in range(8):
        response = post(client, "/login", {"username": f"tebak{n}", "password": "x"})
        assert response.status_code == 200
    assert post(client, "/login", {"username": "kabid", "password": "demo"}).status_code == 429


def test_behind_a_trusted_proxy_the_client_address_counts(tmp_path, seeded_db):
    with app_on_copy(seeded_db, tmp_path, ALUR_TRUSTED_PROXIES=1) as app:
        client = app.test_client()
        first, other = {"HTTP_X_FORWARDED_FOR": "10.0.0.5"}, {"HTTP_X_FORWARDED_FOR": "10.0.0.6"}
        for _ in range(5):
            post(client, "/login", {"username": "kabid", "password": "x"}, environ_base=first)
        assert (
            post(
                client, "/login", {"username": "kabid", "password": "x"}, environ_base=first
            ).status_code
            == 429
        )
        response = post(
            client, "/login", {"username": "kabid", "password": "demo"}, environ_base=other
        )
        assert response.status_code == 302


def test_successful_sign_ins_do_not_count(client):
    for _ in range(7):
        response = post(client, "/login", {"username": "kabid", "password": "demo"})
        assert response.status_code == 302


def test_post_without_csrf_token_is_refused(client):
    response = client.post("/login", data={"username": "kabid", "password": "demo"})
    assert response.status_code == 400
    assert "Formulir sudah kedaluwarsa" in response.text


def test_sign_out_needs_post_and_ends_the_session(login_as):
    staff = login_as("kabid")
    assert staff.get("/logout").status_code == 405
    response = post(staff, "/logout")
    assert response.status_code == 302
    assert staff.get("/").status_code == 302


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"


def test_session_cookie_is_httponly_and_lax(client):
    csrf_token(client)
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_outside_testing_a_secret_key_is_required_and_cookies_are_secure(tmp_path, monkeypatch):
    monkeypatch.delenv("ALUR_SECRET_KEY", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("ALUR_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with pytest.raises(RuntimeError, match="ALUR_SECRET_KEY"):
        create_app()
    monkeypatch.setenv("ALUR_SECRET_KEY", "a-long-random-secret")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    app.extensions["alur"].db.dispose()


def test_language_switch_shows_english(client):
    page = client.get("/login").text
    assert '<html lang="id">' in page and "Nama pengguna" in page
    response = post(client, "/language", {"lang": "en", "next": "/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    page = client.get("/login").text
    assert '<html lang="en">' in page and "Username" in page and "Nama pengguna" not in page
    # the choice survives signing in
    post(client, "/login", {"username": "kabid", "password": "demo"})
    assert "Inbox" in client.get("/").text
    post(client, "/language", {"lang": "id"})
    assert "Kotak masuk" in client.get("/").text


def test_language_switch_ignores_unknown_languages_and_off_site_next(client):
    response = post(client, "/language", {"lang": "xx", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"
    assert '<html lang="id">' in client.get("/login").text


def test_the_sign_in_page_says_why_it_opened(client):
    page = client.get("/mine/", follow_redirects=True).text
    assert "Silakan masuk untuk membuka halaman ini." in page
