"""Signed checkpoints of the chain heads, kept outside the database.

The hash chains (``core.chain``) show any edit of a row, but not a chain cut short together with
its head, nor a table rewritten consistently by someone who can run SQL as its owner. A
checkpoint closes that gap: ``tirek audit anchor`` closes the current epoch, and signs (Ed25519)
a digest of every chain's head as of that moment — with the epoch, the number of chains and
events, the audit chain's head, and the time — and appends it as one JSON line to a file that
belongs on write-once storage or another machine, or prints it for a second system.
``tirek audit verify`` recomputes every chain's head as of the latest checkpoint's epoch from
the rows themselves and fails if anything the checkpoint vouched for is missing or different.

Checkpoints hold digests, counts and sequence numbers: no personal data.
"""

from __future__ import annotations

import base64
import datetime
import json
import logging
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.apps import apps
from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from tirek.core.chain import (
    EPOCH_LOCK,
    ChainedModel,
    ChainEpoch,
    ChainHead,
    Link,
    TableReport,
    heads_digest,
    table_verify,
)
from tirek.core.tasks import TransientError, background_task

logger = logging.getLogger("tirek.audit")

FORMAT = 1
AUDIT_CHAIN = "audit"


class AnchorError(Exception):
    """Anchoring or checking a checkpoint failed; the message names no person."""


class AnchorBusy(AnchorError, TransientError):
    """The epoch lock could not be had for now; the periodic task tries again later."""


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode()


def keys_generate() -> tuple[str, str]:
    """A new signing key and its public key, both as url-safe base64."""
    private = Ed25519PrivateKey.generate()
    return _b64(private.private_bytes_raw()), _public_text(private.public_key())


def _public_text(key: Ed25519PublicKey) -> str:
    return _b64(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def _signing_key() -> Ed25519PrivateKey:
    text = settings.TIREK_AUDIT_ANCHOR_KEY
    if not text:
        raise AnchorError(
            "No signing key: set TIREK_AUDIT_ANCHOR_KEY (make one with `tirek audit keygen`)."
        )
    return Ed25519PrivateKey.from_private_bytes(base64.urlsafe_b64decode(text))


def verifying_key(text: str = "") -> Ed25519PublicKey:
    """The public key checkpoints are checked with: given, configured, or from the signing key."""
    text = text or settings.TIREK_AUDIT_ANCHOR_PUBLIC_KEY
    if text:
        try:
            return Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(text))
        except ValueError:
            raise AnchorError("The public key is not 32 bytes in url-safe base64.") from None
    return _signing_key().public_key()


