"""Exports: the standalone HTML map and GeoJSON, written to files."""
