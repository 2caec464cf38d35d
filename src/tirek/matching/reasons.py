"""The model's reason codes in the user's language ("same birth date, patronymic missing")."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from tirek.matching.scoring import Evidence

FIELD_WORDS = {
    "given_name": _("given name"),
    "family_name": _("family name"),
    "patronymic": _("patronymic"),
}

REASON_WORDS = {
    "name.exact": _("%(field)s matches"),
    "name.exact_across_scripts": _("%(field)s matches across scripts"),
    "name.close": _("%(field)s nearly matches"),
    "name.fuzzy": _("%(field)s is similar"),
    "name.swapped": _("given and family name swapped"),
    "name.swapped_fuzzy": _("given and family name swapped, %(field)s is similar"),
    "name.different": _("%(field)s differs"),
    "name.missing": _("%(field)s missing"),
    "birth_date.exact": _("same birth date"),
    "birth_date.swapped_day_month": _("same birth date with day and month swapped"),
    "birth_date.same_month_year": _("same birth month and year, day differs"),
    "birth_date.same_year": _("same birth year, month differs"),
    "birth_date.partial_month": _("same birth month and year, day not recorded"),
    "birth_date.partial_match": _("birth date agrees as far as recorded"),
    "birth_date.year_typo": _("same birth day and month, year off by one or two"),
    "birth_date.partial_month_off_by_one_year": _(
        "same birth month, year off by one, day not recorded"
    ),
    "birth_date.same_month_off_by_one_year": _("same birth month, year off by one, day differs"),
    "birth_date.partial_off_by_one_year": _("birth year off by one, month not recorded"),
    "birth_date.off_by_one_year": _("birth year off by one"),
    "birth_date.conflict": _("birth dates differ"),
    "birth_date.missing": _("birth date missing"),
    "sex.same": _("same sex"),
    "sex.different": _("sex differs"),
    "sex.missing": _("sex missing"),
    "citizenship.same": _("same citizenship"),
    "citizenship.different": _("citizenship differs"),
    "citizenship.missing": _("citizenship missing"),
}


def reason_text(field: str, reason: str) -> str:
    words = REASON_WORDS.get(reason)
    if words is None:
        return reason
    if "%(field)s" in str(words):
        return str(words) % {"field": FIELD_WORDS.get(field, field)}
    return str(words)


def reason_codes(evidence: Iterable[Evidence]) -> list[dict[str, object]]:
    """Evidence as plain data, strongest first (stored with decisions; no personal data)."""
    ordered = sorted(evidence, key=lambda e: -abs(e.weight))
    return [
        {"field": e.field, "level": e.level, "reason": e.reason, "weight": round(e.weight, 2)}
        for e in ordered
    ]


def explain(codes: Iterable[dict[str, object]]) -> str:
    """Words for stored reason codes, strongest first, each said once."""
    texts: list[str] = []
    for code in codes:
        text = reason_text(str(code["field"]), str(code["reason"]))
        if text not in texts:
            texts.append(text)
    return ", ".join(texts)