@dataclass(frozen=True)
class Checkpoint:
    """One signed statement of every chain head at the end of an epoch."""

    epoch: int
    at: str
    chains: int
    events: int
    heads: str
    audit_seq: int
    audit_hash: str
    key: str
    format: int = FORMAT
    signature: str = ""

    def payload(self) -> bytes:
        content = {k: v for k, v in asdict(self).items() if k != "signature"}
        return json.dumps(content, sort_keys=True, separators=(",", ":")).encode()

    def line(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    @classmethod
    def parse(cls, line: str) -> Checkpoint:
        try:
            data: dict[str, Any] = json.loads(line)
            return cls(**data)
        except (ValueError, TypeError):
            raise AnchorError("The latest checkpoint is not a checkpoint line.") from None

    def signature_check(self, key: Ed25519PublicKey) -> None:
        if self.key != _public_text(key):
            raise AnchorError(f"Checkpoint {self.epoch} was signed with another key.")
        try:
            key.verify(base64.urlsafe_b64decode(self.signature), self.payload())
        except (InvalidSignature, ValueError):
            raise AnchorError(
                f"Checkpoint {self.epoch}: the signature does not match (the checkpoint was "
                "altered)."
            ) from None


def chained_models() -> list[type[ChainedModel]]:
    """Every table kept as hash chains (the audit log, the case timeline, ...)."""
    found = [m for m in apps.get_models() if issubclass(m, ChainedModel)]
    return sorted(found, key=lambda model: model._meta.label)


def _summary(links: list[Link]) -> dict[str, Any]:
    audit = next((link for link in links if link.chain == AUDIT_CHAIN), None)
    return {
        "chains": len(links),
        "events": sum(link.seq for link in links),
        "heads": heads_digest(links),
        "audit_seq": audit.seq if audit else 0,
        "audit_hash": audit.hash if audit else "",
    }


# How long the anchor tries for the epoch lock without queueing (appenders never wait for a
# mere attempt), then how long it may queue for it (appenders that start meanwhile wait too).
EPOCH_LOCK_TRY_SECONDS = 3.0
EPOCH_LOCK_QUEUE_MS = 2000


def _epoch_lock_exclusive() -> None:
    """Take the epoch lock exclusively, or fail with ``AnchorError`` (tried again later).

    A transaction that appended an event holds the lock shared until it ends. The anchor first
    only *tries* (so a long transaction somewhere never makes everyone else queue behind the
    anchor), then queues for at most ``EPOCH_LOCK_QUEUE_MS``.
    """
    deadline = time.monotonic() + EPOCH_LOCK_TRY_SECONDS
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [EPOCH_LOCK])
            row = cursor.fetchone()
            if row and row[0]:
                return
            if time.monotonic() >= deadline:
                break
            time.sleep(0.05)
        cursor.execute(f"SET LOCAL lock_timeout = {int(EPOCH_LOCK_QUEUE_MS)}")
        try:
            with transaction.atomic():
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [EPOCH_LOCK])
        except OperationalError:
            raise AnchorBusy(
                "The audit tables stayed busy (a long transaction is appending): no checkpoint "
                "now; anchor again later."
            ) from None
        cursor.execute("SET LOCAL lock_timeout = 0")


def checkpoint_take() -> Checkpoint:
    """Close the current epoch and sign every chain head as it stands at its end.

    On PostgreSQL the exclusive advisory lock waits until every transaction appending in this
    epoch has ended (appenders hold it shared) and holds new ones back for the moment the heads
    are read; on SQLite this transaction is the only writer.
    """
    key = _signing_key()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _epoch_lock_exclusive()
        current, _ = ChainEpoch.objects.select_for_update().get_or_create(pk=1)
        epoch = current.epoch
        links = [Link(h.name, h.seq, h.hash) for h in ChainHead.objects.filter(seq__gt=0)]
        ChainEpoch.objects.filter(pk=1).update(epoch=epoch + 1)
    unsigned = Checkpoint(
        epoch=epoch,
        at=timezone.now().astimezone(datetime.UTC).isoformat(timespec="seconds"),
        key=_public_text(key.public_key()),
        **_summary(links),
    )
    signature = _b64(key.sign(unsigned.payload()))
    return Checkpoint(**{**asdict(unsigned), "signature": signature})


