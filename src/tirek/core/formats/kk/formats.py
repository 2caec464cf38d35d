"""Kazakh: 12.04.1998, 14:30 (numeric: a capitalised month name would be wrong mid-sentence)."""

from tirek.core.formats import *  # noqa: F403 - the formats shared by all languages

DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"
YEAR_MONTH_FORMAT = "m.Y"
MONTH_DAY_FORMAT = "d.m"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
