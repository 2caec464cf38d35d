"""The Kazakh and Russian catalogues are complete, compiled, and used when a page is rendered."""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

LANGUAGES = ("kk", "ru")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdi]|%[sdi]|\{\w*\}")


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str = ""
    msgid_plural: str = ""
    msgstrs: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def po_entries(path: Path) -> list[Entry]:
    """Parse a .po file: just enough for these checks (polib is not a project dependency)."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal entry, target
        if target is not None:
            entries.append(entry)
        entry, target = Entry(), None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#~"):
            entry.obsolete = True
            continue
        if not line:
            finish()
            continue
        if line.startswith("#,"):
            if target is not None:
                finish()
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            if target is not None:
                finish()
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.startswith('"'):
            text = ast.literal_eval(line)
        else:
            text = ast.literal_eval(rest)
            if keyword in ("msgid", "msgctxt") and target not in (None, ("msgctxt", 0)):
                finish()
            if keyword.startswith("msgstr["):
                target = ("msgstr", int(keyword[7:-1]))
            else:
                target = (keyword, 0)
        assert target is not None
        name, index = target
        if name == "msgid":
            entry.msgid += text
        elif name == "msgctxt":
            entry.msgctxt += text
        elif name == "msgid_plural":
            entry.msgid_plural += text
        elif name == "msgstr":
            entry.msgstrs[index] = entry.msgstrs.get(index, "") + text
    finish()
    return [e for e in entries if e.msgid and not e.obsolete]


def po_path(language: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_many_entries(language: str) -> None:
    assert len(po_entries(po_path(language))) > 300


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_untranslated_entries(language: str) -> None:
    untranslated = [
        e.msgid
        for e in po_entries(po_path(language))
        if not all(e.msgstrs.values()) or not e.msgstrs
    ]
    assert untranslated == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_fuzzy_entries(language: str) -> None:
    fuzzy = [e.msgid for e in po_entries(po_path(language)) if "fuzzy" in e.flags]
    assert fuzzy == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language: str) -> None:
    broken = []
    for e in po_entries(po_path(language)):
        expected = sorted(PLACEHOLDER.findall(e.msgid))
        for text in e.msgstrs.values():
            if sorted(PLACEHOLDER.findall(text)) != expected:
                broken.append((e.msgid, text))
    assert broken == []


@pytest.mark.parametrize(("language", "forms"), [("kk", 2), ("ru", 3)])
def test_plural_entries_have_every_form_of_the_language(language: str, forms: int) -> None:
    plurals = [e for e in po_entries(po_path(language)) if e.msgid_plural]
    assert plurals
    assert all(sorted(e.msgstrs) == list(range(forms)) for e in plurals)


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(language: str) -> None:
    mo = po_path(language).with_suffix(".mo")
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        e.msgid
        for e in po_entries(po_path(language))
        if not e.msgid_plural
        and (compiled.pgettext(e.msgctxt, e.msgid) if e.msgctxt else compiled.gettext(e.msgid))
        != e.msgstrs[0]
    ]
    assert stale == []


def test_russian_plural_uses_the_few_form_for_twenty_two() -> None:
    with po_path("ru").with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    text = compiled.ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", 22)
    assert text == "%(count)d токена отозвано."


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "text"), [("ru", "Войти"), ("kk", "Кіру")])
def test_login_page_is_shown_in_the_language_of_the_cookie(
    client, language: str, text: str
) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert f"<h1>{text}</h1>" in response.content.decode()


@pytest.mark.django_db
def test_login_page_follows_accept_language(client) -> None:
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="kk")
    assert "<h1>Кіру</h1>" in response.content.decode()
