"""Name normalisation for matching persons across scripts and spellings.

Every name, written in Kazakh or Russian Cyrillic or in any Latin spelling in use (passport/ICAO
9303, Kazakhstan's 2021 Latin alphabet, informal, German-style), is reduced to one comparison
*skeleton* in a small Latin alphabet.  The skeleton is not a transliteration for display: it
deliberately forgets distinctions that spellings disagree on (zh/j/dj/ž, y/i/ı/й/ы/і, kh/h,
ts/c, ya/ia/ja, doubled letters, Kazakh letters versus their official Russian equivalents).

From the skeleton two more keys are derived:

- the *root* forgets the grammatical form of surnames and patronymics, so that
  "Жумабаева", "Жумабаев" and "Жұмабай" share a root, as do "Кайратовна" and "Қайрат қызы";
- the *coarse* key is a phonetic-ish consonant code of the root, for blocking (finding candidate
  pairs) rather than for deciding.

The functions are pure and deterministic; they depend only on the standard library and on
``anyascii`` as a fallback for letters outside the tables below.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from anyascii import anyascii

__all__ = [
    "NameKeys",
    "NamePart",
    "PartKeys",
    "coarse_key",
    "family_root",
    "given_root",
    "name_keys",
    "name_tokens",
    "heads_key",
    "part_keys",
    "patronymic_root",
    "skeleton",
    "words_skeleton",
]

# --- Look-alike letters from the other keyboard layout -------------------------------------

# Latin letters that look like Cyrillic ones (case matters: lower-case "h" does not look like "н").
_LATIN_TO_CYRILLIC_LOOKALIKE = {
    "a": "а", "A": "А", "B": "В", "c": "с", "C": "С", "e": "е", "E": "Е", "H": "Н", "K": "К",
    "k": "к", "M": "М", "o": "о", "O": "О", "p": "р", "P": "Р", "T": "Т", "x": "х", "X": "Х",
    "y": "у", "Y": "У", "i": "і", "I": "І", "ə": "ә", "Ə": "Ә", "h": "һ",
}  # fmt: skip
_CYRILLIC_TO_LATIN_LOOKALIKE = {
    "а": "a", "А": "A", "В": "B", "с": "c", "С": "C", "е": "e", "Е": "E", "Н": "H", "К": "K",
    "к": "k", "М": "M", "о": "o", "О": "O", "р": "p", "Р": "P", "Т": "T", "х": "x", "Х": "X",
    "у": "y", "У": "Y", "і": "i", "І": "I", "һ": "h", "Һ": "H",
}  # fmt: skip

# --- Cyrillic (Kazakh and Russian) to a broad Latin spelling --------------------------------

# Kazakh letters become their official Russian equivalents (Ә→А, Ө→О, Ү/Ұ→У, Қ→К, Ң→Н, Ғ→Г,
# Һ→Х, І→И), then Russian letters a passport-like Latin spelling that the Latin rules below
# reduce like any other Latin spelling.
_CYRILLIC_TO_LATIN = {
    "ә": "a", "ө": "o", "ү": "u", "ұ": "u", "қ": "k", "ң": "n", "ғ": "g", "һ": "kh", "і": "i",
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    # Ukrainian and Belarusian letters that appear in names written in the region.
    "є": "ie", "ї": "i", "ў": "u", "ґ": "g",
}  # fmt: skip

# Latin letters with diacritics used by the Kazakh Latin alphabets, Turkish-style and
# Czech-style spellings, folded before the digraph rules run.
_LATIN_DIACRITICS = {
    "ä": "a", "á": "a", "à": "a", "â": "a", "ā": "a", "ö": "o", "ó": "o", "ō": "o", "ø": "o",
    "ü": "u", "ū": "u", "ú": "u", "ù": "u", "ý": "y", "ğ": "g", "ǵ": "g", "ş": "sh", "š": "sh",
    "ś": "s", "ç": "ch", "č": "ch", "ć": "ch", "ž": "zh", "ź": "z", "ñ": "n", "ŋ": "n", "ń": "n",
    "ı": "i", "í": "i", "ì": "i", "î": "i", "ï": "i", "é": "e", "è": "e", "ê": "e", "ë": "e",
    "ē": "e", "ě": "e", "q": "k", "ə": "a", "w": "v", "ß": "ss", "ж": "zh",
}  # fmt: skip

# Internal one-letter markers for sounds that Latin spellings write with several letters.
# They are upper-case so that no later lower-case rule can touch them.
_ZH, _SH, _CH, _TS = "J", "W", "C", "Q"
_MARKER_RENDERING = {_ZH: "zh", _SH: "sh", _CH: "ch", _TS: "ts"}

# Ordered rewrite rules for Latin spellings (after diacritics are folded).  German-style
# spellings ("Schumabajewa", "Tatjana", "Sergejewitsch") use different rules for j, ch, sch.
_COMMON_RULES: tuple[tuple[str, str], ...] = (
    ("shch", _SH),
    ("sch", _SH),
    ("dzh", _ZH),
    ("dj", _ZH),
    ("zh", _ZH),
    ("tch", _CH),
    ("ch", _CH),
    ("sh", _SH),
    ("kh", "h"),
    ("ph", "f"),
    ("tz", _TS),
    ("ts", _TS),
    ("ck", "k"),
    ("x", "ks"),
    ("c", "k"),
    ("j", _ZH),
    ("y", "i"),
    ("ou", "u"),
)
# j at the end of a word or before a consonant is a glide in every spelling that uses j for й
# ("Sergej", "Nikolaj", "Ajgerim"); ж is rarely found there.
_FINAL_J = re.compile(r"j$|j(?=[bcdfgklmnpqrstvwxz])")
_GERMAN_RULES: tuple[tuple[str, str], ...] = (
    ("tsch", _CH),
    ("dsch", _ZH),
    ("sch", _SH),
    ("ch", "h"),
    ("j", "y"),
    *_COMMON_RULES,
)
# Uzbek Latin writes х as x ("Xurshid", "Baxtiyor", "Ilxom"); elsewhere x is ks ("Maxim"). An
# x that starts a word or stands next to a consonant is read as х.
_UZBEK_X = re.compile(r"^x|(?<=[bcdfgjklmnpqrtvwz])x|x(?=[bcdfgjklmnpqrtvwz])")
_GERMAN_MARKERS = re.compile(r"sch|w|tz|[aeiou]j$|ij[aeu]|[tln]j[aeu]")

_TURKISH_MARKERS = re.compile(r"[ışğç]")
_TURKISH_C = re.compile(r"c(?!h)")
_VOWELS = "aeiou"
_DOUBLED = re.compile(r"(.)\1+")
_LETTERS = re.compile(r"[a-zJWCQ]+")
_WORD_SPLIT = re.compile(r"[\s\-‐-―_.,;/]+")


def _is_cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u052f"


def _is_latin(char: str) -> bool:
    return (char.isascii() and char.isalpha()) or "\u00c0" <= char <= "\u024f" or char == "ə"


def _fix_lookalikes(word: str) -> tuple[str, bool]:
    """Return the word in one script (look-alikes replaced) and whether that script is Cyrillic."""
    strong_cyrillic = sum(
        1 for c in word if _is_cyrillic(c) and c not in _CYRILLIC_TO_LATIN_LOOKALIKE
    )
    strong_latin = sum(1 for c in word if _is_latin(c) and c not in _LATIN_TO_CYRILLIC_LOOKALIKE)
    if strong_cyrillic == strong_latin:
        strong_cyrillic = sum(1 for c in word if _is_cyrillic(c))
        strong_latin = sum(1 for c in word if _is_latin(c))
    if strong_cyrillic > strong_latin or strong_cyrillic == strong_latin > 0:
        return "".join(_LATIN_TO_CYRILLIC_LOOKALIKE.get(c, c) for c in word), True
    return "".join(_CYRILLIC_TO_LATIN_LOOKALIKE.get(c, c) for c in word), False


def _latin_broad(word: str, *, is_cyrillic: bool) -> tuple[str, bool]:
    """Lower-case broad Latin spelling of one word and whether it looks German-style."""
    word = word.replace("İ", "i").replace("I", "i").lower()
    if is_cyrillic:
        return "".join(_CYRILLIC_TO_LATIN.get(c, c) for c in word), False
    if _TURKISH_MARKERS.search(word):
        # Turkish-style Latin writes ж as c ("Caksıcanov", "Cañıl"); ч is ç there.
        word = _TURKISH_C.sub("ж", word)
    folded = "".join(_LATIN_DIACRITICS.get(c, c) for c in word)
    is_german = bool(_GERMAN_MARKERS.search(word)) and "zh" not in folded
    return folded, is_german


def _reduce(broad: str, *, is_german: bool) -> str:
    """Apply the rewrite rules and the vowel/glide reductions; returns marker form."""
    text = broad
    if not text.isascii():
        text = anyascii(text).lower()
    text = _FINAL_J.sub("y", "".join(c for c in text if c.isalpha()))
    text = _UZBEK_X.sub("h", text)
    for pattern, replacement in _GERMAN_RULES if is_german else _COMMON_RULES:
        text = text.replace(pattern, replacement)
    # Glides: "ye"/"ie"/"je" for Russian е ("Yerlan", "Sergeyevich", "Zhumabayeva") → e,
    # and ё written "yo"/"io" after a consonant ("Pyotr") → e.
    text = text.replace("ie", "e")
    text = re.sub(r"(?<=[bvgdzklmnprstfhJWCQ])io", "e", text)
    return "".join(_LETTERS.findall(text))


def _collapse(marker_form: str) -> str:
    # Doubled letters ("Anna"/"Ana", "Dmitrii"/"Dmitri") carry no information across spellings.
    return _DOUBLED.sub(r"\1", marker_form)


def _render(marker_form: str) -> str:
    return "".join(_MARKER_RENDERING.get(c, c) for c in marker_form)


@lru_cache(maxsize=1 << 18)
def _word_marker_form(word: str) -> str:
    single_script, is_cyrillic = _fix_lookalikes(word)
    broad, is_german = _latin_broad(single_script, is_cyrillic=is_cyrillic)
    form = _reduce(broad, is_german=is_german)
    # Rendering markers back as digraphs can form a new digraph across a letter boundary
    # (с+х+ч → "shch"); reading the rendering again until it is stable keeps keys idempotent.
    for _ in range(3):
        again = _reduce(_render(_collapse(form)), is_german=False)
        if again == _collapse(form):
            break
        form = again
    return form


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).strip()
    return [w for w in _WORD_SPLIT.split(text) if w]


def _marker_words(text: str) -> list[str]:
    forms = (_word_marker_form(w) for w in _words(text))
    return [f for f in forms if f]


def words_skeleton(text: str) -> list[str]:
    """The skeleton of each word of a name, in order ("Қайрат қызы" → ["kairat", "kizi"])."""
    return [_render(_collapse(f)) for f in _marker_words(text)]


def skeleton(text: str) -> str:
    """Canonical comparison key of a name in any script; words are joined without spaces.

    >>> skeleton("ЖУМАБАЕВА") == skeleton("Zhumabayeva") == skeleton("Jumabaeva") == "zhumabaeva"
    True
    """
    return _render(_collapse("".join(_marker_words(text))))


# --- Roots: surname and patronymic forms --------------------------------------------------

# Kazakh and Kyrgyz қызы/ұлы/кызы/уулу, Uzbek қизи/ўғли (qizi, o'g'li, ugli).
_KAZAKH_PATRONYMIC_WORDS = frozenset({"kizi", "uli", "ulu", "kiz", "ul", "ugli", "ogli"})
# Suffixes are matched on the marker form before doubled letters are collapsed, so that
# "Кенжебекқызы" keeps the root's final k; "C" is the marker of ч.
_PATRONYMIC_SUFFIXES = ("ovna", "evna", "oviC", "eviC", "iCna", "iC")
_KAZAKH_PATRONYMIC_SUFFIXES = ("kizi", "uli", "ulu", "ugli", "ogli")
_FAMILY_SUFFIXES = ("skaia", "skaa", "skii", "ski", "ova", "eva", "ina", "ov", "ev", "in")
_MIN_ROOT = 3


def _strip_suffix(text: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if text.endswith(suffix) and len(text) - len(suffix) >= _MIN_ROOT:
            return text[: -len(suffix)]
    return text


def _drop_final_glide(root: str) -> str:
    # "Жұмабай" + "ев" is written "Жумабаев", "Сергей" + "евич" "Сергеевич": the root's final
    # й and vowel disappear before the suffix, so they are dropped from every root.
    if len(root) > _MIN_ROOT and root.endswith("i") and root[-2] in _VOWELS:
        root = root[:-1]
    while len(root) > _MIN_ROOT and root[-1] in _VOWELS:
        root = root[:-1]
    return root


def _root(text: str, suffixes: tuple[str, ...]) -> str:
    words = _marker_words(text)
    if len(words) > 1 and _collapse(words[-1]) in _KAZAKH_PATRONYMIC_WORDS:
        words = words[:-1]
    joined = "".join(words)
    root = _strip_suffix(joined, _KAZAKH_PATRONYMIC_SUFFIXES)
    if root == joined:
        root = _strip_suffix(joined, suffixes)
    return _drop_final_glide(_render(_collapse(root)))


@lru_cache(maxsize=1 << 18)
def family_root(text: str) -> str:
    """Root of a family name, the same for -ов/-ова/-ев/-ева/-ин/-ина, -ұлы/-қызы and bare forms."""
    return _root(text, _FAMILY_SUFFIXES)


@lru_cache(maxsize=1 << 18)
def patronymic_root(text: str) -> str:
    """Root of a patronymic: the father's name ("Кайратовна", "Қайрат қызы" → "kairat")."""
    return _root(text, _PATRONYMIC_SUFFIXES)


