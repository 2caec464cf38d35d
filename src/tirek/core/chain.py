"""Hash chains that make tampering with append-only event tables detectable.

A table holds one or more chains: the audit log is one chain (``audit``), the case timeline one
chain per case (``case:<case id>``), so people working on different cases never wait for each
other. Each row carries ``seq`` (its place in its chain), ``epoch`` (the anchoring period it was
written in), ``prev_hash`` and ``hash`` = SHA-256(prev_hash || canonical JSON of the row's
content). Editing, deleting or reordering a row breaks every hash after it in its chain; the
chain's head row (``ChainHead``) holds the last link, so cutting the last rows off is seen unless
the head is rewound too — which an anchored checkpoint (``core.anchor``) exposes.

Appending (``chain_append``) locks the heads of the chains it extends, in name order (a batch
touching many cases never deadlocks with another), and on PostgreSQL takes a *shared* advisory
lock that only ``tirek audit anchor`` takes exclusively: appenders never wait for each other on
it, and the anchor sees a moment at which every row of the closing epoch is committed.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import connection, models, transaction
from django.utils import timezone

GENESIS = "0" * 64
# pg_advisory_xact_lock key of the anchoring epoch ("tirek" + 1); shared by appenders.
EPOCH_LOCK = 0x74697265_6B000001


def _default(value: object) -> str:
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    return str(value)


def chain_hash(prev_hash: str, content: dict[str, Any]) -> str:
    """The hash of one link: pure, so verification needs nothing but the rows."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=_default)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


class ChainHead(models.Model):
    """The last link of each chain; locked while links are appended so a chain never forks."""

    name = models.CharField(max_length=64, primary_key=True)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS)

    class Meta:
        app_label = "core"

    def __str__(self) -> str:
        return f"{self.name}@{self.seq}"


class ChainEpoch(models.Model):
    """The current anchoring epoch (one row). Every appended row records it; ``tirek audit
    anchor`` signs the heads as of the end of the epoch and starts the next one."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    epoch = models.BigIntegerField(default=1)

    class Meta:
        app_label = "core"

    def __str__(self) -> str:
        return f"epoch {self.epoch}"


class ChainedModel(models.Model):
    """An append-only model whose rows are linked by hashes.

    Subclasses define ``chain_content`` and either ``CHAIN`` (one chain for the table) or
    ``chain_name()`` (a chain per key, e.g. per case).
    """

    CHAIN: str = ""

    seq = models.BigIntegerField(editable=False)
    epoch = models.BigIntegerField(editable=False, default=0)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuntimeError("This table is append-only.")
        chain_append([self])

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("This table is append-only.")

    def chain_name(self) -> str:
        return self.CHAIN

    def chain_content(self) -> dict[str, Any]:
        raise NotImplementedError

    @classmethod
    def chain_rows(cls) -> Iterator[ChainedModel]:
        """Every row, chain after chain, each chain in ``seq`` order (for verification)."""
        return cls._default_manager.order_by("seq").iterator(chunk_size=2000)

    @classmethod
    def chain_heads_as_of(cls, epoch: int) -> list[Link]:
        """Each chain's last link written in an epoch up to ``epoch`` (one chain here)."""
        last = cls._default_manager.filter(epoch__lte=epoch).order_by("-seq").first()
        return [Link(last.chain_name(), last.seq, last.hash)] if last else []


Chained = TypeVar("Chained", bound=ChainedModel)


