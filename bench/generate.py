"""Synthetic person records with known truth, as several agencies would write them.

Every person is invented: given names are drawn from lists of common Kazakh and Russian names
(Zipf-weighted), surnames from long-tailed ranked pools calibrated to Kazakhstan's published
surname frequencies (``--surnames legacy``: the earlier, far more concentrated ones),
patronymics from invented fathers, birth dates at random.  Each person is then
written down by one to several agencies, each with its habits: police in Russian-form Cyrillic
with full dates, a crisis centre in Kazakh Cyrillic, passport (ICAO 9303) Latin, Kazakhstan's
2021 Latin alphabet, informal Latin, German-style Latin; with partial or missing dates, typos,
look-alike letters from the other keyboard layout and swapped given and family names.  Siblings
share family name and patronymic; namesakes share names but not birth dates.

    python -m bench.generate --rows 100000 --seed 7 --out bench/out

writes ``records-100000.csv`` (record_id,given_name,family_name,patronymic,sex,birth_date,
citizenship) and ``truth-100000.csv`` (record_id,person_id).
"""

from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import itertools
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import iuliia
from faker.providers.person.ru_RU import Provider as RussianNames

KAZAKH_MALE = (
    "Қайрат Ерлан Нұрлан Бауыржан Асқар Дәурен Ержан Серік Жандос Ғалым Әділет Болат Мұрат "
    "Талғат Ербол Арман Нұрсұлтан Марат Бекзат Айдос Дархан Ринат Ақжол Мейрам Данияр Ілияс "
    "Жұмабай Сейітқали Кенжебек Төлеген Есентай Құдайберген Өмірзақ Сәрсенбай Мырзахмет Рахым "
    "Тілеубай Жақсылық Бақыт Қанат Азамат Олжас Елжас Мақсат Нұржан Әлібек Ақан Әбілқайыр "
    "Байжан Дулат Есім Жанболат Қуаныш Медет Нұрбол Отаршы Сұлтан Темірлан Ұлан Шыңғыс Шәкен "
    "Айбек Берік Ғабит Жарқын Исатай Қасым Мәди Сағындық Тұрсын Үмбет Хамит Бекет Ахмет"
).split()
KAZAKH_FEMALE = (
    "Айгерім Әсел Динара Гүлназ Жанар Айнұр Мәдина Салтанат Гүлмира Ақмарал Шолпан Аружан "
    "Дана Жібек Зарина Інжу Камила Ләззат Мөлдір Назерке Перизат Раушан Сәуле Толқын Ұлжан "
    "Үміт Хадиша Шынар Айдана Алуа Аяжан Балнұр Ботагөз Гаухар Дариға Әйгерім Жұлдыз Индира "
    "Кәмшат Қарлығаш Күнсұлу Ляйлә Меруерт Нұргүл Сабина Сымбат Тоғжан Ұлдана Әмина Айша "
    "Әлия Бибігүл Ғалия Жаңыл Зейнеп Маржан Назым Айым Арайлым Ақбота"
).split()
# Kazakh male names are often compounds ("Жұма" + "бай", "Нұр" + "бек"); combining common
# parts gives a realistic spread of ancestors' and fathers' names, hence of surnames.
_KAZAKH_NAME_HEADS = (
    "Жұма Нұр Ер Бек Сейіт Құдай Төле Есен Сәрсен Мырза Тілеу Жақсы Қана Бақ Ораз Темір Айт "
    "Әлі Қожа Бай Дос Жан Мұхамед Сары Ақ Қара Тұр Ұзақ Қали Әбді Шай Күн Ай Мейір Сыз Жар"
).split()
_KAZAKH_NAME_TAILS = (
    "бай бек жан хан ғали болат тай ұлан бол қали ахмет құл берген бақ тас сұлтан мұрат ғазы"
).split()
KAZAKH_ANCESTORS = tuple(
    dict.fromkeys([*KAZAKH_MALE, *(h + t for h in _KAZAKH_NAME_HEADS for t in _KAZAKH_NAME_TAILS)])
)

