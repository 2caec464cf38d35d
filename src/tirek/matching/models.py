"""The candidate index, confirmed/rejected pairs of persons and coordinators' check requests.

Nothing here holds a name in clear: the index stores keyed digests (``blind_index``) of
normalised name keys; pairs and requests point at persons and cases by id.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tirek.core.models import BaseModel


class CandidateKey(models.Model):
    """One blocking key of a person, as a keyed digest: intake search looks persons up by these.

    ``digest`` is the first 32 hex digits (128 bits) of ``blind_index("match:<kind>", key)``.
    """

    id = models.BigAutoField(primary_key=True)
    person = models.ForeignKey(
        "cases.Person", on_delete=models.CASCADE, related_name="candidate_keys"
    )
    digest = models.CharField(max_length=32)

    class Meta:
        indexes = [models.Index(fields=["digest", "person"], name="matching_key_digest")]
        constraints = [
            models.UniqueConstraint(fields=["person", "digest"], name="matching_one_key_per_person")
        ]

    def __str__(self) -> str:
        return "candidate key"


class PersonPair(BaseModel):
    """A decision about two person records: the same person (confirmed) or not (rejected).

    ``person_low``/``person_high`` are ordered by id so that a pair exists once. A confirmation
    links both records to one person without changing either; undoing it keeps the row (status
    ``undone``) and its history (``PersonPairDecision``). Confirmed pairs form the "same person"
    clusters (connected components).
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Same person")
        REJECTED = "rejected", _("Not the same person")
        UNDONE = "undone", _("Confirmation undone")

    person_low = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="+")
    person_high = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    probability = models.FloatField(_("match probability"), null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)  # reason codes, never names
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    check_request = models.ForeignKey(
        "matching.MatchCheckRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("pair of person records")
        verbose_name_plural = _("pairs of person records")
        constraints = [
            models.UniqueConstraint(fields=["person_low", "person_high"], name="matching_one_pair"),
            models.CheckConstraint(
                condition=models.Q(person_low__lt=models.F("person_high")),
                name="matching_pair_ordered",
            ),
        ]
        indexes = [models.Index(fields=["person_high", "status"])]

    def __str__(self) -> str:
        return f"pair {self.pk} {self.status}"


class PersonPairDecision(models.Model):
    """History of a pair: every confirmation, rejection and undo, by whom and when (append-only)."""

    id = models.BigAutoField(primary_key=True)
    pair = models.ForeignKey(PersonPair, on_delete=models.CASCADE, related_name="decisions")
    status = models.CharField(max_length=12, choices=PersonPair.Status.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    actor_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.status} {self.at:%Y-%m-%d %H:%M}"


class MatchCheckRequest(BaseModel):
    """A worker asks the coordinator to check a possible match at an agency she cannot see.

    Holds the requesting agency and user, the requester's case if there is one yet, and the
    cases the engine found (``candidates``). The requester never learns the candidates;
    coordinators see the case references on both sides, never names.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for the coordinator")
        SAME = "same", _("Same person")
        DIFFERENT = "different", _("Not the same person")
        CLOSED = "closed", _("Closed without a decision")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requesting_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("request to check a match")
        verbose_name_plural = _("requests to check a match")

    def __str__(self) -> str:
        return f"check request {self.pk}"


class MatchCheckCandidate(models.Model):
    """A case the engine found for a check request, with its score (codes, no names)."""

    id = models.BigAutoField(primary_key=True)
    request = models.ForeignKey(
        MatchCheckRequest, on_delete=models.CASCADE, related_name="candidates"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    probability = models.FloatField()
    reasons = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-probability", "id"]

    def __str__(self) -> str:
        return "check candidate"


class ReviewCandidate(models.Model):
    """A pair of person records the background review scan is unsure about: ids, the score and
    reason codes, never names. Kept until the pair is decided or a later pass no longer finds it
    in the review band (``scan_pass`` says which pass found it last)."""

    person_low = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="+")
    person_high = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField()
    reasons = models.JSONField(default=list)
    scan_pass = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person_low", "person_high"], name="matching_reviewcandidate_pair"
            )
        ]
        indexes = [models.Index(fields=["-probability"], name="matching_review_best")]

    def __str__(self) -> str:
        return f"{self.person_low_id} ~ {self.person_high_id} ({self.probability:.2f})"


class ReviewScan(models.Model):
    """Where the background review scan stands (one row): the last candidate-index digest it
    scanned in the current pass, so that each run goes on from there."""

    after = models.CharField(max_length=64, blank=True)
    scan_pass = models.PositiveIntegerField(default=1)
    scored = models.PositiveIntegerField(default=0)  # pairs scored in the current pass
    skipped_digests = models.PositiveIntegerField(default=0)  # keys shared by too many persons
    last_complete_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"review scan, pass {self.scan_pass}"
