"""Translated words for documents, shared by the service, the serializers and the background job."""
from __future__ import annotations

from flask_babel import gettext as _


def confidentiality_label(level: str) -> str:
    return {"none": _("Ordinary"), "mat": _("Confidential (Mật)"), "toi_mat": _("Secret (Tối mật)"),
            "tuyet_mat": _("Top secret (Tuyệt mật)")}.get(level, level)


def error_message(code: str | None) -> str:
    return {
        "render_failed": _("The pages could not be rendered. The PDF may be damaged: save it again as PDF and upload "
                           "it again."),
        "render_incomplete": _("Some pages could not be rendered. The PDF may be damaged: save it again as PDF and "
                               "upload it again."),
        "render_bad_size": _("Some pages could not be rendered at a readable size."),
        "file_missing": _("The stored file is missing; upload the document again."),
    }.get(code or "", _("The pages could not be rendered."))
