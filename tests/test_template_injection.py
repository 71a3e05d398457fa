"""Article text, file names and geocoder answers never reach a template engine as code.

Two protections, each tested alone: :class:`geo.maps.elements.DataElement` adds rendered macro
output verbatim (no second Jinja compile), and :func:`geo.maps.render.esc` /
:func:`geo.maps.render.js_string` leave no ``{{``, ``{%`` or ``{#`` in what they produce.
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.maps import render
from geo.models import Place, StoryPlace
from tests.payloads import TEMPLATE_PAYLOADS, template_payloads
from tests.test_render import basemap, make_story, map_places, quote  # noqa: F401

_TEMPLATE_SYNTAX = re.compile(r"\{[{%#]")


def hostile_story(canary: Path):
    """The test story plus a place whose name, id, source and quote carry every payload."""
    payloads = template_payloads(canary)
    sentence = "Officials in Damascus said " + " and ".join(payloads) + " people marched."
    place = Place("nominatim:{{7*7}}", "Damascus {{ 7*7 }}", "city", 33.51, 36.29)
    damascus = StoryPlace(place, (quote("a1", "Outlet {{ 6*7 }}", sentence, "Damascus"),))
    story = make_story()
    return replace(story, places=story.places + (damascus,)), payloads


def check_literal(page: str, payloads: list[str], canary: Path) -> None:
    assert "said 49" not in page and "Outlet 42" not in page and "Damascus 49" not in page
    assert not canary.exists()


def test_macro_output_is_never_compiled(monkeypatch, tmp_path: Path, basemap: Path) -> None:  # noqa: F811
    """Even with escaping that leaves braces alone, the payloads stay text."""
    monkeypatch.setattr(render, "esc", lambda t: html.escape(t, quote=True))
    monkeypatch.setattr(render, "js_string", lambda t: json.dumps(t).replace("</", "<\\/"))
    canary = tmp_path / "pwned"
    story, payloads = hostile_story(canary)
    page = render.standalone_html(story, basemap=basemap)
    check_literal(page, payloads, canary)
    assert "{{ 7*7 }}" in page and "{% if 1 %}x{% endif %}" in page


def test_export_keeps_payloads_as_text(tmp_path: Path, basemap: Path) -> None:  # noqa: F811
    canary = tmp_path / "pwned"
    story, payloads = hostile_story(canary)
    page = render.standalone_html(story, basemap=basemap)
    check_literal(page, payloads, canary)
    assert_popup_shows(page, payloads)


def assert_popup_shows(script: str, payloads: list[str]) -> None:
    """The Damascus popup, decoded as the browser would, holds every payload as written."""
    popup = next(p["popup"] for p in map_places(script) if "Damascus" in p["popup"])
    shown = html.unescape(popup)
    for payload in payloads:
        assert payload in shown


def test_page_map_string_keeps_payloads_as_text(tmp_path: Path, basemap: Path) -> None:  # noqa: F811
    """The page's path: st_folium renders the figure, then its own leaflet string."""
    from streamlit_folium import _get_map_string

    canary = tmp_path / "pwned"
    story, payloads = hostile_story(canary)
    m = render.build_map(story, basemap=basemap)
    m.get_root().render()
    m.render()
    script = _get_map_string(m)
    check_literal(script, payloads, canary)
    assert_popup_shows(script, payloads)


def _decode_js(literal: str) -> str:
    return json.loads(literal.replace("<\\!--", "<!--"))


#: Text rich in the characters that matter here, and any text.
HOSTILE_TEXT = st.text(alphabet="{}%#<>/!-`$\\'\" a\u2028\u2029") | st.text()


@settings(max_examples=300, deadline=None)
@given(HOSTILE_TEXT)
def test_js_string_leaves_no_template_syntax_and_round_trips(text: str) -> None:
    literal = render.js_string(text)
    assert not _TEMPLATE_SYNTAX.search(literal)
    assert "</" not in literal and "<!--" not in literal
    assert _decode_js(literal) == text


@settings(max_examples=300, deadline=None)
@given(HOSTILE_TEXT)
def test_esc_leaves_no_template_syntax_and_round_trips(text: str) -> None:
    escaped = render.esc(text)
    assert not _TEMPLATE_SYNTAX.search(escaped)
    assert "<" not in escaped and "`" not in escaped and "${" not in escaped
    assert html.unescape(escaped) == text


@pytest.mark.parametrize("payload", TEMPLATE_PAYLOADS)
def test_each_payload_in_a_tooltip_is_shown_as_written(payload: str) -> None:
    sp = StoryPlace(Place("p", payload, "city", 0, 0), ())
    text = html.unescape(re.sub(r"<[^>]+>", "", render.tooltip_html(sp, 1)))
    assert text.startswith(payload)