# --- Surnames with a realistic long tail ----------------------------------------------------
# Kazakhstan's Ministry of Justice counted (2014, as quoted in the press) Ахметов/а as the
# commonest surname, 73,627 bearers of 17.2 million (0.43 %), and the 33 commonest surnames
# together at about 4.8 % of residents.  Most Kazakh surnames are an ancestor's given name with
# -ов/-ев/-ин (-ова/-ева/-ина), so there are thousands of them; Uzbek, Uyghur, Tatar, Kyrgyz and
# Tajik surnames are built the same way.  The pools below are ranked, commonest first, and drawn
# with Zipf weights calibrated to those two figures (see ``SURNAME_EXPONENTS``).

# The head: roots of surnames that published lists put among the commonest in Kazakhstan.
_TURKIC_SURNAME_HEAD = (
    "Ахмет Омар Абдрахман Ибрагим Исмаил Сүлеймен Исқақ Жақып Қасым Оспан Садық Сұлтан Мұса "
    "Әбдіғали Серік Нұрлан Тоқтар Жұмабай Байжан Қали Смағұл Мұқан Бекмұхамбет Ержан Хасен "
    "Рахым Кәрім Бейсен Жүсіп Исабай Оразбай Нұрғали Сейітқали Құсайын Әбдіраман Мұхаметжан"
).split()
# Arabic- and Persian-origin names common as surname roots across Central Asia (Kazakh, Uzbek,
# Uyghur, Tatar, Kyrgyz, Tajik), and Turkic names.
_TURKIC_SURNAME_MORE = (
    "Юсуп Абдулла Турсын Мамат Назар Хамит Рашит Шакир Ғафур Хабиб Латып Ғалий Хабибулла "
    "Ғилман Файзулла Нұрий Рахман Саит Шәріп Асан Үсен Тоқтоғұл Әкім Әзиз Әнуар Бақтияр "
    "Жалил Зайнулла Ислам Камал Мансұр Мақсұт Мұрат Мырза Насыр Нияз Рүстем Сабыр Сайлау "
    "Салық Сәлім Тахир Усман Фазыл Ханафия Шамиль Ыдырыс Ілияс Яхия Әлім Әшім Байбол Баймахан "
    "Бәкір Дәулет Дүйсен Есмағамбет Жұмаш Зейнолла Иманғали Қабдолла Қадыр Қайыр Құрман "
    "Мағауия Мәжит Мүтәллап Оспанали Өтеген Сәдуақас Сатыбалды Сыздық Тәжібай Төлеу Шаймерден "
    "Әбіл Әміре Бисен Ғабдолла Досан Ерғали Жанұзақ Кемел Қуандық Мейман Нәби Рақыш Сапар "
    "Тұрар Уәли Хайролла Шәймұрат Әубәкір Аманжол Бөкей Дәуен Жәнібек Көшер Ораз Тұяқ Шоқан"
).split()
_TURKIC_HEADS = (
    "Жұма Нұр Ер Бек Сейіт Құдай Төле Есен Сәрсен Мырза Тілеу Жақсы Қана Бақ Ораз Темір Айт "
    "Әлі Қожа Бай Дос Жан Мұхамед Сары Ақ Қара Тұр Ұзақ Қали Әбді Шай Күн Ай Мейір Сыз Жар "
    "Ал Аман Әбіл Бақы Бер Бол Дәу Ел Ес Жау Жол Жұрт Қай Қос Құл Мал Мың Орын Сәт Сұлу Тас "
    "Тоқ Тұрсын Ұл Үмбет Шал Шын Ыс Іс Көк Кен Ілес Саты Қыдыр Өте Тұңғыш"
).split()
_TURKIC_TAILS = (
    "бай бек жан хан ғали болат тай ұлан бол қали ахмет құл берген бақ тас сұлтан мұрат ғазы "
    "мағанбет ғазы жол кен бергенов теке тұр баев назар мұхамбет ембай"
).split()
_TURKIC_TAILS = [t for t in dict.fromkeys(_TURKIC_TAILS) if not t.endswith("ов")]


