"""Documents of a case: type and size checked, stored encrypted, every download recorded,
private ones kept with their agency, erased with the person."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import translation

from tirek.cases.models import CaseEvent
from tirek.casework.models import CaseAttachment
from tirek.casework.services import attachment_add, attachment_download
from tirek.core.errors import NotFound
from tirek.referrals.services import referral_accept
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build
from tirek.web.tests.support import SecureClient

PDF = b"%PDF-1.4\n% synthetic consent form of Testgul Synthetova\n%%EOF\n"


@pytest.fixture
def shared(people):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    return case


def _add(actor, case, content=PDF, private=False, filename="consent.pdf"):
    return attachment_add(
        actor=actor,
        case_id=case.pk,
        kind=CaseAttachment.Kind.CONSENT_FORM,
        filename=filename,
        content=content,
        private=private,
    )


def test_a_document_is_stored_encrypted_and_each_download_recorded(people, shared):
    item = _add(people.aigul, shared, filename="C:\\scans\\consent.pdf")
    assert (item.filename, item.content_type, item.size) == (
        "consent.pdf",
        "application/pdf",
        len(PDF),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM casework_caseattachment")
        raw = bytes(cursor.fetchone()[0])
    assert b"Synthetova" not in raw
    _, content = attachment_download(actor=people.dana, attachment_id=item.pk)
    attachment_download(actor=people.aigul, attachment_id=item.pk)
    assert content == PDF
    downloads = shared.events.filter(kind=CaseEvent.Kind.ATTACHMENT_DOWNLOADED)
    assert downloads.count() == 2


def test_type_and_size_are_checked_by_content(people, shared, settings):
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        _add(people.aigul, shared, content=b"MZ\x90\x00 an executable", filename="consent.pdf")
    assert "Only PDF, JPEG and PNG" in str(refused.value)
    settings.TIREK_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        _add(people.aigul, shared, content=PDF + b"0" * 2048)
    assert "too large" in str(refused.value)
    assert not CaseAttachment.objects.exists()


def test_a_private_document_stays_with_its_agency(people, shared):
    item = _add(people.aigul, shared, private=True)
    with pytest.raises(NotFound):
        attachment_download(actor=people.dana, attachment_id=item.pk)
    with pytest.raises(NotFound):
        attachment_download(actor=people.outsider, attachment_id=item.pk)
    page = SecureClient()
    page.force_login(people.dana.user)
    content = page.get(reverse("cases:detail", args=[shared.pk]) + "?tab=notes").content.decode()
    assert "consent.pdf" not in content


def test_upload_and_download_on_the_page(people, shared):
    client = SecureClient()
    client.force_login(people.aigul.user)
    response = client.post(
        reverse("casework:attachment_add", args=[shared.pk]),
        {"kind": "consent_form", "file": SimpleUploadedFile("form.pdf", PDF)},
    )
    assert response["Location"].endswith("?tab=notes#attachments")
    item = CaseAttachment.objects.get()
    download = client.get(reverse("casework:attachment_download", args=[item.pk]))
    assert download.content == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Cache-Control"] == "no-store"
    bad = client.post(
        reverse("casework:attachment_add", args=[shared.pk]),
        {"kind": "consent_form", "file": SimpleUploadedFile("form.pdf", b"not a pdf")},
    )
    assert bad.status_code == 422 and "Only PDF, JPEG and PNG" in bad.content.decode()


def test_the_api_uploads_lists_and_downloads(people, shared):
    api = ApiClient(people.aigul)
    response = api.client.post(
        f"/api/v1/cases/{shared.pk}/attachments",
        {"kind": "consent_form", "file": SimpleUploadedFile("form.pdf", PDF)},
        secure=True,
        HTTP_AUTHORIZATION=f"Bearer {api.secret}",
    )
    assert response.status_code == 201, response.content
    listed = api.get(f"/cases/{shared.pk}/attachments").json()
    assert [a["filename"] for a in listed] == ["form.pdf"]
    download = api.get(f"/attachments/{listed[0]['id']}/download")
    assert download.content == PDF
    assert (
        ApiClient(people.outsider).get(f"/attachments/{listed[0]['id']}/download").status_code
        == 404
    )


def test_documents_survive_key_rotation(people, shared, settings):
    from django.core.management import call_command

    from tirek.core import crypto

    item = _add(people.aigul, shared)
    old_key = crypto._derived_key("encryption").decode()
    new_key = "A" * 43 + "="
    settings.TIREK_ENCRYPTION_KEYS = [new_key, old_key]
    crypto.keys_reset()
    try:
        call_command("rotate_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
        settings.TIREK_ENCRYPTION_KEYS = [new_key]
        crypto.keys_reset()
        assert bytes(CaseAttachment.objects.get(pk=item.pk).data) == PDF
    finally:
        crypto.keys_reset()