def given_root(text: str) -> str:
    """Root of a given name: its skeleton (diminutives are not resolved)."""
    return skeleton(text)


# --- Coarse phonetic key for blocking ------------------------------------------------------

_COARSE_CLASSES = str.maketrans(
    {
        "g": "k", "h": "k", "q": "k",
        "p": "b",
        "f": "v",
        "d": "t",
        "z": "s", "c": "s", "j": "s", "w": "s",
    }
)  # fmt: skip


def coarse_key(root: str, *, length: int = 6) -> str:
    """Phonetic-ish code of a root: first letter, then consonant classes, vowels dropped.

    Sibilants (s, z, zh, sh, ch, ts), velars (k, g, kh) and voiced/voiceless pairs (b/p, d/t, v/f)
    fall together, so the code survives typical spelling and typing variation.
    """
    if not root:
        return ""
    marker = (
        root.replace("shch", "w").replace("zh", "j").replace("sh", "w").replace("ch", "c")
    ).replace("ts", "c")
    head = "a" if marker[0] in _VOWELS else marker[0].translate(_COARSE_CLASSES)
    tail = "".join(c for c in marker[1:] if c not in _VOWELS).translate(_COARSE_CLASSES)
    code = re.sub(r"(.)\1+", r"\1", head + tail)
    return code[:length]