def _turkic_surname_roots() -> tuple[str, ...]:
    """About 7,000 ranked roots: the head as published, then the rest in a fixed random order."""
    compounds = [h + t for h in _TURKIC_HEADS for t in _TURKIC_TAILS]
    # Two name parts ("Ер" + "бол", "Нұр" + "жан", "Бек" + "ай"): Kazakh names are compounds.
    compounds += [h + t.lower() for h in _TURKIC_HEADS for t in _TURKIC_HEADS if h != t]
    rest = list(dict.fromkeys([*_TURKIC_SURNAME_MORE, *KAZAKH_MALE, *compounds]))
    rest = [r for r in rest if r not in _TURKIC_SURNAME_HEAD]
    random.Random(2014).shuffle(rest)
    return tuple(dict.fromkeys([*_TURKIC_SURNAME_HEAD, *rest]))


TURKIC_SURNAME_ROOTS = _turkic_surname_roots()

# Surnames of Slavic, Korean and German families in Kazakhstan: Russian (Faker's list, in its
# frequency order), Ukrainian (-енко, -ук, -чук: the same for women and men), Korean and German.
_KOREAN_SURNAMES = (
    "Ким Пак Ли Цой Тен Хван Югай Ни Шин Кан Хан Нам Тян Хегай Лим Огай Пай Ан Ден Кван Мун"
).split()
_GERMAN_SURNAMES = (
    "Шмидт Миллер Вебер Шульц Циммерман Фишер Беккер Вагнер Мейер Келлер Гейер Рейнгардт "
    "Фризен Нейфельд Классен Функ Гольман Бауэр Вольф Шнайдер Гофман Кох Рихтер Краузе Бергер "
    "Франк Лоренц Гартман Кайзер Штейнгауэр Эрдман Фогель Винтер Зоммер Гергерт Диль Фаст"
).split()


def _slavic_surnames() -> tuple[tuple[str, str], ...]:
    """Ranked (male, female) surname forms of Slavic, Korean and German families."""
    from faker.providers.person.uk_UA import Provider as UkrainianNames

    russian = list(zip(RussianNames.last_names_male, RussianNames.last_names_female, strict=True))
    ukrainian = [
        name for name in UkrainianNames.last_names
        if set(name.lower()) <= set("абвгдежзийклмнопрстуфхцчшщьюя")
        and name.endswith(("енко", "ук", "юк", "чук", "ко"))
    ]  # fmt: skip
    indeclinable = [(n, n) for n in (*_KOREAN_SURNAMES, *_GERMAN_SURNAMES, *ukrainian)]
    head = [russian[1], (_KOREAN_SURNAMES[0],) * 2, russian[0], *russian[2:8]]
    rest = [*russian[8:], *indeclinable]
    rest = [r for r in dict.fromkeys(rest) if r not in head]
    random.Random(2014).shuffle(rest)
    return tuple(dict.fromkeys([*head, *rest]))


SLAVIC_SURNAMES = _slavic_surnames()
# Zipf exponents of the two pools (Turkic, Slavic), calibrated so that among persons the
# commonest surname is about 0.45 % and the 33 commonest together about 5 %.
SURNAME_EXPONENTS = (0.48, 0.3)
# Share of Kazakh families whose surname is the ancestor's name with ұлы/қызы.
KAZAKH_ULY_SURNAME = 0.02
# Deliberate hard cases (both generators): 15 % of families have two or three children
# (siblings: same family name and patronymic), and after 3 % of families a namesake of a
# recent person is added (same given and family name, other birth date, 30 % the same
# patronymic); realistic: a third of those namesakes are born in the same year.
FAMILY_WITH_SIBLINGS = 0.15
NAMESAKE_RATE = 0.03
NAMESAKE_SAME_YEAR = 1 / 3


