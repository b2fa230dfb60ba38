from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import zones
from bot.timebase import InputError
from bot.zones import (
    ABBREVIATIONS,
    CITY_ALIASES,
    CLASHES,
    DEFAULT_LIKELY,
    LANGUAGE_ZONES,
    MAX_LIKELY,
    PREFERRED,
    How,
    ZoneChoice,
    describe_zone,
    likely_zones,
    resolve_zone,
)

WINTER = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)  # northern winter, southern summer
SUMMER = datetime(2027, 7, 10, 12, 0, tzinfo=UTC)


def choice(text: str, now: datetime = WINTER) -> ZoneChoice:
    return resolve_zone(text, now=now)


def refusal(text: str, now: datetime = WINTER) -> str:
    with pytest.raises(InputError) as error:
        resolve_zone(text, now=now)
    message = str(error.value)
    assert message
    assert "\n" not in message
    return message


def offset_of(name: str, now: datetime = WINTER) -> timedelta | None:
    return now.astimezone(ZoneInfo(name)).utcoffset()


def canonical() -> set[str]:
    """Zones the tz database lists for a country: they load without the legacy links."""
    listed = {name for names in zones._country_zones().values() for name in names}
    return listed | {row[2] for row in zones._tab("zone1970.tab") if len(row) >= 3} | {"UTC"}


# -- IANA names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Europe/London", "Europe/London"),
        ("europe/london", "Europe/London"),
        ("  ASIA/TOKYO ", "Asia/Tokyo"),
        ("America/New York", "America/New_York"),
        ("america/argentina/buenos_aires", "America/Argentina/Buenos_Aires"),
        ("UTC", "UTC"),
        ("utc", "UTC"),
        ("EST5EDT", "EST5EDT"),  # a legacy name no table claims is still a name
    ],
)
def test_iana_names(text: str, key: str) -> None:
    assert choice(text) == ZoneChoice((key,), "name")


# -- cities --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("London", "Europe/London"),
        ("Tokyo", "Asia/Tokyo"),
        ("new york", "America/New_York"),
        ("NEW YORK", "America/New_York"),
        ("New_York", "America/New_York"),
        ("Sydney", "Australia/Sydney"),
        ("Los Angeles", "America/Los_Angeles"),
        ("Buenos Aires", "America/Argentina/Buenos_Aires"),
        ("Port-au-Prince", "America/Port-au-Prince"),
        ("port au prince", "America/Port-au-Prince"),
        ("Tokyo time", "Asia/Tokyo"),
        ("Sydney, Australia", "Australia/Sydney"),
        ("Osaka, Japan", "Asia/Tokyo"),
        # big cities that are not IANA names
        ("Osaka", "Asia/Tokyo"),
        ("Kyoto", "Asia/Tokyo"),
        ("Washington, D.C.", "America/New_York"),
        ("San Francisco", "America/Los_Angeles"),
        ("Houston", "America/Chicago"),
        ("Manchester", "Europe/London"),
        ("Montreal", "America/Toronto"),
        ("Mumbai", "Asia/Kolkata"),
        ("Wellington", "Pacific/Auckland"),
        ("Cape Town", "Africa/Johannesburg"),
        ("St. Louis", "America/Chicago"),
    ],
)
def test_cities(text: str, key: str) -> None:
    assert choice(text) == ZoneChoice((key,), "city")


def test_every_city_alias_is_a_canonical_zone() -> None:
    assert set(CITY_ALIASES) <= canonical()


