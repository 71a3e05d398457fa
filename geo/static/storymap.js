/* Storymap's own map script: draws the story's places from data (see geo/render.py).
 *
 * storymapLayer(map, data) adds, for each place of data.places:
 *  - a point place (city, facility, sea...): a marker whose pie shows, in each outlet's
 *    colour, which outlets name it; markers that overlap are clustered (leaflet.markercluster)
 *    and a cluster opens with one click;
 *  - a shaped place (country, area, river): its outline, shaded by how many outlets name it;
 *    a click where shapes overlap also lists what else lies under the pointer.
 * Every layer carries options.placeId and a tooltip ending with a hidden [[place id]] (which
 * the Streamlit page reads back from a click); shapes and markers take the keyboard focus.
 * All text arrives already escaped as HTML by the Python side; this script never builds
 * HTML from it except by inserting those strings, and it names places with textContent.
 */
function storymapLayer(map, data) {
  "use strict";
  var shapes = [];
  /* A popup no wider than the map leaves room for (its auto-pan keeps ~70 px clear): on a
   * phone the configured width would run off the screen. */
  var room = Math.max(map.getSize().x - 100, 160);
  var popupOptions = L.extend({}, data.popupOptions, {
    maxWidth: Math.min(data.popupOptions.maxWidth, room),
    minWidth: Math.min(data.popupOptions.minWidth, room)
  });
  var cluster = L.markerClusterGroup({
    showCoverageOnHover: false, maxClusterRadius: 36, spiderfyOnMaxZoom: true,
    zoomToBoundsOnClick: true
  });

  function pieIcon(p) {
    var n = Math.max(p.outlets.length, 1);
    var stops = p.outlets.map(function (o, i) {
      return data.colours[o] + " " + (100 * i / n) + "% " + (100 * (i + 1) / n) + "%";
    });
    var span = document.createElement("span");
    span.className = "storymap-pie";
    span.style.background = stops.length ? "conic-gradient(" + stops.join(",") + ")" : "#999";
    return L.divIcon({
      className: "storymap-pin" + (p.selected ? " storymap-selected" : ""),
      iconSize: [p.size, p.size], html: span.outerHTML
    });
  }

  function focusable(layer, p) {
    var el = layer.getElement && layer.getElement();
    if (!el) { return; }
    el.setAttribute("tabindex", "0");
    el.setAttribute("role", "button");
    el.setAttribute("aria-label", p.label);
    el.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        layer.fire("click", {latlng: layer.getCenter ? layer.getCenter() : layer.getLatLng()});
      }
    });
  }

  function inside(latlng, layer) {
    /* Even-odd rule over every ring of a polygon layer. */
    var rings = [];
    (function flat(a) {
      if (a.length && a[0] instanceof L.LatLng) { rings.push(a); } else { a.forEach(flat); }
    })(layer.getLatLngs());
    var x = latlng.lng, y = latlng.lat, hit = false;
    rings.forEach(function (ring) {
      for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        var xi = ring[i].lng, yi = ring[i].lat, xj = ring[j].lng, yj = ring[j].lat;
        if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) { hit = !hit; }
      }
    });
    return hit;
  }

  function shapeClick(layer, p) {
    return function (e) {
      var under = shapes.filter(function (s) {
        return s.layer !== layer && s.layer instanceof L.Polygon && inside(e.latlng, s.layer);
      });
      if (!p.popup && !under.length) { return; }
      var box = document.createElement("div");
      if (p.popup) { box.innerHTML = p.popup; }
      if (under.length) {
        var list = document.createElement("div");
        list.className = "storymap-under";
        var head = document.createElement("div");
        head.textContent = "Also here:";
        list.appendChild(head);
        under.forEach(function (s) {
          var b = document.createElement("button");
          b.type = "button";
          b.textContent = s.place.name;
          b.addEventListener("click", function () {
            map.closePopup();
            s.layer.fire("click", {latlng: e.latlng});
          });
          list.appendChild(b);
        });
        box.appendChild(list);
      }
      L.popup(popupOptions).setLatLng(e.latlng).setContent(box).openOn(map);
    };
  }

  var selected = null;
  function select(layer) {
    /* The clicked place is outlined here, in the page, so selecting needs no new map. */
    if (selected && selected !== layer) { mark(selected, false); }
    selected = layer;
    mark(layer, true);
  }
  function mark(layer, on) {
    if (layer.setStyle) {
      layer.setStyle({weight: on ? 3.5 : layer.options.baseWeight});
    } else if (layer._icon) {
      layer._icon.classList.toggle("storymap-selected", on);
    }
  }

  function bind(layer, p) {
    layer.options.placeId = p.id;
    layer.options.baseWeight = layer.options.weight;
    layer.bindTooltip(p.tooltip, {sticky: true});
    layer.on("click", function () { select(layer); });
    if (p.selected) { layer.once("add", function () { select(layer); }); }
  }

  data.places.forEach(function (p) {
    if (p.rings.length) {
      var poly = L.polygon(p.rings, {color: p.edge, weight: 1.2, fillColor: p.fill,
                                     fillOpacity: p.opacity});
      bind(poly, p);
      poly.on("click", shapeClick(poly, p));
      poly.addTo(map);
      focusable(poly, p);
      shapes.push({layer: poly, place: p});
    } else if (p.lines.length) {
      var line = L.polyline(p.lines, {color: p.edge, weight: 4, opacity: 0.8});
      bind(line, p);
      line.on("click", shapeClick(line, p));
      line.addTo(map);
      focusable(line, p);
      shapes.push({layer: line, place: p});
    } else {
      var marker = L.marker([p.lat, p.lon], {icon: pieIcon(p), keyboard: true, title: p.label,
                                             alt: p.label, riseOnHover: true});
      bind(marker, p);
      if (p.popup) { marker.bindPopup(p.popup, popupOptions); }
      cluster.addLayer(marker);
    }
  });
  cluster.addTo(map);
  /* Markers inside a cluster have no element until shown: label them when they appear. */
  cluster.on("layeradd", function (e) {
    var el = e.layer.getElement && e.layer.getElement();
    if (el && e.layer.options.placeId) { el.setAttribute("aria-label", e.layer.options.alt); }
  });

  if (data.whole) {
    var whole = L.control({position: "topleft"});
    whole.onAdd = function () {
      var b = L.DomUtil.create("button", "storymap-whole");
      b.type = "button";
      b.textContent = "Whole story";
      b.title = "Zoom out to every place of the story";
      L.DomEvent.disableClickPropagation(b);
      L.DomEvent.on(b, "click", function () { map.fitBounds(data.whole, {padding: [20, 20]}); });
      return b;
    };
    whole.addTo(map);
  }
  return {cluster: cluster, shapes: shapes};
}
