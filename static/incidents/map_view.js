/* Moving the map to where a filter's incidents are: the dashboard's and the embed view's
 * (dashboard.js, embed.js), not the incident page's. Apart from map_common.js, which is at the
 * project's size limit. */
(function () {
  "use strict";

  var DZMap = window.DZMap;
  var PADDING = [30, 30];
  var MAX_ZOOM = 12; // one incident, or several at one place: a town's scale, not a street's

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