# Russian male names with their patronymics (son, daughter): the father of a Russian person.
RUSSIAN_FATHERS = (
    ("Александр", "Александрович", "Александровна"), ("Сергей", "Сергеевич", "Сергеевна"),
    ("Владимир", "Владимирович", "Владимировна"), ("Андрей", "Андреевич", "Андреевна"),
    ("Алексей", "Алексеевич", "Алексеевна"), ("Николай", "Николаевич", "Николаевна"),
    ("Дмитрий", "Дмитриевич", "Дмитриевна"), ("Иван", "Иванович", "Ивановна"),
    ("Виктор", "Викторович", "Викторовна"), ("Юрий", "Юрьевич", "Юрьевна"),
    ("Михаил", "Михайлович", "Михайловна"), ("Игорь", "Игоревич", "Игоревна"),
    ("Олег", "Олегович", "Олеговна"), ("Евгений", "Евгеньевич", "Евгеньевна"),
    ("Василий", "Васильевич", "Васильевна"), ("Анатолий", "Анатольевич", "Анатольевна"),
    ("Геннадий", "Геннадьевич", "Геннадьевна"), ("Павел", "Павлович", "Павловна"),
    ("Пётр", "Петрович", "Петровна"), ("Валерий", "Валерьевич", "Валерьевна"),
    ("Григорий", "Григорьевич", "Григорьевна"), ("Константин", "Константинович",
    "Константиновна"), ("Илья", "Ильич", "Ильинична"), ("Фёдор", "Фёдорович", "Фёдоровна"),
    ("Вячеслав", "Вячеславович", "Вячеславовна"), ("Роман", "Романович", "Романовна"),
)  # fmt: skip
CITIZENSHIPS = (("KAZ", 0.84), ("UZB", 0.06), ("KGZ", 0.04), ("RUS", 0.04), ("TJK", 0.02))

_KAZAKH_TO_RUSSIAN = str.maketrans("әөүұқңғһіӘӨҮҰҚҢҒҺІ", "аоуукнгхиАОУУКНГХИ")
_VOWELS_CYR = set("аәеёиоөуұүыіэюяАӘЕЁИОӨУҰҮЫІЭЮЯ")
_KZ2021 = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ё": "io",
    "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n",
    "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū",
    "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "ş", "щ": "şş", "ъ": "",
    "ы": "y", "і": "ı", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip
_GERMAN = {
    "а": "a", "б": "b", "в": "w", "г": "g", "д": "d", "е": "e", "ё": "jo", "ж": "sch", "з": "s",
    "и": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch",
    "щ": "schtsch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "ju", "я": "ja",
}  # fmt: skip
_LOOKALIKES = {"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "А": "A", "Е": "E",
               "О": "O", "Р": "P", "С": "C", "К": "K", "М": "M", "Т": "T", "Н": "H"}  # fmt: skip
_KEYBOARD_NEIGHBOURS_LAT = "qwertyuiopasdfghjklzxcvbnm"
_KEYBOARD_NEIGHBOURS_CYR = "йцукенгшщзхфывапролджэячсмитьбю"


def _table_translate(text: str, table: dict[str, str]) -> str:
    out = []
    for char in text:
        lower = char.lower()
        latin = table.get(lower, lower)
        out.append(latin.capitalize() if char != lower else latin)
    return "".join(out)


@cache
def kazakh_2021_latin(text: str) -> str:
    """Kazakhstan's 2021 Latin alphabet (one of its published variants)."""
    return _table_translate(text, _KZ2021)


@cache
def german_latin(text: str) -> str:
    """German-style spelling of a Russian-form name ("Жумабаева" → "Schumabajewa")."""
    out = []
    for i, char in enumerate(text):
        lower = char.lower()
        after_vowel = i > 0 and text[i - 1] in _VOWELS_CYR
        latin = "je" if lower == "е" and (i == 0 or after_vowel) else _GERMAN.get(lower, lower)
        out.append(latin.capitalize() if char != lower else latin)
    return "".join(out)


_SCHEMES = {
    "icao": iuliia.ICAO_DOC_9303,
    "wikipedia": iuliia.WIKIPEDIA,
    "mvd": iuliia.MVD_782,
    "telegram": iuliia.TELEGRAM,
    "bgn": iuliia.BGN_PCGN_ALT,
}


@cache
def romanise(text: str, scheme: str) -> str:
    return str(_SCHEMES[scheme].translate(text))


def russian_form(text: str) -> str:
    """Kazakh letters replaced by their official Russian equivalents."""
    return text.translate(_KAZAKH_TO_RUSSIAN)


# --- Sampling helpers ----------------------------------------------------------------------


class Zipf:
    """Draw from a sequence with Zipf-like weights (first items most common)."""

    def __init__(self, items: Sequence[int | str | tuple[str, ...]], exponent: float = 0.9):
        self.items = list(items)
        weights = [1 / (rank + 1) ** exponent for rank in range(len(self.items))]
        self.cumulative = list(itertools.accumulate(weights))

    def draw(self, rng: random.Random) -> int:
        return bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])


