"""Hash chains that make tampering with append-only event tables detectable.

Each row carries ``seq`` (its place in the chain), ``prev_hash`` and ``hash`` =
SHA-256(prev_hash || canonical JSON of the row's content). Editing, deleting or reordering a row
breaks every hash after it; ``tirek audit verify`` recomputes the chains.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

GENESIS = "0" * 64


def _default(value: object) -> str:
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    return str(value)


def chain_hash(prev_hash: str, content: dict[str, Any]) -> str:
    """The hash of one link: pure, so verification needs nothing but the rows."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=_default)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


class ChainHead(models.Model):
    """The last link of each chain; locked while a link is appended so links never fork."""

    name = models.CharField(max_length=32, primary_key=True)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS)

    class Meta:
        app_label = "core"

    def __str__(self) -> str:
        return f"{self.name}@{self.seq}"


class ChainedModel(models.Model):
    """An append-only model whose rows are linked by hashes. Subclasses define ``chain_content``."""

    CHAIN: str = ""

    seq = models.BigIntegerField(unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuntimeError("This table is append-only.")
        with transaction.atomic():
            head, _ = ChainHead.objects.select_for_update().get_or_create(name=self.CHAIN)
            if getattr(self, "at", None) is None:
                self.at = timezone.now()
            self.seq = head.seq + 1
            self.prev_hash = head.hash
            self.hash = chain_hash(self.prev_hash, self.chain_content())
            super().save(*args, **kwargs)
            ChainHead.objects.filter(name=self.CHAIN).update(seq=self.seq, hash=self.hash)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("This table is append-only.")

    def chain_content(self) -> dict[str, Any]:
        raise NotImplementedError


@dataclass(frozen=True)
class ChainReport:
    chain: str
    rows: int
    first_broken_seq: int | None

    @property
    def ok(self) -> bool:
        return self.first_broken_seq is None


def chain_verify(chain: str, rows: Iterable[ChainedModel]) -> ChainReport:
    """Recompute a chain from its rows in ``seq`` order; report the first broken link."""
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
