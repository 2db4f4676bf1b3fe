"""Views of the atlas app: the map, state and county pages, sources and about."""
