"""In a real browser: the secretary prepares a secret yes/no vote with a countdown on the meeting page (an empty question
is refused next to the field), the chair sees it in the console under the item in progress; opening it below quorum
shows the server's no_quorum message; after check-ins it opens, the progress moves when a delegate votes and the names
of who has and has not voted show; the chair cancels it with a reason, votes again (a new prepared vote), opens, closes
and announces it after previewing the result."""
from __future__ import annotations

import uuid

from tests.browser.conftest import screenshot
from tests.browser.seeding import csrf, seed_meeting
from tests.browser.test_secretary_flow import log_in

PEOPLE = (("thuky_cv", "Nguyễn Thu Trang", "secretary"), ("chutoa_cv", "Trần Quốc Bảo", "chair"),
          ("daibieu_cv1", "Lê Thị Hoa", "delegate"), ("daibieu_cv2", "Phạm Văn Nam", "delegate"),
          ("daibieu_cv3", "Vũ Minh Châu", "delegate"))


def _seed(app) -> int:
    return seed_meeting(app, [(u, name, role, role != "secretary") for u, name, role in PEOPLE],
                        title="Kỳ họp thứ 12 HĐND xã Tân Phú", organization="HĐND xã Tân Phú",
                        location="Hội trường UBND xã",
                        items=["Báo cáo tình hình kinh tế – xã hội năm 2026", "Tờ trình dự toán ngân sách xã năm 2027"])


def _post(page, url, body=None):
    return page.request.post(url, headers={"X-CSRFToken": csrf(page)}, data=body or {})


