from django.conf.locale.sv.formats import *  # noqa: F403 (Django's Swedish formats, then ours)

# Finland-Swedish usage (Institutet för de inhemska språken): 31.12.2025 and 14.30.
SHORT_DATE_FORMAT = "j.n.Y"
SHORT_DATETIME_FORMAT = "j.n.Y H.i"
DATETIME_FORMAT = "j.n.Y H.i.s"
MONTH_DAY_FORMAT = "j.n."
YEAR_MONTH_FORMAT = "n/Y"
DECIMAL_SEPARATOR = ","
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]
