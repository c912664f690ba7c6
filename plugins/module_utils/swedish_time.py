# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Swedish time: the calendar a clinic, HSA and a waiver's expiry date speak, and ISO 8601 timestamps."""

import datetime

_HOUR = datetime.timedelta(hours=1)


class SwedishTime(datetime.tzinfo):
    """Europe/Stockholm without a tz database: CET (+01:00), and CEST (+02:00) from the last Sunday of
    March to the last Sunday of October, 01:00 UTC both (the EU rule, Sweden's since 1996). Only used
    when python's zoneinfo finds no data (no /usr/share/zoneinfo and no tzdata package)."""

    @staticmethod
    def _summer_utc(year):
        def last_sunday(month):  # March and October both have 31 days
            day = datetime.datetime(year, month, 31, 1)
            return day - datetime.timedelta(days=(day.weekday() + 1) % 7)
        return last_sunday(3), last_sunday(10)

    def dst(self, dt):
        if dt is None:
            return datetime.timedelta(0)
        start, end = self._summer_utc(dt.year)
        wall = dt.replace(tzinfo=None)  # local wall time: summer runs 02:00 CET .. 03:00 CEST
        return _HOUR if start + _HOUR <= wall < end + 2 * _HOUR else datetime.timedelta(0)

    def utcoffset(self, dt):
        return _HOUR + self.dst(dt)

    def tzname(self, dt):
        return "CEST" if self.dst(dt) else "CET"

    def fromutc(self, dt):
        start, end = self._summer_utc(dt.year)
        naive = dt.replace(tzinfo=None)
        return (naive + (2 * _HOUR if start <= naive < end else _HOUR)).replace(tzinfo=self)


def _swedish_zone():
    try:
        from zoneinfo import ZoneInfo  # pylint: disable=import-outside-toplevel
        return ZoneInfo("Europe/Stockholm")
    except Exception:  # pylint: disable=broad-except  # ImportError, or ZoneInfoNotFoundError without tzdata
        return SwedishTime()


# Europe/Stockholm: HSA dates without a zone, waiver expiry days and the dates clinics read are Swedish.
SWEDEN = _swedish_zone()


def swedish_day(moment):
    """The Swedish calendar day of a moment, as YYYY-MM-DD (how a clinic reads a date)."""
    return moment.astimezone(SWEDEN).strftime("%Y-%m-%d")


def parse_timestamp(text):
    """An ISO 8601 timestamp as written by the collector, ansible or report.json ("Z" or an offset)."""
    return datetime.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
