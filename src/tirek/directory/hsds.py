"""The directory as an Open Referral HSDS 3 tabular datapackage: ``datapackage.json`` + CSVs.

Export publishes what the directory pages show (never a shelter's private street address);
import loads a city's existing directory, or Tirek's own export, in one transaction. Bad files
are refused as a whole with a list of problems naming the file, row and column. See
``docs/directory.md`` for the format and the Tirek extensions (kk/ru names, eligibility terms).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import uuid
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.core.audit import audit_record
from tirek.core.errors import DomainError
from tirek.directory.models import (
    Location,
    Place,
    Schedule,
    Service,
    ServiceCapacity,
    ServiceType,
)
from tirek.directory.services import (
    LANGUAGE_CODES,
    WEEKDAYS,
    ScheduleInput,
    ServiceInput,
    _clean,
)

NAMESPACE = uuid.UUID("6f0b7a52-2f4e-4b0e-9a44-5d1b7e3c2a10")
MAX_ZIP_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 20_000
MAX_PROBLEMS = 50

# Taxonomies Tirek uses to carry what HSDS has no column for.
TAXONOMY_SERVICE_TYPE = "tirek-service-type"
TAXONOMY_ELIGIBILITY = "tirek-eligibility"
TAXONOMY_FLAGS = "tirek-flags"
TAXONOMY_ORG_TYPE = "htcds-org-type"
TAXONOMIES = {
    TAXONOMY_SERVICE_TYPE: "Kinds of service of a referral mechanism for victims of trafficking",
    TAXONOMY_ELIGIBILITY: "Who may use a service: sex (sex:F, sex:M), citizenship "
    "(citizenship:citizens, citizenship:foreigners)",
    TAXONOMY_FLAGS: "always_open (service open around the clock), address_private (location "
    "whose street address is given by phone only)",
    TAXONOMY_ORG_TYPE: "HTCDS 2.0 org_Type of the organization",
}

# Table -> its columns, in HSDS 3 names; name_ru/name_kk are Tirek's extensions.
TABLES: dict[str, tuple[str, ...]] = {
    "organization": (
        "id", "name", "alternate_name", "description", "email", "website", "name_ru", "name_kk",
    ),
    "service": (
        "id", "organization_id", "name", "description", "status", "alert",
        "eligibility_description", "minimum_age", "maximum_age", "interpretation_services",
        "application_process", "email", "last_modified", "name_ru", "name_kk",
    ),
    "location": ("id", "location_type", "organization_id", "name", "url"),
    "address": (
        "id", "location_id", "address_1", "city", "region", "state_province", "postal_code",
        "country", "address_type",
    ),
    "service_at_location": ("id", "service_id", "location_id"),
    "service_area": ("id", "service_id", "name", "uri"),
    "unit": ("id", "name", "scheme", "identifier"),
    "service_capacity": (
        "id", "service_id", "unit_id", "available", "maximum", "description", "updated",
    ),
    "schedule": ("id", "service_id", "freq", "byday", "opens_at", "closes_at", "description"),
    "language": ("id", "service_id", "name", "code"),
    "contact": ("id", "service_id", "name", "title", "email"),
    "phone": ("id", "organization_id", "service_id", "contact_id", "number", "type"),
    "taxonomy": ("id", "name", "description"),
    "taxonomy_term": ("id", "code", "name", "description", "taxonomy_id"),
    "attribute": ("id", "link_id", "link_type", "link_entity", "taxonomy_term_id", "value"),
}  # fmt: skip
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "organization": ("id", "name"),
    "service": ("id", "organization_id", "name"),
    "location": ("id",),
    "address": ("location_id",),
    "service_at_location": ("service_id", "location_id"),
    "service_area": ("service_id",),
    "unit": ("id",),
    "service_capacity": ("service_id", "available"),
    "schedule": ("service_id", "byday", "opens_at", "closes_at"),
    "language": ("service_id",),
    "contact": ("id", "service_id"),
    "phone": ("number",),
    "taxonomy": ("id", "name"),
    "taxonomy_term": ("id",),
    "attribute": ("link_id", "taxonomy_term_id"),
}
REQUIRED_TABLES = ("organization", "service")
NUMBER_COLUMNS = {"minimum_age", "maximum_age", "available", "maximum"}


def _id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)))


# --- export ----------------------------------------------------------------------------------


def _term_id(taxonomy: str, code: str) -> str:
    return _id("term", taxonomy, code)


def hsds_tables() -> dict[str, list[dict[str, Any]]]:
    """Every table of the export, rows as dicts keyed by the table's columns."""
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    terms: dict[str, dict[str, Any]] = {}

    def term(taxonomy: str, code: str, name: str) -> str:
        term_id = _term_id(taxonomy, code)
        terms.setdefault(
            term_id,
            {"id": term_id, "code": code, "name": name, "description": "",
             "taxonomy_id": _id("taxonomy", taxonomy)},
        )  # fmt: skip
        return term_id

    def attribute(link_id: object, entity: str, link_type: str, term_id: str) -> None:
        tables["attribute"].append(
            {"id": _id("attribute", link_id, term_id), "link_id": str(link_id),
             "link_type": link_type, "link_entity": entity, "taxonomy_term_id": term_id,
             "value": ""}
        )  # fmt: skip

    services = list(
        Service.objects.exclude(status=Service.Status.DEFUNCT)
        .filter(agency__is_active=True)
        .select_related("agency", "service_type")
        .prefetch_related("areas", "locations", "schedules", "capacities")
        .order_by("agency__name", "name_en", "pk")
    )
    agencies = {s.agency_id: s.agency for s in services}
    for agency in sorted(agencies.values(), key=lambda a: a.name):
        tables["organization"].append(
            {"id": str(agency.pk), "name": agency.name, "alternate_name": agency.short_name,
             "description": agency.description, "email": agency.email,
             "website": agency.website, "name_ru": agency.name_ru, "name_kk": agency.name_kk}
        )  # fmt: skip
        if agency.phone:
            tables["phone"].append(
                {"id": _id("phone", agency.pk), "organization_id": str(agency.pk),
                 "service_id": "", "contact_id": "", "number": agency.phone, "type": "voice"}
            )  # fmt: skip
        attribute(agency.pk, "organization", "org_type",
                  term(TAXONOMY_ORG_TYPE, agency.type, str(agency.type)))  # fmt: skip
    locations: dict[Any, Location] = {}
    for service in services:
        sid = str(service.pk)
        tables["service"].append(
            {"id": sid, "organization_id": str(service.agency_id), "name": service.name_en,
             "description": service.description, "status": service.status,
             "alert": service.alert, "eligibility_description": service.eligibility_description,
             "minimum_age": service.minimum_age, "maximum_age": service.maximum_age,
             "interpretation_services": service.interpretation_services,
             "application_process": service.application_process,
             "email": service.contact_email,
             "last_modified": service.updated_at.isoformat(),
             "name_ru": service.name_ru, "name_kk": service.name_kk}
        )  # fmt: skip
        service_type = service.service_type
        attribute(sid, "service", "service_type",
                  term(TAXONOMY_SERVICE_TYPE, service_type.code, service_type.name_en))  # fmt: skip
        if service.sex != Service.Sex.ANY:
            code = f"sex:{service.sex}"
            attribute(sid, "service", "eligibility", term(TAXONOMY_ELIGIBILITY, code, code))
        if service.citizenship != Service.Citizenship.ANY:
            code = f"citizenship:{service.citizenship}"
            attribute(sid, "service", "eligibility", term(TAXONOMY_ELIGIBILITY, code, code))
        if service.is_always_open:
            attribute(sid, "service", "schedule", term(TAXONOMY_FLAGS, "always_open", "Open 24/7"))
        for place in service.areas.all():
            tables["service_area"].append(
                {"id": _id("area", sid, place.code), "service_id": sid, "name": place.name_en,
                 "uri": f"tirek:place:{place.code}"}
            )  # fmt: skip
        for location in service.locations.all():
            locations[location.pk] = location
            tables["service_at_location"].append(
                {"id": _id("sal", sid, location.pk), "service_id": sid,
                 "location_id": str(location.pk)}
            )  # fmt: skip
        for index, schedule in enumerate(service.schedules.all()):
            tables["schedule"].append(
                {"id": _id("schedule", sid, index), "service_id": sid, "freq": "WEEKLY",
                 "byday": schedule.byday, "opens_at": f"{schedule.opens_at:%H:%M}",
                 "closes_at": f"{schedule.closes_at:%H:%M}",
                 "description": schedule.description}
            )  # fmt: skip
        for code in service.languages or []:
            tables["language"].append(
                {"id": _id("language", sid, code), "service_id": sid, "name": code, "code": code}
            )
        if service.contact_name or service.contact_phone or service.contact_title:
            contact_id = _id("contact", sid)
            tables["contact"].append(
                {"id": contact_id, "service_id": sid, "name": service.contact_name,
                 "title": service.contact_title, "email": service.contact_email}
            )  # fmt: skip
            if service.contact_phone:
                tables["phone"].append(
                    {"id": _id("phone", sid), "organization_id": "", "service_id": sid,
                     "contact_id": contact_id, "number": service.contact_phone, "type": "voice"}
                )  # fmt: skip
        for capacity in service.capacities.all():
            unit_id = _id("unit", capacity.unit)
            if not any(row["id"] == unit_id for row in tables["unit"]):
                tables["unit"].append(
                    {"id": unit_id, "name": capacity.unit.capitalize(), "scheme": "tirek",
                     "identifier": capacity.unit}
                )  # fmt: skip
            tables["service_capacity"].append(
                {"id": str(capacity.pk), "service_id": sid, "unit_id": unit_id,
                 "available": capacity.available, "maximum": capacity.maximum,
                 "description": capacity.description, "updated": capacity.updated.isoformat()}
            )  # fmt: skip
    for location in sorted(locations.values(), key=lambda loc: str(loc.pk)):
        lid = str(location.pk)
        tables["location"].append(
            {"id": lid, "location_type": location.location_type,
             "organization_id": str(location.agency_id), "name": location.name,
             "url": location.url}
        )  # fmt: skip
        if location.is_address_private:
            private = term(TAXONOMY_FLAGS, "address_private", "Address given by phone")
            attribute(lid, "location", "address", private)
        if location.address or location.city_id:
            tables["address"].append(
                {"id": _id("address", lid), "location_id": lid,
                 "address_1": location.public_address,
                 "city": location.city.name_en if location.city else "", "region": "",
                 "state_province": "", "country": "KZ",
                 "postal_code": "" if location.is_address_private else location.postal_code,
                 "address_type": "physical"}
            )  # fmt: skip
    for taxonomy, description in TAXONOMIES.items():
        tables["taxonomy"].append(
            {"id": _id("taxonomy", taxonomy), "name": taxonomy, "description": description}
        )
    tables["taxonomy_term"] = sorted(
        terms.values(), key=lambda row: (row["taxonomy_id"], row["code"])
    )
    return tables