def _family_forms(root: str, *, female: bool) -> tuple[str, str]:
    """Russian official form and Kazakh form of a surname built on an ancestor's name."""
    if root.endswith("й"):
        stem, suffix = root[:-1], "ев"
    elif root[-1] in _VOWELS_CYR:
        stem, suffix = root[:-1], "ин"
    elif root[-1] in "жшщчц":
        stem, suffix = root, "ев"
    else:
        stem, suffix = root, "ов"
    kazakh = stem + suffix + ("а" if female else "")
    return russian_form(kazakh), kazakh


def _kazakh_patronymic(father: str, *, female: bool, rng: random.Random) -> tuple[str, str]:
    russian_father = russian_form(father)
    stem = russian_father[:-1] if russian_father.endswith("й") else russian_father
    ending = "ев" if russian_father.endswith("й") or russian_father[-1] in _VOWELS_CYR else "ов"
    russian = stem + ending + ("на" if female else "ич")
    marker = "қызы" if female else "ұлы"
    kazakh = father + (" " + marker if rng.random() < 0.5 else marker)
    return russian, kazakh


@dataclass(frozen=True, slots=True)
class Person:
    person_id: int
    sex: str
    given: str  # Kazakh-form Cyrillic (or Russian for Russian persons)
    family_ru: str
    family_kz: str
    patronymic_ru: str
    patronymic_kz: str
    birth: dt.date
    citizenship: str
    is_kazakh: bool


Surnames = Literal["realistic", "legacy"]


