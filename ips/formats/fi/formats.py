from django.conf.locale.fi.formats import *  # noqa: F403 (Django's Finnish formats, then ours)

SHORT_DATE_FORMAT = "j.n.Y"
SHORT_DATETIME_FORMAT = "j.n.Y H.i"
DATETIME_FORMAT = "j.n.Y H.i.s"
MONTH_DAY_FORMAT = "j.n."
YEAR_MONTH_FORMAT = "n/Y"
DECIMAL_SEPARATOR = ","
