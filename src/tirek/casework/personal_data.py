"""Personal data held by casework: the text of notes and the titles of tasks (see core.privacy).
Erasure and retention blank every field listed in PERSONAL_DATA."""

from __future__ import annotations

from tirek.core.privacy import ClearText, PersonalFields

PERSONAL_DATA = [
    PersonalFields("casework.CaseNote", ("text",), case="case"),
    PersonalFields("casework.CaseTask", ("title",), case="case"),
    PersonalFields("casework.CaseAttachment", ("filename", "data"), case="case"),
]

CLEAR_TEXT: list[ClearText] = []
