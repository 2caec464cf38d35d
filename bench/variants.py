"""An independent evaluation set: persons written down the way issue 10 describes, not the way
``bench.generate`` (the training generator) does.

Nothing here is shared with ``bench.generate`` or with ``tirek.matching``: own name lists
(Kazakh, Russian, Uzbek, Kyrgyz), own transliterations (Russian-form and Kazakh Cyrillic,
passport, German-style, Turkish-style, Kazakhstan 2021, Uzbek Latin, informal), own error model.
Weights are trained on the other generator; figures on this set are what the matcher does on
data it was not tuned to.

Variation, per record (rates are per record unless said otherwise):

- birth date: full 66 %, year and month 7 %, year only 13 %, missing 14 %; of full dates, day and
  month swapped 12 % (when both ≤ 12), year off by one 8 %, another day 3 %;
- given and family name swapped 15 %;
- script: Russian-form Cyrillic, Kazakh Cyrillic, passport Latin (capitals), German-style,
  Turkish-style, Kazakhstan 2021 Latin, Uzbek Latin (Uzbek persons), informal Latin;
- Kazakh and Kyrgyz patronymics as -қызы/-ұлы/-кызы/-уулу or -овна/-ович; Uzbek as -овна or
  "qizi"; patronymic missing 35 % (passports never have one);
- typing errors: one in 27 % of records, two in 10 %: adjacent transposition, dropped
  letter, doubled letter, neighbouring key, a letter's case flipped, a letter from the other
  alphabet;
- sex missing 10 %, citizenship missing 35 %.

Persons: 1 to 6 records each (mean about 1.9); 12 % of persons come with one to three siblings
(same family name and patronymic, another given name; a sibling's records more often lack a
birth date), 3 % have a namesake (same given and family name, another father and birth date).

    python -m bench.variants --persons 2000 --seed 101 --out bench/out

writes ``records-variants-2000.csv`` and ``truth-variants-2000.csv``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import random
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

if __package__ in {None, ""}:  # run as `python bench/variants.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import RECORDS_HEADER

# --- Names ---------------------------------------------------------------------------------

KK_FEMALE = (
    "Айгүл Айгерім Ақерке Әйгерім Гүлжан Гүлнар Дариға Жансая Жұлдыз Зере Қарлығаш Қымбат "
    "Ләйлә Мадина Мақпал Меруерт Назгүл Нұрсұлу Роза Сандуғаш Сәбина Сымбат Томирис Ұлпан "
    "Әлима Балжан Гаухар Данагүл Еркежан Жанерке Жаңыл Камшат Күләш Мейрамгүл Нұрай Сая "
    "Тоғжан Ұлбосын Шырын Ақсая Айжан Бибінұр Гүлсім Дильназ Елнұр Жадыра Зәуре Индира Ақнұр"
).split()
KK_MALE = (
    "Ғалымжан Айдын Ақылбек Әлішер Бақытжан Бекарыс Дәулет Ерасыл Ерғали Жасұлан Жомарт "
    "Қуандық Мейіржан Мұхтар Нұрасыл Оразалы Рүстем Сағат Сұңғат Тимур Төрехан Ұланбек Шерхан "
    "Абылай Бағдат Ғани Дидар Елдос Жеңіс Ілияс Кенес Мақсұт Нұрдәулет Өркен Райымбек Сайын "
    "Талғат Тоқтар Ұзақ Хайрат Әнуар Бекжан Дастан Ерхан Жарас Қайсар Мейірхан Нұртас Серікбол"
).split()
RU_FEMALE = (
    "Ольга Татьяна Наталья Елена Ирина Светлана Юлия Анастасия Екатерина Мария Дарья Ксения "
    "Людмила Валентина Галина Вероника Алёна Кристина Евгения Полина Софья Виктория Алла Жанна"
).split()
RU_MALE = (
    "Евгений Сергей Андрей Алексей Дмитрий Владимир Николай Игорь Юрий Виталий Вячеслав Олег "
    "Константин Артём Максим Павел Григорий Фёдор Степан Василий Геннадий Илья Эдуард Яков"
).split()
UZ_FEMALE = (
    "Дилноза Гулноза Мохира Нилуфар Шахноза Зулфия Феруза Дилфуза Малика Севара Нодира Умида "
    "Хуршида Гульчехра Мунира Барно Ойгул Саодат"
).split()
UZ_MALE = (
    "Ильхом Бахтиёр Шухрат Улугбек Жасур Фаррух Шерзод Дилшод Отабек Санжар Рустам Азиз "
    "Хуршид Бобур Жахонгир Элёр Зафар Тимур Мирзо Хусан"
).split()
KG_FEMALE = "Айпери Бермет Жылдыз Нургуль Чолпон Гульзат Асель Айзада Бактыгуль Жибек".split()
KG_MALE = "Токтогул Бакыт Азамат Эрмек Нурлан Суйунбай Абдылда Осмон Чингиз Мирлан".split()

# Surname roots: a father's or ancestor's name, with -ов/-ев/-ин added (female -ова/-ева/-ина).
# Turkic roots are compounds of a head and a tail, as real ones are ("Жақсы" + "бай"), which
# gives thousands of them; drawn with a shifted Zipf law so that the commonest surname is
# about 0.5 % of the group and most are rare, as in Kazakhstan's published counts.
_KK_HEADS = (
    "Жақсы Тоқ Қожа Ораз Сұлтан Мұқа Әбіл Есім Жан Бек Нұр Ер Дос Сары Қара Ақ Темір Тұр "
    "Баймұ Шал Кен Мей Ай Күн Әли Тілеу Құдай Ыбырай Исабек Сейдах Жарылқа Бөкей Сапар Қасен "
    "Әбді Омар Жұма Төле Мұса Садық Сейіт Бақыт Ахмет Қали Ыдырыс Әубәкір Ысқақ Жүсіп Тұрлы "
    "Ерме Сағын Әмір Досжан Байғоз Мамыр Көшер Сәрсен Оспан Байсал Қуан Жолдас Рысқұл Ұзақ"
).split()
_KK_TAILS = (
    "бай бек тай жан ғали хан құл бол тар пейіс баев мағамбет ас ан берді мұрат ғазы қан тас "
    "қожа сейіт бақ жар"
).split()
_UZ_HEADS = (
    "Абдулла Рахим Карим Юсуф Исмоил Усмон Турсун Эргаш Холмат Мирза Хасан Хусан Шариф Файзулла "
    "Хамид Назар Содиқ Рустам Жўра Тошмат Алишер Бахтиёр Норбой Қодир Саид Умар Азим Ғафур "
    "Ҳаким Набий Раҳмон Собир Тўлқин Шукур Ибрагим Мансур Носир Обид Пўлат Ахмад"
).split()
_UZ_TAILS = ["", "жон", "бек", "қул", "бой", "али", "мурод", "хўжа", "нур", "ёр", "зода"]
_KG_HEADS = (
    "Токтогул Абдылда Осмон Бакы Жээнбек Сыдык Кадыр Асан Бообек Токтосун Мамыт Жумабек "
    "Турдубай Акмат Суеркул Алымкул Качкын Орозбек Садыр Тагай Эсен Мырза Бейшен Кенжебек "
    "Дуйшен Сатыбалды Токон Уметали Жапар Керимбек"
).split()
_KG_TAILS = ["", "бек", "бай", "кул", "али", "жан", "тай", "кан", "бол", "мат", "ак"]
RU_SURNAMES = (
    "Лебедев Образцов Кузнецов Соколов Морозов Волков Фёдоров Васильев Павлов Семёнов Голубев "
    "Виноградов Богданов Воробьёв Фролов Журавлёв Щербаков Ковалёв Зайцев Медведев Никитин "
    "Ильин Гусев Титов Кудрявцев Баранов Куликов Алексеев Степанов Яковлев Сорокин Ершов "
    "Шестаков Чернышёв Калинин Тарасов Белоусов Щукин Цветков Жуков Шубин Хохлов Юдин Иванов "
    "Смирнов Попов Петров Новиков Михайлов Макаров Андреев Николаев Орлов Киселёв Егоров "
    "Осипов Белов Комаров Тимофеев Кириллов Мельников Поляков Широков Крылов Денисов Громов "
    "Карпов Афанасьев Власов Мартынов Беляев Герасимов Пономарёв Григорьев Романов Захаров "
    "Борисов Королёв Гаврилов Антонов Данилов Филиппов Сергеев Кондратьев Носков Панов "
    "Логинов Дьячков Миронов Абрамов Рябов Бирюков Ефимов Кудряшов Дорофеев Лукин Рыбаков "
    "Савельев Субботин Прохоров Евдокимов Воронцов Третьяков Шарапов Ларионов Блинов Горбунов "
    "Исаев Вишняков Пестов Чистяков Назаров Голованов Туманов Суханов Зуев Зиновьев Трофимов "
    "Шилов Сидоров Фомин Дмитриев Калашников Быков Мухин Лаптев Сысоев Самойлов Гордеев"
).split()

# Russian surnames beyond the common ones: a stem and an ending ("Бел" + "оусов").
_RU_STEMS = (
    "Бел Черн Нов Стар Добр Мал Крас Сер Зел Быстр Тих Кругл Бор Гор Луг Вол Мороз Сокол "
    "Дуб Берез Лес Бур Ясн Сух Мокр Глад Кос Рыж Рог Сив Толст Шир Кур Гол Лыс Пест Твер "
    "Хром Шуст Мед"
).split()
_RU_ENDINGS = (
    "ов ин ышев оусов оногов яков енков ецкий ников анов ухин ышкин енин аков одедов "
    "ищев овцев иков окуров"
).split()
RU_MORE = [stem + ending for ending in _RU_ENDINGS for stem in _RU_STEMS]

ETHNICITY = (("kk", 0.62), ("ru", 0.18), ("uz", 0.12), ("kg", 0.08))


def _compounds(heads: Sequence[str], tails: Sequence[str]) -> list[str]:
    roots = [h + t.lower() for t in tails for h in heads]
    return list(dict.fromkeys(roots))


_SURNAME_ROOTS = {
    "kk": [*_compounds(_KK_HEADS, _KK_TAILS), *KK_MALE],
    "uz": _compounds(_UZ_HEADS, _UZ_TAILS),
    "kg": _compounds(_KG_HEADS, _KG_TAILS),
    "ru": list(dict.fromkeys([*RU_SURNAMES, *RU_MORE])),
}


def _zipf_pick(rng: random.Random, items: Sequence[str], shift: float) -> str:
    """Rank drawn from a shifted Zipf law (weight 1 / (rank + shift)), commonest first."""
    n = len(items)
    rank = shift ** (1 - (u := rng.random())) * (n + shift) ** u - shift
    return items[min(int(rank), n - 1)]


# --- Writing systems -----------------------------------------------------------------------

_KK_TO_RU = str.maketrans("әөүұқңғіһӘӨҮҰҚҢҒІҺ", "аоуукнгихАОУУКНГИХ")

_ICAO = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip
_GERMAN = {
    "а": "a", "б": "b", "в": "w", "г": "g", "д": "d", "е": "e", "ё": "jo", "ж": "sch",
    "з": "s", "и": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "ch", "ц": "z", "ч": "tsch",
    "ш": "sch", "щ": "schtsch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "ju", "я": "ja",
}  # fmt: skip
_TURKISH = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ё": "yo",
    "ж": "c", "з": "z", "и": "i", "й": "y", "к": "k", "қ": "k", "л": "l", "м": "m", "н": "n",
    "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u",
    "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ç", "ш": "ş", "щ": "ş", "ъ": "",
    "ы": "ı", "і": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
_KZ2021 = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ё": "io",
    "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n",
    "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū",
    "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "ş", "щ": "şş", "ъ": "",
    "ы": "y", "і": "ı", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip
_UZBEK = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "j", "з": "z",
    "и": "i", "й": "y", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ў": "o'", "ф": "f", "х": "x", "ҳ": "h", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "'", "ы": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
# Informal spellings: each letter has several ways, picked per record.
_INFORMAL = {
    "ж": ("zh", "j", "zh", "dj"), "х": ("kh", "h", "h"), "ц": ("ts", "c", "tz"),
    "я": ("ya", "ia", "ja"), "ю": ("yu", "iu", "ju"), "й": ("y", "i", "j"), "ы": ("y", "i"),
    "ё": ("yo", "e", "io"), "щ": ("sch", "shch", "sh"),
    "ч": ("ch", "tch"), "ш": ("sh",), "ъ": ("",), "ь": ("", "'"), "э": ("e",),
}  # fmt: skip

_VOWELS_CYR = set("аеёиоуыэюяәөүұі")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


_TRANSLATIONS: dict[int, dict[int, str]] = {}
_TRANSLIT_DONE: dict[tuple[str, int, str | None], str] = {}


# Е at the start of a word or after a vowel (for tables that write it "ye" there).
_YE = re.compile(f"(?:^|(?<=[ {''.join(sorted(_VOWELS_CYR))}]))е")


def _translit_uncached(text: str, translation: dict[int, str], initial_ye: str | None) -> str:
    lower = text.lower()
    if initial_ye:
        lower = _YE.sub(initial_ye, lower)
    return " ".join(_cap(word) for word in lower.translate(translation).split(" "))


def _translit(text: str, table: dict[str, str], *, initial_ye: str | None = None) -> str:
    """``text`` letter by letter through ``table``, each word capitalised.

    The tables are fixed, so a name's spelling is computed once per table (the set's names
    are few, its records many).
    """
    key = (text, id(table), initial_ye)
    done = _TRANSLIT_DONE.get(key)
    if done is None:
        translation = _TRANSLATIONS.get(id(table))
        if translation is None:
            translation = _TRANSLATIONS[id(table)] = str.maketrans(table)
        done = _TRANSLIT_DONE[key] = _translit_uncached(text, translation, initial_ye)
    return done


_ICAO_TRANSLATION = str.maketrans(_ICAO)


def _informal(text: str, rng: random.Random) -> str:
    choice = {k: rng.choice(v) for k, v in _INFORMAL.items()}
    translation = _ICAO_TRANSLATION.copy()
    translation.update(str.maketrans(choice))
    # Е is written "ye" at the start of a word or after a vowel by some ("Yerlan", "Sergeyevich").
    return _translit_uncached(text.translate(_KK_TO_RU), translation, rng.choice(("e", "ye")))


# --- Persons -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    person_id: int
    ethnicity: str
    female: bool
    given: str  # in the person's own Cyrillic (Kazakh letters for Kazakhs)
    surname_root: str  # male form for Russian/Uzbek/Kyrgyz, ancestor's name for Kazakh
    father: str
    birth: dt.date
    citizenship: str


def _given(rng: random.Random, ethnicity: str, female: bool) -> str:
    lists = {
        "kk": (KK_FEMALE, KK_MALE),
        "ru": (RU_FEMALE, RU_MALE),
        "uz": (UZ_FEMALE, UZ_MALE),
        "kg": (KG_FEMALE, KG_MALE),
    }[ethnicity]
    return _zipf_pick(rng, lists[0] if female else lists[1], 8)


def _surname(rng: random.Random, ethnicity: str) -> str:
    roots = _SURNAME_ROOTS[ethnicity]
    return _zipf_pick(rng, roots, len(roots) / 30)


def _birth(rng: random.Random) -> dt.date:
    start = dt.date(1960, 1, 1).toordinal()
    return dt.date.fromordinal(rng.randint(start, dt.date(2009, 12, 31).toordinal()))


_CITIZENSHIP = {"kk": "KAZ", "ru": "KAZ", "uz": "UZB", "kg": "KGZ"}


def _person(rng: random.Random, person_id: int, **fixed: object) -> Person:
    ethnicity = str(fixed.get("ethnicity") or _pick(rng, ETHNICITY))
    female = bool(fixed["female"]) if "female" in fixed else rng.random() < 0.6
    citizenship = _CITIZENSHIP[ethnicity]
    if ethnicity == "ru" and rng.random() < 0.2:
        citizenship = "RUS"
    return Person(
        person_id=person_id,
        ethnicity=ethnicity,
        female=female,
        given=str(fixed.get("given") or _given(rng, ethnicity, female)),
        surname_root=str(fixed.get("surname_root") or _surname(rng, ethnicity)),
        father=str(fixed.get("father") or _given(rng, ethnicity, False)),
        birth=fixed.get("birth") or _birth(rng),  # type: ignore[arg-type]
        citizenship=citizenship,
    )


def _pick(rng: random.Random, weighted: Sequence[tuple[str, float]]) -> str:
    r = rng.random()
    for value, share in weighted:
        if r < share:
            return value
        r -= share
    return weighted[-1][0]


@functools.cache
def _ru_suffixed(stem: str, *, female: bool, patronymic: bool) -> str:
    """Russian-form surname or patronymic of a (Russian-form) name."""
    if patronymic:
        if stem.endswith(("й", "ь")):
            base, soft = stem[:-1], True
        elif stem[-1] in "аяо":
            base, soft = stem[:-1], False
        else:
            base, soft = stem, False
        if stem.endswith(("ий", "ей")) or soft:
            return base + ("евна" if female else "евич")
        return base + ("овна" if female else "ович")
    if stem.endswith(("ов", "ев", "ин", "ёв")):
        return stem + ("а" if female else "")
    if stem.endswith(("ий", "ей", "ай")):
        return stem[:-1] + ("ева" if female else "ев")
    if stem[-1] in "иі":
        return stem + ("ева" if female else "ев")
    if stem[-1] in "аяо":
        return stem[:-1] + ("ова" if female else "ов")
    return stem + ("ова" if female else "ов")


def _family_cyr(p: Person, *, kazakh_letters: bool) -> str:
    if p.ethnicity == "kk":
        root = p.surname_root if kazakh_letters else p.surname_root.translate(_KK_TO_RU)
        return _ru_suffixed(root, female=p.female, patronymic=False)
    return _ru_suffixed(p.surname_root, female=p.female, patronymic=False)


def _patronymic_cyr(p: Person, rng: random.Random, *, native: bool) -> str:
    father = p.father
    if native and p.ethnicity == "kk":
        word = "қызы" if p.female else "ұлы"
        return f"{father} {word}" if rng.random() < 0.5 else father + word
    if native and p.ethnicity == "kg":
        return f"{father} {'кызы' if p.female else 'уулу'}"
    if native and p.ethnicity == "uz" and rng.random() < 0.5:
        return f"{father} {'қизи' if p.female else 'ўғли'}"
    return _ru_suffixed(father.translate(_KK_TO_RU), female=p.female, patronymic=True)


# --- Errors --------------------------------------------------------------------------------

_NEIGHBOURS_CYR = {
    "а": "вп", "о": "лр", "е": "кн", "и": "мт", "н": "ег", "р": "оп", "с": "чм", "т": "иь",
    "л": "од", "к": "уе", "м": "си", "в": "ыа", "у": "цк", "д": "лж", "г": "нш", "б": "ью",
}  # fmt: skip
_NEIGHBOURS_LAT = {
    "a": "sq", "o": "ip", "e": "wr", "i": "uo", "n": "bm", "r": "et", "s": "ad", "t": "ry",
    "l": "k", "k": "jl", "m": "n", "v": "cb", "u": "yi", "d": "sf", "g": "fh", "b": "vn",
    "h": "gj", "z": "x", "y": "tu",
}  # fmt: skip
_OTHER_ALPHABET = {
    "а": "a", "о": "o", "е": "e", "с": "c", "р": "p", "х": "x", "у": "y", "к": "k", "і": "i",
    "a": "а", "o": "о", "e": "е", "c": "с", "p": "р", "x": "х", "y": "у", "k": "к", "i": "і",
    "A": "А", "O": "О", "E": "Е", "C": "С", "P": "Р", "K": "К", "M": "М", "T": "Т", "H": "Н",
    "А": "A", "О": "O", "Е": "E", "С": "C", "Р": "P", "К": "K", "М": "M", "Т": "T", "Н": "H",
}  # fmt: skip


def typo(text: str, rng: random.Random) -> str:
    """One typing error in ``text`` (names shorter than four letters are left alone)."""
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.random()
    if kind < 0.28:  # adjacent transposition
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind < 0.52:  # dropped letter
        return text[:i] + text[i + 1 :]
    if kind < 0.62:  # doubled letter
        return text[:i] + text[i] + text[i:]
    if kind < 0.82:  # neighbouring key
        ch = text[i].lower()
        near = _NEIGHBOURS_CYR.get(ch) or _NEIGHBOURS_LAT.get(ch)
        if not near:
            return text[:i] + text[i + 1 :]
        new = rng.choice(near)
        return text[:i] + (new.upper() if text[i].isupper() else new) + text[i + 1 :]
    if kind < 0.92:  # case slip
        return text[:i] + text[i].swapcase() + text[i + 1 :]
    # a letter from the other alphabet (look-alike)
    spots = [j for j, c in enumerate(text) if c in _OTHER_ALPHABET]
    if not spots:
        return text[:i] + text[i].swapcase() + text[i + 1 :]
    j = rng.choice(spots)
    return text[:j] + _OTHER_ALPHABET[text[j]] + text[j + 1 :]


def _date(p: Person, rng: random.Random) -> str:
    r = rng.random()
    birth = p.birth
    if r < 0.66:
        noise = rng.random()
        if noise < 0.12 and birth.day <= 12 and birth.day != birth.month:
            birth = dt.date(birth.year, birth.day, birth.month)
        elif noise < 0.20:
            birth = dt.date(birth.year + rng.choice((-1, 1)), birth.month, min(birth.day, 28))
        elif noise < 0.23:
            birth = dt.date(birth.year, birth.month, rng.randint(1, 28))
        return birth.isoformat()
    if r < 0.73:
        return birth.isoformat()[:7]
    if r < 0.86:
        return str(birth.year)
    return ""


# --- Records -------------------------------------------------------------------------------

Row = tuple[str, str, str, str, str, str]  # given, family, patronymic, sex, birth, citizenship

STYLES = (
    ("ru_cyrillic", 0.28),
    ("kk_cyrillic", 0.22),
    ("passport", 0.14),
    ("informal", 0.14),
    ("german", 0.06),
    ("turkish", 0.06),
    ("kz2021", 0.05),
    ("uzbek", 0.05),
)


def _names(p: Person, style: str, rng: random.Random) -> tuple[str, str, str]:
    native = p.ethnicity in {"kk", "kg", "uz"} and rng.random() < 0.55
    given_kk = p.given
    family_kk = _family_cyr(p, kazakh_letters=True)
    patronymic_native = _patronymic_cyr(p, rng, native=native)
    given_ru = p.given.translate(_KK_TO_RU)
    family_ru = _family_cyr(p, kazakh_letters=False)
    patronymic_ru = _patronymic_cyr(p, rng, native=False)
    if style == "kk_cyrillic":
        return given_kk, family_kk, patronymic_native
    if style == "ru_cyrillic":
        family = family_ru.upper() if rng.random() < 0.5 else family_ru
        return given_ru, family, patronymic_ru if rng.random() < 0.8 else patronymic_native
    if style == "passport":
        return (
            _translit(given_ru, _ICAO).upper(),
            _translit(family_ru, _ICAO).upper(),
            "",
        )
    if style == "german":
        names = (given_ru, family_ru, patronymic_ru)
        out = tuple(_translit(n, _GERMAN) for n in names)
        if rng.random() < 0.3:
            out = tuple(n.upper() for n in out)
        return out  # type: ignore[return-value]
    if style == "turkish":
        return tuple(  # type: ignore[return-value]
            _translit(n, _TURKISH) for n in (given_kk, family_kk, patronymic_native)
        )
    if style == "kz2021":
        return tuple(  # type: ignore[return-value]
            _translit(n, _KZ2021) for n in (given_kk, family_kk, patronymic_native)
        )
    if style == "uzbek":
        return tuple(  # type: ignore[return-value]
            _translit(n.translate(_KK_TO_RU), _UZBEK, initial_ye="ye")
            for n in (given_ru, family_ru, patronymic_native)
        )
    return tuple(_informal(n, rng) for n in (given_ru, family_ru, patronymic_ru))  # type: ignore[return-value]


def record_write(p: Person, rng: random.Random) -> Row:
    """One agency's record of ``p``, with the variation described in the module docstring."""
    style = _pick(rng, STYLES)
    if style == "uzbek" and p.ethnicity != "uz":
        style = "informal"
    given, family, patronymic = _names(p, style, rng)
    if rng.random() < 0.35:
        patronymic = ""
    if rng.random() < 0.15:
        given, family = family, given
    for _ in range(2 if rng.random() < 0.10 else 1 if rng.random() < 0.3 else 0):
        part = rng.choice(("given", "family", "family", "patronymic"))
        if part == "given":
            given = typo(given, rng)
        elif part == "family":
            family = typo(family, rng)
        else:
            patronymic = typo(patronymic, rng)
    sex = ("F" if p.female else "M") if rng.random() >= 0.10 else ""
    citizenship = p.citizenship if rng.random() >= 0.35 else ""
    return given, family, patronymic, sex, _date(p, rng), citizenship


