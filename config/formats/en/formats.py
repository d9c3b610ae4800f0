"""How analyst and public pages show a moment when no format is named: the day as common.dates.SHOWN_DAY
writes it ("1 Mar 2017") and the time on the 24-hour clock, in UTC (settings.TIME_ZONE), the same in
every language (Django's defaults differ: "1 Mar 2017, 10 a.m." in English, another order in Arabic)."""

DATETIME_FORMAT = "j M Y H:i"
SHORT_DATETIME_FORMAT = "j M Y H:i"
