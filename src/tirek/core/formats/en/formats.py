"""English as written in Kazakhstan: 12.04.1998, 14:30; in words "12 April 1998"."""

from tirek.core.formats import *  # noqa: F403 - the formats shared by all languages

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
