"""The tz database's tables (zone.tab, iso3166.tab) and the lookups built from them."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.timebase import iana_names
from bot.zone_aliases import ABBREVIATIONS, CITY_ALIASES, COUNTRY_ALIASES, PREFERRED

AREAS = {"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia",
         "Europe", "Indian", "Pacific"}  # fmt: skip


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
        if len(row) >= 3 and row[2] in iana_names().values():
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
    for name in sorted(iana_names().values()):
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
