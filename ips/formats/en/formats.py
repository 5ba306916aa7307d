from django.conf.locale.en.formats import *  # noqa: F403 (Django's English formats, then ours)

# Day first and the month in letters: unambiguous for readers used to 31.12.2025.
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
DATETIME_FORMAT = "j M Y H:i:s"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "M Y"
DECIMAL_SEPARATOR = "."
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"]
