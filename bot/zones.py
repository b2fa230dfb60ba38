"""Time zones the way people name them: a city, a country, a UTC offset, an abbreviation.

``resolve_zone`` reads what a user typed and returns the IANA zones it can mean: one
settles it, several are a question for the caller to ask with a button each (labelled
with ``describe_zone``). The stored value is always an IANA name ZoneInfo loads.

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
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from bot.timebase import InputError, excerpt, offset_text

How = Literal["name", "city", "country", "offset", "abbreviation"]
ZONE_EXAMPLE = "London, Japan, UTC+9 or Europe/London"
AREAS = {"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia",
         "Europe", "Indian", "Pacific"}  # fmt: skip
MAX_LIKELY = 8
# Stand for the zones that keep the same clock as them: the best-known name first.
PREFERRED = (
    "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
    "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu", "America/Toronto",
    "America/Vancouver", "America/Edmonton", "America/Winnipeg", "America/Halifax",
    "America/St_Johns", "America/Regina", "Australia/Sydney", "Australia/Melbourne",
    "Australia/Brisbane", "Australia/Adelaide", "Australia/Perth", "Australia/Darwin",
    "Pacific/Auckland", "Europe/Berlin", "Europe/Kyiv", "Europe/Madrid", "Europe/Lisbon",
    "America/Sao_Paulo", "America/Mexico_City", "Asia/Shanghai", "Europe/Moscow",
    "Asia/Jakarta", "Asia/Kolkata", "America/Santiago", "America/Argentina/Buenos_Aires",
)  # fmt: skip
COUNTRY_ALIASES = {
    "uk": "GB", "gb": "GB", "great britain": "GB", "united kingdom": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB",
    "us": "US", "usa": "US", "united states of america": "US", "america": "US",
    "south korea": "KR", "korea": "KR", "republic of korea": "KR", "north korea": "KP",
    "uae": "AE", "emirates": "AE", "holland": "NL", "czechia": "CZ", "nz": "NZ",
    "viet nam": "VN", "burma": "MM", "ivory coast": "CI", "russian federation": "RU",
}  # fmt: skip
# Big cities that are not the last part of an IANA name; each in its country's main zone.
CITY_ALIASES = {
    "Asia/Tokyo": "osaka kyoto yokohama nagoya sapporo fukuoka kobe sendai hiroshima",
    "Asia/Seoul": "busan incheon",
    "Asia/Shanghai": "beijing guangzhou shenzhen",
    "Asia/Kolkata": "mumbai delhi new delhi bangalore bengaluru chennai hyderabad",
    "America/New_York": "washington dc|boston|philadelphia|miami|atlanta|"
                        "baltimore|pittsburgh",
    "America/Chicago": "houston|dallas|austin|san antonio|minneapolis|new orleans|"
                       "st louis|saint louis|nashville",
    "America/Denver": "salt lake city|albuquerque",
    "America/Los_Angeles": "san francisco|seattle|san diego|las vegas|sacramento",
    "America/Toronto": "ottawa|montreal|quebec city",
    "America/Edmonton": "calgary",
    "Europe/London": "manchester edinburgh glasgow liverpool leeds bristol cardiff",
    "Europe/Dublin": "cork galway",
    "Australia/Brisbane": "gold coast|cairns",
    "Pacific/Auckland": "wellington christchurch",
    "Africa/Johannesburg": "cape town|pretoria|durban",
    "America/Sao_Paulo": "rio de janeiro|brasilia",
    "Europe/Berlin": "munich frankfurt hamburg cologne",
    "Europe/Moscow": "st petersburg|saint petersburg",
}  # fmt: skip
# Zones an abbreviation can mean, the likeliest first; several is a question.
ABBREVIATIONS = {
    "jst": "Asia/Tokyo", "kst": "Asia/Seoul", "hkt": "Asia/Hong_Kong",
    "sgt": "Asia/Singapore", "pht": "Asia/Manila", "wib": "Asia/Jakarta",
    "ict": "Asia/Bangkok", "pkt": "Asia/Karachi", "msk": "Europe/Moscow",
    "sast": "Africa/Johannesburg", "cat": "Africa/Maputo", "eat": "Africa/Nairobi",
    "wat": "Africa/Lagos", "nzst nzdt nzt": "Pacific/Auckland", "aedt": "Australia/Sydney",
    "aest": "Australia/Sydney Australia/Brisbane", "acdt": "Australia/Adelaide",
    "acst": "Australia/Adelaide Australia/Darwin", "awst": "Australia/Perth",
    "est edt et eastern": "America/New_York", "cdt ct central": "America/Chicago",
    "cst": "America/Chicago Asia/Shanghai", "mdt mt mountain": "America/Denver",
    "mst": "America/Denver America/Phoenix", "pst pdt pt pacific": "America/Los_Angeles",
    "akst akdt": "America/Anchorage", "hst": "Pacific/Honolulu",
    "ast": "America/Halifax Asia/Riyadh", "adt": "America/Halifax",
    "nst ndt": "America/St_Johns", "gmt": "Europe/London UTC",
    "bst": "Europe/London Asia/Dhaka", "ist": "Asia/Kolkata Europe/Dublin Asia/Jerusalem",
    "cet cest": "Europe/Paris", "eet eest": "Europe/Athens", "wet": "Europe/Lisbon",
    "brt": "America/Sao_Paulo", "art": "America/Argentina/Buenos_Aires",
}  # fmt: skip
# What each abbreviation with several zones can mean, for the question.
ABBREVIATION_CHOICES = {
    "ist": "IST is India, Ireland or Israel",
    "cst": "CST is US Central time or China",
    "ast": "AST is Atlantic time (Canada) or Arabia",
    "bst": "BST is British Summer Time or Bangladesh",
    "gmt": "GMT is UK time (with summer time) or UTC (never changes)",
    "mst": "MST is US Mountain time with daylight saving (Denver) or without (Arizona)",
    "aest": "AEST is eastern Australia with daylight saving (Sydney) or without (Queensland)",
    "acst": "ACST is central Australia with daylight saving (Adelaide) or without (Darwin)",
}
# From a Telegram language_code, for buttons before a user has set a zone.
LANGUAGE_ZONES = {
    "en": "America/New_York America/Chicago America/Los_Angeles Europe/London America/Toronto "
          "Australia/Sydney Pacific/Auckland Europe/Dublin",
    "ja": "Asia/Tokyo", "ko": "Asia/Seoul", "zh": "Asia/Shanghai Asia/Taipei Asia/Hong_Kong",
    "fr": "Europe/Paris America/Toronto Europe/Brussels Europe/Zurich",
    "de": "Europe/Berlin Europe/Vienna Europe/Zurich", "it": "Europe/Rome",
    "es": "Europe/Madrid America/Mexico_City America/Bogota America/Argentina/Buenos_Aires "
          "America/Lima America/Santiago",
    "pt": "America/Sao_Paulo Europe/Lisbon", "nl": "Europe/Amsterdam Europe/Brussels",
    "ru": "Europe/Moscow", "uk": "Europe/Kyiv", "pl": "Europe/Warsaw", "tr": "Europe/Istanbul",
    "id": "Asia/Jakarta", "ms": "Asia/Kuala_Lumpur", "vi": "Asia/Ho_Chi_Minh",
    "th": "Asia/Bangkok", "tl": "Asia/Manila", "fil": "Asia/Manila", "hi": "Asia/Kolkata",
    "ar": "Asia/Riyadh Africa/Cairo Asia/Dubai", "he": "Asia/Jerusalem",
    "sv": "Europe/Stockholm", "nb": "Europe/Oslo", "no": "Europe/Oslo", "da": "Europe/Copenhagen",
    "fi": "Europe/Helsinki", "el": "Europe/Athens", "cs": "Europe/Prague",
    "hu": "Europe/Budapest", "ro": "Europe/Bucharest", "ga": "Europe/Dublin",
    "cy": "Europe/London",
}  # fmt: skip
# Names that are a country and a well-known place elsewhere.
CLASHES: dict[str, tuple[How, str, str]] = {
    "georgia": ("country", "Asia/Tbilisi America/New_York", "Georgia is a country and a US state"),
    "washington": ("city", "America/New_York America/Los_Angeles", "Washington is the US "
                   "capital and a state on the Pacific coast"),
    "birmingham": ("city", "Europe/London America/Chicago", "Birmingham is in England and "
                   "in Alabama"),
}  # fmt: skip
DEFAULT_LIKELY = "America/New_York Europe/London Australia/Sydney Asia/Tokyo UTC"
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
    if not all(name.lower() in _zone_names() for name in (typed_name, flipped)):
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
    key = typed.lower().replace(" ", "_")
    name = _zone_names().get(key)
    if name is None or ("/" not in name and name != "UTC"):
        return None
    return ZoneChoice((name,), "name")


def _iana(typed: str, now: datetime) -> ZoneChoice | None:
    name = _zone_names().get(typed.lower().replace(" ", "_"))
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


# -- the tz database's tables ----------------------------------------------------------


def _key(text: str) -> str:
    """'Washington, D.C.' -> 'washington dc'; 'Port-au-Prince' -> 'port au prince'."""
    cleaned = re.sub(r"[().,']", "", text.casefold().replace("&", "and"))
    words = re.sub(r"[\s_\-]+", " ", cleaned).split()
    if words[:1] == ["the"]:
        words = words[1:]
    if len(words) > 1 and words[-1] == "time":  # "Tokyo time", "UK time"
        words = words[:-1]
    return " ".join(words)


@cache
def _zone_names() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


@cache
def _tab(name: str) -> tuple[tuple[str, ...], ...]:
    """The rows of a tz database table, from where zoneinfo itself reads zones."""
    return tuple(
        tuple(line.split("\t"))
        for line in _tab_text(name).splitlines()
        if line.strip() and not line.startswith("#")
    )


def _tab_text(name: str) -> str:
    for directory in zoneinfo.TZPATH:
        path = Path(directory) / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    try:
        return resources.files("tzdata").joinpath("zoneinfo").joinpath(name).read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return ""  # countries and offsets with minutes cannot be read; the rest still works


@cache
def _country_zones() -> dict[str, tuple[str, ...]]:
    """ISO code -> its zones in zone.tab's order (most populous first, within geography)."""
    found: dict[str, list[str]] = {}
    for row in _tab("zone.tab"):
        if len(row) >= 3 and row[2] in _zone_names().values():
            found.setdefault(row[0], []).append(row[2])
    return {code: tuple(zones) for code, zones in found.items()}