# -- countries -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Japan", "Asia/Tokyo"),
        ("japan", "Asia/Tokyo"),
        ("UK", "Europe/London"),
        ("U.K.", "Europe/London"),
        ("United Kingdom", "Europe/London"),
        ("Britain", "Europe/London"),
        ("Great Britain", "Europe/London"),
        ("Scotland", "Europe/London"),
        ("Ireland", "Europe/Dublin"),
        ("South Korea", "Asia/Seoul"),
        ("Korea", "Asia/Seoul"),
        ("India", "Asia/Kolkata"),
        ("Singapore", "Asia/Singapore"),
        ("the Philippines", "Asia/Manila"),
        ("Germany", "Europe/Berlin"),  # Busingen keeps the same clock: one choice
        ("Japan time", "Asia/Tokyo"),
    ],
)
def test_countries_with_one_clock(text: str, key: str) -> None:
    assert choice(text) == ZoneChoice((key,), "country")


def test_new_zealand_has_two_clocks() -> None:
    found = choice("New Zealand")
    assert found.zones == ("Pacific/Auckland", "Pacific/Chatham")
    assert found.how == "country"
    assert not found.settled
    assert found.note == "New Zealand has several time zones; pick yours"


def test_australia_offers_each_clock_once_best_known_first() -> None:
    found = choice("Australia")
    assert found.zones[0] == "Australia/Sydney"
    assert {"Australia/Brisbane", "Australia/Adelaide", "Australia/Perth", "Australia/Darwin"} <= (
        set(found.zones)
    )
    # Melbourne and Hobart keep Sydney's clock: Sydney stands for them.
    assert not {"Australia/Melbourne", "Australia/Hobart"} & set(found.zones)


@pytest.mark.parametrize("text", ["USA", "US", "U.S.A.", "United States", "America"])
def test_usa_offers_its_clocks(text: str) -> None:
    found = choice(text)
    assert found.how == "country"
    assert found.zones[:7] == (
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Phoenix",  # Mountain time without daylight saving
        "America/Los_Angeles",
        "America/Anchorage",
        "Pacific/Honolulu",
    )
    assert len(found.zones) <= 10


@pytest.mark.parametrize("country", ["US", "CA", "AU", "RU", "BR", "MX", "PT", "NZ", "DE"])
def test_country_choices_cover_every_zone_and_differ(country: str) -> None:
    offered = zones._distinct(zones._country_zones()[country], WINTER)
    clocks = [zones._future_offsets(name, "2027-01-10") for name in offered]
    assert len(set(clocks)) == len(clocks)  # no two buttons keep the same clock
    for name in zones._country_zones()[country]:  # and every zone has its button
        assert zones._future_offsets(name, "2027-01-10") in clocks


def test_canada_and_portugal() -> None:
    canada = choice("Canada").zones
    assert {"America/Toronto", "America/Vancouver", "America/Halifax", "America/St_Johns"} <= (
        set(canada)
    )
    assert choice("Portugal").zones == ("Europe/Lisbon", "Atlantic/Azores")  # Madeira = Lisbon


@pytest.mark.parametrize(
    ("text", "expected", "how", "note"),
    [
        (
            "Georgia",
            ("Asia/Tbilisi", "America/New_York"),
            "country",
            "Georgia is a country and a US state; pick yours",
        ),
        (
            "washington",
            ("America/New_York", "America/Los_Angeles"),
            "city",
            "Washington is the US capital and a state on the Pacific coast; pick yours",
        ),
        (
            "Birmingham",
            ("Europe/London", "America/Chicago"),
            "city",
            "Birmingham is in England and in Alabama; pick yours",
        ),
    ],
)
def test_names_of_two_places_are_asked(
    text: str, expected: tuple[str, ...], how: How, note: str
) -> None:
    assert choice(text) == ZoneChoice(expected, how, note)


def test_clash_zones_are_canonical() -> None:
    named = {name for _, names, _ in CLASHES.values() for name in names.split()}
    assert named <= canonical()


