/* The map data's question for the view, and moving the map to where a filter's incidents are: the
 * dashboard's and the embed view's (dashboard.js, embed.js), not the incident page's. Apart from
 * map_common.js, which is at the project's size limit. */
(function () {
  "use strict";

  var DZMap = window.DZMap;
  var PADDING = [30, 30];
  var MAX_ZOOM = 12; // one incident, or several at one place: a town's scale, not a street's

  /* The map data endpoint's question for the map's viewport: `params` (URLSearchParams of the filter)
   * plus bbox (west,south,east,north in degrees, a 15 % margin, widened to whole map tiles so nearby
   * views and other screen sizes ask the same question and the server answers from its cache) and zoom. */
  DZMap.viewportQuery = function (map, params) {
    var bounds = map.getBounds().pad(0.15);
    var step = 360 / Math.pow(2, map.getZoom());
    function snapped(value, direction) { return (Math[direction](value / step) * step).toFixed(4); }
    params.set("bbox", [snapped(bounds.getWest(), "floor"), snapped(bounds.getSouth(), "floor"),
      snapped(bounds.getEast(), "ceil"), snapped(bounds.getNorth(), "ceil")].join(","));
    params.set("zoom", map.getZoom());
    return params;
  };

  /* Fit the map to `extent` ([west, south, east, north], the map data's "extent": every incident the
   * filters match, wherever the view was) when the filters change, never when the reader pans.
   * Without animation, so its moveend (and the reload of the map data for the new view) happens at
   * once. True when the view changed (the caller's answer was for the old view), false otherwise. */
  DZMap.fitExtent = function (map, extent) {
    if (!extent) return false;
    var before = map.getCenter().toString() + map.getZoom();
    var bounds = L.latLngBounds([extent[1], extent[0]], [extent[3], extent[2]]);
    map.fitBounds(bounds, { padding: PADDING, maxZoom: Math.min(MAX_ZOOM, map.getMaxZoom()), animate: false });
    return map.getCenter().toString() + map.getZoom() !== before;
  };
})();
