"""Logging in and out: sessions, cookies, CSRF, slowing and locking repeated failures."""
from __future__ import annotations

import sqlalchemy as sa

from server.extensions import db
from server.models import LoginSession, User
from tests.conftest import PASSWORD


def test_login_returns_user_and_csrf_token_and_sets_a_safe_cookie(client, make_user):
    make_user("an", full_name="Nguyễn Văn An")
    response = client.post("/api/v1/session", json={"username": "An ", "password": PASSWORD})
    assert response.status_code == 201
    body = response.get_json()
    assert body["user"]["full_name"] == "Nguyễn Văn An"
    assert body["csrf_token"]
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/api/v1/meetings").status_code == 200


def test_secure_cookie_when_configured(app, make_user):
    app.config["SESSION_COOKIE_SECURE"] = True
    make_user("an")
    response = app.test_client().post("/api/v1/session", json={"username": "an", "password": PASSWORD})
    assert "Secure" in response.headers["Set-Cookie"]


def test_wrong_password_is_refused_in_the_users_language(client, make_user):
    make_user("an")
    response = client.post("/api/v1/session", json={"username": "an", "password": "sai"},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 401
    assert response.get_json()["error"] == {"code": "bad_credentials", "message": "Wrong username or password."}
    response = client.post("/api/v1/session", json={"username": "khongco", "password": "sai"})
    assert response.status_code == 401
    assert response.get_json()["error"]["message"] == "Sai tên đăng nhập hoặc mật khẩu."


def test_login_needs_a_json_body(client):
    response = client.post("/api/v1/session", data="username=a&password=b",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert response.get_json()["error"]["code"] == "unsupported_media_type"


def test_session_is_renewed_at_login(client, make_user):
    make_user("an")
    client.get("/api/v1/session")
    before = client.get_cookie("phonghop_session").value
    client.login("an")
    after = client.get_cookie("phonghop_session").value
    assert before != after


def test_logout_ends_the_session_on_the_server_even_for_a_copied_cookie(app, client, make_user):
    make_user("an")
    client.login("an")
    stolen = client.get_cookie("phonghop_session").value
    assert client.delete("/api/v1/session").status_code == 204
    assert client.get("/api/v1/meetings").status_code == 401
    thief = app.test_client()
    thief.set_cookie("phonghop_session", stolen)
    response = thief.get("/api/v1/meetings")
    assert response.status_code == 401
    with app.app_context():
        assert db.session.scalar(sa.select(LoginSession.revoked_at)) is not None


def test_changes_without_csrf_token_are_refused(app, make_user):
    make_user("an", can_create_meetings=True)
    browser = app.test_client()
    browser.login("an")
    response = browser.post("/api/v1/meetings", json={"title": "X", "organization": "Y",
                                                      "starts_at": "2026-12-01T08:00"}, no_csrf=True)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf"
    assert browser.get("/api/v1/meetings").get_json()["meetings"] == []


def test_failed_logins_are_slowed_then_locked(app, client, make_user, monkeypatch):
    make_user("an")
    app.config.update(LOGIN_SLOW_AFTER=2, LOGIN_MAX_FAILURES=4, LOGIN_DELAY_SECONDS=0.5, LOGIN_LOCK_MINUTES=15)
    delays = []
    monkeypatch.setattr("server.auth.service.time.sleep", delays.append)
    for _ in range(3):
        assert client.post("/api/v1/session", json={"username": "an", "password": "x"}).status_code == 401
    assert delays == [0.5, 1.0]  # no delay for the first failure, then longer each time
    response = client.post("/api/v1/session", json={"username": "an", "password": "x"})
    assert response.status_code == 401
    # Locked now: even the right password is refused, with a message saying for how long.
    response = client.post("/api/v1/session", json={"username": "an", "password": PASSWORD},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 429
    assert "locked for 15 more minutes" in response.get_json()["error"]["message"]


def test_a_disabled_account_cannot_log_in_and_its_sessions_end(app, client, make_user):
    admin = make_user("admin", is_admin=True)
    make_user("an")
    an = app.test_client()
    an.login("an")
    client.login("admin")
    an_id = client.get("/api/v1/users").get_json()["users"]
    an_id = next(u["id"] for u in an_id if u["username"] == "an")
    assert client.patch(f"/api/v1/users/{an_id}", json={"disabled": True}).status_code == 200
    assert an.get("/api/v1/meetings").status_code == 401
    response = an.post("/api/v1/session", json={"username": "an", "password": PASSWORD})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "disabled"
    assert admin.is_admin


def test_login_page_logs_in_and_out(app, make_user):
    make_user("an")
    browser = app.test_client()
    page = browser.get("/login")
    assert page.status_code == 200
    token = browser.csrf_token()
    response = browser.post("/login?next=/meetings/1", data={"username": "an", "password": PASSWORD,
                                                             "csrf_token": token}, no_csrf=True)
    assert response.status_code == 302 and response.headers["Location"] == "/meetings/1"
    response = browser.post("/logout")
    assert response.status_code == 302
    assert browser.get("/").status_code == 302  # back to the login page


def test_login_page_never_redirects_to_another_site(app, make_user):
    make_user("an")
    browser = app.test_client()
    response = browser.post("/login?next=//evil.example/x", data={"username": "an", "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_login_page_shows_the_error_and_keeps_the_username(client, make_user):
    make_user("an")
    response = client.post("/login", data={"username": "an", "password": "sai"})
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "Sai tên đăng nhập hoặc mật khẩu." in page
    assert 'value="an"' in page


def test_password_is_stored_salted_and_slow(app, make_user):
    from server.users import service
    with app.app_context():
        first = service.create_user(None, {"username": "u1", "full_name": "A", "password": "giong-nhau-1"})
        second = service.create_user(None, {"username": "u2", "full_name": "B", "password": "giong-nhau-1"})
        assert first.password_hash != second.password_hash
        assert first.password_hash.startswith(("scrypt:", "pbkdf2:"))
        assert "giong-nhau-1" not in first.password_hash
        assert db.session.get(User, first.id).username == "u1"
