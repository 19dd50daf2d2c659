"""Document pages through the Flask test client: the meeting page lists documents (upload only for the secretary) and
the tablet viewer opens for participants, 404 for everyone else."""
from __future__ import annotations

import json
import re

import pytest

from tests import pdfs
from tests.test_documents import upload, wait_ready


def html(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def meeting(make_meeting):
    return make_meeting(status="published", people={"chair": "chair", "d1": "delegate"})


@pytest.fixture
def document(app, client, meeting, new_client):
    """A ready three-page document on the first item, uploaded by the secretary."""
    mid, _ = meeting
    secretary = new_client()
    secretary.login("secretary")
    item_id = secretary.get(f"/api/v1/meetings/{mid}").get_json()["agenda_items"][0]["id"]
    body = upload(secretary, item_id, pdfs.agenda_pdf(3), title="Báo cáo tình hình kinh tế")
    assert body.status_code == 202
    return item_id, wait_ready(secretary, body.get_json()["id"])


def test_the_viewer_opens_for_a_participant(client, meeting, document):
    mid, _ = meeting
    _, doc = document
    client.login("d1")
    response = client.get(f"/meetings/{mid}/documents/{doc['id']}?page=2")
    assert response.status_code == 200
    page = html(response)
    for marker in ('id="viewer"', 'id="page-next"', 'id="page-prev"', 'id="page-input"', 'id="thumb-strip"',
                   'id="viewer-sidebar"', "Báo cáo tình hình kinh tế", "viewer.js"):
        assert marker in page, marker
    config = json.loads(re.search(r'<script type="application/json" id="viewer-config">(.*?)</script>', page,
                                  re.S).group(1))
    assert config["start_page"] == 2 and config["document"]["id"] == doc["id"]
    assert len(config["document"]["pages"]) == 3 and config["document"]["pages"][0]["view"]
    assert 'lang="vi"' in page and "Trang sau" in page


def test_the_viewer_is_404_for_an_outsider_and_for_a_wrong_meeting(client, new_client, make_user, make_meeting,
                                                                     meeting, document):
    mid, _ = meeting
    _, doc = document
    make_user("stranger")
    client.login("stranger")
    assert client.get(f"/meetings/{mid}/documents/{doc['id']}").status_code == 404
    other_mid, _ = make_meeting(status="published", people={"d1": "delegate"}, title="Khác")
    delegate = new_client()
    delegate.login("d1")
    # The document exists and d1 may see it, but not under another meeting's address.
    assert delegate.get(f"/meetings/{other_mid}/documents/{doc['id']}").status_code == 404
    assert delegate.get(f"/meetings/{mid}/documents/999999").status_code == 404


def test_the_viewer_is_404_for_a_delegate_while_the_meeting_is_a_draft(client, make_meeting):
    mid, _ = make_meeting(status="draft", people={"d1": "delegate"})
    client.login("d1")
    assert client.get(f"/meetings/{mid}/documents/1").status_code == 404


def test_meeting_page_shows_documents_and_upload_zone_to_the_secretary(client, meeting, document):
    mid, _ = meeting
    item_id, doc = document
    client.login("secretary")
    page = html(client.get(f"/meetings/{mid}"))
    assert f'id="document-{doc["id"]}"' in page and "Báo cáo tình hình kinh tế" in page
    assert f'id="upload-zone-{item_id}"' in page and f'id="upload-input-{item_id}"' in page
    assert f'id="upload-confidentiality-{item_id}"' in page and "Tuyệt mật" in page
    assert "remove-document" in page and "replace-input" in page
    assert f'href="/meetings/{mid}/documents/{doc["id"]}"' in page
    assert "3 trang" in page and "Sẵn sàng" in page
    assert 'class="readers"' in page  # who has read it
    assert "documents.js" in page and 'id="documents-config"' in page


def test_meeting_page_shows_documents_without_upload_to_a_delegate(client, meeting, document):
    mid, _ = meeting
    item_id, doc = document
    client.login("d1")
    page = html(client.get(f"/meetings/{mid}"))
    assert f'id="document-{doc["id"]}"' in page
    assert f'href="/meetings/{mid}/documents/{doc["id"]}"' in page
    assert "upload-zone" not in page and "upload-input" not in page
    assert "remove-document" not in page and "replace-input" not in page
    assert 'class="readers"' not in page


def test_the_chair_sees_who_has_read_but_cannot_upload(client, meeting, document):
    mid, _ = meeting
    client.login("chair")
    page = html(client.get(f"/meetings/{mid}"))
    assert 'class="readers"' in page and "upload-zone" not in page


def test_confidential_document_shows_its_badge_and_the_viewer_offers_no_download(client, meeting, new_client):
    mid, _ = meeting
    secretary = new_client()
    secretary.login("secretary")
    item_id = secretary.get(f"/api/v1/meetings/{mid}").get_json()["agenda_items"][1]["id"]
    doc = wait_ready(secretary, upload(secretary, item_id, pdfs.agenda_pdf(2), title="Tờ trình nhân sự",
                                       confidentiality="toi_mat").get_json()["id"])
    client.login("d1")
    page = html(client.get(f"/meetings/{mid}"))
    assert "conf-toi_mat" in page and "Tối mật" in page
    viewer = html(client.get(f"/meetings/{mid}/documents/{doc['id']}"))
    assert 'id="confidential-banner"' in viewer and 'id="viewer-download"' not in viewer
