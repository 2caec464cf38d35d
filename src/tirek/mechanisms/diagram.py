"""The mechanism as an SVG diagram: stages as lanes from top to bottom, steps as boxes.

One column, 360 units wide, so that it reads on a phone without zooming and prints on A4 as a
long page. Text is wrapped here (no script, no external service); every string is escaped.
"""

from __future__ import annotations

import textwrap
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from tirek.mechanisms.display import step_action, step_conditions, step_deadline, step_who
from tirek.mechanisms.models import Mechanism
from tirek.mechanisms.selectors import Lane

WIDTH = 360
MARGIN = 8
LINE = 15
CHARS = 40  # characters per line at 12.5px in a 330-unit box (bold Cyrillic is wide)
LANE_HEAD = 30
FONT = "system-ui, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif"
LANE_FILLS = ("#eef3f8", "#f6f2ea")
# Presentation attributes, not a <style> element: the page's content security policy allows no
# inline style, and attributes also survive copying the SVG into other documents.
STYLES = {
    "d-step": 'font-size="12.5" font-weight="700" fill="#1b1f24"',
    "d-who": 'font-size="12.5" fill="#12395e"',
    "d-text": 'font-size="12.5" fill="#1b1f24"',
    "d-deadline": 'font-size="12.5" fill="#7a2600"',
    "d-muted": 'font-size="11.5" fill="#5b6570"',
}


def _lines(text: str, chars: int = CHARS) -> list[str]:
    return textwrap.wrap(text, chars) or [""]


def mechanism_svg(mechanism: Mechanism, lanes: list[Lane]) -> str:
    parts: list[str] = []
    y = MARGIN
    version_word = _("version")
    illustrative = _("Deadlines are illustrative.")
    no_steps = _("No steps at this stage.")
    title = f"{mechanism.territory.label} · {version_word} {mechanism.number}"
    parts.append(
        f'<text x="{MARGIN}" y="{y + 16}" font-size="16" font-weight="700" fill="#1b1f24">'
        f"{escape(title)}</text>"
    )
    y += 26
    if mechanism.deadlines_illustrative:
        parts.append(
            f'<text x="{MARGIN}" y="{y + 12}" font-size="12" fill="#8a4b00">'
            f"{escape(illustrative)}</text>"
        )
        y += 20
    for number, lane in enumerate(lanes, start=1):
        lane_top = y
        body: list[str] = []
        heading = _lines(f"{number}. {lane.label}", 38)
        y += LANE_HEAD + (len(heading) - 1) * 17
        if not lane.steps:
            body.append(
                f'<text x="{MARGIN * 2}" y="{y + 12}" font-size="11.5" fill="#5b6570">'
                f"{escape(no_steps)}</text>"
            )
            y += 22
        for step in lane.steps:
            lines = [(line, "d-step") for line in _lines(step.label)]
            who = f"{step_who(step)} — {step_action(step).lower()}"
            lines += [(line, "d-who") for line in _lines(who)]
            if step.service_type is not None:
                lines += [(line, "d-text") for line in _lines(step.service_type.label)]
            lines += [(line, "d-deadline") for line in _lines(step_deadline(step))]
            lines += [(line, "d-muted") for line in _lines(step_conditions(step))]
            height = len(lines) * LINE + 12
            body.append(
                f'<rect x="{MARGIN * 2}" y="{y}" width="{WIDTH - MARGIN * 4}" height="{height}" '
                f'rx="6" fill="#ffffff" stroke="#5b6b7b" stroke-width="1"/>'
            )
            for index, (line, css) in enumerate(lines):
                body.append(
                    f'<text x="{MARGIN * 3}" y="{y + 18 + index * LINE}" {STYLES[css]}>'
                    f"{escape(line)}</text>"
                )
            y += height + 8
        y += 6
        parts.append(
            f'<rect x="{MARGIN}" y="{lane_top}" width="{WIDTH - MARGIN * 2}" '
            f'height="{y - lane_top}" fill="{LANE_FILLS[number % 2]}" '
            f'stroke="#9aa7b4" stroke-width="1"/>'
        )
        for index, line in enumerate(heading):
            parts.append(
                f'<text x="{MARGIN * 2}" y="{lane_top + 20 + index * 17}" font-size="13.5" '
                f'font-weight="700" fill="#1b1f24">{escape(line)}</text>'
            )
        parts.extend(body)
        y += 8
    label = _("Diagram of the referral mechanism: %(title)s") % {"title": mechanism.title}
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {y}" '
        f'width="100%" role="img" aria-label="{escape(label, {chr(34): "&quot;"})}" '
        f'class="mechanism-diagram" font-family="{escape(FONT, {chr(34): "&quot;"})}">'
        f"{''.join(parts)}</svg>"
    )
