"""One answer for "does not exist" and "exists but is not yours", for every kind of object, in
the API and in pages: a prober learns nothing from the wording (issue 8 item 7)."""

from __future__ import annotations

import re
import uuid

import pytest
from django.utils import translation

from tirek.accounts.actor import Actor
from tirek.accounts.models import Membership, User
from tirek.accounts.roles import Role
from tirek.core.errors import NOT_FOUND_MESSAGE
from tirek.oversight.services import break_glass_open
from tirek.screening.selectors import catalogue_current
from tirek.screening.services import Observation, ScreeningInput, screening_save
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build
from tirek.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db


def _one_message() -> set[str]:
    """NOT_FOUND_MESSAGE in each language the answer may come in."""
    answers = set()
    for language in ("en", "ru", "kk"):
        with translation.override(language):
            answers.add(str(NOT_FOUND_MESSAGE))
    return answers


def _supervisor(username: str, agency) -> Actor:
    user = User.objects.create_user(username=username, password=PASSWORD)
    membership = Membership.objects.create(user=user, agency=agency, role=Role.SUPERVISOR)
    return Actor(user=user, membership=membership)


@pytest.fixture
def objects(people) -> dict[str, str]:
    """One object of each kind, owned by the crisis centre (outside the outsider's circle)."""
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    screening = screening_save(
        actor=people.aigul,
        catalogue=catalogue_current(),
        case=case,
        data=ScreeningInput(scope="labour", observations=[Observation("CD-01", "document")]),
    )
    access = break_glass_open(
        actor=_supervisor("serik", people.police),
        case_reference=case.reference,
        reason="Synthetic emergency: she called from a shop, in danger",
    )
    return {
        "case": str(case.pk),
        "referral": str(referral.pk),
        "consent": str(referral.consent_id),
        "screening": str(screening.pk),
        "access": str(access.pk),
    }


API_CALLS = [
    ("case", "get", "/cases/{}"),
    ("case", "get", "/cases/{}/events"),
    ("case", "get", "/cases/{}/erasure-requests"),
    ("referral", "get", "/referrals/{}"),
    ("consent", "post", "/consents/{}/withdraw"),
    ("screening", "get", "/screenings/{}"),
    ("access", "get", "/break-glass/{}"),
]


@pytest.mark.parametrize(("kind", "method", "path"), API_CALLS)
def test_api_answers_alike_for_an_object_not_yours_and_one_that_does_not_exist(
    people, objects, kind, method, path
):
    outsider = ApiClient(people.outsider)
    hidden = getattr(outsider, method)(path.format(objects[kind]))
    missing = getattr(outsider, method)(path.format(uuid.uuid4()))
    assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json())


@pytest.mark.parametrize(("kind", "method", "path"), API_CALLS)
def test_api_not_found_says_the_one_message(people, objects, kind, method, path):
    response = getattr(ApiClient(people.outsider), method)(path.format(objects[kind]))
    assert response.json()["detail"] in _one_message()


def test_api_erasure_request_of_another_case_answers_like_a_missing_one(people):
    supervisor = _supervisor("gulnara", people.crisis_centre)
    api = ApiClient(supervisor)
    case, other = case_build(people.aigul), case_build(people.aigul)
    created = api.post(f"/cases/{other.pk}/erasure-requests", {"legal_basis": "Art. 16"})
    execute = "/cases/{}/erasure-requests/{}/execute"
    hidden = api.post(execute.format(case.pk, created.json()["id"]))
    missing = api.post(execute.format(case.pk, uuid.uuid4()))
    assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json())


def test_api_unknown_route_says_the_one_message(people):
    response = ApiClient(people.outsider).get("/no-such-thing")
    assert response.json()["detail"] in _one_message()


WEB_PAGES = [
    ("case", "/cases/{}/"),
    ("referral", "/referrals/{}/"),
    ("screening", "/screening/{}/"),
    ("access", "/emergency/{}/"),
]


def _main_text(response) -> str:
    main = re.search(r"<main.*?</main>", response.content.decode(), re.S)
    return re.sub(r"\s+", " ", main.group(0) if main else "")


@pytest.mark.parametrize(("kind", "path"), WEB_PAGES)
def test_pages_answer_alike_for_an_object_not_yours_and_one_that_does_not_exist(
    people, objects, client, kind, path
):
    client.force_login(people.outsider.user)
    hidden = client.get(path.format(objects[kind]), secure=True)
    missing = client.get(path.format(uuid.uuid4()), secure=True)
    assert (hidden.status_code, _main_text(hidden)) == (404, _main_text(missing))


def test_the_not_found_page_says_the_one_message(people, objects, client):
    client.force_login(people.outsider.user)
    page = client.get(f"/cases/{objects['case']}/", secure=True).content.decode()
    assert [m for m in _one_message() if m in page] != []


# The only NotFound with words of its own: they do not depend on whether the object exists.
OWN_WORDS = {
    "No indicator catalogue is installed.",  # a state of the installation, not an object
    # break-glass's neutral refusal, the same for an unknown reference and a closed-off case:
    "This case cannot be opened in an emergency. Check the reference, or ask the agency ",
}


def test_no_service_gives_a_not_found_words_of_its_own():
    """``NotFound()`` carries NOT_FOUND_MESSAGE; a message of its own would tell objects apart."""
    import pathlib

    import tirek

    source = pathlib.Path(tirek.__file__).parent
    own = [
        f"{path.relative_to(source)}: {words}"
        for path in source.rglob("*.py")
        if "tests" not in path.parts
        for words in re.findall(r'NotFound\(\s*_\(\s*"([^"]*)"', path.read_text())
        if words not in OWN_WORDS
    ]
    assert own == []
