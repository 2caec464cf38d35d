"""Personal data held by referrals: the message, the answer, the questions asked about a
referral and their answers (see core.privacy)."""

from __future__ import annotations

from tirek.core.privacy import ClearText, PersonalFields

PERSONAL_DATA = [
    PersonalFields("referrals.Referral", ("message", "decision_reason"), case="case"),
    PersonalFields("referrals.ReferralQuestion", ("question", "answer"), case="referral__case"),
    PersonalFields("referrals.OutsideReferral", ("message",), case="case"),
    PersonalFields("referrals.CaseTransfer", ("reason", "decision_reason"), case="case"),
]

CLEAR_TEXT = [
    ClearText(
        "referrals.Referral",
        ("sections",),
        because="section codes (cases.choices.Section) the referral shares",
    ),
    ClearText(
        "referrals.OutsideReferral",
        ("sections", "organisation"),
        because="section codes, and the name of the organisation the form is for (no person)",
    ),
    ClearText(
        "referrals.CaseTransfer",
        ("kept_sections",),
        because="section codes (cases.choices.Section) the previous owner keeps",
    ),
]