# --- Public per-record keys ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PartKeys:
    """Keys of one name part: full skeleton, form-neutral root, coarse blocking code."""

    skeleton: str
    root: str
    coarse: str

    @property
    def is_missing(self) -> bool:
        return not self.root


@dataclass(frozen=True, slots=True)
class NameKeys:
    """Keys of a person's given name, family name and patronymic.

    ``pair`` is an order-free coarse code of given and family name together (both reduced as
    if they were family names), so that a record with the two swapped gets the same code.
    """

    given: PartKeys
    family: PartKeys
    patronymic: PartKeys
    pair: str

    def blocking_keys(self) -> tuple[str, ...]:
        """Coarse keys for candidate search: the swap-proof pair, then each part alone."""
        keys = [self.pair]
        if self.family.coarse:
            keys.append("f:" + self.family.coarse)
        if self.given.coarse:
            keys.append("g:" + self.given.coarse)
        return tuple(keys)


_EMPTY = PartKeys("", "", "")


NamePart = Literal["given", "family", "patronymic"]


@lru_cache(maxsize=1 << 16)
def part_keys(text: str | None, *, part: NamePart) -> PartKeys:
    """Keys of one name part (remembered: a search scores up to 200 persons, whose names
    repeat)."""
    if not text:
        return _EMPTY
    if part == "family":
        root = family_root(text)
    elif part == "patronymic":
        root = patronymic_root(text)
    else:
        root = given_root(text)
    return PartKeys(skeleton=skeleton(text), root=root, coarse=coarse_key(root))


