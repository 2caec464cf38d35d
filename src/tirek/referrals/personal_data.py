"""Personal data held by referrals: the message, the answer, the questions asked about a
referral and their answers (see core.privacy)."""

from __future__ import annotations

from tirek.core.privacy import ClearText, PersonalFields

PERSONAL_DATA = [
    PersonalFields("referrals.Referral", ("message", "decision_reason"), case="case"),
    PersonalFields("referrals.ReferralQuestion", ("question", "answer"), case="referral__case"),
]

CLEAR_TEXT = [
    ClearText(
        "referrals.Referral",
        ("sections",),
        because="section codes (cases.choices.Section) the referral shares",
    ),
]
