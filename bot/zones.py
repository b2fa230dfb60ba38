"""Time zones the way people name them: a city, a country, a UTC offset, an abbreviation.

``resolve_zone`` reads what a user typed and returns the IANA zones it can mean: one
settles it, several are a question for the caller to ask with a button each (labelled
with ``describe_zone``). The stored value is always an IANA name ZoneInfo loads.
The tables live beside it: hand-checked names in bot/zone_aliases.py, the tz database's
in bot/zone_tables.py; their public names are importable from here.

The rules:

- IANA names, case-insensitively, spaces for underscores: "america/new york".
- Cities: the last part of IANA names ("Tokyo", "new york", "Sydney"), and a short table
  of big cities that are not IANA names ("Osaka" -> Asia/Tokyo), each checked by hand.
- Countries, by the tz database's own tables (zone.tab, iso3166.tab, read from where
  zoneinfo reads zones: the system's zoneinfo directory or the ``tzdata`` package) plus
  common names ("UK", "USA", "South Korea"). A country with several zones offers them
  all, except that zones keeping the same clock for the next year are one choice (the US
  has 29 zones in zone.tab but 8 different clocks); the best-known zone stands for each.
- UTC offsets ("+9", "UTC+9", "GMT-5", "UTC+05:30"). A whole hour is the fixed-offset
  zone Etc/GMT-9 (the tz database writes the sign inverted), with a note that a fixed
  offset never changes for daylight saving. There is no Etc zone for other offsets, so
  "UTC+05:30" offers the places at that offset now (Asia/Kolkata, Asia/Colombo).
- "Etc/GMT+9" typed as such is UTC-09:00, which few who type it mean: both it and
  Etc/GMT-9 are offered, with a note on the inverted sign.
- Abbreviations only where they name one clock, or a short list: JST is Asia/Tokyo; EST,
  PST and CET are read as the zones that use them in winter (America/New_York…) with a
  note that daylight saving applies there; IST (India, Ireland, Israel), CST (US, China),
  AST, BST, MST and GMT (Europe/London or UTC) offer their zones.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.timebase import InputError, excerpt, iana_name, iana_names, offset_text
from bot.zone_aliases import (
    ABBREVIATION_CHOICES,
    ABBREVIATIONS,
    CITY_ALIASES,
    CLASHES,
    COUNTRY_ALIASES,
    DEFAULT_LIKELY,
    LANGUAGE_ZONES,
    PREFERRED,
    How,
)
from bot.zone_tables import (
    AREAS,
    _abbreviations,
    _cities,
    _country_codes,
    _country_name,
    _country_zones,
    _distinct,
    _future_offsets,
    _key,
    _rank,
)
from bot.zone_tables import _tab as _tab
from bot.zone_tables import _tab_text as _tab_text

__all__ = [
    "ABBREVIATIONS",
    "ABBREVIATION_CHOICES",
    "AREAS",
    "CITY_ALIASES",
    "CLASHES",
    "COUNTRY_ALIASES",
    "DEFAULT_LIKELY",
    "INVERTED",
    "LANGUAGE_ZONES",
    "MAX_LIKELY",
    "OFFSET",
    "PREFERRED",
    "READERS",
    "ZONE_EXAMPLE",
    "How",
    "ZoneChoice",
    "describe_zone",
    "likely_zones",
    "resolve_zone",
]

ZONE_EXAMPLE = "London, Japan, UTC+9 or Europe/London"
MAX_LIKELY = 8
# Phones type a minus sign or an en dash for "-".
OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+\-\u2212\u2013])\s*(\d{1,2})(?:[:.h]?(\d{2}))?$")
INVERTED = re.compile(r"^etc/gmt([+-])(\d{1,2})$")


@dataclass(frozen=True, slots=True)
class ZoneChoice:
    """What a typed zone can mean.

    ``zones``: IANA names ZoneInfo loads, likeliest first; one settles it, several are a
    question (a button each). ``how`` says what was recognised; ``note`` is a caveat to
    show with the confirmation or the question ("" when there is none).
    """

    zones: tuple[str, ...]
    how: How
    note: str = ""

    @property
    def settled(self) -> bool:
        return len(self.zones) == 1


def resolve_zone(text: str, *, now: datetime | None = None) -> ZoneChoice:
    """A zone as typed -> the IANA zones it can mean (see the module's rules).

    ``now`` (default: the current time) decides which places are at an offset, and
    which zones keep the same clock; tests pass it.
    """
    typed = " ".join(text.split())
    if not typed:
        raise InputError(
            f"which time zone? write a city, a country or an offset, e.g. {ZONE_EXAMPLE}"
        )
    moment = now or datetime.now(UTC)
    for part in _parts(typed):
        for reader in READERS:
            choice = reader(part, moment)
            if choice is not None:
                return choice
    raise InputError(_unknown(typed))


def describe_zone(zone: ZoneInfo | str, now: datetime) -> str:
    """'Europe/London (UTC+00:00, now 14:05)': the name, its offset and its clock now."""
    loaded = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
    local = now.astimezone(loaded)
    return f"{loaded.key} ({offset_text(local.utcoffset())}, now {local:%H:%M})"


def likely_zones(language_code: str | None, *, now: datetime | None = None) -> list[str]:
    """A few zones to offer as buttons from a Telegram language_code ("en", "pt-br")."""
    parts = re.split(r"[-_]", (language_code or "").lower())
    found: list[str] = []
    region = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
    if region and region in _country_zones():
        found.extend(_distinct(_country_zones()[region], now or datetime.now(UTC)))
    found.extend(LANGUAGE_ZONES.get(parts[0], "" if found else DEFAULT_LIKELY).split())
    return list(dict.fromkeys(found))[:MAX_LIKELY]


# -- readers: each returns a choice, or None to let the next one try -------------------


def _parts(typed: str) -> list[str]:
    """'Sydney, Australia' is tried whole, then 'Sydney', then 'Australia'."""
    pieces = [piece.strip() for piece in typed.split(",") if piece.strip()]
    return [typed, *pieces] if len(pieces) > 1 else [typed]


def _inverted(typed: str, now: datetime) -> ZoneChoice | None:
    match = INVERTED.match(typed.lower())
    if not match or int(match[2]) == 0:
        return None
    hours = int(match[2])
    typed_name = f"Etc/GMT{match[1]}{hours}"
    flipped = f"Etc/GMT{'-' if match[1] == '+' else '+'}{hours}"
    if not all(name.lower() in iana_names() for name in (typed_name, flipped)):
        return None
    meant = offset_text(timedelta(hours=hours if match[1] == "-" else -hours))
    return ZoneChoice(
        (typed_name, flipped),
        "name",
        f"careful: {typed_name} is {meant}, as the tz database inverts the sign in Etc/GMT "
        f"names; for the opposite pick {flipped}, or write the offset: UTC{match[1]}{hours}",
    )


def _offset(typed: str, now: datetime) -> ZoneChoice | None:
    match = OFFSET.match(typed.lower())
    if not match:
        return None
    sign = -1 if match[1] != "+" else 1
    hours, minutes = int(match[2]), int(match[3] or 0)
    offset = sign * timedelta(hours=hours, minutes=minutes)
    shown = offset_text(offset)
    if minutes >= 60 or not timedelta(hours=-12) <= offset <= timedelta(hours=14):
        raise InputError(
            f"{excerpt(typed)} is not an offset any place uses; they go from UTC-12 to UTC+14, "
            "e.g. UTC+9 or UTC-05:00"
        )
    if minutes == 0:
        name = "UTC" if hours == 0 else f"Etc/GMT{'-' if sign > 0 else '+'}{hours}"
        return ZoneChoice((name,), "offset", _fixed_note(shown, name))
    return _places_at(offset, shown, now)


def _fixed_note(shown: str, name: str) -> str:
    stored = "" if name == "UTC" else f" (stored as {name}: the tz database inverts the sign)"
    return (
        f"{shown} is a fixed offset{stored}: it never changes for daylight saving; "
        "if your clocks change, name your city instead, e.g. London or New York"
    )


def _places_at(offset: timedelta, shown: str, now: datetime) -> ZoneChoice:
    """No Etc zone exists for a non-whole-hour offset: the places at it now stand in."""
    by_country: dict[str, list[str]] = {}
    for code, zones in _country_zones().items():
        for name in zones:
            if now.astimezone(ZoneInfo(name)).utcoffset() == offset:
                by_country.setdefault(code, []).append(name)
    found = [zone for zones in by_country.values() for zone in _distinct(zones, now)]
    if not found:
        raise InputError(
            f"no place is at {shown} now; write a whole-hour offset like UTC+9, or your city"
        )
    ordered = tuple(sorted(dict.fromkeys(found), key=_rank))
    pick = "; pick yours" if len(ordered) > 1 else ""
    return ZoneChoice(
        ordered,
        "offset",
        f"there is no fixed-offset zone for {shown}; these places are at {shown} now{pick}",
    )


def _iana_path(typed: str, now: datetime) -> ZoneChoice | None:
    """Full IANA names ('Europe/London', 'utc'); other legacy names go last."""
    name = iana_name(typed)
    if name is None or ("/" not in name and name != "UTC"):
        return None
    return ZoneChoice((name,), "name")


def _iana(typed: str, now: datetime) -> ZoneChoice | None:
    name = iana_name(typed)
    if name is None or name == "Factory":
        return None
    return ZoneChoice((name,), "name")


def _abbreviation(typed: str, now: datetime) -> ZoneChoice | None:
    zones = _abbreviations().get(_key(typed))
    if zones is None:
        return None
    key = _key(typed)
    if len(zones) > 1:
        return ZoneChoice(zones, "abbreviation", f"{ABBREVIATION_CHOICES[key]}; pick yours")
    [zone] = zones
    shown = key.upper() if len(key) <= 5 else typed
    note = f"{shown} read as {zone}"
    if len(set(_future_offsets(zone, now.date().isoformat()))) > 1:
        offset = now.astimezone(ZoneInfo(zone)).utcoffset() or timedelta()
        note += (
            f", which follows daylight saving time (now {offset_text(offset)}, another offset "
            f"part of the year); for a fixed offset write {_short_offset(offset)}"
        )
    return ZoneChoice(zones, "abbreviation", note)


def _short_offset(offset: timedelta) -> str:
    """timedelta(hours=-5) -> 'UTC-5', as a user would type it; 'UTC+05:30' otherwise."""
    text = offset_text(offset)
    return text[:4] + str(int(text[4:6])) if text.endswith(":00") else text


def _clash(typed: str, now: datetime) -> ZoneChoice | None:
    clash = CLASHES.get(_key(typed))
    if clash is None:
        return None
    how, names, places = clash
    return ZoneChoice(tuple(names.split()), how, f"{places}; pick yours")


def _country(typed: str, now: datetime) -> ZoneChoice | None:
    code = _country_codes().get(_key(typed))
    if code is None or code not in _country_zones():
        return None
    zones = _distinct(_country_zones()[code], now)
    note = "" if len(zones) == 1 else f"{_country_name(code)} has several time zones; pick yours"
    return ZoneChoice(zones, "country", note)


def _city(typed: str, now: datetime) -> ZoneChoice | None:
    zones = _cities().get(_key(typed))
    if zones is None:
        return None
    note = "" if len(zones) == 1 else "several zones have that name; pick yours"
    return ZoneChoice(zones, "city", note)


def _unknown(typed: str) -> str:
    known = [*_cities(), *_country_codes()]
    close = difflib.get_close_matches(_key(typed), known, n=1, cutoff=0.8)
    start = f"'{excerpt(typed)}' is not a time zone I know"
    advice = f"a city, a country or an offset, e.g. {ZONE_EXAMPLE}"
    if close:
        shown = close[0].upper() if len(close[0]) <= 3 else close[0].title()
        return f"{start}; did you mean {shown}? Or write {advice}"
    return f"{start}; write {advice}"


READERS = (_inverted, _offset, _iana_path, _abbreviation, _clash, _country, _city, _iana)