def name_keys(given: str | None, family: str | None, patronymic: str | None = None) -> NameKeys:
    """Keys for a person's name as written by any agency, in any script.

    >>> a = name_keys("Айгерим", "ЖУМАБАЕВА", "Кайратовна")
    >>> b = name_keys("Aıgerım", "Jumabaeva", "Qaırat qyzy")
    >>> (a.given.root, a.family.root, a.patronymic.root) == (b.given.root, b.family.root,
    ...                                                       b.patronymic.root)
    True
    """
    codes = sorted(coarse_key(family_root(text)) if text else "" for text in (given, family))
    return NameKeys(
        given=part_keys(given, part="given"),
        family=part_keys(family, part="family"),
        patronymic=part_keys(patronymic, part="patronymic"),
        pair="|".join(codes),
    )


def name_tokens(value: str) -> list[str]:
    """Blocking codes of a name: the coarse code of each word and of the whole, as a surname.

    Used with either name part, so that a record with given and family name swapped, or with a
    typo or another spelling in one of them, still shares a code with the other record.
    Codes shorter than two letters say too little to block on and are left out.
    """
    if not value:
        return []
    codes = {coarse_key(family_root(word)) for word in words_skeleton(value)}
    codes.add(coarse_key(family_root(value)))
    return sorted(code for code in codes if len(code) >= 2)


def heads_key(names: NameKeys, length: int) -> str:
    """The first ``length`` letters of the given and family coarse codes, in either order."""
    given, family = names.given.coarse[:length], names.family.coarse[:length]
    return "|".join(sorted((given, family))) if given and family else ""