def epoch_enter() -> int:
    """The current epoch, held (shared) until the transaction ends. Call inside ``atomic``."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Two statements: the epoch must be read by a statement that starts after the lock
            # is granted, or it could see the epoch an anchor has just closed.
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [EPOCH_LOCK])
            cursor.execute("SELECT epoch FROM core_chainepoch WHERE id = 1")
            row = cursor.fetchone()
        return int(row[0]) if row else 1
    # SQLite: transactions are IMMEDIATE (settings.py), so this one already holds the only
    # write lock, and an anchor (a write) cannot run until it ends.
    current = ChainEpoch.objects.filter(pk=1).values_list("epoch", flat=True).first()
    return current or 1


def _heads_lock(names: list[str]) -> dict[str, ChainHead]:
    """Lock the heads of ``names`` in name order (one order for every transaction: no deadlock),
    creating the heads of new chains."""
    locked = ChainHead.objects.select_for_update().filter(name__in=names).order_by("name")
    heads = {head.name: head for head in locked}
    missing = [name for name in names if name not in heads]
    if missing:
        ChainHead.objects.bulk_create([ChainHead(name=n) for n in missing], ignore_conflicts=True)
        heads = {head.name: head for head in locked.all()}
    return heads


def chain_append(rows: Sequence[Chained]) -> list[Chained]:
    """Append ``rows`` (unsaved instances of one model) to their chains in one transaction.

    Rows of one chain are linked in the order given. One INSERT for all rows and one UPDATE of
    the heads, whatever the number of chains: recording that a list showed fifty cases costs
    the same few statements as one case.
    """
    if not rows:
        return []
    model = type(rows[0])
    if any(type(row) is not model or not row._state.adding for row in rows):
        raise RuntimeError("This table is append-only: only new rows of one model are appended.")
    with transaction.atomic():
        epoch = epoch_enter()
        now = timezone.now()
        chains: dict[str, list[Chained]] = {}
        for row in rows:
            if getattr(row, "at", None) is None:
                row.at = now  # type: ignore[attr-defined]
            chains.setdefault(row.chain_name(), []).append(row)
        heads = _heads_lock(sorted(chains))
        for name, links in chains.items():
            head = heads[name]
            for row in links:
                row.seq = head.seq + 1
                row.epoch = epoch
                row.prev_hash = head.hash
                row.hash = chain_hash(row.prev_hash, row.chain_content())
                head.seq, head.hash = row.seq, row.hash
        model._default_manager.bulk_create(rows)
        _heads_move([heads[name] for name in sorted(chains)])
    return list(rows)


def _heads_move(heads: list[ChainHead]) -> None:
    """Store the heads' new last links with one UPDATE from a list of values.

    The heads stay locked until the transaction ends, so the time spent here holds up every
    other request reading the same cases: plain SQL, not ``bulk_update``, whose CASE WHEN
    expressions cost a list page's read record more Python time than the rest of the append.
    """
    table = connection.ops.quote_name(ChainHead._meta.db_table)
    values = ", ".join(["(%s, CAST(%s AS bigint), %s)"] * len(heads))
    # The table name comes from the model; every value is a parameter.
    sql = (
        f"UPDATE {table} SET seq = v.column2, hash = v.column3 "  # noqa: S608
        f"FROM (VALUES {values}) AS v WHERE {table}.name = v.column1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for head in heads for value in (head.name, head.seq, head.hash)])


@dataclass(frozen=True)
class ChainReport:
    chain: str
    rows: int
    first_broken_seq: int | None

    @property
    def ok(self) -> bool:
        return self.first_broken_seq is None


def chain_verify(chain: str, rows: Iterable[ChainedModel]) -> ChainReport:
    """Recompute one chain from its rows in ``seq`` order; report the first broken link."""
    prev = GENESIS
    expected_seq = 1
    count = 0
    for row in rows:
        count += 1
        if (
            row.seq != expected_seq
            or row.prev_hash != prev
            or chain_hash(prev, row.chain_content()) != row.hash
        ):
            return ChainReport(chain=chain, rows=count, first_broken_seq=expected_seq)
        prev = row.hash
        expected_seq += 1
    head = ChainHead.objects.filter(name=chain).first()
    if head is not None and (head.seq != count or head.hash != prev):
        return ChainReport(chain=chain, rows=count, first_broken_seq=count + 1)
    return ChainReport(chain=chain, rows=count, first_broken_seq=None)


@dataclass(frozen=True)
class Link:
    """One chain's head: its name, sequence number and hash."""

    chain: str
    seq: int
    hash: str


@dataclass
class TableReport:
    """The verification of every chain of one table."""

    table: str
    chains: int = 0
    rows: int = 0
    broken: list[tuple[str, int]] = field(default_factory=list)
    # Each chain's last link written in an epoch up to ``as_of`` (what a checkpoint signed).
    heads_as_of: list[Link] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.broken


def table_verify(
    model: type[ChainedModel], *, as_of: int | None = None, heads: dict[str, ChainHead]
) -> TableReport:
    """Recompute every chain of ``model``'s table and compare each with its head.

    ``heads`` is every ``ChainHead`` by name; the ones this table's chains match are removed, so
    what remains after all tables is a head whose rows are gone. With ``as_of``, also collect
    each chain's last link of an epoch up to ``as_of``, for comparison with a checkpoint.
    """
    report = TableReport(table=model._meta.label)
    name = ""
    prev = GENESIS
    expected = 1
    epoch = 0
    broken = False
    last_as_of: Link | None = None

    def close() -> None:
        if not name:
            return
        report.chains += 1
        head = heads.pop(name, None)
        if not broken and (head is None or head.seq != expected - 1 or head.hash != prev):
            report.broken.append((name, expected))
        if last_as_of is not None:
            report.heads_as_of.append(last_as_of)

    for row in model.chain_rows():
        report.rows += 1
        row_chain = row.chain_name()
        if row_chain != name:
            close()
            name, prev, expected, epoch, broken, last_as_of = row_chain, GENESIS, 1, 0, False, None
        if broken:
            continue
        if (
            row.seq != expected
            or row.prev_hash != prev
            or row.epoch < epoch
            or chain_hash(prev, row.chain_content()) != row.hash
        ):
            broken = True
            report.broken.append((name, expected))
            continue
        if as_of is not None and row.epoch <= as_of:
            last_as_of = Link(name, row.seq, row.hash)
        prev, expected, epoch = row.hash, expected + 1, row.epoch
    close()
    return report


def heads_digest(links: Iterable[Link]) -> str:
    """One SHA-256 over every chain head, in chain name order: what a checkpoint signs."""
    digest = hashlib.sha256()
    for link in sorted(links, key=lambda link: link.chain):
        digest.update(f"{link.chain} {link.seq} {link.hash}\n".encode())
    return digest.hexdigest()
