"""The browser pages through the Flask test client: forms post, redirect and show; refused input changes nothing."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import AgendaItem, Meeting, Participant, User


def html(response) -> str:
    return response.get_data(as_text=True)


def agenda_titles(app, meeting_id: int) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(
            sa.select(AgendaItem.title).where(AgendaItem.meeting_id == meeting_id).order_by(AgendaItem.position)))


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


# ---- login and the frame ------------------------------------------------------------------------------------------

def test_login_page_is_vietnamese_by_default(client):
    response = client.get("/login")
    assert response.status_code == 200
    page = html(response)
    assert '<html lang="vi">' in page
    for marker in ('id="login-form"', 'id="login-username"', 'id="login-password"', 'id="login-submit"',
                   'name="csrf_token"', 'action="/language"', "Tiếng Việt", "English"):
        assert marker in page


def test_login_page_in_english_when_chosen(client):
    client.post("/language", data={"language": "en", "next": "/login"})
    assert '<html lang="en">' in html(client.get("/login"))


def test_login_form_logs_in_and_shows_my_name(client, make_user):
    make_user("thuky", full_name="Trần Thị Thu Hà", position_title="Chánh Văn phòng")
    response = client.post("/login", data={"username": "thuky", "password": "mat-khau-123"})
    assert response.status_code == 302
    page = html(client.get("/"))
    assert "Trần Thị Thu Hà" in page and "Chánh Văn phòng" in page
    assert 'id="logout-form"' in page
    assert 'id="nav-admin"' not in page  # not an administrator


def test_wrong_password_shows_the_error_and_keeps_the_username(client, make_user):
    make_user("thuky")
    response = client.post("/login", data={"username": "thuky", "password": "wrong-password"})
    assert response.status_code in (400, 401)
    page = html(response)
    assert 'id="login-error"' in page and 'value="thuky"' in page


def test_pages_need_a_login(client):
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_logout_is_a_post(client, make_user):
    make_user("thuky")
    client.login("thuky")
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


# ---- the meeting list ---------------------------------------------------------------------------------------------

def test_home_lists_only_my_meetings(client, make_meeting, make_user):
    mine, _ = make_meeting(title="Họp của tôi", people={"d1": "delegate"})
    other, _ = make_meeting(title="Họp của người khác", secretary="sec2", people={"d2": "delegate"})
    draft, _ = make_meeting(title="Bản nháp chưa công bố", status="draft", people={"d1": "delegate"})
    client.login("d1")
    page = html(client.get("/"))
    assert f'id="meeting-{mine}"' in page and "Họp của tôi" in page
    assert "Họp của người khác" not in page and f'id="meeting-{other}"' not in page
    assert f'id="meeting-{draft}"' not in page  # a draft is for its secretaries only
    assert 'data-role="delegate"' in page
    assert 'id="new-meeting-button"' not in page


def test_home_offers_create_to_organisers(client, make_user):
    make_user("sec", can_create_meetings=True)
    client.login("sec")
    page = html(client.get("/"))
    assert 'id="new-meeting-button"' in page and 'id="no-meetings"' in page


# ---- creating and editing a meeting -------------------------------------------------------------------------------

def test_create_meeting_via_form(app, client, make_user):
    make_user("sec", can_create_meetings=True)
    client.login("sec")
    assert 'id="meeting-form"' in html(client.get("/meetings/new"))
    response = client.post("/meetings/new", data={
        "title": "Phiên họp chuyên đề", "organization": "UBND xã An Bình", "location": "Hội trường",
        "starts_at": "2026-12-01T08:00", "description": ""})
    assert response.status_code == 302
    with app.app_context():
        meeting = db.session.scalar(sa.select(Meeting).where(Meeting.title == "Phiên họp chuyên đề"))
        assert meeting.status == "draft"
        assert meeting.participants[0].role == "secretary"
    assert response.headers["Location"].endswith(f"/meetings/{meeting.id}")
    page = html(client.get(response.headers["Location"]))
    assert "Phiên họp chuyên đề" in page and 'data-status="draft"' in page
    assert 'id="add-item-form"' in page and 'id="invite-form"' in page


def test_create_meeting_refused_without_the_right(client, make_user):
    make_user("nobody")
    client.login("nobody")
    assert client.get("/meetings/new").status_code == 403
    assert client.post("/meetings/new", data={"title": "x"}).status_code == 403


def test_invalid_meeting_form_shows_the_error_keeps_input_and_changes_nothing(app, client, make_user):
    make_user("sec", can_create_meetings=True)
    client.login("sec")
    before = count(app, Meeting)
    response = client.post("/meetings/new", data={
        "title": "Tiêu đề đã gõ", "organization": "UBND", "starts_at": "not a date"})
    assert response.status_code == 400
    page = html(response)
    assert 'id="meeting-form-error"' in page
    assert re.search(r'name="starts_at"[^>]*aria-invalid="true"', page, re.S)
    assert 'value="Tiêu đề đã gõ"' in page
    assert count(app, Meeting) == before


def test_edit_meeting(app, client, make_meeting):
    meeting_id, _ = make_meeting()
    client.login("secretary")
    page = html(client.get(f"/meetings/{meeting_id}/edit"))
    assert 'id="meeting-starts-at"' in page
    response = client.post(f"/meetings/{meeting_id}/edit", data={
        "title": "Tên mới", "organization": "UBND huyện", "location": "", "starts_at": "2026-12-02T14:00",
        "description": "Mô tả"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Meeting, meeting_id).title == "Tên mới"


# ---- the meeting page ---------------------------------------------------------------------------------------------

def test_stranger_gets_404_on_the_detail_page(client, make_meeting, make_user):
    meeting_id, _ = make_meeting()
    make_user("stranger")
    client.login("stranger")
    assert client.get(f"/meetings/{meeting_id}").status_code == 404
    assert client.post(f"/meetings/{meeting_id}/items", data={"title": "x"}).status_code == 404


def test_delegate_sees_the_meeting_read_only(client, make_meeting):
    meeting_id, _ = make_meeting(people={"chair1": "chair", "d1": "delegate"})
    client.login("d1")
    page = html(client.get(f"/meetings/{meeting_id}"))
    assert "Báo cáo kinh tế – xã hội" in page and "Chair1" in page
    for editor_only in ('id="add-item-form"', 'id="invite-form"', 'class="move-form"', 'id="publish-button"',
                        'id="edit-meeting-button"', 'id="add-site-form"'):
        assert editor_only not in page
    assert 'src="/static/js/agenda.js"' in page


def test_delegate_cannot_post_changes(app, client, make_meeting):
    meeting_id, _ = make_meeting(people={"d1": "delegate"})
    client.login("d1")
    assert client.post(f"/meetings/{meeting_id}/items", data={"title": "Chen ngang"}).status_code == 403
    assert len(agenda_titles(app, meeting_id)) == 2


def test_add_item_via_form(app, client, make_meeting):
    meeting_id, _ = make_meeting(status="draft")
    client.login("secretary")
    response = client.post(f"/meetings/{meeting_id}/items", data={
        "title": "Tờ trình về quy hoạch", "presenter": "Phòng Tài nguyên", "planned_minutes": "20", "description": ""})
    assert response.status_code == 302
    assert agenda_titles(app, meeting_id)[-1] == "Tờ trình về quy hoạch"
    page = html(client.get(f"/meetings/{meeting_id}"))
    assert "Tờ trình về quy hoạch" in page and "Phòng Tài nguyên" in page


def test_invalid_item_shows_the_error_and_changes_nothing(app, client, make_meeting):
    meeting_id, _ = make_meeting(status="draft")
    client.login("secretary")
    before = agenda_titles(app, meeting_id)
    response = client.post(f"/meetings/{meeting_id}/items", data={
        "title": "Nội dung đã gõ", "presenter": "", "planned_minutes": "9999", "description": ""})
    assert response.status_code == 400
    page = html(response)
    assert 'id="item-form-error"' in page
    assert re.search(r'name="planned_minutes"[^>]*aria-invalid="true"', page, re.S)
    assert "Nội dung đã gõ" in page  # what was typed is kept
    assert agenda_titles(app, meeting_id) == before


def test_edit_and_delete_item(app, client, make_meeting):
    meeting_id, _ = make_meeting(status="draft")
    client.login("secretary")
    with app.app_context():
        first, second = db.session.scalars(
            sa.select(AgendaItem.id).where(AgendaItem.meeting_id == meeting_id).order_by(AgendaItem.position)).all()
    assert 'id="item-edit-form"' in html(client.get(f"/meetings/{meeting_id}/items/{first}/edit"))
    response = client.post(f"/meetings/{meeting_id}/items/{first}/edit",
                           data={"title": "Đã sửa", "presenter": "", "planned_minutes": "", "description": ""})
    assert response.status_code == 302
    assert client.post(f"/meetings/{meeting_id}/items/{second}/delete").status_code == 302
    assert agenda_titles(app, meeting_id) == ["Đã sửa"]


def test_item_of_another_meeting_is_not_found(app, client, make_meeting):
    meeting_id, _ = make_meeting(status="draft")
    other_id, _ = make_meeting(status="draft")
    with app.app_context():
        other_item = db.session.scalar(sa.select(AgendaItem.id).where(AgendaItem.meeting_id == other_id))
    client.login("secretary")
    assert client.get(f"/meetings/{meeting_id}/items/{other_item}/edit").status_code == 404


def test_move_up_and_down(app, client, make_meeting):
    meeting_id, _ = make_meeting(status="draft", items=("A", "B", "C"))
    client.login("secretary")
    with app.app_context():
        ids = dict(db.session.execute(
            sa.select(AgendaItem.title, AgendaItem.id).where(AgendaItem.meeting_id == meeting_id)).all())
    page = html(client.get(f"/meetings/{meeting_id}"))
    assert f'id="item-{ids["A"]}"' in page and 'class="move-form"' in page
    response = client.post(f"/meetings/{meeting_id}/items/{ids['C']}/move", data={"direction": "up"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#item-{ids['C']}")
    assert agenda_titles(app, meeting_id) == ["A", "C", "B"]
    client.post(f"/meetings/{meeting_id}/items/{ids['A']}/move", data={"direction": "down"})
    assert agenda_titles(app, meeting_id) == ["C", "A", "B"]
    # at the top already: stays
    client.post(f"/meetings/{meeting_id}/items/{ids['C']}/move", data={"direction": "up"})
    assert agenda_titles(app, meeting_id) == ["C", "A", "B"]
    assert client.post(f"/meetings/{meeting_id}/items/{ids['C']}/move",
                       data={"direction": "sideways"}).status_code == 400
    assert agenda_titles(app, meeting_id) == ["C", "A", "B"]


def test_sites_add_and_remove(app, client, make_meeting):
    from server.models import Site
    meeting_id, _ = make_meeting(status="draft")
    client.login("secretary")
    assert client.post(f"/meetings/{meeting_id}/sites", data={"name": "Điểm cầu xã An Bình"}).status_code == 302
    response = client.post(f"/meetings/{meeting_id}/sites", data={"name": "điểm cầu xã an bình"})
    assert response.status_code == 409 and 'id="site-form-error"' in html(response)
    with app.app_context():
        site_id = db.session.scalar(sa.select(Site.id).where(Site.meeting_id == meeting_id))
    assert client.post(f"/meetings/{meeting_id}/sites/{site_id}/delete").status_code == 302
    assert count(app, Site, Site.meeting_id == meeting_id) == 0


def test_invite_participant(app, client, make_meeting, make_user):
    meeting_id, _ = make_meeting(status="draft")
    newcomer = make_user("newcomer", full_name="Người Mới")
    make_user("gone", full_name="Đã Khóa", disabled=True)
    client.login("secretary")
    page = html(client.get(f"/meetings/{meeting_id}"))
    assert f'<option value="{newcomer.id}"' in page
    assert "Đã Khóa" not in page  # disabled accounts are not offered
    response = client.post(f"/meetings/{meeting_id}/participants",
                           data={"user_id": str(newcomer.id), "role": "delegate", "can_vote": "1", "site_id": ""})
    assert response.status_code == 302
    with app.app_context():
        p = db.session.scalar(sa.select(Participant).where(Participant.user_id == newcomer.id))
        assert p.role == "delegate" and p.can_vote
    page = html(client.get(f"/meetings/{meeting_id}"))
    assert 'data-username="newcomer"' in page
    assert f'<option value="{newcomer.id}"' not in page  # no longer offered


def test_invite_without_a_person_shows_the_error(app, client, make_meeting, make_user):
    meeting_id, _ = make_meeting(status="draft")
    make_user("candidate")
    client.login("secretary")
    before = count(app, Participant, Participant.meeting_id == meeting_id)
    response = client.post(f"/meetings/{meeting_id}/participants",
                           data={"user_id": "", "role": "delegate", "site_id": ""})
    assert response.status_code == 400
    page = html(response)
    assert 'id="invite-form-error"' in page
    assert re.search(r'id="invite-user"[^>]*aria-invalid="true"', page, re.S)
    assert count(app, Participant, Participant.meeting_id == meeting_id) == before


def test_update_participant_untick_vote_and_remove(app, client, make_meeting):
    meeting_id, ids = make_meeting(status="draft", people={"d1": "delegate"})
    client.login("secretary")
    with app.app_context():
        pid = db.session.scalar(sa.select(Participant.id).where(Participant.user_id == ids["d1"]))
    response = client.post(f"/meetings/{meeting_id}/participants/{pid}", data={"role": "delegate", "site_id": ""})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Participant, pid).can_vote is False
    assert client.post(f"/meetings/{meeting_id}/participants/{pid}/delete").status_code == 302
    assert count(app, Participant, Participant.id == pid) == 0


def test_the_last_secretary_cannot_leave(app, client, make_meeting):
    meeting_id, ids = make_meeting(status="draft")
    client.login("secretary")
    with app.app_context():
        pid = db.session.scalar(sa.select(Participant.id).where(Participant.user_id == ids["secretary"]))
    response = client.post(f"/meetings/{meeting_id}/participants/{pid}/delete")
    assert response.status_code == 409
    assert f'id="participant-{pid}-error"' in html(response)
    assert count(app, Participant, Participant.id == pid) == 1


def test_publish_start_and_close(app, client, make_meeting):
    meeting_id, _ = make_meeting(status="draft", people={"chair1": "chair"})
    client.login("secretary")
    page = html(client.get(f"/meetings/{meeting_id}"))
    assert 'id="publish-button"' in page and 'id="close-button"' not in page
    response = client.post(f"/meetings/{meeting_id}/status", data={"status": "published"})
    assert response.status_code == 302
    page = html(client.get(f"/meetings/{meeting_id}"))
    assert 'data-status="published"' in page
    assert 'id="start-button"' in page and 'id="draft-button"' in page
    client.post(f"/meetings/{meeting_id}/status", data={"status": "in_progress"})
    page = html(client.get(f"/meetings/{meeting_id}"))
    assert 'id="close-button"' in page and "data-confirm=" in page
    client.post(f"/meetings/{meeting_id}/status", data={"status": "closed"})
    with app.app_context():
        assert db.session.get(Meeting, meeting_id).status == "closed"
    page = html(client.get(f"/meetings/{meeting_id}"))
    assert 'id="add-item-form"' not in page  # a closed meeting is read-only


def test_publishing_an_empty_agenda_is_refused_on_the_page(app, client, make_meeting):
    meeting_id, _ = make_meeting(status="draft", items=())
    client.login("secretary")
    response = client.post(f"/meetings/{meeting_id}/status", data={"status": "published"})
    assert response.status_code == 409
    assert 'id="status-error"' in html(response)
    with app.app_context():
        assert db.session.get(Meeting, meeting_id).status == "draft"


def test_chair_can_start_but_not_publish(client, make_meeting):
    meeting_id, _ = make_meeting(status="published", people={"chair1": "chair"})
    client.login("chair1")
    page = html(client.get(f"/meetings/{meeting_id}"))
    assert 'id="start-button"' in page and 'id="draft-button"' not in page
    assert client.post(f"/meetings/{meeting_id}/status", data={"status": "draft"}).status_code == 403


# ---- accounts -----------------------------------------------------------------------------------------------------

@pytest.fixture
def admin(client, make_user):
    user = make_user("admin", full_name="Quản Trị", is_admin=True)
    client.login("admin")
    return user


def test_admin_link_only_for_admins(client, admin):
    assert 'id="nav-admin"' in html(client.get("/"))


def test_non_admin_gets_403_on_account_pages(client, make_user):
    make_user("plain")
    client.login("plain")
    assert client.get("/admin/users/").status_code == 403
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/users/new").status_code == 403
    assert client.post("/admin/users/new", data={"username": "x"}).status_code == 403


def test_admin_creates_a_user(app, client, admin):
    assert 'id="user-table"' in html(client.get("/admin/users/"))
    assert client.get("/admin/users").status_code == 200
    assert 'id="user-form"' in html(client.get("/admin/users/new"))
    response = client.post("/admin/users/new", data={
        "username": "canbo1", "full_name": "Cán Bộ Một", "position_title": "Chuyên viên", "email": "",
        "password": "mat-khau-moi-1", "can_create_meetings": "1"})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "canbo1"))
        assert user.full_name == "Cán Bộ Một" and user.can_create_meetings and not user.is_admin
    assert 'data-username="canbo1"' in html(client.get("/admin/users/"))


def test_invalid_new_user_changes_nothing(app, client, admin):
    before = count(app, User)
    response = client.post("/admin/users/new", data={
        "username": "Có Dấu", "full_name": "Tên Đã Gõ", "password": "mat-khau-moi-1"})
    assert response.status_code == 400
    page = html(response)
    assert 'id="user-form-error"' in page and 'value="Tên Đã Gõ"' in page
    assert re.search(r'name="username"[^>]*aria-invalid="true"', page, re.S)
    assert "mat-khau-moi-1" not in page  # a password is never sent back
    assert count(app, User) == before


def test_admin_disables_a_user_and_they_cannot_log_in(app, client, admin, make_user, new_client):
    target = make_user("canbo2", full_name="Cán Bộ Hai", can_create_meetings=True)
    page = html(client.get(f"/admin/users/{target.id}"))
    assert 'id="user-disabled"' in page and 'id="user-can-create-meetings"' in page
    response = client.post(f"/admin/users/{target.id}", data={
        "full_name": "Cán Bộ Hai", "position_title": "", "email": "", "password": "", "disabled": "1"})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, target.id)
        assert user.disabled and not user.can_create_meetings  # unticked boxes are a "no"
    other = new_client()
    assert other.post("/login", data={"username": "canbo2", "password": "mat-khau-123"}).status_code != 302


def test_admin_cannot_disable_themselves(app, client, admin):
    response = client.post(f"/admin/users/{admin.id}", data={
        "full_name": "Quản Trị", "is_admin": "1", "disabled": "1", "password": ""})
    assert response.status_code == 400 and 'id="user-form-error"' in html(response)
    with app.app_context():
        assert not db.session.get(User, admin.id).disabled


def test_error_page_is_a_page(client, make_user):
    make_user("plain")
    client.login("plain")
    response = client.get("/meetings/999999")
    assert response.status_code == 404
    page = html(response)
    assert 'id="error"' in page and 'data-status="404"' in page and "<html" in page


def test_secretary_turns_document_downloads_off_and_on(client, make_meeting):
    mid, _ = make_meeting(status="draft")
    client.login("secretary")
    form = {"title": "Họp", "organization": "UBND", "starts_at": "2026-12-01T08:00", "location": "", "description": ""}
    assert 'id="meeting-allow-downloads"' in client.get(f"/meetings/{mid}/edit").get_data(as_text=True)
    assert client.post(f"/meetings/{mid}/edit", data=form).status_code == 302  # box not ticked: off
    assert client.get(f"/api/v1/meetings/{mid}").get_json()["allow_downloads"] is False
    client.post(f"/meetings/{mid}/edit", data={**form, "allow_downloads": "1"})
    assert client.get(f"/api/v1/meetings/{mid}").get_json()["allow_downloads"] is True
