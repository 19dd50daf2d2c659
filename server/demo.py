"""The demo: a monthly meeting of a district People's Committee, its people and agenda. Created once, never twice."""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from server.documents import service as documents
from server.extensions import db
from server.models import AgendaItem, Meeting, Participant, Site, User
from server.models.types import utcnow
from server.validation import local_zone
from server.votes import service as votes

DEMO_PASSWORD = "demo1234"
ADMIN = ("quantri", "Quản trị hệ thống", "Quản trị viên", True, False)
# username, full name, position, is_admin, may create meetings; then the meeting role and vote right
PEOPLE = [
    ("thuky", "Trần Thị Thu Hà", "Chánh Văn phòng HĐND và UBND huyện", False, True, "secretary", False),
    ("chutich", "Nguyễn Văn Hùng", "Chủ tịch UBND huyện", False, False, "chair", True),
    ("pct1", "Lê Minh Tuấn", "Phó Chủ tịch UBND huyện", False, False, "delegate", True),
    ("pct2", "Phạm Thị Lan", "Phó Chủ tịch UBND huyện", False, False, "delegate", True),
    ("uyvien1", "Hoàng Đức Long", "Ủy viên UBND, Trưởng Công an huyện", False, False, "delegate", True),
    ("uyvien2", "Vũ Thị Mai", "Ủy viên UBND, Trưởng phòng Tài chính – Kế hoạch", False, False, "delegate", True),
    ("uyvien3", "Đặng Quốc Bảo", "Ủy viên UBND, Chỉ huy trưởng Ban CHQS huyện", False, False, "delegate", True),
    ("khachmoi", "Bùi Văn Thắng", "Trưởng phòng Nội vụ (dự họp, không biểu quyết)", False, False, "delegate", False),
    ("quansat", "Đỗ Thị Hương", "Đại diện Ủy ban MTTQ Việt Nam huyện", False, False, "observer", False),
]
TITLE = "Phiên họp thường kỳ tháng 11 năm 2026 của UBND huyện Bình Minh"
AGENDA = [
    ("Báo cáo tình hình kinh tế – xã hội tháng 11, nhiệm vụ trọng tâm tháng 12 năm 2026",
     "Phòng Tài chính – Kế hoạch", 30,
     "Đánh giá kết quả thực hiện các chỉ tiêu kinh tế – xã hội 11 tháng; đề xuất nhiệm vụ, giải pháp tháng cuối năm."),
    ("Tờ trình dự toán thu, chi ngân sách huyện năm 2027", "Phòng Tài chính – Kế hoạch", 25,
     "Thảo luận, cho ý kiến trước khi trình Hội đồng nhân dân huyện tại kỳ họp cuối năm."),
    ("Báo cáo tiến độ giải ngân vốn đầu tư công năm 2026", "Ban Quản lý dự án đầu tư xây dựng huyện", 20,
     "Các dự án chậm tiến độ, nguyên nhân và kiến nghị tháo gỡ."),
    ("Đề án sắp xếp, sáp nhập thôn, tổ dân phố giai đoạn 2026–2027", "Phòng Nội vụ", 25,
     "Phương án sáp nhập 14 thôn, tổ dân phố không đạt tiêu chuẩn; kế hoạch lấy ý kiến cử tri."),
    ("Kết luận của Chủ tịch UBND huyện", "Chủ tịch UBND huyện", 10, ""),
]
ROLE_NAMES = {"admin": "administrator / quản trị", "secretary": "secretary / thư ký", "chair": "chair / chủ tọa",
              "delegate": "delegate / đại biểu", "observer": "observer / quan sát"}
DEMO_FILES = Path(__file__).resolve().parent / "demo_files"
# agenda item position, file, title, confidentiality
DOCUMENTS = [
    (0, "bao-cao-kt-xh-thang-11.pdf", "Báo cáo số 245/BC-UBND tình hình KT-XH tháng 11", "none"),
    (1, "to-trinh-du-toan-2027.pdf", "Tờ trình số 118/TTr-UBND dự toán ngân sách 2027", "none"),
    (3, "de-an-sap-xep-thon.pdf", "Đề án số 07/ĐA-UBND sắp xếp thôn, tổ dân phố", "mat"),
]
# agenda item position, question, secret, countdown seconds: prepared by the secretary, opened by the chair in the room
VOTES = [
    (1, "Thông qua Tờ trình số 118/TTr-UBND về dự toán thu, chi ngân sách huyện năm 2027 để trình Hội đồng nhân dân "
        "huyện tại kỳ họp cuối năm?", False, None),
    (3, "Thông qua Đề án số 07/ĐA-UBND sắp xếp, sáp nhập thôn, tổ dân phố giai đoạn 2026–2027 để lấy ý kiến cử tri?",
     True, 120),
]
SITES = ["Hội trường tầng 2, trụ sở UBND huyện", "Điểm cầu UBND xã An Bình", "Điểm cầu UBND thị trấn Bình Minh"]


def seed() -> bool:
    """Create the demo on an empty database. Returns False, changing nothing, if any account already exists."""
    if db.session.scalar(sa.select(sa.func.count(User.id))):
        return False
    password_hash = generate_password_hash(DEMO_PASSWORD)  # one slow hash, shared: it is a demo
    users = {}
    for username, name, position, is_admin, organizer, *_ in [ADMIN, *PEOPLE]:
        users[username] = User(username=username, full_name=name, position_title=position,
                               password_hash=password_hash, is_admin=is_admin, can_create_meetings=organizer)
        db.session.add(users[username])
    tomorrow = (utcnow().astimezone(local_zone()) + timedelta(days=1)).date()
    starts = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 8, 0, tzinfo=local_zone())
    meeting = Meeting(title=TITLE, organization="Ủy ban nhân dân huyện Bình Minh",
                      location="Phòng họp số 1, trụ sở UBND huyện Bình Minh", starts_at=starts,
                      description="Phiên họp thường kỳ hằng tháng, kết nối trực tuyến với các xã, thị trấn.",
                      status="published", published_at=utcnow())
    meeting.sites = [Site(name=name, position=i) for i, name in enumerate(SITES)]
    meeting.items = [AgendaItem(position=i, title=t, presenter=p, planned_minutes=m, description=d)
                     for i, (t, p, m, d) in enumerate(AGENDA)]
    for username, *_rest, role, can_vote in PEOPLE:
        site = meeting.sites[1] if username == "uyvien3" else meeting.sites[0]
        meeting.participants.append(Participant(user=users[username], role=role, can_vote=can_vote, site=site))
    db.session.add(meeting)
    db.session.commit()
    # Through the real upload path; the server renders them at start-up if no one else has.
    for position, filename, title, level in DOCUMENTS:
        with open(DEMO_FILES / filename, "rb") as fh:
            documents.upload_document(users["thuky"], meeting.items[position].id, fh, filename,
                                      {"title": title, "confidentiality": level})
    for position, question, secret, countdown in VOTES:
        votes.create_vote(users["thuky"], meeting.id, {
            "agenda_item_id": meeting.items[position].id, "question": question, "kind": "yes_no", "rule": "members",
            "secret": secret, "countdown_seconds": countdown})
    return True


def print_accounts(echo) -> None:
    echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for username, name, position, *_rest in [ADMIN + ("admin", False), *PEOPLE]:
        role = ROLE_NAMES[_rest[-2]]
        echo(f"  {username:<10} {role:<28} {name}")
