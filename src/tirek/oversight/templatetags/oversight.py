"""The oversight links in the main navigation, shown only to roles that hold the capability."""

from __future__ import annotations

from typing import Any

from django import template

from tirek.accounts.roles import Capability

register = template.Library()


@register.inclusion_tag("oversight/_nav.html", takes_context=True)
def oversight_nav(context: template.Context) -> dict[str, Any]:
    actor = context.get("actor")
    can_break_glass = bool(actor and actor.can(Capability.BREAK_GLASS))
    can_view_audit = bool(actor and actor.can(Capability.VIEW_AUDIT))
    waiting = 0
    if actor is not None and can_break_glass:
        from tirek.oversight.selectors import break_glass_waiting_count

        waiting = break_glass_waiting_count(actor=actor)
    return {
        "can_break_glass": can_break_glass,
        "can_view_audit": can_view_audit,
        "review_waiting": waiting,
        "url_name": context.get("url_name", ""),
    }
