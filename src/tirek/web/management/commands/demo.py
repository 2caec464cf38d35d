"""``tirek demo``: a fictional Almaty mechanism with logins and a dozen synthetic cases.

Runs only when ``DEBUG`` or demo mode (``TIREK_DEMO=1``) is on. Idempotent: what exists is kept,
what is missing is added. Cases are written through the same services the web app uses, so every
demo case has a true timeline.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.test.utils import override_settings

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency, Membership, User
from tirek.accounts.roles import Capability
from tirek.cases.models import Case, CaseEvent, Person
from tirek.cases.services import (
    PersonInput,
    PlaceInput,
    VictimInput,
    case_register,
    case_victim_update,
)
from tirek.core.db import chain_guards_lifted
from tirek.directory.models import Place, ServiceType
from tirek.directory.reference_data import reference_data_load
from tirek.mechanisms.demo import mechanisms_demo_load, mechanisms_demo_reset
from tirek.protection.children import guardian_save
from tirek.protection.choices import GuardianRelation
from tirek.protection.models import Consent
from tirek.protection.services import consent_record
from tirek.referrals.models import Referral
from tirek.referrals.services import (
    referral_accept,
    referral_decline,
    referral_send,
    referral_withdraw,
)
from tirek.screening.selectors import catalogue_current
from tirek.screening.services import Observation, ScreeningInput, screening_save
from tirek.web.management.demo_data import (
    ADMIN_GROUP_NAMES,
    ADMIN_GROUPS,
    AGENCIES,
    CASES,
    DEMO_EMAIL_DOMAIN,
    DEMO_PASSWORD,
    OUTSIDER,
    USERS,
    CaseSpec,
    ReferralSpec,
)
from tirek.web.management.demo_directory import (
    demo_agency_names_apply,
    demo_directory_load,
    demo_directory_reset,
)


def demo_allowed() -> bool:
    return bool(settings.DEBUG or getattr(settings, "DEMO_MODE", False))


class Command(BaseCommand):
    help = "Load a fictional Almaty referral mechanism with demo logins and synthetic cases."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo agencies, users and their cases first, then load them again.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not demo_allowed():
            raise CommandError(
                "Demo data is loaded only when DEBUG=1 or TIREK_DEMO=1 is set: "
                "the demo logins share one published password."
            )
        # Referral e-mails would only fill the console while the demo is built.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            if options["reset"]:
                demo_reset()
                self.stdout.write("Demo data deleted.")
            created = demo_load()
        self.stdout.write(
            f"Demo mechanism ready: {len(AGENCIES)} agencies, {len(USERS)} logins, "
            f"{len(CASES)} cases ({created} new)."
        )
        self._print_logins()

    def _print_logins(self) -> None:
        agencies = {a.key: a.name for a in AGENCIES}
        rows = [("username", "agency", "role")] + [
            (u.username, agencies[u.agency], u.role) for u in USERS
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("")
        for index, row in enumerate(rows):
            self.stdout.write("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)))
            if index == 0:
                self.stdout.write("  ".join("-" * w for w in widths))
        self.stdout.write("")
        self.stdout.write(f"Password for every demo login: {DEMO_PASSWORD}")
        self.stdout.write(
            f"{OUTSIDER} is the outsider: no case is ever referred to the health department."
        )
        self.stdout.write(
            "These logins exist only in demo mode (DEBUG=1 or TIREK_DEMO=1). "
            "Never load demo data into a real deployment."
        )


@transaction.atomic
def demo_load() -> int:
    """Create what is missing of the demo mechanism; return the number of new cases."""
    places, services = reference_data_load()
    agencies = _agencies_ensure(places, services)
    groups = _admin_groups_ensure()
    actors = _users_ensure(agencies, groups)
    mechanisms_demo_load(
        places=places,
        coordinator=actors["commission.coordinator"],
        crisis_centre=agencies["crisis_centre"],
        password=DEMO_PASSWORD,
        email_domain=DEMO_EMAIL_DOMAIN,
    )
    demo_directory_load(actor=actors["sysadmin"], agencies=agencies, services=services)
    demo_agency_names_apply()
    existing = _existing_cases(agencies)
    created = 0
    for spec in CASES:
        if _case_key(spec, actors[spec.owner]) in existing:
            continue
        _case_build(spec, actors, agencies, places, services)
        created += 1
    return created


def _agencies_ensure(
    places: dict[str, Place], services: dict[str, ServiceType]
) -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    for spec in AGENCIES:
        agency, _ = Agency.objects.update_or_create(
            name=spec.name,
            defaults={
                "short_name": spec.short_name,
                "type": spec.type,
                "place": places[spec.place],
                "country": "KAZ",
                "is_active": True,
            },
        )
        agency.services.set([services[code] for code in spec.services])
        agencies[spec.key] = agency
    return agencies


def _admin_groups_ensure() -> dict[str, Group]:
    groups: dict[str, Group] = {}
    for role, names in ADMIN_GROUPS.items():
        group, _ = Group.objects.get_or_create(name=ADMIN_GROUP_NAMES[role])
        query = Q()
        for name in names:
            app_label, codename = name.split(".")
            query |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(query))
        groups[role] = group
    return groups


def _users_ensure(agencies: dict[str, Agency], groups: dict[str, Group]) -> dict[str, Actor]:
    actors: dict[str, Actor] = {}
    for spec in USERS:
        user, _ = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@{DEMO_EMAIL_DOMAIN}",
                "preferred_language": spec.language,
                "is_staff": spec.is_staff,
                "is_superuser": False,
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        if spec.role in groups:
            user.groups.add(groups[spec.role])
        membership, _ = Membership.objects.update_or_create(
            user=user,
            agency=agencies[spec.agency],
            defaults={"role": spec.role, "is_active": True},
        )
        actors[spec.username] = Actor(user=user, membership=membership)
    return actors


def _existing_cases(agencies: dict[str, Agency]) -> set[tuple[object, str, str]]:
    """Demo cases already there, by owning agency and person's names.

    Names are encrypted at rest, so they are compared after loading; the demo holds a dozen.
    """
    cases = Case.objects.filter(owner_agency__in=agencies.values()).select_related("person")
    return {
        (case.owner_agency_id, case.person.first_name, case.person.family_name) for case in cases
    }


def _case_key(spec: CaseSpec, owner: Actor) -> tuple[object, str, str]:
    person = spec.person
    return (
        owner.membership.agency_id,
        person.get("first_name", ""),
        person.get("family_name", ""),
    )


def _case_build(
    spec: CaseSpec,
    actors: dict[str, Actor],
    agencies: dict[str, Agency],
    places: dict[str, Place],
    services: dict[str, ServiceType],
) -> Case:
    owner = actors[spec.owner]
    place = None
    if spec.place is not None:
        fields = dict(spec.place)
        code = fields.pop("place", "")
        place = PlaceInput(**fields, place_id=places[code].pk if code else None)
    case = case_register(
        actor=owner,
        person=PersonInput(**spec.person),
        victim=VictimInput(**spec.victim),
        place=place,
    )
    if spec.update is not None:
        case = case_victim_update(
            actor=owner,
            case=case,
            expected_version=case.version,
            victim=VictimInput(**spec.update),
        )
    if spec.screening is not None:
        scope, codes = spec.screening
        screening_save(
            actor=owner,
            catalogue=catalogue_current(),
            case=case,
            data=ScreeningInput(
                scope=scope,
                observations=[Observation(code=code, source="self_report") for code in codes],
            ),
        )
        case.refresh_from_db()
    if case.is_child:
        guardian_save(
            actor=owner,
            case_id=case.pk,
            name="Демо: орган опеки и попечительства г. Алматы",
            relation=GuardianRelation.GUARDIANSHIP_AUTHORITY,
        )
    for referral in spec.referrals:
        _referral_build(case, referral, owner, actors, agencies[referral.to], services)
    return case


def _receiver(actors: dict[str, Actor], agency: Agency) -> Actor:
    for actor in actors.values():
        if actor.membership.agency_id == agency.pk and actor.can(Capability.DECIDE_REFERRALS):
            return actor
    raise CommandError(f"No demo login can answer referrals for {agency.name}.")


def _referral_build(
    case: Case,
    spec: ReferralSpec,
    sender: Actor,
    actors: dict[str, Actor],
    to: Agency,
    services: dict[str, ServiceType],
) -> Referral:
    service = services[spec.service]
    consent = consent_record(
        actor=sender,
        case=case,
        purpose=Consent.Purpose.REFERRAL,
        method=spec.consent_method,
        sections=list(spec.sections),
        recipient_agency_id=to.pk,
        service_type_id=service.pk,
    )
    referral = referral_send(
        actor=sender,
        case=case,
        to_agency_id=to.pk,
        service_type_id=service.pk,
        consent_id=consent.pk,
        sections=list(spec.sections),
        message=spec.message,
    )
    if spec.outcome == Referral.Status.ACCEPTED:
        referral = referral_accept(actor=_receiver(actors, to), referral_id=referral.pk)
    elif spec.outcome == Referral.Status.DECLINED:
        referral = referral_decline(
            actor=_receiver(actors, to), referral_id=referral.pk, reason=spec.answer
        )
    elif spec.outcome == Referral.Status.WITHDRAWN:
        referral = referral_withdraw(actor=sender, referral_id=referral.pk, reason=spec.answer)
    return referral


@transaction.atomic
def demo_reset() -> None:
    """Delete the demo agencies, their logins and every case they touch.

    Refuses when the database holds cases of other agencies: the demo's case timelines go with
    their cases, which a database with real data (and its anchored checkpoints) must never see.
    """
    names = [spec.name for spec in AGENCIES]
    agencies = Agency.objects.filter(name__in=names)
    if Case.objects.exclude(owner_agency__in=agencies).exists():
        raise CommandError(
            "This database holds cases of agencies outside the demo: --reset refuses to touch "
            "it. Use a fresh database for the demo instead."
        )
    cases = Case.objects.all()
    persons = Person.objects.filter(pk__in=list(cases.values_list("person_id", flat=True)))
    with chain_guards_lifted(connection):
        _case_events_delete_all()
        chain_head = _chain_head_model()
        if chain_head is not None:
            chain_head._default_manager.filter(name__startswith=f"{CaseEvent.CHAIN}:").delete()
    dependants = _rows_referring_to(Case, cases) + _rows_referring_to(Person, persons)
    _delete_in_dependency_order([*dependants, cases, persons])
    demo_directory_reset()
    mechanisms_demo_reset()
    # Whatever else points at the demo agencies or logins (memberships, tokens, anonymous
    # screenings, ...) goes with them.
    users = User.objects.filter(username__in=[spec.username for spec in USERS])
    leftovers = _rows_referring_to(Agency, agencies) + _rows_referring_to(User, users)
    _delete_in_dependency_order([*leftovers, users, agencies])


def _case_events_delete_all() -> None:
    """Every case event goes (every case is a demo case, checked by the caller).

    On PostgreSQL triggers refuse row deletes and TRUNCATE on this append-only table: the caller
    lifts them for this transaction, and the table is truncated.
    """
    if connection.vendor == "postgresql":
        # Rows that point at events (e.g. the old values kept beside a correction) go with them:
        # PostgreSQL truncates a table only together with the tables referring to it.
        referring = [
            relation.related_model._meta.db_table
            for relation in CaseEvent._meta.related_objects
            if isinstance(relation.related_model, type)
            and not relation.many_to_many
            and relation.related_model is not CaseEvent
        ]
        tables = ", ".join(
            connection.ops.quote_name(name) for name in [CaseEvent._meta.db_table, *referring]
        )
        with connection.cursor() as cursor:
            # Deferred foreign-key checks of rows written in this transaction must run first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE TABLE {tables}")  # noqa: S608 - models' own table names
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        CaseEvent.objects.all().delete()


def _rows_referring_to(
    model: type[models.Model], rows: models.QuerySet[Any]
) -> list[models.QuerySet[Any]]:
    """Every row of any app that points at one of ``rows`` through a foreign key."""
    found = []
    for relation in model._meta.related_objects:
        if relation.many_to_many or relation.field.model is model:
            continue
        related = relation.related_model
        assert not isinstance(related, str)  # noqa: S101 - resolved once apps are ready
        found.append(related._default_manager.filter(**{f"{relation.field.name}__in": rows}))
    return found


def _delete_in_dependency_order(querysets: list[models.QuerySet[Any]]) -> None:
    """Delete querysets whose rows protect each other, retrying until none is left."""
    pending = list(querysets)
    while pending:
        blocked = []
        for queryset in pending:
            try:
                with transaction.atomic():
                    queryset.delete()
            except (ProtectedError, RestrictedError):
                blocked.append(queryset)
        if len(blocked) == len(pending):
            raise CommandError("Demo data could not be deleted: other rows still refer to it.")
        pending = blocked


def _chain_head_model() -> type[models.Model] | None:
    try:
        return apps.get_model("core", "ChainHead")
    except LookupError:
        return None
