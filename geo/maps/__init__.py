"""The folium map: its data, its scripts and styles, its vendored assets."""