def _datapackage(tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    def column_type(column: str) -> str:
        return "number" if column in NUMBER_COLUMNS else "string"

    return {
        "name": "tirek-service-directory",
        "title": "Tirek service directory (Open Referral HSDS 3)",
        "profile": "tabular-data-package",
        "created": timezone.now().isoformat(),
        "resources": [
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [{"name": c, "type": column_type(c)} for c in TABLES[name]],
                    "primaryKey": "id",
                },
            }
            for name in tables
        ],
    }


def _csv(columns: Iterable[str], rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()


def hsds_filename() -> str:
    return f"tirek-directory-hsds-{timezone.localdate():%Y%m%d}.zip"


def hsds_export() -> bytes:
    """The whole directory as a zipped HSDS datapackage."""
    tables = hsds_tables()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "datapackage.json", json.dumps(_datapackage(tables), ensure_ascii=False, indent=2)
        )
        for name, rows in tables.items():
            archive.writestr(f"{name}.csv", _csv(TABLES[name], rows))
    return buffer.getvalue()


# --- import ----------------------------------------------------------------------------------


class DirectoryImportError(DomainError):
    """The file was refused as a whole; ``problems`` says what is wrong, where."""

    code = "invalid_datapackage"

    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            _("The directory file was not loaded: %(count)d problem(s) found.")
            % {"count": len(problems)}
        )
        self.problems = problems[:MAX_PROBLEMS]


