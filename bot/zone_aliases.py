"""Hand-checked names for zones: city and country aliases, abbreviations, language defaults."""

from __future__ import annotations

from typing import Literal

How = Literal["name", "city", "country", "offset", "abbreviation"]
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
