/* The embed view (/embed/): the dashboard's map for its filter, in a partner's frame. The filter is
 * fixed by the URL (config.filterQuery); the map asks only for its viewport, like the dashboard's. */
(function () {
  "use strict";

  var config = DZMap.config();
  var mapElement = document.getElementById("map");
  var status = document.getElementById("map-status");
  var map = DZMap.createMap(mapElement, config, { center: config.center, zoom: config.zoom });
  var incidents = DZMap.incidentLayers(map, config);
  var outlines = { byId: {} };
  DZMap.addLegend(map, config);

  var request = null;
  // The first answer also says where all the filter's incidents are, and the map moves there (a
  // partner's embed of one district far from the default view showed none of its incidents).
  var fitted = false;
  function loadFeatures() {
    if (request) request.abort();
    request = new AbortController();
    var params = DZMap.viewportQuery(map, new URLSearchParams(config.filterQuery));
    var fit = !fitted;
    if (fit) params.set("extent", "1");
    mapElement.dataset.loading = "true";
    fetch(config.featuresUrl + "?" + params.toString(), { signal: request.signal })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (answer) { return outlinesLoaded.then(function () { return answer; }); })
      .then(function (answer) {
        if (fit && answer.ok) fitted = true;
        if (fit && answer.ok && DZMap.fitExtent(map, answer.body.extent)) return; // the moveend asks for the new view
        if (answer.ok) {
          mapElement.dataset.mode = answer.body.mode;
          mapElement.dataset.count = answer.body.count;
          status.textContent = incidents.draw(answer.body, outlines.byId);
        } else {
          incidents.clear();
          status.textContent = DZMap.gettext("The map cannot show this search.");
        }
        mapElement.dataset.loading = "false";
      })
      .catch(function (error) {
        if (error.name === "AbortError") return;
        mapElement.dataset.loading = "false";
        status.textContent = DZMap.gettext("The map data could not be loaded (%(error)s).", { error: error.message });
      });
  }

  var refresh = null;
  map.on("moveend", function () {
    clearTimeout(refresh);
    refresh = setTimeout(loadFeatures, 150);
  });
  DZMap.loadPlaces(map, config).catch(function () { /* names are context only */ });
  // Outlines and incidents at once (one round trip less); incidents drawn once the outlines are there.
  var outlinesLoaded = DZMap.loadOutlines(map, config)
    .then(function (loaded) { outlines = loaded; })
    .catch(function () { status.textContent = DZMap.gettext("Boundary outlines could not be loaded."); });
  loadFeatures();
})();