@dataclass
class ImportReport:
    organizations_created: int = 0
    organizations_updated: int = 0
    services_created: int = 0
    services_updated: int = 0
    locations: int = 0


@dataclass
class _Package:
    tables: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def problem(self, table: str, row: int | None, column: str, message: str) -> None:
        where = f"{table}.csv" + (f", {_('row')} {row}" if row else "")
        where += f", {column}" if column else ""
        self.problems.append(f"{where}: {message}")


def _read_package(data: bytes) -> _Package:
    package = _Package()
    if len(data) > MAX_ZIP_BYTES:
        raise DirectoryImportError([_("The file is larger than 5 MB.")])
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = {info.filename: info for info in archive.infolist() if not info.is_dir()}
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise DirectoryImportError(
            [
                _(
                    "This is not a ZIP file. Upload the datapackage zipped: "
                    "datapackage.json and the CSV files."
                )
            ]
        ) from error
    if sum(info.file_size for info in members.values()) > MAX_UNZIPPED_BYTES:
        raise DirectoryImportError([_("The unpacked files are larger than 50 MB.")])
    descriptor = next(
        (name for name in members if name.rsplit("/", 1)[-1] == "datapackage.json"), None
    )
    if descriptor is None:
        raise DirectoryImportError(
            [_("datapackage.json is missing: this is not an HSDS datapackage.")]
        )
    base = descriptor[: -len("datapackage.json")]
    try:
        meta = json.loads(archive.read(descriptor).decode("utf-8-sig"))
        resources = {
            str(r["name"]): base + str(r.get("path") or f"{r['name']}.csv")
            for r in meta.get("resources", [])
            if isinstance(r, dict) and r.get("name")
        }
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as error:
        raise DirectoryImportError(
            [_("datapackage.json is not valid JSON with a list of resources.")]
        ) from error
    for table in TABLES:
        path = resources.get(table) or (
            base + f"{table}.csv" if base + f"{table}.csv" in members else None
        )
        if path is None:
            if table in REQUIRED_TABLES:
                package.problem(table, None, "", _("the table is missing."))
            continue
        if path not in members:
            package.problem(
                table, None, "", _("datapackage.json names this file but it is not in the ZIP.")
            )
            continue
        try:
            text = archive.read(path).decode("utf-8-sig")
        except UnicodeDecodeError:
            package.problem(table, None, "", _("the file is not UTF-8 text."))
            continue
        try:
            reader = csv.DictReader(io.StringIO(text))
            columns = reader.fieldnames or []
            missing = [c for c in REQUIRED_COLUMNS[table] if c not in columns]
            if missing:
                package.problem(
                    table,
                    None,
                    "",
                    _("columns missing: %(columns)s.") % {"columns": ", ".join(missing)},
                )
                continue
            rows = []
            for index, row in enumerate(reader, start=2):
                if index > MAX_ROWS:
                    package.problem(
                        table, None, "", _("more than %(max)d rows.") % {"max": MAX_ROWS}
                    )
                    break
                rows.append(
                    {k: (v or "").strip() for k, v in row.items() if k} | {"_row": str(index)}
                )
        except csv.Error as error:
            package.problem(
                table,
                None,
                "",
                _("the CSV cannot be read (%(error)s).") % {"error": str(error)[:100]},
            )
            continue
        package.tables[table] = rows
    if package.problems:
        raise DirectoryImportError(package.problems)
    return package


