"""Fill a fresh database for ``bench.load``: agencies, one case worker each with an API token,
and N synthetic cases registered through the services. Prints one JSON line for the load run.

    python -m bench.load_fill CASES AGENCIES [REGISTERED]   (run by bench.load with its settings)

With REGISTERED < CASES (PostgreSQL only), REGISTERED cases go through the services and the rest
are copies of them made in SQL (``clone_cases``): a million cases in minutes instead of hours.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import sys
from typing import Any


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tirek.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from tirek.accounts.actor import Actor
    from tirek.accounts.models import Agency, Membership, User
    from tirek.accounts.roles import Role
    from tirek.accounts.services import api_token_create
    from tirek.cases.models import Case
    from tirek.directory.models import Place, ServiceType
    from tirek.screening.models import Indicator
    from tirek.testing.builders import case_build

    cases, agencies = int(sys.argv[1]), int(sys.argv[2])
    registered = int(sys.argv[3]) if len(sys.argv) > 3 else cases
    if registered < cases and connection.vendor != "postgresql":
        raise SystemExit("copying cases (REGISTERED < CASES) needs PostgreSQL")
    rng = random.Random(14)  # noqa: S311
    city = Place.objects.create(kind=Place.Kind.CITY, code="bench-city", name_en="Bench City")
    service = ServiceType.objects.create(code="bench-shelter", name_en="Shelter")
    types = [Agency.Type.NGO, Agency.Type.LAW_ENFORCEMENT, Agency.Type.LOCAL_GOVERNMENT]
    world: dict[str, list[Any]] = {"users": [], "agencies": []}
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
    for start in range(0, registered, 200):
        with transaction.atomic():
            for index in range(start, min(registered, start + 200)):
                owner = index % agencies
                case = case_build(
                    actors[owner],
                    first_name=rng.choice(given),
                    family_name=f"{rng.choice(family)}-{index}",
                    birth_date=datetime.date(1970 + index % 30, 1 + index % 12, 1 + index % 28),
                )
                if len(world["users"][owner]["cases"]) < 500:
                    world["users"][owner]["cases"].append(str(case.pk))
    if registered < cases:
        clone_cases(cases)
        for actor, user in zip(actors, world["users"], strict=True):
            # The cases each worker opens: any of her agency's, copies included.
            user["cases"] = [
                str(pk)
                for pk in Case.objects.filter(owner_agency=actor.agency)
                .order_by("?")
                .values_list("pk", flat=True)[:500]
            ]
    world["indicators"] = sorted(set(Indicator.objects.values_list("code", flat=True)))
    print(json.dumps(world))


def clone_cases(target: int) -> int:
    """PostgreSQL only: copy the cases registered so far until there are ``target`` of them.

    Each copy is a new person and a new case (new ids and reference, opened a few minutes
    earlier) with the template's encrypted fields, place, first timeline link and chain head,
    and candidate keys, written with ``INSERT ... SELECT`` in rounds of at most 100,000 cases.
    Registering through the services costs ~40 ms a case here (11 hours for a million); copying
    costs a few seconds per 100,000. The copies' timeline links keep the template's hashes, so
    ``tirek audit verify`` would report them: this database is for load runs only.
    """
    from django.db import connection, transaction

    def columns(table: str) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "ORDER BY ordinal_position",
                [table],
            )
            return [row[0] for row in cursor.fetchall()]

    def copy(table: str, replace: dict[str, str], join: str) -> str:
        names = [name for name in columns(table) if not (name == "id" and "id" not in replace)]
        values = ", ".join(replace.get(name, f"t.{name}") for name in names)
        # Names from this module and the catalogue, no input: nothing to inject.
        names_sql = ", ".join(names)
        return f"INSERT INTO {table} ({names_sql}) SELECT {values} FROM bench_copy m {join}"  # noqa: S608

    statements = [
        copy("cases_person", {"id": "m.new_person"}, "JOIN cases_person t ON t.id = m.old_person"),
        copy(
            "cases_case",
            {
                "id": "m.new_case",
                "person_id": "m.new_person",
                "reference": "'TK-' || upper(substr(md5(m.new_case::text), 1, 12))",
                "created_at": "t.created_at - m.n * interval '1 minute'",
            },
            "JOIN cases_case t ON t.id = m.old_case",
        ),
        copy(
            "cases_historicevent",
            {"id": "gen_random_uuid()", "case_id": "m.new_case"},
            "JOIN cases_historicevent t ON t.case_id = m.old_case",
        ),
        copy(
            "cases_caseevent",
            {"case_id": "m.new_case"},
            "JOIN cases_caseevent t ON t.case_id = m.old_case",
        ),
        copy(
            "core_chainhead",
            {"name": "'case:' || m.new_case::text"},
            "JOIN core_chainhead t ON t.name = 'case:' || m.old_case::text",
        ),
        copy(
            "matching_candidatekey",
            {"person_id": "m.new_person"},
            "JOIN matching_candidatekey t ON t.person_id = m.old_person",
        ),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        have = templates = int(cursor.fetchone()[0])
    tables = ["cases_person", "cases_case", "cases_historicevent", "cases_caseevent"]
    tables += ["core_chainhead", "matching_candidatekey"]
    # Filling an index row by row with random ids costs most of the copy; building it once at
    # the end is several times faster. Primary keys stay (foreign keys hang on them).
    rebuild = secondary_indexes_drop(tables) if target - have > 100_000 else []
    copies = 0
    while have < target:
        batch = min(target - have, 100_000)
        per_round = -(-batch // templates)
        with transaction.atomic(), connection.cursor() as cursor:
            # The copies are consistent by construction: skip the foreign-key checks, which the
            # deferred constraints would otherwise run row by row at COMMIT (most of the time).
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(
                "CREATE TEMP TABLE bench_copy ON COMMIT DROP AS SELECT c.id AS old_case, "
                "c.person_id AS old_person, gen_random_uuid() AS new_case, "
                "gen_random_uuid() AS new_person, %s + g AS n FROM cases_case c "
                "CROSS JOIN generate_series(1, %s) g WHERE c.id IN "
                "(SELECT id FROM cases_case ORDER BY created_at DESC LIMIT %s) LIMIT %s",
                [copies, per_round, templates, batch],
            )
            for statement in statements:
                cursor.execute(statement)
        copies += per_round
        have += batch
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for statement in rebuild:
            cursor.execute(statement)
        cursor.execute("VACUUM ANALYZE")  # statistics, and index-only counts
    return have


def secondary_indexes_drop(tables: list[str]) -> list[str]:
    """Drop the indexes of ``tables`` other than primary keys (unique constraints included);
    return the statements that build them again."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
            "FROM pg_constraint c WHERE c.contype IN ('u', 'x') "
            "AND c.conrelid::regclass::text = ANY(%s)",
            [tables],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [tables],
        )
        indexes = cursor.fetchall()
        # Names from the catalogue, no input: nothing to inject.
        for table, name, _definition in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in indexes] + [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
        for table, name, definition in constraints
    ]


if __name__ == "__main__":
    main()
