"""All models, imported here so Alembic and the app see one metadata."""
from server.models.document import (CONFIDENTIALITY, Document, DocumentRead, DocumentVersion,  # noqa: F401
                                    PageView)
from server.models.meeting import ROLES, STATUSES, AgendaItem, Meeting, Participant, Site
from server.models.user import LoginSession, User

__all__ = ["CONFIDENTIALITY", "Document", "DocumentRead", "DocumentVersion", "PageView", "AgendaItem", "LoginSession", "Meeting", "Participant", "ROLES", "STATUSES", "Site", "User"]