# -- offsets -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "hours"),
    [
        ("+9", "Etc/GMT-9", 9),
        ("UTC+9", "Etc/GMT-9", 9),
        ("utc +9", "Etc/GMT-9", 9),
        ("GMT+09:00", "Etc/GMT-9", 9),
        ("+0900", "Etc/GMT-9", 9),
        ("UTC-5", "Etc/GMT+5", -5),
        ("GMT-5", "Etc/GMT+5", -5),
        ("-05:00", "Etc/GMT+5", -5),
        ("UTC\u22125", "Etc/GMT+5", -5),  # a phone's minus sign
        ("UTC\u20135", "Etc/GMT+5", -5),  # an en dash
        ("UTC+14", "Etc/GMT-14", 14),
        ("UTC-12", "Etc/GMT+12", -12),
        ("UTC+0", "UTC", 0),
        ("-0", "UTC", 0),
    ],
)
def test_whole_hour_offsets(text: str, key: str, hours: int) -> None:
    found = choice(text)
    assert found.zones == (key,)
    assert found.how == "offset"
    assert offset_of(key) == timedelta(hours=hours)
    assert offset_of(key, SUMMER) == timedelta(hours=hours)  # fixed: no daylight saving
    assert "fixed offset" in found.note
    assert "never changes for daylight saving" in found.note


@pytest.mark.parametrize("hours", range(-12, 15))
def test_every_whole_hour_offset_has_the_right_sign(hours: int) -> None:
    [key] = choice(f"UTC{hours:+d}").zones
    assert offset_of(key) == timedelta(hours=hours)


def test_offset_note_explains_the_inverted_name() -> None:
    assert choice("UTC+9").note == (
        "UTC+09:00 is a fixed offset (stored as Etc/GMT-9: the tz database inverts the sign): "
        "it never changes for daylight saving; if your clocks change, name your city instead, "
        "e.g. London or New York"
    )


@pytest.mark.parametrize(
    ("text", "now", "expected"),
    [
        ("UTC+05:30", WINTER, ("Asia/Kolkata", "Asia/Colombo")),
        ("+0530", WINTER, ("Asia/Kolkata", "Asia/Colombo")),
        ("UTC+5:45", WINTER, ("Asia/Kathmandu",)),
        ("UTC+9:30", WINTER, ("Australia/Darwin",)),  # Adelaide is on summer time
        ("UTC+9:30", SUMMER, ("Australia/Adelaide", "Australia/Darwin")),
        ("UTC+10:30", WINTER, ("Australia/Adelaide",)),
        ("UTC+10:30", SUMMER, ("Australia/Lord_Howe",)),
        ("UTC-3:30", WINTER, ("America/St_Johns",)),
        ("UTC-2:30", SUMMER, ("America/St_Johns",)),
    ],
)
def test_offsets_with_minutes_offer_the_places_at_them(
    text: str, now: datetime, expected: tuple[str, ...]
) -> None:
    found = choice(text, now)
    assert found.zones == expected
    assert found.how == "offset"
    assert "there is no fixed-offset zone for" in found.note
    assert all(offset_of(name, now) == offset_of(expected[0], now) for name in found.zones)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("UTC+15", "UTC+15 is not an offset any place uses; they go from UTC-12 to UTC+14"),
        ("UTC-13", "is not an offset any place uses"),
        ("+09:75", "is not an offset any place uses"),
        ("UTC+05:15", "no place is at UTC+05:15 now; write a whole-hour offset like UTC+9"),
    ],
)
def test_impossible_offsets(text: str, expected: str) -> None:
    assert expected in refusal(text)


@pytest.mark.parametrize(
    ("text", "typed", "flipped", "meant"),
    [
        ("Etc/GMT+9", "Etc/GMT+9", "Etc/GMT-9", "UTC-09:00"),
        ("etc/gmt-9", "Etc/GMT-9", "Etc/GMT+9", "UTC+09:00"),
        ("ETC/GMT+5", "Etc/GMT+5", "Etc/GMT-5", "UTC-05:00"),
    ],
)
def test_etc_gmt_names_warn_of_the_inverted_sign(
    text: str, typed: str, flipped: str, meant: str
) -> None:
    found = choice(text)
    assert found.zones == (typed, flipped)
    assert found.how == "name"
    assert found.note.startswith(f"careful: {typed} is {meant}, as the tz database inverts")
    assert describe_zone(typed, WINTER).startswith(f"{typed} ({meant}")


