"""Value sets of protection work: HTCDS names where the standard has a field, else the words
practitioners use (OSCE/ODIHR NRM handbook, Council of Europe Convention art. 13)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReflectionOutcome(models.TextChoices):
    """What the person decided, or what happened, at the end of the reflection period."""

    ACCEPTS_ASSISTANCE = "accepts_assistance", _("Accepts assistance and protection")
    COOPERATES = "cooperates", _("Accepts assistance and cooperates with the authorities")
    RETURNS = "returns", _("Chooses to return to the country or place of origin")
    DECLINES = "declines", _("Declines further assistance")
    LOST_CONTACT = "lost_contact", _("Contact lost")
    OTHER = "other", _("Other")


class RiskArea(models.TextChoices):
    PERSON = "person", _("Danger to the person from the traffickers")
    FAMILY = "family", _("Danger to the family from the traffickers")
    RETRAFFICKING = "retrafficking", _("Re-trafficking")
    HEALTH = "health", _("Health")
    SELF_HARM = "self_harm", _("Self-harm")


class RiskFactor(models.TextChoices):
    """The factors a worker ticks; each belongs to one area (``RISK_FACTOR_AREA``)."""

    THREATS_RECEIVED = "threats_received", _("Threats received since leaving the situation")
    TRAFFICKERS_KNOW_LOCATION = (
        "traffickers_know_location",
        _("The traffickers know or may find where the person is"),
    )
    TRAFFICKERS_AT_LARGE = "traffickers_at_large", _("The traffickers are at large")
    FAMILY_THREATENED = "family_threatened", _("The family has been threatened")
    FAMILY_INVOLVED = "family_involved", _("Family members were involved in the trafficking")
    DEBT_OUTSTANDING = "debt_outstanding", _("A debt to the traffickers is claimed")
    NO_INCOME = "no_income", _("No income or housing")
    RETURN_TO_SAME_PLACE = (
        "return_to_same_place",
        _("Would return to where the recruitment happened"),
    )
    URGENT_MEDICAL_NEED = "urgent_medical_need", _("Urgent medical need")
    PREGNANCY = "pregnancy", _("Pregnancy")
    SUBSTANCE_DEPENDENCE = "substance_dependence", _("Dependence on alcohol or drugs")
    SELF_HARM_THOUGHTS = "self_harm_thoughts", _("Thoughts of self-harm or suicide")
    SELF_HARM_HISTORY = "self_harm_history", _("Self-harm or a suicide attempt before")


RISK_FACTOR_AREA: dict[str, str] = {
    RiskFactor.THREATS_RECEIVED: RiskArea.PERSON,
    RiskFactor.TRAFFICKERS_KNOW_LOCATION: RiskArea.PERSON,
    RiskFactor.TRAFFICKERS_AT_LARGE: RiskArea.PERSON,
    RiskFactor.FAMILY_THREATENED: RiskArea.FAMILY,
    RiskFactor.FAMILY_INVOLVED: RiskArea.FAMILY,
    RiskFactor.DEBT_OUTSTANDING: RiskArea.RETRAFFICKING,
    RiskFactor.NO_INCOME: RiskArea.RETRAFFICKING,
    RiskFactor.RETURN_TO_SAME_PLACE: RiskArea.RETRAFFICKING,
    RiskFactor.URGENT_MEDICAL_NEED: RiskArea.HEALTH,
    RiskFactor.PREGNANCY: RiskArea.HEALTH,
    RiskFactor.SUBSTANCE_DEPENDENCE: RiskArea.HEALTH,
    RiskFactor.SELF_HARM_THOUGHTS: RiskArea.SELF_HARM,
    RiskFactor.SELF_HARM_HISTORY: RiskArea.SELF_HARM,
}


class SupportType(models.TextChoices):  # spl_Type
    EDUCATION = "Education", _("Education")
    FINANCIAL = "Financial", _("Financial")
    HEALTH = "Health", _("Health")
    LABOUR_REHABILITATION = (
        "LabourExploitationRehabilitation",
        _("Rehabilitation after labour exploitation"),
    )
    LEGAL = "Legal", _("Legal")
    LIVELIHOOD = "Livelihood", _("Livelihood")
    RIGHTS_TRAINING = "RightsBasedTraining", _("Rights-based training")
    SEXUAL_REHABILITATION = (
        "SexualExploitationRehabilitation",
        _("Rehabilitation after sexual exploitation"),
    )
    SOCIAL_CARE = "SocialCare", _("Social care")


class SupportStatus(models.TextChoices):
    NEEDED = "needed", _("Need identified")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_PURSUED = "not_pursued", _("Not pursued")


class GuardianRelation(models.TextChoices):
    PARENT = "parent", _("Parent")
    RELATIVE = "relative", _("Relative")
    APPOINTED_GUARDIAN = "appointed_guardian", _("Guardian appointed by the guardianship authority")
    GUARDIANSHIP_AUTHORITY = "guardianship_authority", _("Guardianship and custody authority")
    LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative (lawyer)")
    OTHER = "other", _("Other")


class BestInterestsDecision(models.TextChoices):
    """What the best-interests determination decided for the child."""

    FAMILY_REUNIFICATION = "family_reunification", _("Reunification with the family")
    ALTERNATIVE_CARE = "alternative_care", _("Alternative care (foster family, care institution)")
    SHELTER = "shelter", _("Stay in a shelter for children")
    RETURN = "return", _("Return to the country of origin")
    SERVICES_WITHOUT_GUARDIAN_CONSENT = (
        "services_without_guardian_consent",
        _("Services and referrals without the guardian's consent"),
    )
    OTHER = "other", _("Other")


class PerpetratorRole(models.TextChoices):  # per_RoleInProcess
    TRAVELLING_PARTNER = "TravellingPartner", _("Travelling partner")
    TRANSPORTER = "Transporter", _("Transporter")
    RECRUITER = "RecruiterOrIntermediary", _("Recruiter or intermediary")
    BROKER = "BrokerTravelAgent", _("Broker or travel agent")
    TRANSFERRED = "TransferredIndividual", _("Transferred the person")
    HARBOURED = "HarbouredIndividual", _("Harboured the person")
    SOLD = "SoldIndividual", _("Sold the person")
    BOUGHT = "BoughtIndividual", _("Bought the person")
    RECEIVED = "ReceivedIndividual", _("Received the person")
    CONTROLLED = "ControlledIndividual", _("Controlled the person")
    SMUGGLER = "Smuggler", _("Smuggler")
    ABUSER = "Abuser", _("Abuser")
    KIDNAPPER = "Kidnapper", _("Kidnapper")
    EXPLOITER = "Exploiter", _("Exploiter")
    OTHER = "Other", _("Other")


class RelationshipToTrafficker(models.TextChoices):  # vic_RelationshipToTrafficker
    FAMILIAL = "Familial", _("Family member")
    ACQUAINTED = "Acquainted", _("Acquaintance")
    UNACQUAINTED = "Unaquainted", _("Stranger")  # the standard's spelling


class ProceedingKind(models.TextChoices):
    """Which proceedings: a case may have several (e.g. criminal against the traffickers and a
    civil claim for wages)."""

    CRIMINAL = "criminal", _("Criminal")
    CIVIL = "civil", _("Civil")
    ADMINISTRATIVE = "administrative", _("Administrative")
    LABOUR = "labour", _("Labour dispute")


class ProceedingRole(models.TextChoices):
    """The person's part in the criminal or civil proceedings."""

    INJURED_PARTY = "injured_party", _("Injured party (victim)")
    WITNESS = "witness", _("Witness")
    CIVIL_CLAIMANT = "civil_claimant", _("Civil claimant")
    NOT_INVOLVED = "not_involved", _("Not taking part")
