"""All models, imported here so Alembic and the app see one metadata."""
from server.models.annotation import ANNOTATION_KINDS, Annotation  # noqa: F401
from server.models.document import (CONFIDENTIALITY, Document, DocumentRead, DocumentVersion,  # noqa: F401
                                    PageView)
from server.models.meeting import ROLES, STATUSES, AgendaItem, Meeting, Participant, Site
from server.models.room import (ATTENDANCE, Attendance, RoomConnection, RoomState, ServerInstance,  # noqa: F401
                                WallToken)
from server.models.user import LoginSession, User
from server.models.vote import (MAJORITY_RULES, VOTE_KINDS, VOTE_STATUSES, Vote, VoteEligibility,  # noqa: F401
                                VoteEvent, VoteOption, VoteReceipt, VoteTally)

__all__ = ["MAJORITY_RULES", "VOTE_KINDS", "VOTE_STATUSES", "Vote", "VoteEligibility", "VoteEvent", "VoteOption",
           "VoteReceipt", "VoteTally", "ANNOTATION_KINDS", "Annotation", "ATTENDANCE", "Attendance", "RoomConnection", "RoomState", "ServerInstance", "WallToken", "CONFIDENTIALITY", "Document", "DocumentRead", "DocumentVersion", "PageView", "AgendaItem", "LoginSession", "Meeting", "Participant", "ROLES", "STATUSES", "Site", "User"]
