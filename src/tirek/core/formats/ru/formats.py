"""Russian: 12.04.1998, 14:30; in words «12 апреля 1998 г.»."""

from tirek.core.formats import *  # noqa: F403 - the formats shared by all languages

DATE_FORMAT = "j E Y г."
DATETIME_FORMAT = "j E Y г. H:i"
YEAR_MONTH_FORMAT = "F Y г."
MONTH_DAY_FORMAT = "j E"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