def _record_count(rng: random.Random) -> int:
    r = rng.random()
    for count, share in ((1, 0.45), (2, 0.30), (3, 0.13), (4, 0.07), (5, 0.03)):
        if r < share:
            return count
        r -= share
    return 6


def persons_generate(persons: int, seed: int) -> Iterator[Person]:
    """``persons`` invented persons: singles, sibling groups and namesakes."""
    rng = random.Random(seed)
    made = 0
    recent: list[Person] = []
    while made < persons:
        first = _person(rng, made + 1)
        group = [first]
        if rng.random() < 0.12:
            for _ in range(rng.randint(1, 3)):
                group.append(
                    _person(
                        rng,
                        made + 1 + len(group),
                        ethnicity=first.ethnicity,
                        surname_root=first.surname_root,
                        father=first.father,
                        female=rng.random() < 0.5,
                    )
                )
        if recent and rng.random() < 0.03:
            other = rng.choice(recent)
            group.append(
                _person(
                    rng,
                    made + 1 + len(group),
                    ethnicity=other.ethnicity,
                    given=other.given,
                    surname_root=other.surname_root,
                    female=other.female,
                )
            )
        for person in group[: persons - made]:
            made += 1
            recent = [*recent[-200:], person]
            yield person


def records_generate(persons: int, seed: int = 101) -> Iterator[tuple[str, int, Row]]:
    """(record_id, person_id, row) for every record of ``persons`` persons."""
    rng = random.Random(seed * 7919 + 3)
    number = 0
    for person in persons_generate(persons, seed):
        for _ in range(_record_count(rng)):
            number += 1
            yield f"v{number:07d}", person.person_id, record_write(person, rng)