def test_etc_gmt_zero_has_no_sign_to_invert() -> None:
    assert choice("Etc/GMT+0").zones == ("Etc/GMT+0",)


# -- abbreviations ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("JST", "Asia/Tokyo"),
        ("jst", "Asia/Tokyo"),
        ("KST", "Asia/Seoul"),
        ("HKT", "Asia/Hong_Kong"),
        ("AWST", "Australia/Perth"),
        ("HST", "Pacific/Honolulu"),
    ],
)
def test_abbreviations_of_one_clock(text: str, key: str) -> None:
    found = choice(text)
    assert found.zones == (key,)
    assert found.how == "abbreviation"
    assert found.note == f"{text.upper()} read as {key}"


@pytest.mark.parametrize(
    ("text", "key", "now", "offset"),
    [
        ("EST", "America/New_York", WINTER, "UTC-05:00"),
        ("EDT", "America/New_York", SUMMER, "UTC-04:00"),
        ("Eastern time", "America/New_York", WINTER, "UTC-05:00"),
        ("PST", "America/Los_Angeles", WINTER, "UTC-08:00"),
        ("CET", "Europe/Paris", WINTER, "UTC+01:00"),
        ("AEDT", "Australia/Sydney", WINTER, "UTC+11:00"),
        ("NZST", "Pacific/Auckland", SUMMER, "UTC+12:00"),
    ],
)
def test_abbreviations_read_as_zones_with_daylight_saving(
    text: str, key: str, now: datetime, offset: str
) -> None:
    found = choice(text, now)
    assert found.zones == (key,)
    assert "follows daylight saving time" in found.note
    assert f"(now {offset}," in found.note


def test_est_note_offers_a_fixed_offset() -> None:
    assert choice("EST").note == (
        "EST read as America/New_York, which follows daylight saving time (now UTC-05:00, "
        "another offset part of the year); for a fixed offset write UTC-5"
    )


@pytest.mark.parametrize(
    ("text", "expected", "note"),
    [
        ("IST", ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"), "India, Ireland or Israel"),
        ("CST", ("America/Chicago", "Asia/Shanghai"), "US Central time or China"),
        ("GMT", ("Europe/London", "UTC"), "UK time (with summer time) or UTC"),
        ("BST", ("Europe/London", "Asia/Dhaka"), "British Summer Time or Bangladesh"),
        ("MST", ("America/Denver", "America/Phoenix"), "with daylight saving (Denver)"),
        ("AEST", ("Australia/Sydney", "Australia/Brisbane"), "eastern Australia"),
    ],
)
def test_ambiguous_abbreviations_are_asked(
    text: str, expected: tuple[str, ...], note: str
) -> None:
    found = choice(text)
    assert found.zones == expected
    assert not found.settled
    assert note in found.note
    assert found.note.endswith("; pick yours")


def test_every_abbreviation_target_is_canonical_and_each_ambiguity_explained() -> None:
    targets = {name for names in ABBREVIATIONS.values() for name in names.split()}
    assert targets <= canonical()
    several = {key for key, names in zones._abbreviations().items() if len(names) > 1}
    assert several == set(zones.ABBREVIATION_CHOICES)


# -- refusals ---------------------------------------------------------------------------------


def test_unknown_zone() -> None:
    assert refusal("Mars") == (
        "'Mars' is not a time zone I know; write a city, a country or an offset, "
        "e.g. London, Japan, UTC+9 or Europe/London"
    )


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [("Tokio", "Tokyo"), ("Londn", "London"), ("Austrlia", "Australia"), ("ukk", "UK")],
)
def test_typo_gets_a_suggestion(text: str, suggestion: str) -> None:
    assert f"did you mean {suggestion}? Or write a city" in refusal(text)


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_zone(text: str) -> None:
    assert refusal(text).startswith("which time zone? write a city, a country or an offset")


