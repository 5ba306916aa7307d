"""Date and number formats per language, on top of Django's own (FORMAT_MODULE_PATH).

Templates name formats ("SHORT_DATE_FORMAT", …), never patterns, so each language shows dates
the way its readers write them: Finnish and Finland-Swedish 31.12.2025 with a decimal comma,
English 31 Dec 2025 with a decimal point. Times are in Europe/Helsinki (TIME_ZONE).
"""
