"""The printable form of a referral outside Tirek, rendered from an HTML template with
WeasyPrint. Fonts come from the system (fontconfig): DejaVu Sans covers Kazakh Cyrillic
(ә, ғ, қ, ң, ө, ұ, ү, һ, і); nothing is fetched from the network while rendering."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from tirek.cases.choices import (
    COUNTRY_CHOICES,
    LANGUAGE_CHOICES,
    Section,
    TypeOfExploitation,
)
from tirek.referrals.outside import OutsideForm


def _refuse_urls(url: str) -> dict[str, Any]:
    """No stylesheet, image or font is loaded from anywhere while the form is rendered."""
    raise ValueError("The referral form loads nothing from outside")


def outside_form_context(form: OutsideForm) -> dict[str, Any]:
    case = form.view.case
    person = case.person
    countries = dict(COUNTRY_CHOICES)
    exploitation = dict(TypeOfExploitation.choices)
    section_labels = dict(Section.choices)
    return {
        "outside": form.outside,
        "case": case,
        "person": person,
        "has": {section: section in form.sections for section in Section.values},
        "section_labels": [str(section_labels[s]) for s in Section.values if s in form.sections],
        "citizenship": [str(countries.get(code, code)) for code in person.citizenship],
        "language": str(dict(LANGUAGE_CHOICES).get(person.primary_language, "")),
        "exploitation": [str(exploitation.get(t, t)) for t in case.types_of_exploitation],
        "places": list(case.historic_events.select_related("place"))
        if Section.EVENTS in form.sections
        else [],
        "printed_at": timezone.localtime(),
    }


def outside_form_pdf(form: OutsideForm) -> bytes:
    """The form as PDF bytes, in the active language."""
    from weasyprint import HTML

    html = render_to_string("referrals/outside_form.html", outside_form_context(form))
    pdf = HTML(string=html, url_fetcher=_refuse_urls).write_pdf()
    assert pdf is not None  # noqa: S101 - write_pdf without a target returns the bytes
    return bytes(pdf)
