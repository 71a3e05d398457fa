/* Storymap's own map script: draws the story's places from data (see geo/maps/render.py).
 *
 * storymapLayer(map, data) adds, for each place of data.places:
 *  - a point place (city, facility, sea...): a marker whose pie shows, in each outlet's
 *    colour, which outlets name it; markers that overlap are clustered (leaflet.markercluster)
 *    and a cluster opens with one click;
 *  - a shaped place (country, area, river): its outline, shaded by how many outlets name it
 *    (a country sent as p.outline takes its rings from the basemap, map.storymapLand);
 *    a click where shapes overlap also lists what else lies under the pointer.
 * Every layer carries options.placeId and a tooltip ending with a hidden [[place id]] (which
 * the Streamlit page reads back from a click); shapes and markers take the keyboard focus.
 * All text arrives already escaped as HTML by the Python side; this script never builds
 * HTML from it except by inserting those strings, and it names places with textContent.
 */
function storymapLayer(map, data) {
  "use strict";
  var shapes = [], items = [];
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

  function pieIcon(p, outlets, selected) {
    /* ``outlets``: colour indices, one slice each (the export's filters pass a subset). */
    var n = Math.max(outlets.length, 1);
    var stops = outlets.map(function (o, i) {
      return data.colours[o] + " " + (100 * i / n) + "% " + (100 * (i + 1) / n) + "%";
    });
    var span = document.createElement("span");
    span.className = "storymap-pie";
    span.style.background = stops.length ? "conic-gradient(" + stops.join(",") + ")" : "#999";
    return L.divIcon({
      className: "storymap-pin" + (selected ? " storymap-selected" : ""),
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

  function framing() {
    /* Room kept clear when fitting a view: the export's open story panel covers the map's
     * right side. */
    var panel = map.getContainer().querySelector(".storymap-story.storymap-open");
    var wide = panel && panel.offsetWidth < map.getSize().x / 2;  /* else: no room beside */
    var right = wide ? panel.offsetWidth + 20 : 20;
    return {paddingTopLeft: [20, 20], paddingBottomRight: [right, 20]};
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

  /* In the page, streamlit-folium (0.27, pinned) holds every map event 250 ms before it
     tells the server, most of a click's time to the panel. Once its own click handler has
     recorded the click, send the same value it will compute (the returned objects, in its
     order) and mark it sent, so its held update finds nothing new. Anywhere else (the
     export, another streamlit-folium) this does nothing and the hold stays. */
  function sendClickNow() {
    var g = window.__GLOBAL_DATA__, lib = window.Streamlit;
    if (!g || !lib || !lib.setComponentValue || !g.returned_objects || !("previous_data" in g)) {
      return;
    }
    var before = g.last_object_clicked_count;
    setTimeout(function () {
      if (g.last_object_clicked_count === before) { return; }  /* not a click it saw */
      var centre = g.wrap_longitude ? map.wrapLatLng(map.getCenter()) : map.getCenter();
      var value = {}, known = {last_object_clicked_count: g.last_object_clicked_count,
                               last_object_clicked_tooltip: g.last_object_clicked_tooltip,
                               zoom: map.getZoom(), center: centre};
      var keys = Object.keys(known);
      for (var i = 0; i < g.returned_objects.length; i++) {
        if (keys.indexOf(g.returned_objects[i]) < 0) { return; }  /* a value we cannot make */
      }
      keys.forEach(function (k) {
        if (g.returned_objects.indexOf(k) >= 0) { value[k] = known[k]; }
      });
      if (JSON.stringify(value) !== JSON.stringify(g.previous_data)) {
        g.previous_data = value;
        lib.setComponentValue(value);
      }
    }, 0);
  }

  function bind(layer, p) {
    layer.options.placeId = p.id;
    layer.options.baseWeight = layer.options.weight;
    layer.bindTooltip(p.tooltip, {sticky: true});
    layer.on("click", function () { select(layer); sendClickNow(); });
    if (p.selected) { layer.once("add", function () { select(layer); }); }
  }

  var land = map.storymapLand || {};
  data.places.forEach(function (p) {
    var rings = p.outline && land[p.outline] ? land[p.outline] : p.rings;
    /* Countries and areas are outlines, rivers lines: both are shapes on the map. */
    var shape = rings.length ? L.polygon(rings, {color: p.edge, weight: 1.2, fillColor: p.fill,
                                                 fillOpacity: p.opacity})
      : p.lines.length ? L.polyline(p.lines, {color: p.edge, weight: 4, opacity: 0.8}) : null;
    if (shape) {
      bind(shape, p);
      shape.on("click", shapeClick(shape, p));
      shape.addTo(map);
      focusable(shape, p);
      shapes.push({layer: shape, place: p});
      items.push({place: p, layer: shape, marker: false});
    } else {
      var marker = L.marker([p.lat, p.lon], {icon: pieIcon(p, p.outlets, p.selected),
                                             keyboard: true, title: p.label,
                                             alt: p.label, riseOnHover: true});
      bind(marker, p);
      if (p.popup) { marker.bindPopup(p.popup, popupOptions); }
      cluster.addLayer(marker);
      items.push({place: p, layer: marker, marker: true});
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
      L.DomEvent.on(b, "click", function () { map.fitBounds(data.whole, framing()); });
      return b;
    };
    whole.addTo(map);
  }
  var drawn = {cluster: cluster, shapes: shapes, items: items, framing: framing,
               icon: function (item, outlets) {
                 return pieIcon(item.place, outlets, item.layer === selected);
               }};
  if (data.story) { storymapStory(map, data, drawn); }
  return drawn;
}

/* The export's story controls, from data.story (see geo/maps/mapdata.py story_record): the title,
 * the outlets with their articles (ticking an outlet off hides the places only it names),
 * and a timeline of the articles with a date range and "Play the story", which adds the
 * places article by article in publication order. A place shows while at least one of its
 * articles is "on": its outlet ticked, its date in the range (undated articles always are)
 * and, while the story plays, published at or before the current step. Every outside
 * string is set with textContent; links only for http(s) addresses.
 */
function storymapStory(map, data, drawn) {
  "use strict";
  var story = data.story, articles = story.articles;
  var ticked = story.sources.map(function () { return true; });
  var dates = articles.map(function (a) { return a.published; })
    .filter(function (d, i, all) { return d && all.indexOf(d) === i; }).sort();
  var range = [0, dates.length - 1];
  var step = null, timer = null;
  var STEP_MS = 2500;
  var ui = {};
  drawn.items.forEach(function (item) {  /* as built: every outlet, the full tooltip */
    item.slices = item.place.sources.join(",");
    item.tip = "";
  });

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function colour(source) { return data.colours[source % data.colours.length]; }
  function isLink(url) { return typeof url === "string" && /^https?:\/\//i.test(url); }

  function inRange(a) {
    return !a.published || !dates.length ||
      (a.published >= dates[range[0]] && a.published <= dates[range[1]]);
  }
  function eligible(i) { return ticked[articles[i].source] && inRange(articles[i]); }
  function articleOn(i) { return eligible(i) && (step === null || i <= step); }
  function filtering() {
    return step !== null || ticked.indexOf(false) >= 0 || range[0] > 0 ||
      range[1] < dates.length - 1;
  }

  function tooltip(p, named, of) {
    /* Same shape as the built tooltip (text, then the hidden [[id]]), with shown counts. */
    var box = el("span", "", p.name + " \u2014 " + named + " of " + of + " source" +
                 (of === 1 ? "" : "s") + " shown" + (p.corrected ? " \u00b7 corrected" : ""));
    var id = el("span", "", "[[" + p.id + "]]");
    id.hidden = true;
    box.appendChild(id);
    return box;
  }

  function showPlaces() {
    var add = [], remove = [], shown = 0, filtered = filtering();
    var of = ticked.filter(Boolean).length;
    drawn.items.forEach(function (item) {
      var p = item.place;
      var live = p.articles.filter(articleOn);
      var outlets = p.sources.filter(function (s) {
        return live.some(function (i) { return articles[i].source === s; });
      });
      var visible = live.length > 0, slices = outlets.join(",");
      var tip = filtered ? slices + "/" + of : "";
      shown += visible ? 1 : 0;
      if (item.marker) {
        if (visible && item.slices !== slices) {
          item.layer.setIcon(drawn.icon(item, outlets.map(function (s) {
            return s % data.colours.length;
          })));
          item.slices = slices;
        }
        if (visible !== drawn.cluster.hasLayer(item.layer)) {
          (visible ? add : remove).push(item.layer);
        }
      } else if (visible !== map.hasLayer(item.layer)) {
        if (visible) { item.layer.addTo(map); } else { map.removeLayer(item.layer); }
      }
      if (visible && item.tip !== tip) {
        item.layer.setTooltipContent(filtered ? tooltip(p, outlets.length, of) : p.tooltip);
        item.tip = tip;
      }
    });
    drawn.cluster.removeLayers(remove);
    drawn.cluster.addLayers(add);
    drawn.items.forEach(function (item) {  /* big shapes under small ones, as drawn */
      if (!item.marker && map.hasLayer(item.layer)) { item.layer.bringToFront(); }
    });
    ui.count.textContent = shown + " of " + drawn.items.length + " places shown";
  }

  function showStep() {
    var a = step === null ? null : articles[step];
    ui.now.textContent = a ? "Article " + (step + 1) + " of " + articles.length + ": " +
      (a.published || "undated") + ", " + story.sources[a.source] + ": " +
      (a.title || a.id) : "";
    ui.short.textContent = a ? "Article " + (step + 1) + " of " + articles.length + ", " +
      story.sources[a.source] : "";
    ui.play.textContent = timer ? "\u275A\u275A Pause" : "\u25B6 Play the story";
    ui.dots.forEach(function (d) {
      d.dot.classList.toggle("storymap-now", d.index === step);
      d.dot.classList.toggle("storymap-off", !articleOn(d.index));
    });
    ui.rows.forEach(function (r) {
      r.row.classList.toggle("storymap-now", r.index === step);
      r.row.classList.toggle("storymap-off", !articleOn(r.index));
    });
  }

  function update() {
    showPlaces();
    showStep();
  }

  function frameStep() {
    /* Bring the current article's places into view, clear of the open panel. */
    var pts = [], all = [];
    drawn.items.forEach(function (item) {
      if (item.place.articles.indexOf(step) < 0) { return; }
      all.push([item.place.lat, item.place.lon]);
      if (item.place.frame) { pts.push([item.place.lat, item.place.lon]); }
    });
    pts = pts.length ? pts : all;
    if (!pts.length) { return; }
    map.fitBounds(pts, L.extend(drawn.framing(), {maxZoom: 7}));
  }

  function next(from) {
    for (var i = from + 1; i < articles.length; i++) { if (eligible(i)) { return i; } }
    return null;
  }
  function goTo(i) {
    step = i;
    update();
    frameStep();
  }
  function tick() {
    var i = next(step);
    if (i === null) { stop(); } else { goTo(i); }
  }
  function stop() {
    clearInterval(timer);
    timer = null;
    showStep();
  }
  function play() {
    if (timer) { stop(); return; }
    var first = step === null || next(step) === null ? next(-1) : next(step);
    if (first === null) { return; }
    if (map.getSize().x < 520) { ui.details.open = false; }  /* a phone watches the map */
    timer = setInterval(tick, STEP_MS);
    goTo(first);
  }
  function showAll() {
    stop();
    step = null;
    update();
  }

  function sourcesSection() {
    var section = el("div", "storymap-section");
    section.appendChild(el("h3", "", "Sources"));
    story.sources.forEach(function (name, s) {
      var block = el("div", "storymap-outlet");
      block.style.borderLeftColor = colour(s);
      var label = el("label");
      if (story.filter !== false) {  /* the page filters outlets in its own sidebar */
        var box = el("input");
        box.type = "checkbox";
        box.checked = true;
        box.addEventListener("change", function () { ticked[s] = box.checked; update(); });
        label.appendChild(box);
      }
      var chip = el("span", "storymap-chip");
      chip.style.background = colour(s);
      label.appendChild(chip);
      label.appendChild(el("span", "storymap-outlet-name", name));
      block.appendChild(label);
      var list = el("ol", "storymap-articles");
      articles.forEach(function (a, i) {
        if (a.source === s) { list.appendChild(articleRow(a, i)); }
      });
      block.appendChild(list);
      section.appendChild(block);
    });
    return section;
  }

  function articleRow(a, i) {
    var row = el("li");
    row.appendChild(el("time", "", a.published || "undated"));
    row.appendChild(document.createTextNode(" "));
    var title = a.title || a.id;
    if (isLink(a.url)) {
      var link = el("a", "", title);
      link.href = a.url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      row.appendChild(link);
    } else {
      row.appendChild(el("span", "", title));
    }
    ui.rows.push({row: row, index: i});
    return row;
  }

  function dateValue(d) {
    var p = (d + "-01-01").split("-");
    return Date.UTC(+p[0], +p[1] - 1, +p[2]);
  }

  function timelineStrip() {
    /* One dot per dated article, placed by date, in its outlet's colour; a click shows the
     * story up to that article. */
    var strip = el("div", "storymap-timeline");
    var t0 = dates.length ? dateValue(dates[0]) : 0;
    var span = dates.length ? dateValue(dates[dates.length - 1]) - t0 : 0;
    var stacked = {};
    articles.forEach(function (a, i) {
      if (!a.published) { return; }
      var at = span ? (dateValue(a.published) - t0) / span : 0.5;
      var key = Math.round(at * 40);
      stacked[key] = (stacked[key] || 0) + 1;
      var dot = el("button", "storymap-dot");
      dot.type = "button";
      dot.style.left = "calc(" + (at * 100) + "% - 6px)";
      dot.style.top = (3 - 9 * Math.min(stacked[key] - 1, 2)) + "px";  /* same day: stacked */
      dot.style.background = colour(a.source);
      dot.title = a.published + ", " + story.sources[a.source] + ": " + (a.title || a.id);
      dot.setAttribute("aria-label", "Show the story up to: " + dot.title);
      dot.addEventListener("click", function () { stop(); goTo(i); });
      strip.appendChild(dot);
      ui.dots.push({dot: dot, index: i});
    });
    return strip;
  }

  function rangeSelect(label, name, end) {
    var wrap = el("label", "", label + " ");
    var select = el("select");
    select.setAttribute("aria-label", name);
    dates.forEach(function (d, i) {
      var option = el("option", "", d);
      option.value = String(i);
      select.appendChild(option);
    });
    select.value = String(range[end]);
    select.addEventListener("change", function () {
      range[end] = +select.value;
      if (range[0] > range[1]) {  /* the other end follows */
        range[1 - end] = range[end];
        ui.selects[1 - end].value = select.value;
      }
      update();
    });
    ui.selects[end] = select;
    wrap.appendChild(select);
    return wrap;
  }

  function timelineSection() {
    var section = el("div", "storymap-section");
    section.appendChild(el("h3", "", "Timeline"));
    if (dates.length) {
      section.appendChild(timelineStrip());
      var ends = el("div", "storymap-ends");
      ends.appendChild(el("span", "", dates[0]));
      ends.appendChild(el("span", "", dates[dates.length - 1]));
      section.appendChild(ends);
      var filter = el("div", "storymap-range");
      filter.appendChild(rangeSelect("From", "First date shown", 0));
      filter.appendChild(rangeSelect("to", "Last date shown", 1));
      section.appendChild(filter);
    } else {
      section.appendChild(el("div", "storymap-muted", "No article is dated."));
    }
    var buttons = el("div", "storymap-play");
    ui.play = el("button", "storymap-button");
    ui.play.type = "button";
    ui.play.addEventListener("click", play);
    var all = el("button", "storymap-button", "Show all");
    all.type = "button";
    all.addEventListener("click", showAll);
    buttons.appendChild(ui.play);
    buttons.appendChild(all);
    section.appendChild(buttons);
    ui.now = el("div", "storymap-step");
    ui.now.setAttribute("aria-live", "polite");
    section.appendChild(ui.now);
    return section;
  }

  function fit() {
    /* Clear of the note in the bottom-left corner when the map is too narrow for both
       side by side (the page's map column): the panel scrolls instead. */
    var size = map.getSize(), room = size.y - 20;
    var corner = map.getContainer().querySelector(".leaflet-bottom.leaflet-left");
    if (corner && ui.box.offsetWidth + corner.offsetWidth + 30 > size.x) {
      room -= corner.offsetHeight + 10;
    }
    ui.box.style.maxHeight = Math.max(room, 60) + "px";
  }

  var control = L.control({position: "topright"});
  control.onAdd = function () {
    ui.box = el("div", "storymap-story");
    ui.details = el("details");
    ui.details.open = !story.folded && map.getSize().x >= 520;  /* a phone sees the map first */
    var summary = el("summary");
    summary.appendChild(el("span", "storymap-title", story.title));
    ui.short = el("span", "storymap-summary-step");  /* the step, while the panel is folded */
    summary.appendChild(ui.short);
    ui.details.appendChild(summary);
    var body = el("div", "storymap-body");
    ui.count = el("div", "storymap-count");
    ui.rows = [];
    ui.dots = [];
    ui.selects = [];
    body.appendChild(ui.count);
    body.appendChild(sourcesSection());
    body.appendChild(timelineSection());
    ui.details.appendChild(body);
    ui.box.appendChild(ui.details);
    ui.box.classList.toggle("storymap-open", ui.details.open);
    ui.details.addEventListener("toggle", function () {
      ui.box.classList.toggle("storymap-open", ui.details.open);
      fit();
    });
    L.DomEvent.disableClickPropagation(ui.box);
    L.DomEvent.disableScrollPropagation(ui.box);
    return ui.box;
  };
  control.addTo(map);
  map.on("popupopen", function (e) {
    /* Leaflet keeps a popup clear of the map's edges, not of the panel: move it out. */
    var panel = ui.box.getBoundingClientRect(), box = e.popup.getElement().getBoundingClientRect();
    var wide = ui.details.open && panel.width < map.getSize().x / 2;
    if (wide && box.right > panel.left - 10 && box.top < panel.bottom) {
      map.panBy([box.right - panel.left + 20, 0]);
    }
  });
  document.title = story.title;
  fit();
  if (data.opening) {  /* the story's towns and areas, clear of the panel */
    map.fitBounds(data.opening, L.extend(drawn.framing(), {maxZoom: 7}));
  }
  map.on("resize", fit);
  map.getContainer().addEventListener("toggle", fit, true);  /* the legend folds too */
  update();
}