@cache
def _country_codes() -> dict[str, str]:
    """Names people use for a country -> its ISO code."""
    names: dict[str, str] = {}
    short: dict[str, set[str]] = {}
    for row in _tab("iso3166.tab"):
        if len(row) >= 2:
            names[_key(row[1])] = row[0]
            short.setdefault(_key(re.sub(r"\(.*\)", "", row[1])), set()).add(row[0])
    # "Britain (UK)" is also "Britain"; "Korea (South)" is not "Korea" (there are two).
    names.update({key: min(codes) for key, codes in short.items() if len(codes) == 1})
    return names | COUNTRY_ALIASES


def _country_name(code: str) -> str:
    return next((row[1] for row in _tab("iso3166.tab") if row[0] == code), code)


@cache
def _cities() -> dict[str, tuple[str, ...]]:
    """'new york' -> ('America/New_York',): the last part of IANA names, then the aliases."""
    listed = {zone for zones in _country_zones().values() for zone in zones}
    found: dict[str, list[str]] = {}
    for name in sorted(_zone_names().values()):
        if name.split("/")[0] in AREAS:
            found.setdefault(_key(name.rsplit("/", 1)[1]), []).append(name)
    cities = {
        key: tuple(n for n in names if n in listed) or tuple(names) for key, names in found.items()
    }
    # Over an IANA link of the same name: the canonical zone loads where links are not installed.
    for zone, spelled in CITY_ALIASES.items():
        for city in spelled.split("|") if "|" in spelled else spelled.split():
            cities[_key(city)] = (zone,)
    return cities


