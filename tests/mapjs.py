"""Browser-side helpers for tests: find a place's layer on a Storymap map and show it.

A place is a marker (possibly inside a cluster) or a shape; ``SHOW_PLACE`` opens the
cluster holding it if need be (as one click on the cluster would), pans it to the middle of
the map when a control covers it, and returns the centre of what a reader would click, in
the map document's coordinates.
"""

MAP = "(window.map || window[document.querySelector('.folium-map').id])"

SHOW_PLACE = """async (pid) => {
    const map = %s;
    let found = null, group = null;
    map.eachLayer(l => {
        if (l instanceof L.MarkerClusterGroup) group = l;
        else if (l.options && l.options.placeId === pid) found = l;
    });
    if (!found && group) group.eachLayer(l => { if (l.options.placeId === pid) found = l; });
    if (!found) throw new Error("no layer for " + pid);
    // The map may still be moving to its opening view: ask again until the marker shows.
    for (let i = 0; i < 5 && group && group.hasLayer(found) && !found._icon; i++) {
        // (zoomToShowLayer may never call back when the view does not change: bound it)
        await Promise.race([new Promise(done => group.zoomToShowLayer(found, done)),
                            new Promise(done => setTimeout(done, 2000))]);
        await new Promise(done => setTimeout(done, 400));
    }
    // Wait until the marker stands still (a zoom or pan may still be animating): the
    // reader clicks where it is, not where it was.
    const at = () => { const b = (found._icon || found._path).getBoundingClientRect();
                       return [b.x, b.y].join(","); };
    for (let i = 0, last = null; i < 30; i++) {
        const now = at();
        if (now === last && !map._animatingZoom) break;
        last = now;
        await new Promise(done => setTimeout(done, 150));
    }
    let el = found._icon || found._path;
    let r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    if (hit && !el.contains(hit) && hit.closest(".leaflet-control")) {
        // Under a control (the export's story panel): a reader drags it into view.
        map.panTo(found.getLatLng ? found.getLatLng() : found.getCenter(), {animate: false});
        await new Promise(done => setTimeout(done, 400));
        el = found._icon || found._path;
        r = el.getBoundingClientRect();
    }
    return {x: r.x + r.width / 2, y: r.y + r.height / 2};
}""" % MAP

#: How many places the map shows (shapes on the map and markers in the cluster).
COUNT_PLACES = """() => {
    const map = %s;
    const ids = new Set();
    map.eachLayer(l => {
        if (l instanceof L.MarkerClusterGroup) l.getLayers().forEach(m => ids.add(m.options.placeId));
        else if (l.options && l.options.placeId) ids.add(l.options.placeId);
    });
    return ids.size;
}""" % MAP
