/* The dashboard's and the embed view's map, not the incident page's (dashboard.js, embed.js): its
 * legend, and moving it to where a filter's incidents are. Apart from map_common.js, which is at
 * the project's size limit. */
(function () {
  "use strict";

  var DZMap = window.DZMap;
  var el = DZMap.el, dot = DZMap.dot, gettext = DZMap.gettext;
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

  /* The key to colours and precision marks, bottom right. Open only on a large map: on a small one
   * (a laptop's dashboard, a phone, an embed) it would cover the eastern towns (issue 16 point 3). */
  DZMap.LEGEND_OPEN_MIN = { width: 1100, height: 560 };
  DZMap.addLegend = function (map, config) {
    var legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      var box = el("details", "map-legend");
      var size = map.getSize();
      box.open = size.x >= DZMap.LEGEND_OPEN_MIN.width && size.y >= DZMap.LEGEND_OPEN_MIN.height;
      box.appendChild(el("summary", null, gettext("Legend")));
      var list = el("ul");
      Object.keys(config.colours).forEach(function (name) {
        // In the page's language, as the filters and popups name them (config.terms: pages.map_config).
        list.appendChild(legendItem(config, (config.terms || {})[name] || name, { event_type: name, geo_precision: 1 }));
      });
      list.appendChild(legendItem(config, gettext("Near this point (≈%(km)s km)", { km: DZMap.number(config.uncertaintyRadius[2] / 1000) }),
        { event_type: "", geo_precision: 2 }));
      list.appendChild(legendItem(config, gettext("Only the governorate is known"), { event_type: "", geo_precision: 3 }));
      var area = el("li");
      area.appendChild(el("span", "area-key"));
      area.appendChild(document.createTextNode(gettext("Area an approximate incident may lie in")));
      list.appendChild(area);
      box.appendChild(list);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    legend.addTo(map);
    return legend;
  };

  function legendItem(config, label, props) {
    var item = el("li");
    var icon = el("span", "incident-icon precision-" + props.geo_precision);
    icon.appendChild(dot(props, config));
    item.appendChild(icon);
    item.appendChild(document.createTextNode(label));
    return item;
  }
})();