class PersonFactory:
    """Invented persons, with families: siblings share a father and ancestors.

    ``surnames="realistic"`` (default) draws surnames from the long-tailed pools above and
    makes a share of the deliberate namesakes be born in the same year;
    ``surnames="legacy"`` is the earlier generator (about 1,000 surnames, the commonest 2.3 %
    of persons), kept so that earlier figures can be reproduced.
    """

    def __init__(self, rng: random.Random, surnames: Surnames = "realistic"):
        self.rng = rng
        self.realistic = surnames == "realistic"
        self.turkic_surname = Zipf(range(len(TURKIC_SURNAME_ROOTS)), SURNAME_EXPONENTS[0])
        self.slavic_surname = Zipf(range(len(SLAVIC_SURNAMES)), SURNAME_EXPONENTS[1])
        # Given names: the commonest is about 7 % of persons (more than in life).  Legacy
        # surnames: about 700 ancestors, the commonest surname 2.3 % of persons.
        self.kz_male = Zipf(range(len(KAZAKH_MALE)), 0.7)
        self.kz_female = Zipf(range(len(KAZAKH_FEMALE)), 0.7)
        self.kz_ancestor = Zipf(range(len(KAZAKH_ANCESTORS)), 0.6)
        self.ru_male = Zipf(range(len(RussianNames.first_names_male)), 0.6)
        self.ru_female = Zipf(range(len(RussianNames.first_names_female)), 0.6)
        self.ru_family = Zipf(range(len(RussianNames.last_names_male)), 0.5)
        self.fathers = Zipf(range(len(RUSSIAN_FATHERS)))
        self.birth_start = dt.date(1965, 1, 1).toordinal()
        self.birth_span = dt.date(2008, 12, 31).toordinal() - self.birth_start

    def _citizenship(self) -> str:
        r = self.rng.random()
        for code, share in CITIZENSHIPS:
            if r < share:
                return code
            r -= share
        return "KAZ"

    def family(self, first_id: int) -> list[Person]:
        """One person, sometimes with siblings (same family name and patronymic)."""
        rng = self.rng
        is_kazakh = rng.random() < 0.75
        size = 1 if rng.random() < 1 - FAMILY_WITH_SIBLINGS else rng.choice((2, 2, 3))
        citizenship = self._citizenship()
        if self.realistic:
            ancestor = TURKIC_SURNAME_ROOTS[self.turkic_surname.draw(rng)]
        else:
            ancestor = KAZAKH_ANCESTORS[self.kz_ancestor.draw(rng)]
        father_kz = KAZAKH_ANCESTORS[self.kz_ancestor.draw(rng)]
        father_ru = RUSSIAN_FATHERS[self.fathers.draw(rng)]
        ru_family = self.ru_family.draw(rng)
        slavic = SLAVIC_SURNAMES[self.slavic_surname.draw(rng)] if self.realistic else None
        uly = self.realistic and rng.random() < KAZAKH_ULY_SURNAME
        base_birth = self.birth_start + rng.randrange(self.birth_span)
        persons: list[Person] = []
        for offset in range(size):
            female = rng.random() < 0.75
            sex = "F" if female else "M"
            if is_kazakh:
                pool, zipf = (
                    (KAZAKH_FEMALE, self.kz_female) if female else (KAZAKH_MALE, self.kz_male)
                )
                given = pool[zipf.draw(rng)]
                if uly:  # "Ахметұлы", "Ахметқызы": written so by every agency
                    family_kz = ancestor + ("қызы" if female else "ұлы")
                    family_ru = russian_form(family_kz)
                else:
                    family_ru, family_kz = _family_forms(ancestor, female=female)
                    if rng.random() < 0.1:
                        family_kz = ancestor  # the bare Kazakh form
                patronymic_ru, patronymic_kz = _kazakh_patronymic(father_kz, female=female, rng=rng)
            else:
                names, zipf = (
                    (RussianNames.first_names_female, self.ru_female)
                    if female
                    else (RussianNames.first_names_male, self.ru_male)
                )
                given = names[zipf.draw(rng)]
                family_ru = (RussianNames.last_names_female if female else
                             RussianNames.last_names_male)[ru_family]  # fmt: skip
                if slavic:
                    family_ru = slavic[1] if female else slavic[0]
                family_kz = family_ru
                patronymic_ru = patronymic_kz = father_ru[2] if female else father_ru[1]
            gap = offset * rng.randint(300, 2500)
            birth = base_birth + gap
            if birth > self.birth_start + self.birth_span:
                birth = base_birth - gap  # an older sibling rather than one born too late
            persons.append(
                Person(
                    person_id=first_id + offset,
                    sex=sex,
                    given=given,
                    family_ru=family_ru,
                    family_kz=family_kz,
                    patronymic_ru=patronymic_ru,
                    patronymic_kz=patronymic_kz,
                    birth=dt.date.fromordinal(birth),
                    citizenship=citizenship,
                    is_kazakh=is_kazakh,
                )
            )
        return persons

    def namesake(self, person: Person, person_id: int) -> Person:
        """Another person with the same name, born on another day (realistic: a third of them
        in the same year, so that a record with a birth year only fits both)."""
        if self.realistic and self.rng.random() < NAMESAKE_SAME_YEAR:
            birth = person.birth
            while birth == person.birth:
                birth = person.birth.replace(
                    month=self.rng.randint(1, 12), day=self.rng.randint(1, 28)
                )
        else:
            shift = self.rng.choice((-1, 1)) * self.rng.randint(200, 8000)
            birth = dt.date.fromordinal(
                min(max(person.birth.toordinal() + shift, self.birth_start),
                    self.birth_start + self.birth_span)
            )  # fmt: skip
        keep_patronymic = self.rng.random() < 0.3
        other = self.family(person_id)[0]
        return Person(
            person_id=person_id,
            sex=person.sex,
            given=person.given,
            family_ru=person.family_ru,
            family_kz=person.family_kz,
            patronymic_ru=person.patronymic_ru if keep_patronymic else other.patronymic_ru,
            patronymic_kz=person.patronymic_kz if keep_patronymic else other.patronymic_kz,
            birth=birth,
            citizenship=person.citizenship,
            is_kazakh=person.is_kazakh,
        )


# --- Agencies' habits ----------------------------------------------------------------------

Row = tuple[str, str, str, str, str, str]  # given, family, patronymic, sex, birth, citizenship