@pytest.mark.parametrize(
    "text", ["Mars/Olympus_Mons", "../etc/passwd", "Factory", "x" * 500, "+", "UTC+"]
)
def test_not_zones(text: str) -> None:
    message = refusal(text)
    assert "x" * 41 not in message
    assert "e.g." in message


# -- describe_zone ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "now", "expected"),
    [
        ("Europe/London", WINTER, "Europe/London (UTC+00:00, now 12:00)"),
        ("Europe/London", SUMMER, "Europe/London (UTC+01:00, now 13:00)"),
        ("Asia/Tokyo", WINTER, "Asia/Tokyo (UTC+09:00, now 21:00)"),
        ("Asia/Kolkata", WINTER, "Asia/Kolkata (UTC+05:30, now 17:30)"),
        ("America/New_York", SUMMER, "America/New_York (UTC-04:00, now 08:00)"),
        ("Australia/Sydney", WINTER, "Australia/Sydney (UTC+11:00, now 23:00)"),
        ("Etc/GMT-9", WINTER, "Etc/GMT-9 (UTC+09:00, now 21:00)"),
    ],
)
def test_describe_zone(zone: str, now: datetime, expected: str) -> None:
    assert describe_zone(zone, now) == expected
    assert describe_zone(ZoneInfo(zone), now) == expected


# -- likely_zones ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "first"),
    [
        ("en", "America/New_York"),
        ("en-US", "America/New_York"),
        ("en-gb", "Europe/London"),
        ("en_AU", "Australia/Sydney"),
        ("ja", "Asia/Tokyo"),
        ("fr", "Europe/Paris"),
        ("fr-CA", "America/Toronto"),
        ("pt-br", "America/Sao_Paulo"),
        ("zh-hans", "Asia/Shanghai"),  # a script, not a region
        ("uk", "Europe/Kyiv"),  # Ukrainian, not the United Kingdom
        (None, "America/New_York"),
        ("", "America/New_York"),
        ("xx", "America/New_York"),
    ],
)
def test_likely_zones(code: str | None, first: str) -> None:
    found = likely_zones(code, now=WINTER)
    assert found[0] == first
    assert 1 <= len(found) <= MAX_LIKELY
    assert len(set(found)) == len(found)
    for name in found:
        ZoneInfo(name)


def test_likely_zones_for_english_cover_the_big_english_speaking_countries() -> None:
    found = set(likely_zones("en", now=WINTER))
    assert {"Europe/London", "America/Toronto", "Australia/Sydney", "Pacific/Auckland"} <= found
    assert likely_zones("fr", now=WINTER) == [
        "Europe/Paris",
        "America/Toronto",
        "Europe/Brussels",
        "Europe/Zurich",
    ]


def test_likely_zones_for_unknown_language_are_the_defaults() -> None:
    assert likely_zones("xx", now=WINTER) == DEFAULT_LIKELY.split()


def test_table_zones_are_canonical() -> None:
    named = {name for names in LANGUAGE_ZONES.values() for name in names.split()}
    assert named | set(DEFAULT_LIKELY.split()) | set(PREFERRED) <= canonical()


# -- the tz database's tables ------------------------------------------------------------------


def test_tables_are_read_from_the_zoneinfo_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "zone.tab").write_text("# comment\nJP\t+353916+1394441\tAsia/Tokyo\n")
    monkeypatch.setattr(zoneinfo, "TZPATH", (str(tmp_path),))
    assert zones._tab_text("zone.tab").endswith("Asia/Tokyo\n")


def test_tables_fall_back_to_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zoneinfo, "TZPATH", (str(tmp_path),))
    assert zones._tab_text("no-such.tab") == ""


def test_resolve_zone_defaults_to_the_current_time() -> None:
    assert resolve_zone("Tokyo").zones == ("Asia/Tokyo",)
