/* Storymap's offline land: country outlines drawn under the tiles (see geo/maps/outlines.py).
 *
 * storymapBasemap(map, data) decodes data/basemap/countries-50m.json (shared arcs, each a
 * string of delta varints, as scripts/build_basemap.py writes them) and draws every country
 * grey on a canvas in a pane below the tile layer: online the tiles cover it, offline (no
 * tiles) it is the map. Not interactive: clicks go to the story's places. The outlines
 * stay on the map as map.storymapLand (name -> latlngs) for the places sent by name.
 *
 * They are drawn when the browser is next idle, after the map's script has drawn the places
 * and set the opening view: the places show first (drawing the outlines took ~200 ms of that
 * script on a 2-core machine), and the outlines are projected once, at the opening view,
 * not at the world view first and again at that one.
 */
function storymapBasemap(map, data) {
  "use strict";
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  function decodeArc(text) {
    /* Zigzag varints, 5 bits a character (32: more follow), x and y deltas alternating. */
    var values = [], n = 0, shift = 0, i, v;
    for (i = 0; i < text.length; i++) {
      v = ALPHABET.indexOf(text.charAt(i));
      n += (v & 31) * Math.pow(2, shift);
      shift += 5;
      if (v < 32) {
        values.push(n % 2 ? -(n + 1) / 2 : n / 2);
        n = 0;
        shift = 0;
      }
    }
    var out = [], x = 0, y = 0;
    for (i = 0; i + 1 < values.length; i += 2) {
      x += values[i];
      y += values[i + 1];
      out.push([data.origin[1] + y * data.grid, data.origin[0] + x * data.grid]);
    }
    return out;
  }

  var arcs = data.arcs.map(decodeArc);
  function ring(indices) {
    var out = [];
    indices.forEach(function (i) {
      var arc = i >= 0 ? arcs[i] : arcs[~i].slice().reverse();
      out = out.concat(out.length ? arc.slice(1) : arc);
    });
    return out;
  }

  var pane = map.createPane("storymapLand");
  pane.style.zIndex = 150;  /* under the tiles (200) */
  pane.style.pointerEvents = "none";
  var renderer = L.canvas({pane: "storymapLand", padding: 0.5});
  var land = {};
  data.countries.forEach(function (c) {
    land[c.name] = c.polygons.map(function (p) { return p.map(ring); });
  });
  map.storymapLand = land;  /* a country of the story is drawn from its outline here */
  var later = window.requestIdleCallback || function (f) { return setTimeout(f, 1); };
  later(function () {  /* once the places are on the screen (at the latest in 1 s) */
    Object.keys(land).forEach(function (name) {
      L.polygon(land[name], {renderer: renderer, interactive: false, smoothFactor: 1.5,
                             color: "#8c8c8c", weight: 0.6, fillColor: "#f2efe9",
                             fillOpacity: 1.0}).addTo(map);
    });
  }, {timeout: 1000});
}