def _date(birth: dt.date, rng: random.Random, full: float, month: float, year: float) -> str:
    r = rng.random()
    if r < full:
        noise = rng.random()
        if noise < 0.02:
            birth = birth.replace(day=rng.randint(1, 28))
        elif noise < 0.03:
            birth = birth.replace(year=birth.year + rng.choice((-1, 1)), day=min(birth.day, 28))
        elif noise < 0.05 and birth.day <= 12:
            # Day and month swapped (09.03 written for 03.09).
            birth = birth.replace(month=birth.day, day=birth.month)
        return birth.isoformat()
    if r < full + month:
        return birth.isoformat()[:7]
    if r < full + month + year:
        return str(birth.year)
    return ""


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.random()
    if kind < 0.3:
        return text[:i] + text[i + 1 :]
    if kind < 0.55:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind < 0.75:
        return text[:i] + text[i] + text[i:]
    alphabet = _KEYBOARD_NEIGHBOURS_CYR if "\u0400" <= text[i] <= "\u04ff" else (
        _KEYBOARD_NEIGHBOURS_LAT
    )  # fmt: skip
    replacement = rng.choice(alphabet)
    return text[:i] + (replacement.upper() if text[i].isupper() else replacement) + text[i + 1 :]


def _lookalikes(text: str, rng: random.Random) -> str:
    return "".join(_LOOKALIKES[c] if c in _LOOKALIKES and rng.random() < 0.5 else c for c in text)


def police(p: Person, rng: random.Random) -> Row:
    """Russian-form Cyrillic, family name in capitals, Russian patronymic, full date."""
    family = p.family_ru.upper() if rng.random() < 0.6 else p.family_ru
    return (russian_form(p.given), family, p.patronymic_ru, p.sex,
            _date(p.birth, rng, 0.97, 0.01, 0.02), p.citizenship)  # fmt: skip


def crisis_centre(p: Person, rng: random.Random) -> Row:
    """Kazakh Cyrillic with Kazakh letters and -қызы/-ұлы patronymics, often approximate dates."""
    kazakh_patronymic = rng.random() < 0.7
    return (p.given, p.family_kz if rng.random() < 0.7 else p.family_ru,
            p.patronymic_kz if kazakh_patronymic else p.patronymic_ru,
            p.sex if rng.random() < 0.9 else "", _date(p.birth, rng, 0.6, 0.15, 0.15),
            p.citizenship if rng.random() < 0.7 else "")  # fmt: skip


def passport(p: Person, rng: random.Random) -> Row:
    """ICAO 9303 Latin of the Russian-form name, capitals, no patronymic, full date."""
    given, family = romanise(russian_form(p.given), "icao"), romanise(p.family_ru, "icao")
    return (given.upper(), family.upper(), "", p.sex,
            _date(p.birth, rng, 0.99, 0.0, 0.0), p.citizenship)  # fmt: skip


def embassy(p: Person, rng: random.Random) -> Row:
    """Kazakhstan 2021 Latin alphabet of the Kazakh form."""
    patronymic = kazakh_2021_latin(p.patronymic_kz) if rng.random() < 0.5 else ""
    return (kazakh_2021_latin(p.given), kazakh_2021_latin(p.family_kz), patronymic, p.sex,
            _date(p.birth, rng, 0.9, 0.05, 0.03), p.citizenship)  # fmt: skip


def hospital(p: Person, rng: random.Random) -> Row:
    """Informal Latin, often only a birth year, sometimes given and family name swapped."""
    scheme = rng.choice(("wikipedia", "mvd", "telegram", "bgn", "icao"))
    given = romanise(russian_form(p.given), scheme)
    family = romanise(p.family_ru, scheme)
    patronymic = romanise(p.patronymic_ru, scheme) if rng.random() < 0.3 else ""
    if rng.random() < 0.2:
        given, family = family, given
    return (given, family, patronymic, p.sex if rng.random() < 0.8 else "",
            _date(p.birth, rng, 0.3, 0.1, 0.5), "")  # fmt: skip


def foreign_ngo(p: Person, rng: random.Random) -> Row:
    """German-style Latin of the Russian form."""
    return (german_latin(russian_form(p.given)), german_latin(p.family_ru), "",
            p.sex, _date(p.birth, rng, 0.7, 0.1, 0.1),
            p.citizenship if rng.random() < 0.5 else "")  # fmt: skip