def test_secretary_prepares_chair_runs_cancels_and_votes_again(live_server, new_tablet):
    _, app = live_server
    mid = _seed(app)
    question = "Thông qua Tờ trình dự toán ngân sách xã năm 2027?"

    # The secretary prepares a secret yes/no vote with a countdown for item 2 on the meeting page.
    secretary = new_tablet()
    log_in(secretary, "thuky_cv")
    items = secretary.request.get(f"/api/v1/meetings/{mid}").json()["agenda_items"]
    secretary.goto(f"/meetings/{mid}")
    secretary.wait_for_selector("#votes[data-ready='true']")
    secretary.click("#vote-new")
    secretary.select_option("#vote-form-item", str(items[1]["id"]))
    secretary.click("#vote-form-submit")  # no question yet: refused next to the field, in Vietnamese
    secretary.wait_for_selector("#vote-form-question-error:visible")
    assert "Nội dung biểu quyết" in secretary.inner_text("#vote-form-question-error")
    assert secretary.get_attribute("#vote-form-question", "aria-invalid") == "true"
    secretary.fill("#vote-form-question", question)
    secretary.check("#vote-form-secret")
    assert secretary.is_disabled("#vote-form-allow-change")
    secretary.select_option("#vote-form-rule", "members")
    secretary.fill("#vote-form-countdown", "90")
    screenshot(secretary, "60-secretary-vote-form")
    secretary.click("#vote-form-submit")
    secretary.wait_for_selector("#vote-form", state="hidden")
    row = secretary.locator("#vote-list .vote-item").filter(has_text=question)
    row.wait_for()
    assert "Đã chuẩn bị" in row.inner_text() and "Bỏ phiếu kín" in row.inner_text()
    vote = secretary.request.get(f"/api/v1/meetings/{mid}/votes").json()["votes"][0]
    assert (vote["kind"], vote["secret"], vote["countdown_seconds"], vote["rule"], vote["agenda_item_id"]) == (
        "yes_no", True, 90, "members", items[1]["id"])

    # The chair's console: the vote is listed under the item in progress once that item starts.
    chair = new_tablet()
    log_in(chair, "chutoa_cv")
    chair.goto(f"/meetings/{mid}/console")
    chair.wait_for_selector("#live-status[data-state='connected']")
    chair.wait_for_selector(f"#cvote-list-other [data-vote-id='{vote['id']}'] .vote-open")
    chair.click(f".start-item[data-item-id='{items[1]['id']}']")
    chair.wait_for_selector(f"#cvote-list-here [data-vote-id='{vote['id']}'] .vote-open")

    # Nobody is checked in: opening is refused, and the panel says how many are in and how many are needed.
    chair.click(f"#vote-panel [data-vote-id='{vote['id']}'] .vote-open")
    chair.wait_for_selector("#cvote-error:visible")
    message = chair.inner_text("#cvote-error")
    assert "0" in message and "3" in message and "4" in message, message

    # Three delegates check in; the vote opens.
    delegates = []
    for username in ("daibieu_cv1", "daibieu_cv2", "daibieu_cv3"):
        tablet = new_tablet()
        log_in(tablet, username)
        assert _post(tablet, f"/api/v1/meetings/{mid}/check-in", {"status": "present"}).ok
        delegates.append(tablet)
    chair.wait_for_selector("#quorum-bar[data-reached='true']")
    chair.click(f"#vote-panel [data-vote-id='{vote['id']}'] .vote-open")
    chair.wait_for_selector("#cvote-live[data-status='open']")
    assert chair.locator("#cvote-error").is_hidden()
    chair.wait_for_selector("#cvote-progress[data-voted='0'][data-eligible='3']")
    chair.wait_for_selector("#cvote-countdown:visible")
    chair.wait_for_selector("#cvote-voters-not-list .cvote-name[data-user-id]")
    assert chair.locator("#cvote-voters-not-list .cvote-name[data-user-id]").count() == 3

    # A delegate votes (over HTTP): the progress and the names move.
    opened = delegates[0].request.get(f"/api/v1/votes/{vote['id']}").json()
    yes = next(o["id"] for o in opened["options"] if o["code"] == "yes")
    assert _post(delegates[0], f"/api/v1/votes/{vote['id']}/ballots",
                 {"ballot_id": str(uuid.uuid4()), "choices": [yes]}).status == 201
    chair.wait_for_selector("#cvote-progress[data-voted='1']")
    chair.wait_for_selector("#cvote-voters-yes-list .cvote-name[data-user-id]")
    assert chair.locator("#cvote-voters-not-list .cvote-name[data-user-id]").count() == 2
    screenshot(chair, "61-console-vote-open")

    # Cancelled with a reason (required), then voted again as a new prepared vote.
    chair.click("#vote-cancel")
    chair.click("#vote-cancel-confirm")
    chair.wait_for_selector("#vote-cancel-reason-error:visible")
    chair.fill("#vote-cancel-reason", "Thiết bị biểu quyết của một đại biểu bị lỗi")
    chair.click("#vote-cancel-confirm")
    chair.wait_for_selector("#cvote-live[data-status='cancelled']")
    assert "Thiết bị biểu quyết" in chair.inner_text("#cvote-cancelled")
    chair.click("#cvote-live .vote-rerun")
    chair.wait_for_selector("#cvote-list-here .cvote-row.is-new .vote-open")
    again = secretary.request.get(f"/api/v1/meetings/{mid}/votes").json()["votes"][-1]
    assert again["rerun_of_id"] == vote["id"] and again["status"] == "draft"
    assert chair.locator("#cvote-live .vote-rerun").is_hidden()

    # The new vote opens, everyone votes, the chair closes it, previews the result and announces it.
    chair.click(f"#vote-panel [data-vote-id='{again['id']}'] .vote-open")
    chair.wait_for_selector("#cvote-live[data-status='open']")
    options = delegates[0].request.get(f"/api/v1/votes/{again['id']}").json()["options"]
    codes = {o["code"]: o["id"] for o in options}
    for tablet, code in zip(delegates, ("yes", "yes", "no")):
        assert _post(tablet, f"/api/v1/votes/{again['id']}/ballots",
                     {"ballot_id": str(uuid.uuid4()), "choices": [codes[code]]}).status == 201
    chair.wait_for_selector("#cvote-progress[data-voted='3']")
    chair.click("#vote-close")
    chair.click("#vote-close-confirm")
    chair.wait_for_selector("#cvote-live[data-status='closed']")
    chair.wait_for_selector("#cvote-result:visible")
    assert "Không thông qua" in chair.inner_text("#cvote-outcome")  # 2 of 4 members: not more than half
    screenshot(chair, "62-console-vote-result")
    chair.click("#vote-publish")
    chair.wait_for_selector("#cvote-live[data-status='published']")
    assert chair.get_attribute("#cvote-live", "data-live-vote-id") == str(again["id"])

    # The delegates' meeting page shows the announced result, read-only.
    delegates[1].goto(f"/meetings/{mid}")
    delegates[1].wait_for_selector("#votes[data-ready='true']")
    row = delegates[1].locator(f"#vote-list [data-vote-id='{again['id']}']")
    assert "Không thông qua" in row.inner_text()
    assert delegates[1].locator("#vote-new").count() == 0


