"""The forms news writes for an airport's or air base's name, from its name in the
``airportsdata`` package ("Tyndall Afb Airport" is "Tyndall Air Force Base" in the news).

    >>> airport_forms("Tyndall Afb Airport")
    ['Tyndall Air Force Base', 'Tyndall AFB']
    >>> airport_forms("Futenma Marine Corps Air Station")
    ['Marine Corps Air Station Futenma']
    >>> airport_city_forms("Licenciado Benito Juarez International Airport", "Mexico City")
    ['Mexico City International Airport', 'Mexico City Airport']
"""
from __future__ import annotations

import re

#: Words that make a name an airport's or a base's ("Martin Field" alone is more often a
#: person): the names indexed.
AVIATION = re.compile(r"\b(?:Airport|Airfield|Air\s?Base|Air\s+Force\s+Base|Air\s+Station|"
                      r"Aerodrome|Airstrip|Air\s+Field|Afb|AFB|Arb|ARB)\b")
#: "Capitan Fuentes Martinez Airport Airport": one "Airport".
AIRPORT_TWICE = re.compile(r"\bAirport(?:\s+Airport)+\b")
#: The package's abbreviations of a base's kind, written out.
_BASES = {"afb": "Air Force Base", "arb": "Air Reserve Base"}
_BASE = re.compile(r"^(?P<base>.+?)\s+(?P<abbr>Afb|AFB|Arb|ARB)(?:\s+Airport)?$")
#: A station named before its kind ("Futenma Marine Corps Air Station"): news puts the kind
#: first ("Marine Corps Air Station Futenma").
_STATION = re.compile(r"^(?P<base>.+?)\s+(?P<kind>(?:Marine\s+Corps|Naval|Coast\s+Guard)\s+"
                      r"Air\s+Station|Naval\s+Station)$")
_INTERNATIONAL = re.compile(r"^(?P<base>.+?)\s+International\s+Airport$")
_AIRPORT = re.compile(r"^(?P<base>.+?)\s+Airport$")


def airport_name(name: str) -> str:
    """The name to show, as news writes it: "Homestead Arb Airport" is "Homestead Air
    Reserve Base", "Iwakuni Marine Corps Air Station" "Marine Corps Air Station Iwakuni"."""
    if _BASE.match(name) or _STATION.match(name):
        return airport_forms(name)[0]
    return name


def airport_forms(name: str) -> list[str]:
    """Other forms of an airport's own name that news writes."""
    if m := _BASE.match(name):
        abbr = m["abbr"].lower()
        return [f"{m['base']} {_BASES[abbr]}", f"{m['base']} {abbr.upper()}"]
    if m := _STATION.match(name):
        return [f"{m['kind']} {m['base']}"]
    if m := _INTERNATIONAL.match(name):
        return [f"{m['base']} Airport"]
    if m := _AIRPORT.match(name):
        return [f"{m['base']} International Airport"]
    return []


def airport_without_city(name: str, city: str) -> str | None:
    """"St Louis Lambert International Airport" in St. Louis: "Lambert International
    Airport", as news writes it (also "Dulles International Airport"); None where the
    name does not begin with its city or nothing but the kind would be left."""
    words, city_words = name.split(), city.replace(".", "").split()
    n = len(city_words)
    if [w.replace(".", "").lower() for w in words[:n]] != [w.lower() for w in city_words]:
        return None
    rest = " ".join(words[n:])
    return rest if _INTERNATIONAL.match(rest) or (m := _AIRPORT.match(rest)) and \
        m["base"] not in ("International", "Regional", "Municipal") else None


def airport_city_forms(name: str, city: str) -> list[str]:
    """An airline airport named after its city ("Mexico City International Airport"),
    whatever its own name: an international airport's two forms, another's one."""
    if city.lower() in name.lower():
        return []
    if "International" in name:
        return [f"{city} International Airport", f"{city} Airport"]
    return [f"{city} Airport"] if "Airport" in name else []


__all__ = ["AIRPORT_TWICE", "AVIATION", "airport_city_forms", "airport_forms", "airport_name",
           "airport_without_city"]
