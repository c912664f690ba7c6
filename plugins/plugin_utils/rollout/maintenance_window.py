# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A clinic's maintenance window: when installs and reboots may happen, in Swedish local time.

Written in the register as one or more spans separated by '|':
    Mon-Fri 18:00-06:00            weekday evenings until the next morning
    Sat,Sun 08:00-16:00 | daily 22:00-23:30
A span that ends at or before it starts runs past midnight into the next day.
"""

import datetime
import re

from ansible_collections.webcert.fleet.plugins.module_utils.swedish_time import SWEDEN
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WebcertError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPAN = re.compile(r"^(?P<days>[A-Za-z,\-]+)\s+(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})$")


class WindowError(WebcertError):
    """A maintenance window that cannot be read."""


def _minutes(text, allow_24=False):
    hours, minutes = (int(part) for part in text.split(":"))
    if minutes > 59 or hours > 24 or (hours == 24 and (minutes or not allow_24)):
        raise WindowError("%r is not a time of day (HH:MM)" % text)
    return hours * 60 + minutes


def _days(text):
    text = text.lower()
    if text == "daily":
        return set(range(7))
    days = set()
    for part in text.split(","):
        first, last = (part.split("-", 1) + [""])[:2]
        if first not in DAYS or (last and last not in DAYS):
            raise WindowError("%r: days are Mon..Sun, a range Mon-Fri, a list Sat,Sun, or daily" % part)
        start, end = DAYS.index(first), DAYS.index(last or first)
        days.update(range(start, end + 1) if end >= start else list(range(start, 7)) + list(range(0, end + 1)))
    return days


def parse_window(text):
    """[(days, start minute, end minute)]; WindowError says what is wrong."""
    spans = []
    for part in str(text).split("|"):
        found = _SPAN.match(part.strip())
        if not found:
            raise WindowError("%r is not a window like 'Mon-Fri 18:00-06:00' (spans separated by '|')" % part.strip())
        start, end = _minutes(found["start"]), _minutes(found["end"], allow_24=True)
        if start == end:
            raise WindowError("%r: the window starts and ends at the same time" % part.strip())
        spans.append((_days(found["days"]), start, end))
    return spans


def window_open(text, now=None):
    """True when `now` (default: the current time) is inside the window; no window means always open."""
    if not text:
        return True
    local = (now or datetime.datetime.now(datetime.timezone.utc)).astimezone(SWEDEN)
    minute = local.hour * 60 + local.minute
    today, yesterday = local.weekday(), (local.weekday() - 1) % 7
    for days, start, end in parse_window(text):
        if end > start:
            if today in days and start <= minute < end:
                return True
        elif (today in days and minute >= start) or (yesterday in days and minute < end):
            return True
    return False


def next_opening(text, now=None):
    """When the window next opens after `now` (an aware datetime in Swedish time), or None without a window.
    A window open now still gives its next opening: the time to come back for what is left."""
    if not text:
        return None
    now = now or datetime.datetime.now(datetime.timezone.utc)
    local = now.astimezone(SWEDEN)
    openings = []
    for offset in range(8):
        day = local.date() + datetime.timedelta(days=offset)
        for days, start, _end in parse_window(text):
            if day.weekday() not in days:
                continue
            moment = datetime.datetime(day.year, day.month, day.day, start // 60, start % 60, tzinfo=SWEDEN)
            # Through UTC and back: a start in the hour skipped when summer time begins moves to a real time,
            # kept only when the window is open then.
            moment = moment.astimezone(datetime.timezone.utc).astimezone(SWEDEN)
            if moment > now and window_open(text, moment):
                openings.append(moment)
    return min(openings) if openings else None