@cache
def _abbreviations() -> dict[str, tuple[str, ...]]:
    return {
        abbreviation: tuple(zones.split())
        for abbreviations, zones in ABBREVIATIONS.items()
        for abbreviation in abbreviations.split()
    }


def _distinct(zones: Sequence[str], now: datetime) -> tuple[str, ...]:
    """One zone for each different clock over the next year, the best-known standing for it."""
    day = now.date().isoformat()
    groups: dict[tuple[timedelta | None, ...], list[str]] = {}
    for name in zones:
        groups.setdefault(_future_offsets(name, day), []).append(name)
    order = {name: index for index, name in enumerate(zones)}
    chosen = [min(group, key=lambda name: (_rank(name), order[name])) for group in groups.values()]
    return tuple(sorted(chosen, key=lambda name: (_rank(name), order[name])))


def _rank(name: str) -> int:
    return PREFERRED.index(name) if name in PREFERRED else len(PREFERRED)


@lru_cache(maxsize=2048)  # a few zones a day are asked about; the day is in the key
def _future_offsets(name: str, day: str) -> tuple[timedelta | None, ...]:
    """The zone's UTC offset at noon UTC on each of the 366 days from ``day``."""
    zone = ZoneInfo(name)
    start = datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC)
    return tuple((start + timedelta(days=n)).astimezone(zone).utcoffset() for n in range(366))