def checkpoint_append(checkpoint: Checkpoint, path: Path) -> None:
    """Append one line to the checkpoint file (created readable by its owner only) and sync."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, (checkpoint.line() + "\n").encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def checkpoint_latest(path: Path) -> Checkpoint | None:
    """The last checkpoint in the file, or None when there is none yet."""
    try:
        with path.open(encoding="utf-8") as file:
            last = ""
            for line in file:
                if line.strip():
                    last = line
    except FileNotFoundError:
        return None
    except OSError as error:
        raise AnchorError(f"The checkpoint file cannot be read ({error.strerror}).") from None
    return Checkpoint.parse(last) if last else None


def heads_as_of(epoch: int) -> list[Link]:
    """Every chain's last link written in an epoch up to ``epoch``, from the rows (an index
    lookup per chain: no hash is recomputed)."""
    links: list[Link] = []
    for model in chained_models():
        links.extend(model.chain_heads_as_of(epoch))
    return links


def checkpoint_differences(checkpoint: Checkpoint, links: list[Link]) -> list[str]:
    """What in the database (``links``: heads as of the checkpoint's epoch) differs from what
    the checkpoint signed; empty when the database holds every link it vouched for."""
    found = _summary(links)
    problems = []
    where = f"checkpoint {checkpoint.epoch} ({checkpoint.at})"
    if found["chains"] != checkpoint.chains:
        problems.append(
            f"{where} signed {checkpoint.chains} chains; the database holds "
            f"{found['chains']} of that time"
        )
    if found["events"] != checkpoint.events:
        problems.append(
            f"{where} signed {checkpoint.events} events; the database holds "
            f"{found['events']} of that time"
        )
    if (found["audit_seq"], found["audit_hash"]) != (checkpoint.audit_seq, checkpoint.audit_hash):
        problems.append(
            f"{where}: the audit chain's link {checkpoint.audit_seq} is missing or different "
            f"(the database has {found['audit_seq']} links of that time)"
        )
    if found["heads"] != checkpoint.heads and not problems:
        problems.append(f"{where}: a chain was rewritten (same counts, different links)")
    elif found["heads"] != checkpoint.heads:
        problems.append(f"{where}: the chain heads differ from the signed digest")
    current = ChainEpoch.objects.filter(pk=1).values_list("epoch", flat=True).first() or 1
    if current <= checkpoint.epoch:
        problems.append(
            f"{where}: the database's epoch {current} is not past the checkpoint's (a database "
            "restored from an older backup, or the epoch counter moved back)"
        )
    return problems


def anchor(path: Path | None = None, *, public_key: str = "") -> Checkpoint:
    """Check the database against the latest checkpoint in ``path``, then take a new one and
    append it there. Refuses to sign over a database that lost what was signed before."""
    if path is not None:
        previous = checkpoint_latest(path)
        if previous is not None:
            previous.signature_check(verifying_key(public_key))
            problems = checkpoint_differences(previous, heads_as_of(previous.epoch))
            if problems:
                _record("audit.anchor_refused", previous, {"problems": problems})
                raise AnchorError("; ".join(problems))
    checkpoint = checkpoint_take()
    if path is not None:
        checkpoint_append(checkpoint, path)
    _record(
        "audit.anchored",
        checkpoint,
        {"chains": checkpoint.chains, "events": checkpoint.events, "heads": checkpoint.heads},
    )
    logger.info(
        "Audit checkpoint %s: %s chains, %s events",
        checkpoint.epoch,
        checkpoint.chains,
        checkpoint.events,
    )
    return checkpoint


def _record(action: str, checkpoint: Checkpoint, data: dict[str, Any]) -> None:
    """The anchoring itself goes on the audit chain (in the next epoch): the data protection
    officer's audit log lists every checkpoint and every refusal."""
    from tirek.core.audit import audit_record

    with transaction.atomic():
        audit_record(
            action=action,
            user_id=None,
            agency_id=None,
            object_type="checkpoint",
            object_id=checkpoint.epoch,
            data=data,
        )


@dataclass
class Verification:
    reports: list[TableReport]
    orphan_heads: list[tuple[str, int]]
    checkpoint: Checkpoint | None
    checkpoint_problems: list[str]

    @property
    def ok(self) -> bool:
        return (
            all(report.ok for report in self.reports)
            and not self.orphan_heads
            and not self.checkpoint_problems
        )


def chains_verify(checkpoint: Checkpoint | None = None) -> Verification:
    """Recompute every chain of every chained table; compare with the heads and, if given, with
    a checkpoint (whose signature the caller has checked)."""
    heads = {head.name: head for head in ChainHead.objects.all()}
    as_of = checkpoint.epoch if checkpoint else None
    reports = [table_verify(model, as_of=as_of, heads=heads) for model in chained_models()]
    orphans = sorted((name, head.seq) for name, head in heads.items() if head.seq)
    problems: list[str] = []
    if checkpoint is not None:
        links = [link for report in reports for link in report.heads_as_of]
        problems = checkpoint_differences(checkpoint, links)
    return Verification(reports, orphans, checkpoint, problems)


@background_task(retries=3, backoff_seconds=60)
def audit_anchor() -> None:
    """The periodic anchor: a checkpoint to ``TIREK_AUDIT_ANCHOR_FILE``. A database that lost
    what an earlier checkpoint signed fails the task (visible to operators), never retried."""
    if not (settings.TIREK_AUDIT_ANCHOR_KEY and settings.TIREK_AUDIT_ANCHOR_FILE):
        return
    try:
        anchor(Path(settings.TIREK_AUDIT_ANCHOR_FILE))
    except AnchorBusy as error:
        logger.warning("Audit anchoring postponed: %s", error)
        raise
    except AnchorError as error:
        logger.error("Audit anchoring refused: %s", error)  # noqa: TRY400 - no traceback needed
        raise


def anchor_schedule_register() -> bool:
    """Have the scheduler anchor every ``TIREK_AUDIT_ANCHOR_MINUTES`` when a key and a file are
    configured (``CoreConfig.ready``); True if it was registered."""
    from tirek.core.tasks import periodic_register

    minutes = settings.TIREK_AUDIT_ANCHOR_MINUTES
    if not (minutes and settings.TIREK_AUDIT_ANCHOR_KEY and settings.TIREK_AUDIT_ANCHOR_FILE):
        return False
    periodic_register(
        name="audit.anchor", task=audit_anchor, every=datetime.timedelta(minutes=minutes)
    )
    return True


def runtime_grants(role: str) -> list[str]:
    """PostgreSQL statements (run as the tables' owner, after every ``migrate``) that let the
    application's runtime ``role`` do its work but never change or remove an audit row.

    The role may read and write every table, and append to the chained tables, but not
    ``UPDATE``, ``DELETE`` or ``TRUNCATE`` them, nor delete chain heads or the epoch; as it owns
    nothing it cannot ``ALTER TABLE`` to switch the guarding triggers off either.
    """
    if connection.vendor != "postgresql":
        raise AnchorError("Grants are for PostgreSQL; SQLite has no roles.")
    quote = connection.ops.quote_name
    who = quote(role)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        row = cursor.fetchone()
    schema = quote(row[0] if row else "public")
    events = ", ".join(quote(m._meta.db_table) for m in chained_models())
    kept = ", ".join(quote(m._meta.db_table) for m in (ChainHead, ChainEpoch))
    return [
        f"GRANT USAGE ON SCHEMA {schema} TO {who};",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {who};",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {who};",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {who};",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {who};",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {events} FROM {who};",
        f"REVOKE DELETE, TRUNCATE ON {kept} FROM {who};",
    ]


def runtime_role_apply(role: str, password: str | None) -> list[str]:
    """Run as the tables' owner: create the runtime ``role`` (a login that owns nothing) if it
    does not exist, set its password when one is given, and give it ``runtime_grants``.

    Idempotent: ``migrate`` runs it after every migration, so new tables get their privileges.
    Returns the grant statements it ran.
    """
    statements = runtime_grants(role)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = %s", [role])
        found = cursor.fetchone()
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()
        if owner and owner[0] == role:
            raise AnchorError(
                f"The runtime role {role} is the role these statements run as: the runtime role "
                "must be another one, which owns nothing."
            )
        if found and (found[0] or found[1]):
            raise AnchorError(
                f"The role {role} is a superuser or may create roles: the runtime role must be "
                "an ordinary login."
            )
        if found is None and password is None:
            raise AnchorError(
                f"The role {role} does not exist: create it (CREATE ROLE {role} LOGIN PASSWORD "
                "...) or set TIREK_RUNTIME_DATABASE_URL with its password."
            )
        if password is not None:
            # PostgreSQL quotes the name and the password itself (no parameters in DDL).
            verb = "ALTER" if found else "CREATE"
            cursor.execute(
                f"SELECT format('{verb} ROLE %%I LOGIN PASSWORD %%L', %s::text, %s::text)",
                [role, password],
            )
            made = cursor.fetchone()
            if made is None:
                raise AnchorError(f"The role {role} could not be prepared.")
            cursor.execute(made[0])
        for statement in statements:
            cursor.execute(statement)
    return statements