def test_secretary_prepares_a_choice_with_the_options_editor_changes_and_deletes_it(live_server, new_tablet):
    _, app = live_server
    mid = _seed(app)
    secretary = new_tablet()
    log_in(secretary, "thuky_cv")
    secretary.goto(f"/meetings/{mid}")
    secretary.wait_for_selector("#votes[data-ready='true']")
    secretary.click("#vote-new")
    secretary.fill("#vote-form-question", "Bầu Tổ trưởng Tổ đại biểu (chọn tối đa 2 người)")
    secretary.check("#vote-form-kind-multi")
    inputs = secretary.locator("#vote-option-list .vote-option-input")
    assert inputs.count() == 2 and secretary.locator("#vote-max").is_visible()
    inputs.nth(0).fill("Ông Lê Văn An")
    inputs.nth(1).fill("ông lê văn an")
    secretary.click("#vote-option-add")
    inputs.nth(2).fill("Bà Trần Thị Bình")
    secretary.fill("#vote-form-max", "2")
    secretary.click("#vote-form-submit")  # two options with the same text: refused next to the options
    secretary.wait_for_selector("#vote-form-options-error:visible")
    assert "trùng" in secretary.inner_text("#vote-form-options-error")
    inputs.nth(1).fill("Ông Nguyễn Văn Cường")
    secretary.locator("#vote-option-list .vote-option").nth(2).locator(".vote-option-up").click()  # Bình second
    screenshot(secretary, "63-secretary-choice-form")
    secretary.click("#vote-form-submit")
    secretary.wait_for_selector("#vote-form", state="hidden")
    vote = secretary.request.get(f"/api/v1/meetings/{mid}/votes").json()["votes"][0]
    assert [o["label"] for o in vote["options"]] == ["Ông Lê Văn An", "Bà Trần Thị Bình", "Ông Nguyễn Văn Cường"]
    assert (vote["kind"], vote["max_choices"], vote["secret"]) == ("multi", 2, False)

    # Changed: one option removed, now one choice; then deleted.
    row = secretary.locator(f"#vote-list [data-vote-id='{vote['id']}']")
    row.locator(".vote-edit").click()
    assert secretary.input_value("#vote-form-question") == vote["question"]
    secretary.check("#vote-form-kind-single")
    secretary.locator("#vote-option-list .vote-option").nth(2).locator(".vote-option-remove").click()
    assert secretary.locator("#vote-option-list .vote-option-remove").first.is_disabled()  # two is the least
    secretary.click("#vote-form-submit")
    secretary.wait_for_selector("#vote-form", state="hidden")
    changed = secretary.request.get(f"/api/v1/votes/{vote['id']}").json()
    assert changed["kind"] == "single" and [o["label"] for o in changed["options"]] == ["Ông Lê Văn An",
                                                                                         "Bà Trần Thị Bình"]
    secretary.on("dialog", lambda dialog: dialog.accept())
    row.locator(".vote-delete").click()
    row.wait_for(state="detached")
    assert secretary.request.get(f"/api/v1/meetings/{mid}/votes").json()["votes"] == []
