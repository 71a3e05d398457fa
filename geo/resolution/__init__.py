"""Resolution: the offline gazetteer, geocoders and the scored choice of a place per mention."""