def files_paths(persons: int, out_dir: Path) -> tuple[Path, Path]:
    return out_dir / f"records-variants-{persons}.csv", out_dir / f"truth-variants-{persons}.csv"


def files_write(persons: int, out_dir: Path, seed: int = 101) -> tuple[Path, Path]:
    """Write records and truth for ``persons`` persons (records shuffled); their paths.

    Each record is kept as its two finished CSV lines (a million persons are about two million
    records: a few hundred megabytes, not gigabytes of tuples), shuffled as before (the
    permutation depends only on the number of records), and written in blocks to temporary
    files renamed into place at the end, so an interrupted run leaves no half set to be reused.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    records_path, truth_path = files_paths(persons, out_dir)
    lines: list[tuple[str, str]] = []
    record_line, truth_line = _LineWriter(), _LineWriter()
    for record_id, person_id, row in records_generate(persons, seed):
        lines.append((record_line.line((record_id, *row)), truth_line.line((record_id, person_id))))
    random.Random(seed + 1).shuffle(lines)
    # Only the file format is shared with the training generator.
    header = _LineWriter().line(RECORDS_HEADER), _LineWriter().line(("record_id", "person_id"))
    for index, path in enumerate((records_path, truth_path)):
        partial = path.with_name(path.name + ".partial")
        with partial.open("w", newline="", encoding="utf-8") as f:
            f.write(header[index])
            for block in range(0, len(lines), 100_000):
                f.write("".join(pair[index] for pair in lines[block : block + 100_000]))
        partial.replace(path)
    return records_path, truth_path


class _LineWriter:
    """One CSV line at a time, quoted exactly as ``csv.writer`` writes it into a file."""

    def __init__(self) -> None:
        self._last = ""
        self._writer = csv.writer(self)

    def write(self, text: str) -> None:
        self._last = text

    def line(self, row: Iterable[object]) -> str:
        self._writer.writerow(row)
        return self._last


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=101)
    parser.add_argument("--out", type=Path, default=Path("bench/out"))
    args = parser.parse_args(argv)
    records_path, truth_path = files_write(args.persons, args.out, args.seed)
    print(f"wrote {records_path} and {truth_path}")


if __name__ == "__main__":
    main()
