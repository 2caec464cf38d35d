"""The directory's links in the main navigation."""

from __future__ import annotations

from typing import Any

from django import template

from tirek.accounts.roles import Capability
from tirek.directory.policy import can_rename_agencies

register = template.Library()


@register.inclusion_tag("directory/_nav.html", takes_context=True)
def directory_nav(context: template.Context) -> dict[str, Any]:
    actor = context.get("actor")
    return {
        "has_actor": actor is not None,
        "can_update_capacity": bool(actor and actor.can(Capability.UPDATE_CAPACITY)),
        "can_rename_agencies": bool(actor and can_rename_agencies(actor)),
        "url_name": context.get("url_name", ""),
    }


@register.inclusion_tag("directory/_home_free_places.html", takes_context=True)
def free_places_panel(context: template.Context) -> dict[str, Any]:
    """On the home page of a provider that counts places: its free places, one tap to update."""
    from tirek.directory.presenters import CapacityCard
    from tirek.directory.selectors import capacities_of_agency

    actor = context.get("actor")
    cards: list[CapacityCard] = []
    if actor is not None and actor.can(Capability.UPDATE_CAPACITY):
        capacities = capacities_of_agency(agency_id=actor.membership.agency_id)
        cards = [CapacityCard(capacity=c, can_update=True) for c in capacities]
    return {
        "cards": cards,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }
