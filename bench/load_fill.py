"""Fill a fresh database for ``bench.load``: agencies, one case worker each with an API token,
and N synthetic cases registered through the services. Prints one JSON line for the load run.

    python -m bench.load_fill CASES AGENCIES   (run by bench.load with its settings)
"""

from __future__ import annotations

import datetime
import json
import os
import random
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tirek.settings")
    import django

    django.setup()
    from django.db import transaction

    from tirek.accounts.actor import Actor
    from tirek.accounts.models import Agency, Membership, User
    from tirek.accounts.roles import Role
    from tirek.accounts.services import api_token_create
    from tirek.directory.models import Place, ServiceType
    from tirek.screening.models import Indicator
    from tirek.testing.builders import case_build

    cases, agencies = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(14)  # noqa: S311
    city = Place.objects.create(kind=Place.Kind.CITY, code="bench-city", name_en="Bench City")
    service = ServiceType.objects.create(code="bench-shelter", name_en="Shelter")
    types = [Agency.Type.NGO, Agency.Type.LAW_ENFORCEMENT, Agency.Type.LOCAL_GOVERNMENT]
    world: dict[str, list] = {"users": [], "agencies": []}
    actors = []
    for number in range(agencies):
        agency = Agency.objects.create(
            name=f"Bench agency {number}", type=types[number % len(types)], place=city
        )
        agency.services.add(service)
        user = User.objects.create_user(username=f"bench{number}", password="x" * 16)
        membership = Membership.objects.create(user=user, agency=agency, role=Role.CASE_WORKER)
        actor = Actor(user=user, membership=membership)
        _token, secret = api_token_create(actor=actor, name="bench")
        actors.append(actor)
        world["agencies"].append({"id": str(agency.pk), "service": str(service.pk)})
        world["users"].append({"token": secret, "agency": str(agency.pk), "cases": []})
    given = ["Aigerim", "Dinara", "Madina", "Aruzhan", "Zhanna", "Saule", "Gulnara", "Asel"]
    family = ["Synthetova", "Fictiva", "Examplova", "Testova", "Modelova", "Samplova"]
    for start in range(0, cases, 200):
        with transaction.atomic():
            for index in range(start, min(cases, start + 200)):
                owner = index % agencies
                case = case_build(
                    actors[owner],
                    first_name=rng.choice(given),
                    family_name=f"{rng.choice(family)}-{index}",
                    birth_date=datetime.date(1970 + index % 30, 1 + index % 12, 1 + index % 28),
                )
                if len(world["users"][owner]["cases"]) < 500:
                    world["users"][owner]["cases"].append(str(case.pk))
    world["indicators"] = sorted(set(Indicator.objects.values_list("code", flat=True)))
    print(json.dumps(world))


if __name__ == "__main__":
    main()
