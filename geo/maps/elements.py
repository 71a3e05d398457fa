"""folium/branca elements that put text in the page as data, never as template source.

branca renders an element's macros (``header``, ``html``, ``script``) and wraps each output
in ``Element(output)``, which compiles that output as a *second* Jinja template when the
figure renders. Any ``{{ ... }}`` or ``{% ... %}`` that reached the output from article
text, a file name or a geocoder answer would then run on the server (``{{ 7*7 }}`` showed
as 49; ``{{ cycler.__init__.__globals__.os... }}`` ran a shell command), and an unbalanced
``{{`` aborted the export. :class:`DataElement` renders its macros once and adds the output
as :class:`Verbatim` text, so the second pass never sees it.

    >>> from geo.maps.elements import Verbatim
    >>> Verbatim("{{ 7*7 }}").render()
    '{{ 7*7 }}'
"""
from __future__ import annotations

from branca.element import Element, Figure, MacroElement


class Verbatim(Element):
    """Text that renders as itself: no template is ever made from it."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Verbatim"
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class DataElement(MacroElement):
    """A ``MacroElement`` whose macro outputs enter the figure verbatim (see module doc).

    Subclasses write their ``_template`` as usual; values they interpolate may hold any
    text, and must be escaped for where they land (JS string, HTML) as always."""

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError("a DataElement renders only inside a Figure")
        macros = self._template.module.__dict__
        for part in ("header", "html", "script"):
            macro = macros.get(part)
            if macro is not None:
                getattr(figure, part).add_child(Verbatim(macro(self, kwargs)),
                                                name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)
