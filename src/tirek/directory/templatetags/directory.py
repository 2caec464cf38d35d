"""The directory's links in the main navigation."""

from __future__ import annotations

from typing import Any

from django import template

from tirek.accounts.roles import Capability

register = template.Library()


@register.inclusion_tag("directory/_nav.html", takes_context=True)
def directory_nav(context: template.Context) -> dict[str, Any]:
    actor = context.get("actor")
    return {
        "has_actor": actor is not None,
        "can_update_capacity": bool(actor and actor.can(Capability.UPDATE_CAPACITY)),
        "url_name": context.get("url_name", ""),
    }
