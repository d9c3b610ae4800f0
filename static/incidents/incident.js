/* The incident page's small map: the incident, and the area it may lie in when its place is approximate. */
(function () {
  "use strict";
  var config = DZMap.config();
  var feature = JSON.parse(document.getElementById("incident-feature").textContent);
  var coords = feature.geometry.coordinates;
  var precision = feature.properties.geo_precision;
  var map = DZMap.createMap(document.getElementById("incident-map"), config, {
    center: [coords[1], coords[0]], zoom: precision === 1 ? 11 : precision === 2 ? 10 : 7,
  });
  var marker = DZMap.markerFor(feature, config).addTo(map);
  DZMap.loadPlaces(map, config).catch(function () { /* names are context only */ });
  DZMap.loadOutlines(map, config).catch(function () { return { byId: {} }; }).then(function (outlines) {
    var area = DZMap.uncertaintyFor(feature, config, outlines.byId);
    if (area) {
      area.addTo(map);
      map.fitBounds(area.getBounds(), { padding: [12, 12] });
    }
    marker.bringToFront && marker.bringToFront();
  });
})();