AGENCIES: tuple[tuple[Callable[[Person, random.Random], Row], float], ...] = (
    (police, 0.3),
    (crisis_centre, 0.25),
    (passport, 0.15),
    (embassy, 0.1),
    (hospital, 0.15),
    (foreign_ngo, 0.05),
)


def record_write(p: Person, rng: random.Random) -> Row:
    """One agency's record of a person, with that agency's habits and occasional errors."""
    r = rng.random()
    chosen = AGENCIES[0][0]
    for agency, share in AGENCIES:
        chosen = agency
        if r < share:
            break
        r -= share
    given, family, patronymic, sex, birth, citizenship = chosen(p, rng)
    if rng.random() < 0.08:
        part = rng.randrange(3)
        if part == 0:
            given = _typo(given, rng)
        elif part == 1:
            family = _typo(family, rng)
        else:
            patronymic = _typo(patronymic, rng)
    if rng.random() < 0.03:
        given, family, patronymic = (_lookalikes(given, rng), _lookalikes(family, rng),
                                     _lookalikes(patronymic, rng))  # fmt: skip
    return given, family, patronymic, sex, birth, citizenship


def records_generate(
    rows: int, seed: int = 7, surnames: Surnames = "realistic"
) -> Iterator[tuple[str, int, Row]]:
    """Yield (record_id, person_id, row) for ``rows`` records; deterministic for a seed."""
    rng = random.Random(seed)
    factory = PersonFactory(rng, surnames)
    produced = 0
    next_person = 1
    recent: list[Person] = []
    while produced < rows:
        persons = factory.family(next_person)
        next_person += len(persons)
        if recent and rng.random() < NAMESAKE_RATE:
            persons.append(factory.namesake(rng.choice(recent), next_person))
            next_person += 1
        for person in persons:
            recent.append(person)
            if len(recent) > 1000:
                recent.pop(0)
            count = 1 + min(int(rng.expovariate(1 / 1.6)), 7)
            for _ in range(count):
                if produced >= rows:
                    return
                produced += 1
                yield f"r{produced:07d}", person.person_id, record_write(person, rng)
    return


def files_paths(rows: int, out_dir: Path, surnames: Surnames = "realistic") -> tuple[Path, Path]:
    """Where ``files_write`` puts the records and the truth for this size and generator."""
    tag = "" if surnames == "realistic" else f"{surnames}-"
    return out_dir / f"records-{tag}{rows}.csv", out_dir / f"truth-{tag}{rows}.csv"


def files_write(
    rows: int, out_dir: Path, seed: int = 7, surnames: Surnames = "realistic"
) -> tuple[Path, Path]:
    """Write the records and truth CSV files; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    records_path, truth_path = files_paths(rows, out_dir, surnames)
    records = list(records_generate(rows, seed, surnames))
    # Agencies' records arrive in no particular order.
    random.Random(seed + 1).shuffle(records)
    records_csv_write(records, records_path, truth_path)
    return records_path, truth_path


RECORDS_HEADER = (
    "record_id", "given_name", "family_name", "patronymic", "sex", "birth_date", "citizenship",
)  # fmt: skip


def records_csv_write(
    records: Sequence[tuple[str, int, Sequence[str]]], records_path: Path, truth_path: Path
) -> None:
    """Write (record_id, person_id, row) as the records CSV and the truth CSV."""
    with (
        records_path.open("w", newline="", encoding="utf-8") as rf,
        truth_path.open("w", newline="", encoding="utf-8") as tf,
    ):
        record_writer, truth_writer = csv.writer(rf), csv.writer(tf)
        record_writer.writerow(RECORDS_HEADER)
        truth_writer.writerow(("record_id", "person_id"))
        for record_id, person_id, row in records:
            record_writer.writerow((record_id, *row))
            truth_writer.writerow((record_id, person_id))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("bench/out"))
    parser.add_argument(
        "--surnames",
        choices=("realistic", "legacy"),
        default="realistic",
        help="long-tailed surnames (default) or the earlier, concentrated generator",
    )
    args = parser.parse_args(argv)
    records_path, truth_path = files_write(args.rows, args.out, args.seed, args.surnames)
    print(f"wrote {records_path} and {truth_path}")


if __name__ == "__main__":
    main()
