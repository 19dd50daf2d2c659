"""The OpenAPI 3 description of /api/v1, served at /api/v1/openapi.json. A test keeps it in step with the routes."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("openapi", __name__, url_prefix="/api/v1")


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


ERRORS = {
    "400": {"$ref": "#/components/responses/Invalid"},
    "401": {"$ref": "#/components/responses/Unauthorized"},
    "403": {"$ref": "#/components/responses/Forbidden"},
    "404": {"$ref": "#/components/responses/NotFound"},
}
CONFLICT = {"409": {"$ref": "#/components/responses/Conflict"}}
NO_CONTENT = {"204": {"description": "Done; no body."}}


def _id_param(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


MEETING_INPUT = {
    "type": "object",
    "properties": {
        "title": {"type": "string", "maxLength": 300},
        "organization": {"type": "string", "maxLength": 300, "description": "Organising body (cơ quan tổ chức)."},
        "location": {"type": "string", "maxLength": 300},
        "description": {"type": "string", "maxLength": 5000},
        "allow_downloads": {"type": "boolean", "description": "Participants may download ordinary documents."},
        "starts_at": {"type": "string", "description": "ISO 8601; without an offset read as Asia/Ho_Chi_Minh time.",
                      "example": "2026-12-01T08:00"},
    },
}
ITEM_INPUT = {
    "type": "object",
    "properties": {
        "title": {"type": "string", "maxLength": 500},
        "presenter": {"type": "string", "maxLength": 300},
        "planned_minutes": {"type": ["integer", "null"], "minimum": 1, "maximum": 600},
        "description": {"type": "string", "maxLength": 5000},
    },
}
PARTICIPANT_INPUT = {
    "type": "object",
    "properties": {
        "role": {"type": "string", "enum": ["secretary", "chair", "delegate", "observer"]},
        "can_vote": {"type": "boolean", "description": "Only chairs and delegates can hold a vote."},
        "site_id": {"type": ["integer", "null"]},
    },
}
USER_INPUT = {
    "type": "object",
    "properties": {
        "username": {"type": "string", "pattern": "^[a-z0-9][a-z0-9._-]{1,63}$"},
        "full_name": {"type": "string"},
        "position_title": {"type": "string"},
        "email": {"type": ["string", "null"]},
        "password": {"type": "string", "minLength": 8},
        "is_admin": {"type": "boolean"},
        "can_create_meetings": {"type": "boolean"},
        "disabled": {"type": "boolean", "description": "Disabling ends every session of the account."},
    },
}

SPEC = {
    "openapi": "3.1.0",
    "info": {
        "title": "Phòng họp không giấy — paperless meeting room API",
        "version": "1.0.0",
        "description": (
            "Session-cookie API. Log in with POST /session; it returns `csrf_token`, which every later POST, PUT, PATCH "
            "and DELETE must send in the `X-CSRFToken` header. Bodies are JSON (`Content-Type: application/json`). "
            "Errors are `{\"error\": {\"code\", \"message\", \"field\"?}}`, the message in the request's language "
            "(the account's or the `lang` cookie's choice, else `Accept-Language`, else Vietnamese). "
            "A meeting the caller may not see answers 404, as if it did not exist."
        ),
    },
    "servers": [{"url": "/api/v1"}],
    "components": {
        "securitySchemes": {
            "session": {"type": "apiKey", "in": "cookie", "name": "phonghop_session"},
            "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRFToken"},
        },
        "responses": {
            name: _json(_ref("Error"), text)
            for name, text in [("Invalid", "Invalid input; nothing was changed."), ("Unauthorized", "Not logged in."),
                               ("Forbidden", "Logged in but not allowed."),
                               ("NotFound", "Does not exist, or the caller may not see it."),
                               ("Conflict", "Not possible in the current state; nothing was changed.")]
        },
        "schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {
                "type": "object", "required": ["code", "message"],
                "properties": {"code": {"type": "string", "example": "not_found"},
                               "message": {"type": "string", "example": "Không tìm thấy."},
                               "field": {"type": "string"}}}}},
            "User": {"type": "object", "properties": {
                "id": {"type": "integer"}, "username": {"type": "string"}, "full_name": {"type": "string"},
                "position_title": {"type": "string"}}},
            "UserDetail": {"allOf": [_ref("User"), {"type": "object", "properties": {
                "email": {"type": ["string", "null"]}, "is_admin": {"type": "boolean"},
                "can_create_meetings": {"type": "boolean"}, "disabled": {"type": "boolean"},
                "language": {"type": ["string", "null"]}}}]},
            "Session": {"type": "object", "properties": {
                "user": {"oneOf": [_ref("UserDetail"), {"type": "null"}]}, "csrf_token": {"type": "string"}}},
            "AgendaItem": {"type": "object", "properties": {
                "id": {"type": "integer"}, "number": {"type": "integer"}, "position": {"type": "integer"},
                "title": {"type": "string"}, "presenter": {"type": "string"},
                "planned_minutes": {"type": ["integer", "null"]}, "description": {"type": "string"}}},
            "Site": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
            "Participant": {"type": "object", "properties": {
                "id": {"type": "integer"}, "user": _ref("User"),
                "role": {"type": "string", "enum": ["secretary", "chair", "delegate", "observer"]},
                "can_vote": {"type": "boolean"}, "site_id": {"type": ["integer", "null"]}}},
            "Page": {"type": "object", "properties": {
                "number": {"type": "integer"}, "width_pt": {"type": "number"}, "height_pt": {"type": "number"},
                "ready": {"type": "boolean", "description": "Its images exist (while rendering, some do not yet)."},
                "thumb": {"type": "string", "description": "JPEG about 240 px wide."},
                "view": {"type": "string", "description": "JPEG about 1,600 px wide."},
                "hd": {"type": "string", "description": "JPEG twice as wide (within 17 MP), made on first request."}}},
            "DocumentVersion": {"type": "object", "properties": {
                "id": {"type": "integer"}, "number": {"type": "integer"},
                "status": {"type": "string", "enum": ["processing", "ready", "failed"]},
                "page_count": {"type": "integer"}, "pages_ready": {"type": "integer"},
                "original_name": {"type": "string"}, "source_kind": {"type": "string", "enum": ["pdf", "image", "office"]},
                "size_bytes": {"type": "integer"}, "created_at": {"type": "string", "format": "date-time"},
                "error": {"oneOf": [{"type": "null"}, {"type": "object", "properties": {
                    "code": {"type": "string"}, "message": {"type": "string"}}}]},
                "pages": {"type": "array", "items": _ref("Page")}}},
            "Document": {"type": "object", "description": "A document with its current version flattened in.",
                         "properties": {
                "id": {"type": "integer"}, "title": {"type": "string"}, "agenda_item_id": {"type": "integer"},
                "meeting_id": {"type": "integer"},
                "confidentiality": {"type": "string", "enum": ["none", "mat", "toi_mat", "tuyet_mat"]},
                "confidentiality_label": {"type": "string"},
                "downloadable": {"type": "boolean"}, "download_url": {"type": ["string", "null"]},
                "version_id": {"type": "integer"}, "version_number": {"type": "integer"},
                "versions": {"type": "array", "items": _ref("DocumentVersion")},
                "status": {"type": "string", "enum": ["processing", "ready", "failed"]},
                "page_count": {"type": "integer"}, "pages_ready": {"type": "integer"},
                "error": {"oneOf": [{"type": "null"}, {"type": "object", "properties": {
                    "code": {"type": "string"}, "message": {"type": "string"}}}]},
                "pages": {"type": "array", "items": _ref("Page"), "description": "Absent in lists."}}},
            "AnnotationInput": {"type": "object", "required": ["version_id", "page", "kind"], "properties": {
                "version_id": {"type": "integer"}, "page": {"type": "integer", "minimum": 1},
                "kind": {"type": "string", "enum": ["ink", "highlight", "note"]},
                "points": {"type": "array", "maxItems": 5000, "description": "ink, highlight: [x, y] or "
                           "[x, y, pressure], each 0..1 (fractions of the page)",
                           "items": {"type": "array", "items": {"type": "number"}}},
                "width": {"type": "number", "minimum": 0.0005, "maximum": 0.1,
                          "description": "stroke width as a fraction of the page width"},
                "x": {"type": "number"}, "y": {"type": "number"},
                "text": {"type": "string", "maxLength": 2000, "description": "note"},
                "color": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"},
                "shared": {"type": "boolean", "default": False}}},
            "Annotation": {"allOf": [_ref("AnnotationInput"), {"type": "object", "properties": {
                "id": {"type": "string"}, "meeting_id": {"type": "integer"}, "document_id": {"type": "integer"},
                "deleted": {"type": "boolean"}, "updated_at": {"type": "string"},
                "author": {"type": "object", "properties": {"user_id": {"type": "integer"},
                                                            "full_name": {"type": "string"}}}}}]},
            "VoteInput": {"type": "object", "properties": {
                "question": {"type": "string", "maxLength": 2000},
                "kind": {"type": "string", "enum": ["yes_no", "single", "multi"]},
                "options": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 50,
                            "description": "single, multi (yes_no has Đồng ý / Không đồng ý / Không biểu quyết)"},
                "max_choices": {"type": "integer", "minimum": 1, "description": "multi: choose up to K"},
                "secret": {"type": "boolean"}, "allow_change": {"type": "boolean", "description": "named only"},
                "rule": {"type": "string", "enum": ["cast", "members", "two_thirds"]},
                "countdown_seconds": {"type": ["integer", "null"], "minimum": 10, "maximum": 3600},
                "agenda_item_id": {"type": ["integer", "null"]}}},
            "Vote": {"type": "object", "description": "Fields in docs/PROTOCOL.md (votes)", "properties": {
                "id": {"type": "integer"}, "meeting_id": {"type": "integer"}, "question": {"type": "string"},
                "kind": {"type": "string"}, "status": {"type": "string",
                                                       "enum": ["draft", "open", "closed", "published", "cancelled"]},
                "eligible_count": {"type": "integer"}, "voted_count": {"type": "integer"},
                "options": {"type": "array", "items": {"type": "object"}},
                "result": {"type": ["object", "null"]}, "my_ballot": {"type": ["object", "null"]}}},
            "BallotAck": {"type": "object", "properties": {
                "vote_id": {"type": "integer"}, "ballot_id": {"type": "string"}, "counted": {"type": "boolean"},
                "duplicate": {"type": "boolean"}}},
            "RoomDelta": {"type": "object", "description": "One numbered change of the live room (docs/PROTOCOL.md)",
                          "properties": {"meeting_id": {"type": "integer"}, "seq": {"type": "integer"},
                                         "type": {"type": "string", "enum": ["item", "presentation", "attendance", "vote"]},
                                         "data": {"type": "object"}}},
            "RoomSnapshot": {"type": "object", "description": "The whole live state; fields in docs/PROTOCOL.md",
                             "properties": {"meeting_id": {"type": "integer"}, "seq": {"type": "integer"},
                                            "status": {"type": "string"}, "title": {"type": "string"},
                                            "item": {"type": ["object", "null"]},
                                            "presentation": {"type": "object"}, "attendance": {"type": "object"},
                                            "me": {"type": ["object", "null"]},
                                            "connected": {"type": "array", "items": {"type": "integer"}}}},
            "WallLink": {"type": "object", "properties": {
                "id": {"type": "integer"}, "meeting_id": {"type": "integer"}, "created_at": {"type": "string"},
                "revoked": {"type": "boolean"}, "token": {"type": "string", "description": "Only when made"},
                "url": {"type": "string", "description": "Only when made: the page to open on the wall screen"}}},
            "MeetingSummary": {"type": "object", "properties": {
                "id": {"type": "integer"}, "title": {"type": "string"}, "organization": {"type": "string"},
                "location": {"type": "string"}, "starts_at": {"type": "string", "format": "date-time"},
                "status": {"type": "string", "enum": ["draft", "published", "in_progress", "closed"]},
                "my_role": {"type": ["string", "null"]}}},
            "Meeting": {"allOf": [_ref("MeetingSummary"), {"type": "object", "properties": {
                "description": {"type": "string"},
                "published_at": {"type": ["string", "null"], "format": "date-time"},
                "started_at": {"type": ["string", "null"], "format": "date-time"},
                "closed_at": {"type": ["string", "null"], "format": "date-time"},
                "can_edit": {"type": "boolean"}, "allow_downloads": {"type": "boolean"},
                "sites": {"type": "array", "items": _ref("Site")},
                "agenda_items": {"type": "array", "items": _ref("AgendaItem")},
                "participants": {"type": "array", "items": _ref("Participant")}}}]},
        },
    },
    "security": [{"session": [], "csrf": []}],
    "paths": {
        "/session": {
            "get": {"summary": "Who is logged in, and a CSRF token", "security": [],
                    "responses": {"200": _json(_ref("Session"))}},
            "post": {"summary": "Log in (opens a session cookie)", "security": [],
                     "requestBody": _body({"type": "object", "required": ["username", "password"], "properties": {
                         "username": {"type": "string"}, "password": {"type": "string"}}}),
                     "responses": {"201": _json(_ref("Session"), "Logged in"),
                                   "401": {"$ref": "#/components/responses/Unauthorized"},
                                   "403": {"$ref": "#/components/responses/Forbidden"},
                                   "429": _json(_ref("Error"), "Locked after repeated failed logins")}},
            "delete": {"summary": "Log out (ends the session on the server)", "responses": NO_CONTENT},
        },
        "/meetings": {
            "get": {"summary": "Meetings the caller may see", "responses": {"200": _json(
                {"type": "object", "properties": {"meetings": {"type": "array", "items": _ref("MeetingSummary")}}}),
                "401": ERRORS["401"]}},
            "post": {"summary": "Create a meeting (caller becomes its secretary)", "requestBody": _body(MEETING_INPUT),
                     "responses": {"201": _json(_ref("Meeting"), "Created"), **ERRORS}},
        },
        "/meetings/{meeting_id}": {
            "parameters": [_id_param("meeting_id")],
            "get": {"summary": "A meeting with its agenda items, sites and participants",
                    "responses": {"200": _json(_ref("Meeting")), **ERRORS}},
            "patch": {"summary": "Change the meeting's details (secretary)", "requestBody": _body(MEETING_INPUT),
                      "responses": {"200": _json(_ref("Meeting")), **ERRORS, **CONFLICT}},
            "delete": {"summary": "Delete a draft meeting (secretary)", "responses": {**NO_CONTENT, **ERRORS,
                                                                                       **CONFLICT}},
        },
        "/meetings/{meeting_id}/status": {
            "parameters": [_id_param("meeting_id")],
            "put": {"summary": "Publish (secretary), back to draft (secretary), start or close (chair or secretary)",
                    "requestBody": _body({"type": "object", "required": ["status"], "properties": {"status": {
                        "type": "string", "enum": ["draft", "published", "in_progress", "closed"]}}}),
                    "responses": {"200": _json(_ref("Meeting")), **ERRORS, **CONFLICT}},
        },
        "/meetings/{meeting_id}/agenda-items": {
            "parameters": [_id_param("meeting_id")],
            "post": {"summary": "Add an agenda item at the end", "requestBody": _body(ITEM_INPUT),
                     "responses": {"201": _json(_ref("AgendaItem"), "Created"), **ERRORS, **CONFLICT}},
        },
        "/meetings/{meeting_id}/agenda-order": {
            "parameters": [_id_param("meeting_id")],
            "put": {"summary": "Reorder the agenda; every item id exactly once",
                    "requestBody": _body({"type": "object", "required": ["item_ids"], "properties": {
                        "item_ids": {"type": "array", "items": {"type": "integer"}}}}),
                    "responses": {"200": _json({"type": "object", "properties": {
                        "agenda_items": {"type": "array", "items": _ref("AgendaItem")}}}), **ERRORS, **CONFLICT}},
        },
        "/agenda-items/{item_id}": {
            "parameters": [_id_param("item_id")],
            "patch": {"summary": "Change an agenda item", "requestBody": _body(ITEM_INPUT),
                      "responses": {"200": _json(_ref("AgendaItem")), **ERRORS, **CONFLICT}},
            "delete": {"summary": "Remove an agenda item", "responses": {**NO_CONTENT, **ERRORS, **CONFLICT}},
        },
        "/meetings/{meeting_id}/sites": {
            "parameters": [_id_param("meeting_id")],
            "post": {"summary": "Add a site (điểm cầu)", "requestBody": _body({"type": "object", "required": ["name"],
                                                                             "properties": {"name": {"type": "string"}}}),
                     "responses": {"201": _json(_ref("Site"), "Created"), **ERRORS, **CONFLICT}},
        },
        "/sites/{site_id}": {
            "parameters": [_id_param("site_id")],
            "delete": {"summary": "Remove a site; its participants keep no site",
                       "responses": {**NO_CONTENT, **ERRORS, **CONFLICT}},
        },
        "/meetings/{meeting_id}/participants": {
            "parameters": [_id_param("meeting_id")],
            "post": {"summary": "Invite a person with a role",
                     "requestBody": _body({"allOf": [PARTICIPANT_INPUT, {"type": "object", "properties": {
                         "user_id": {"type": "integer"}, "username": {"type": "string"}}}]}),
                     "responses": {"201": _json(_ref("Participant"), "Invited"), **ERRORS, **CONFLICT}},
        },
        "/participants/{participant_id}": {
            "parameters": [_id_param("participant_id")],
            "patch": {"summary": "Change role, vote right or site", "requestBody": _body(PARTICIPANT_INPUT),
                      "responses": {"200": _json(_ref("Participant")), **ERRORS, **CONFLICT}},
            "delete": {"summary": "Uninvite", "responses": {**NO_CONTENT, **ERRORS, **CONFLICT}},
        },
        "/directory": {
            "get": {"summary": "People a meeting organiser can invite",
                    "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                    "responses": {"200": _json({"type": "object", "properties": {
                        "users": {"type": "array", "items": _ref("User")}}}), **ERRORS}},
        },
        "/users": {
            "get": {"summary": "All accounts (system administrator)", "responses": {"200": _json(
                {"type": "object", "properties": {"users": {"type": "array", "items": _ref("UserDetail")}}}),
                **ERRORS}},
            "post": {"summary": "Create an account (system administrator)", "requestBody": _body(USER_INPUT),
                     "responses": {"201": _json(_ref("UserDetail"), "Created"), **ERRORS, **CONFLICT}},
        },
        "/users/{user_id}": {
            "parameters": [_id_param("user_id")],
            "patch": {"summary": "Change an account, its password, or disable it (system administrator)",
                      "requestBody": _body(USER_INPUT),
                      "responses": {"200": _json(_ref("UserDetail")), **ERRORS}},
        },
        "/meetings/{meeting_id}/documents": {
            "parameters": [_id_param("meeting_id")],
            "get": {"summary": "Every agenda item with its documents (without page lists)",
                    "responses": {"200": _json({"type": "object", "properties": {"agenda_items": {
                        "type": "array", "items": {"type": "object", "properties": {
                            "id": {"type": "integer"}, "number": {"type": "integer"}, "title": {"type": "string"},
                            "documents": {"type": "array", "items": _ref("Document")}}}}}}), **ERRORS}},
        },
        "/agenda-items/{item_id}/documents": {
            "parameters": [_id_param("item_id")],
            "get": {"summary": "The documents of an agenda item",
                    "responses": {"200": _json({"type": "object", "properties": {
                        "documents": {"type": "array", "items": _ref("Document")}}}), **ERRORS}},
            "post": {"summary": "Upload a document (secretary). Checked at once; pages render in the background",
                     "description": "PDF, JPEG or PNG (one page), or an Office file when LibreOffice is installed. "
                                    "The type is read from the content. Refused files are not kept. Progress is "
                                    "pushed over Socket.IO (`document_progress`) and visible in `pages_ready`.",
                     "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                         "type": "object", "required": ["file"], "properties": {
                             "file": {"type": "string", "format": "binary"}, "title": {"type": "string"},
                             "confidentiality": {"type": "string", "enum": ["none", "mat", "toi_mat", "tuyet_mat"]}}}}}},
                     "responses": {"202": _json(_ref("Document"), "Accepted; rendering"), **ERRORS, **CONFLICT,
                                   "413": _json(_ref("Error"), "The file is too large")}},
        },
        "/documents/{document_id}": {
            "parameters": [_id_param("document_id")],
            "get": {"summary": "A document: status, progress and every page's image URLs",
                    "responses": {"200": _json(_ref("Document")), **ERRORS}},
            "patch": {"summary": "Change title or confidentiality (secretary)",
                      "requestBody": _body({"type": "object", "properties": {
                          "title": {"type": "string"},
                          "confidentiality": {"type": "string", "enum": ["none", "mat", "toi_mat", "tuyet_mat"]}}}),
                      "responses": {"200": _json(_ref("Document")), **ERRORS, **CONFLICT}},
            "delete": {"summary": "Remove a document before the meeting starts (secretary)",
                       "responses": {**NO_CONTENT, **ERRORS, **CONFLICT}},
        },
        "/documents/{document_id}/versions": {
            "parameters": [_id_param("document_id")],
            "post": {"summary": "Replace with a new version; the old one stays reachable",
                     "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                         "type": "object", "required": ["file"], "properties": {
                             "file": {"type": "string", "format": "binary"}}}}}},
                     "responses": {"202": _json(_ref("Document"), "Accepted; rendering"), **ERRORS, **CONFLICT,
                                   "413": _json(_ref("Error"), "The file is too large")}},
        },
        "/document-versions/{version_id}": {
            "parameters": [_id_param("version_id")],
            "get": {"summary": "One version (also an older one) with its pages",
                    "responses": {"200": _json(_ref("DocumentVersion")), **ERRORS}},
        },
        "/document-versions/{version_id}/pages/{number}/{kind}": {
            "parameters": [_id_param("version_id"), _id_param("number"),
                           {"name": "kind", "in": "path", "required": True,
                            "schema": {"type": "string", "enum": ["thumb", "view", "hd"]}}],
            "get": {"summary": "A page image (JPEG). Checked for access on every request",
                    "description": "Ordinary documents: `Cache-Control: private, max-age=31536000, immutable` with "
                                   "an ETag. Confidential documents: watermarked with the viewer's name, the time and "
                                   "the meeting, `Cache-Control: private, no-store`, and every view is logged.",
                    "responses": {"200": {"description": "JPEG", "content": {"image/jpeg": {}}},
                                  "304": {"description": "Not modified"}, **ERRORS, **CONFLICT}},
        },
        "/documents/{document_id}/file": {
            "parameters": [_id_param("document_id"),
                           {"name": "version_id", "in": "query", "schema": {"type": "integer"}}],
            "get": {"summary": "Download as PDF; never for confidential documents, nor when the meeting forbids it",
                    "responses": {"200": {"description": "PDF", "content": {"application/pdf": {}}}, **ERRORS}},
        },
        "/documents/{document_id}/reading": {
            "parameters": [_id_param("document_id")],
            "put": {"summary": "The page the caller is reading (read tracking)",
                    "requestBody": _body({"type": "object", "required": ["page"],
                                          "properties": {"page": {"type": "integer", "minimum": 1}}}),
                    "responses": {"200": _json({"type": "object", "properties": {
                        "last_page": {"type": "integer"}, "max_page": {"type": "integer"}}}), **ERRORS}},
        },
        "/documents/{document_id}/readers": {
            "parameters": [_id_param("document_id")],
            "get": {"summary": "Who opened the document and how far they read (secretary, chair)",
                    "responses": {"200": _json({"type": "object", "properties": {
                        "page_count": {"type": "integer"}, "readers": {"type": "array", "items": {
                            "type": "object", "properties": {
                                "user": _ref("User"), "role": {"type": "string"}, "opened": {"type": "boolean"},
                                "first_opened_at": {"type": ["string", "null"]},
                                "last_read_at": {"type": ["string", "null"]},
                                "max_page": {"type": "integer"}, "percent": {"type": "integer"}}}}}}), **ERRORS}},
        },
        "/meetings/{meeting_id}/room": {
            "parameters": [_id_param("meeting_id")],
            "get": {"summary": "The live room's snapshot (as the socket's `join` returns it; see docs/PROTOCOL.md)",
                    "responses": {"200": _json(_ref("RoomSnapshot")), **ERRORS}},
        },
        "/meetings/{meeting_id}/check-in": {
            "parameters": [_id_param("meeting_id")],
            "post": {"summary": "Check oneself in: in the room or online",
                     "requestBody": _body({"type": "object", "required": ["status"], "properties": {
                         "status": {"type": "string", "enum": ["present", "online"]}}}),
                     "responses": {"200": _json(_ref("RoomDelta")), **ERRORS, **CONFLICT}},
        },
        "/meetings/{meeting_id}/attendance/{participant_id}": {
            "parameters": [_id_param("meeting_id"), _id_param("participant_id")],
            "put": {"summary": "Record a participant's attendance (secretary); absence needs a reason",
                    "requestBody": _body({"type": "object", "required": ["status"], "properties": {
                        "status": {"type": "string", "enum": ["present", "online", "absent"]},
                        "reason": {"type": "string", "maxLength": 300}}}),
                    "responses": {"200": _json(_ref("RoomDelta")), **ERRORS, **CONFLICT}},
        },
        "/meetings/{meeting_id}/quorum": {
            "parameters": [_id_param("meeting_id")],
            "put": {"summary": "The quorum rule (secretary): more than `quorum_percent` % of voting members",
                    "requestBody": _body({"type": "object", "properties": {
                        "quorum_percent": {"type": "integer", "minimum": 0, "maximum": 99},
                        "online_counts": {"type": "boolean"}}}),
                    "responses": {"200": _json(_ref("RoomDelta")), **ERRORS, **CONFLICT}},
        },
        "/meetings/{meeting_id}/wall-links": {
            "parameters": [_id_param("meeting_id")],
            "get": {"summary": "The wall screen links of a meeting (secretary)",
                    "responses": {"200": _json({"type": "object", "properties": {
                        "wall_links": {"type": "array", "items": _ref("WallLink")}}}), **ERRORS}},
            "post": {"summary": "Make a wall screen link (secretary); its token is shown only now",
                     "responses": {"201": _json(_ref("WallLink"), "Created"), **ERRORS, **CONFLICT}},
        },
        "/wall-links/{token_id}": {
            "parameters": [_id_param("token_id")],
            "delete": {"summary": "Revoke a wall screen link; a screen using it is disconnected at once",
                       "responses": {**NO_CONTENT, **ERRORS, **CONFLICT}},
        },
        "/document-versions/{version_id}/annotations": {
            "parameters": [_id_param("version_id")],
            "get": {"summary": "One's own annotations and everyone's shared ones on a version",
                    "responses": {"200": _json({"type": "object", "properties": {
                        "annotations": {"type": "array", "items": _ref("Annotation")}}}), **ERRORS}},
        },
        "/annotations/{annotation_id}": {
            "parameters": [{"name": "annotation_id", "in": "path", "required": True,
                            "schema": {"type": "string", "format": "uuid"},
                            "description": "Made by the client, so a resend is saved once"}],
            "put": {"summary": "Save (create or change) one's own annotation; saving a deleted one brings it back",
                    "requestBody": _body(_ref("AnnotationInput")),
                    "responses": {"200": _json(_ref("Annotation")), **ERRORS}},
            "delete": {"summary": "Delete one's own annotation (kept for undo)",
                       "responses": {**NO_CONTENT, **ERRORS}},
        },
        "/annotations/{annotation_id}/shared": {
            "parameters": [{"name": "annotation_id", "in": "path", "required": True,
                            "schema": {"type": "string", "format": "uuid"}}],
            "put": {"summary": "Share with the meeting, or make private again",
                    "requestBody": _body({"type": "object", "required": ["shared"],
                                          "properties": {"shared": {"type": "boolean"}}}),
                    "responses": {"200": _json(_ref("Annotation")), **ERRORS}},
        },
        "/documents/{document_id}/annotations/shared": {
            "parameters": [_id_param("document_id")],
            "put": {"summary": "Share all of one's annotations on a document at once, or make them all private",
                    "requestBody": _body({"type": "object", "required": ["shared"],
                                          "properties": {"shared": {"type": "boolean"}}}),
                    "responses": {"200": _json({"type": "object", "properties": {
                        "changed": {"type": "integer"}}}), **ERRORS}},
        },
        "/documents/{document_id}/annotated-copy": {
            "parameters": [_id_param("document_id")],
            "get": {"summary": "My annotated copy: the document's pages with my own notes drawn on them (PDF); "
                               "not for confidential documents",
                    "responses": {"200": {"description": "PDF", "content": {"application/pdf": {}}}, **ERRORS,
                                  **CONFLICT}},
        },
        "/meetings/{meeting_id}/votes": {
            "parameters": [_id_param("meeting_id")],
            "get": {"summary": "The meeting's votes (prepared ones only for the chair and secretary)",
                    "responses": {"200": _json({"type": "object", "properties": {
                        "votes": {"type": "array", "items": _ref("Vote")}}}), **ERRORS}},
            "post": {"summary": "Prepare a vote (secretary) or make one on the spot (chair)",
                     "requestBody": _body(_ref("VoteInput")),
                     "responses": {"201": _json(_ref("Vote"), "Created"), **ERRORS, **CONFLICT}},
        },
        "/votes/{vote_id}": {
            "parameters": [_id_param("vote_id")],
            "get": {"summary": "A vote as the caller may see it (counts once closed for organisers, published for all)",
                    "responses": {"200": _json(_ref("Vote")), **ERRORS}},
            "patch": {"summary": "Change a prepared vote", "requestBody": _body(_ref("VoteInput")),
                      "responses": {"200": _json(_ref("Vote")), **ERRORS, **CONFLICT}},
            "delete": {"summary": "Delete a prepared vote", "responses": {**NO_CONTENT, **ERRORS, **CONFLICT}},
        },
        "/votes/{vote_id}/open": {
            "parameters": [_id_param("vote_id")],
            "post": {"summary": "Open (chair): refused below quorum; fixes who may vote",
                     "responses": {"200": _json(_ref("Vote")), **ERRORS, **CONFLICT}},
        },
        "/votes/{vote_id}/ballots": {
            "parameters": [_id_param("vote_id")],
            "post": {"summary": "Cast a ballot; answered only after it is stored. The same ballot_id again is "
                               "answered again (200, duplicate) and counted once",
                     "requestBody": _body({"type": "object", "required": ["ballot_id", "choices"], "properties": {
                         "ballot_id": {"type": "string", "format": "uuid"},
                         "choices": {"type": "array", "items": {"type": "integer"}}}}),
                     "responses": {"201": _json(_ref("BallotAck"), "Counted"),
                                   "200": _json(_ref("BallotAck"), "Already counted (a resend)"),
                                   **ERRORS, **CONFLICT}},
        },
        "/votes/{vote_id}/voters": {
            "parameters": [_id_param("vote_id")],
            "get": {"summary": "Who has voted and who has not (chair, secretary); never what they chose",
                    "responses": {"200": _json({"type": "object"}), **ERRORS}},
        },
        "/votes/{vote_id}/close": {
            "parameters": [_id_param("vote_id")],
            "post": {"summary": "Close (chair)", "responses": {"200": _json(_ref("Vote")), **ERRORS, **CONFLICT}},
        },
        "/votes/{vote_id}/publish": {
            "parameters": [_id_param("vote_id")],
            "post": {"summary": "Announce the result to everyone (chair)",
                     "responses": {"200": _json(_ref("Vote")), **ERRORS, **CONFLICT}},
        },
        "/votes/{vote_id}/cancel": {
            "parameters": [_id_param("vote_id")],
            "post": {"summary": "Cancel an open or closed vote, with a reason (chair); it is kept",
                     "requestBody": _body({"type": "object", "required": ["reason"],
                                           "properties": {"reason": {"type": "string"}}}),
                     "responses": {"200": _json(_ref("Vote")), **ERRORS, **CONFLICT}},
        },
        "/votes/{vote_id}/rerun": {
            "parameters": [_id_param("vote_id")],
            "post": {"summary": "Run a cancelled vote again as a new prepared vote",
                     "responses": {"201": _json(_ref("Vote"), "Created"), **ERRORS, **CONFLICT}},
        },
        "/votes/{vote_id}/result.json": {
            "parameters": [_id_param("vote_id")],
            "get": {"summary": "The result as JSON", "responses": {"200": _json(_ref("Vote")), **ERRORS, **CONFLICT}},
        },
        "/votes/{vote_id}/result.csv": {
            "parameters": [_id_param("vote_id")],
            "get": {"summary": "The result as CSV (UTF-8 with BOM)",
                    "responses": {"200": {"description": "CSV", "content": {"text/csv": {}}}, **ERRORS, **CONFLICT}},
        },
        "/openapi.json": {
            "get": {"summary": "This document", "security": [], "responses": {"200": {"description": "OpenAPI 3.1"}}},
        },
    },
}


@bp.get("/openapi.json")
def openapi_json():
    return SPEC