def _uuid(value: str) -> uuid.UUID:
    """The row's id as a UUID: itself if it is one, else a stable UUID made from it."""
    try:
        return uuid.UUID(value)
    except ValueError:
        return uuid.uuid5(NAMESPACE, value)


def _number(package: _Package, table: str, row: dict[str, str], column: str) -> int | None:
    text = row.get(column, "")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        package.problem(
            table, int(row["_row"]), column, _("not a number: %(value)s.") % {"value": text[:20]}
        )
        return None
    if number < 0 or number != int(number):
        package.problem(table, int(row["_row"]), column, _("must be a whole number, 0 or more."))
        return None
    return int(number)


def _time(package: _Package, row: dict[str, str], column: str) -> datetime.time | None:
    text = row.get(column, "")[:5]
    try:
        return datetime.time.fromisoformat(text)
    except ValueError:
        package.problem(
            "schedule",
            int(row["_row"]),
            column,
            _("not a time HH:MM: %(value)s.") % {"value": text},
        )
        return None


def _place(places: dict[str, Place], text: str) -> Place | None:
    key = text.strip().lower()
    if key.startswith("tirek:place:"):
        return places.get(key.removeprefix("tirek:place:"))
    return places.get(key)


@transaction.atomic
def hsds_import(*, actor: Actor | None, data: bytes) -> ImportReport:
    """Load a zipped HSDS datapackage: organizations and services are created or updated by id
    (organizations also by exact name). All or nothing: any problem refuses the whole file."""
    package = _read_package(data)
    del data
    tables = package.tables
    report = ImportReport()

    # Vocabulary: taxonomies, terms, attributes by the row they describe.
    taxonomy_names = {row["id"]: row.get("name", "") for row in tables.get("taxonomy", [])}
    terms = {
        row["id"]: (
            taxonomy_names.get(row.get("taxonomy_id", ""), ""),
            row.get("code") or row.get("name", ""),
            row.get("name", ""),
        )
        for row in tables.get("taxonomy_term", [])
    }
    linked: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for row in tables.get("attribute", []):
        term = terms.get(row["taxonomy_term_id"])
        if term is None:
            package.problem(
                "attribute", int(row["_row"]), "taxonomy_term_id", _("no such taxonomy term.")
            )
            continue
        linked[row["link_id"]].append(term)
    service_types = list(ServiceType.objects.filter(is_active=True))
    type_keys: dict[str, ServiceType] = {}
    for known_type in service_types:
        for key in (known_type.code, known_type.name_en, known_type.name_ru, known_type.name_kk):
            if key:
                type_keys.setdefault(key.strip().lower(), known_type)
    places: dict[str, Place] = {}
    for known_place in Place.objects.all():
        for key in (
            known_place.code,
            known_place.name_en,
            known_place.name_ru,
            known_place.name_kk,
        ):
            if key:
                places.setdefault(key.strip().lower(), known_place)

    # Organizations
    organization_ids: dict[str, dict[str, Any]] = {}
    agency_types = set(Agency.Type.values)
    for row in tables["organization"]:
        line = int(row["_row"])
        if not row["id"] or not row["name"]:
            package.problem("organization", line, "name", _("id and name are required."))
            continue
        org_type = next(
            (
                code
                for taxonomy, code, _n in linked[row["id"]]
                if taxonomy == TAXONOMY_ORG_TYPE and code in agency_types
            ),
            Agency.Type.NGO,
        )
        organization_ids[row["id"]] = {
            "pk": _uuid(row["id"]),
            "name": row["name"][:200],
            "short_name": row.get("alternate_name", "")[:60],
            "description": row.get("description", ""),
            "email": row.get("email", "")[:254],
            "website": row.get("website", "")[:200],
            "name_ru": row.get("name_ru", "")[:200],
            "name_kk": row.get("name_kk", "")[:200],
            "type": org_type,
        }

    # Locations and their addresses
    addresses = {row["location_id"]: row for row in tables.get("address", [])}
    location_plans: dict[str, dict[str, Any]] = {}
    for row in tables.get("location", []):
        line = int(row["_row"])
        if row.get("organization_id") and row["organization_id"] not in organization_ids:
            package.problem(
                "location", line, "organization_id", _("no such organization in organization.csv.")
            )
            continue
        address = addresses.get(row["id"], {})
        city = None
        if address.get("city"):
            city = _place(places, address["city"])
            if city is None:
                package.problem(
                    "address",
                    int(address["_row"]),
                    "city",
                    _("unknown city: %(city)s. Add it to the places first.")
                    % {"city": address["city"][:60]},
                )
        private = any(
            t == TAXONOMY_FLAGS and c == "address_private" for t, c, _n in linked[row["id"]]
        )
        location_type = row.get("location_type") or Location.Type.PHYSICAL
        if location_type not in Location.Type.values:
            package.problem(
                "location", line, "location_type", _("must be physical, postal or virtual.")
            )
        location_plans[row["id"]] = {
            "pk": _uuid(row["id"]),
            "organization": row.get("organization_id", ""),
            "name": row.get("name", "")[:200],
            "location_type": location_type,
            "url": row.get("url", "")[:200],
            "address": address.get("address_1", "")[:300],
            "postal_code": address.get("postal_code", "")[:20],
            "city": city,
            "is_address_private": private,
        }

    # What hangs off a service
    by_service: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for table in (
        "service_at_location",
        "service_area",
        "service_capacity",
        "schedule",
        "language",
        "contact",
    ):
        for row in tables.get(table, []):
            by_service[row["service_id"]][table].append(row)
    phones_by_contact = {
        row.get("contact_id", ""): row for row in tables.get("phone", []) if row.get("contact_id")
    }
    phones_by_service = {
        row.get("service_id", ""): row for row in tables.get("phone", []) if row.get("service_id")
    }
    phones_by_org = {
        row.get("organization_id", ""): row
        for row in tables.get("phone", [])
        if row.get("organization_id")
    }
    units = {
        row["id"]: (row.get("identifier") or row.get("name", "")).strip().lower()
        for row in tables.get("unit", [])
    }

    service_plans = []
    for row in tables["service"]:
        line = int(row["_row"])
        sid = row["id"]
        if row["organization_id"] not in organization_ids:
            package.problem(
                "service", line, "organization_id", _("no such organization in organization.csv.")
            )
            continue
        service_type = next(
            (type_keys.get(c.lower()) for t, c, _n in linked[sid] if t == TAXONOMY_SERVICE_TYPE),
            None,
        )
        if service_type is None:
            service_type = next(
                (
                    type_keys[k.lower()]
                    for _t, c, n in linked[sid]
                    for k in (c, n)
                    if k and k.lower() in type_keys
                ),
                None,
            )
        if service_type is None:
            package.problem(
                "service",
                line,
                "",
                _("no kind of service: link a taxonomy term whose code is one of %(codes)s.")
                % {"codes": ", ".join(sorted(s.code for s in service_types))},
            )
            continue
        parts = by_service[sid]
        eligibility = {c for t, c, _n in linked[sid] if t == TAXONOMY_ELIGIBILITY}
        sex = (
            Service.Sex.FEMALE
            if "sex:F" in eligibility
            else Service.Sex.MALE
            if "sex:M" in eligibility
            else Service.Sex.ANY
        )
        citizenship = next(
            (
                c.split(":", 1)[1]
                for c in eligibility
                if c.startswith("citizenship:") and c.split(":", 1)[1] in Service.Citizenship.values
            ),
            Service.Citizenship.ANY,
        )
        languages = []
        for language in parts["language"]:
            code = (language.get("code") or language.get("name", "")).strip().lower()[:2]
            if code in LANGUAGE_CODES and code not in languages:
                languages.append(code)
            elif code not in LANGUAGE_CODES:
                package.problem(
                    "language",
                    int(language["_row"]),
                    "code",
                    _("unknown language code: %(code)s.") % {"code": code},
                )
        contact = parts["contact"][0] if parts["contact"] else {}
        phone = phones_by_contact.get(contact.get("id", "")) or phones_by_service.get(sid) or {}
        areas = []
        for area in parts["service_area"]:
            place = _place(places, area.get("uri", "")) or _place(places, area.get("name", ""))
            if place is None:
                package.problem(
                    "service_area",
                    int(area["_row"]),
                    "name",
                    _("unknown place: %(place)s.")
                    % {"place": (area.get("name") or area.get("uri", ""))[:60]},
                )
            else:
                areas.append(place.pk)
        schedules = []
        for schedule in parts["schedule"]:
            days = tuple(d.strip().upper() for d in schedule["byday"].split(",") if d.strip())
            opens, closes = (
                _time(package, schedule, "opens_at"),
                _time(package, schedule, "closes_at"),
            )
            if any(d not in WEEKDAYS for d in days) or not days:
                package.problem(
                    "schedule",
                    int(schedule["_row"]),
                    "byday",
                    _("days must be MO, TU, WE, TH, FR, SA, SU separated by commas."),
                )
            elif opens and closes:
                schedules.append(
                    ScheduleInput(
                        byday=days,
                        opens_at=opens,
                        closes_at=closes,
                        description=schedule.get("description", ""),
                    )
                )
        capacity: dict[str, Any] | None = None
        if parts["service_capacity"]:
            capacity_row = parts["service_capacity"][0]
            unit = units.get(capacity_row.get("unit_id", ""), "bed")
            if unit not in ServiceCapacity.Unit.values:
                unit = (
                    ServiceCapacity.Unit.PLACE
                    if unit.startswith("place")
                    else ServiceCapacity.Unit.BED
                )
            updated = (
                parse_datetime(capacity_row.get("updated", ""))
                if capacity_row.get("updated")
                else None
            )
            capacity = {
                "pk": _uuid(capacity_row["id"]) if capacity_row.get("id") else None,
                "unit": unit,
                "available": _number(package, "service_capacity", capacity_row, "available"),
                "maximum": _number(package, "service_capacity", capacity_row, "maximum"),
                "description": capacity_row.get("description", "")[:200],
                "updated": updated or timezone.now(),
            }
            if capacity["available"] is None and not capacity_row.get("available"):
                package.problem(
                    "service_capacity",
                    int(capacity_row["_row"]),
                    "available",
                    _("the number of free places is required."),
                )
        service_input = ServiceInput(
            service_type_id=service_type.pk,
            name_en=row["name"],
            name_ru=row.get("name_ru", ""),
            name_kk=row.get("name_kk", ""),
            description=row.get("description", ""),
            status=row.get("status") or Service.Status.ACTIVE,
            alert=row.get("alert", "")[:300],
            eligibility_description=row.get("eligibility_description", ""),
            sex=sex,
            citizenship=citizenship,
            minimum_age=_number(package, "service", row, "minimum_age"),
            maximum_age=_number(package, "service", row, "maximum_age"),
            languages=tuple(languages),
            interpretation_services=row.get("interpretation_services", "")[:300],
            application_process=row.get("application_process", ""),
            contact_name=contact.get("name", "")[:200],
            contact_title=contact.get("title", "")[:200],
            contact_phone=phone.get("number", ""),
            contact_email=contact.get("email") or row.get("email", ""),
            is_always_open=any(
                t == TAXONOMY_FLAGS and c == "always_open" for t, c, _n in linked[sid]
            ),
            area_ids=tuple(areas),
            schedules=tuple(schedules),
        )
        values, errors = _clean(service_input)
        for column, messages in errors.items():
            for message in messages:
                package.problem("service", line, column, str(message))
        locations = []
        for link in parts["service_at_location"]:
            if link["location_id"] not in location_plans:
                package.problem(
                    "service_at_location",
                    int(link["_row"]),
                    "location_id",
                    _("no such location in location.csv."),
                )
            else:
                locations.append(link["location_id"])
        service_plans.append(
            (sid, row["organization_id"], service_input, values, locations, capacity)
        )
    if package.problems:
        raise DirectoryImportError(package.problems)

    # Write
    agencies: dict[str, Agency] = {}
    for key, plan in organization_ids.items():
        agency = (
            Agency.objects.filter(pk=plan["pk"]).first()
            or Agency.objects.filter(name=plan["name"]).first()
        )
        org_phone = phones_by_org.get(key, {}).get("number", "")
        fields = {k: v for k, v in plan.items() if k != "pk"}
        if agency is None:
            agency = Agency.objects.create(id=plan["pk"], phone=org_phone[:20], **fields)
            report.organizations_created += 1
        else:
            for name, value in fields.items():
                setattr(agency, name, value)
            if org_phone:
                agency.phone = org_phone[:20]
            agency.save()
            report.organizations_updated += 1
        agencies[key] = agency
    locations_saved: dict[str, Location] = {}
    for key, plan in location_plans.items():
        owner = agencies.get(plan["organization"])
        values = {k: v for k, v in plan.items() if k not in ("pk", "organization")}
        location = Location.objects.filter(pk=plan["pk"]).first()
        if location is None:
            if owner is None:
                continue  # a location of no organization: kept once a service links it
            location = Location.objects.create(id=plan["pk"], agency=owner, **values)
        else:
            for name, value in values.items():
                setattr(location, name, value)
            location.version += 1
            location.save()
        locations_saved[key] = location
        report.locations += 1
    for sid, organization, service_input, values, location_keys, capacity in service_plans:
        agency = agencies[organization]
        service = Service.objects.filter(pk=_uuid(sid)).first()
        if service is None:
            service = Service.objects.create(
                id=_uuid(sid),
                agency=agency,
                service_type_id=service_input.service_type_id,
                languages=list(service_input.languages),
                **values,
            )
            report.services_created += 1
        else:
            for name, value in values.items():
                setattr(service, name, value)
            service.agency = agency
            service.service_type_id = service_input.service_type_id
            service.languages = list(service_input.languages)
            service.version += 1
            service.save()
            report.services_updated += 1
        service.areas.set(service_input.area_ids)
        linked_locations = []
        for key in location_keys:
            location = locations_saved.get(key)
            if location is None:
                plan = location_plans[key]
                location = Location.objects.create(
                    id=plan["pk"],
                    agency=agency,
                    **{k: v for k, v in plan.items() if k not in ("pk", "organization")},
                )
                locations_saved[key] = location
            linked_locations.append(location)
        service.locations.set(linked_locations)
        service.schedules.all().delete()
        Schedule.objects.bulk_create(
            Schedule(
                service=service,
                byday=",".join(d for d in WEEKDAYS if d in s.byday),
                opens_at=s.opens_at,
                closes_at=s.closes_at,
                description=s.description[:200],
            )
            for s in service_input.schedules
        )
        if capacity is None:
            service.capacities.all().delete()
        else:
            capacity_id: uuid.UUID = capacity["pk"] or _uuid(_id("capacity", sid))
            service.capacities.exclude(pk=capacity_id).delete()
            ServiceCapacity.objects.update_or_create(
                pk=capacity_id,
                defaults={
                    "service": service,
                    "unit": capacity["unit"],
                    "available": capacity["available"],
                    "maximum": capacity["maximum"],
                    "description": capacity["description"],
                    "updated": capacity["updated"],
                },
            )
    audit_record(
        action="directory.imported",
        user_id=actor.user.pk if actor else None,
        agency_id=actor.membership.agency_id if actor else None,
        object_type="directory",
        data=asdict(report),
    )
    return report
