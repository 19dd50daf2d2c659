"""All models, imported here so Alembic and the app see one metadata."""
from server.models.meeting import ROLES, STATUSES, AgendaItem, Meeting, Participant, Site
from server.models.user import LoginSession, User

__all__ = ["AgendaItem", "LoginSession", "Meeting", "Participant", "ROLES", "STATUSES", "Site", "User"]
