/* The incident form in the admin: a map usable without tiles, a place that fills the Where fields,
 * coordinates kept in step with the point, and sub-event types limited to the chosen event type.
 * The server does the same filling and checks on save (incidents.review.forms, .where); this only
 * shows it before saving. No inline styles or scripts (Content-Security-Policy).
 */
(function () {
  "use strict";
  var configNode = document.getElementById("map-config");
  if (!configNode) return;
  var config = JSON.parse(configNode.textContent);
  var $ = window.django && window.django.jQuery;
  var state = { map: null, field: null, place: null, placeMarker: null };
  var CONTEXT_ZOOM = 12;  // close enough to place the point, far enough to see town names and outlines
  // Leaflet guesses its marker images' folder from the page URL, wrong on admin pages (a 404 per marker).
  L.Icon.Default.imagePath = config.markerImagePath;

  function byId(id) { return document.getElementById(id); }

  /* -- the map: the public map's offline layers, the chosen place, the point -- */
  window.addEventListener("map:init", function (event) {
    var map = event.detail.map;
    if (!byId("id_point") || map.getContainer().id !== "id_point-map") return;
    state.map = map;
    if (!map.getPane("outlines")) map.createPane("outlines").style.zIndex = 350;
    map.getContainer().setAttribute("data-layers", "loading");
    Promise.all([
      DZMap.loadOutlines(map, config).catch(function () { return null; }),
      DZMap.loadPlaces(map, config).then(function () { return true; }).catch(function () { return null; }),
    ]).then(function (loaded) {
      map.getContainer().setAttribute("data-layers", loaded[0] && loaded[1] ? "ready" : "failed");
    });
    map.on("map:loadfield", function (e) {
      if (e.fieldid !== "id_point") return;
      state.field = e.field;
      // The widget zooms to the street for a single point: too close to see where it is.
      if (map.getZoom() > CONTEXT_ZOOM) map.setZoom(CONTEXT_ZOOM);
    });
    map.on("draw:created draw:edited", function () { setTimeout(coordinatesFromPoint, 0); });
    if (byId("id_place") && byId("id_place").value) loadPlace(byId("id_place").value, false);
  });

  function currentPoint() {
    var raw = byId("id_point").value;
    if (!raw) return null;
    try {
      var geometry = JSON.parse(raw);
      return L.latLng(geometry.coordinates[1], geometry.coordinates[0]);
    } catch (e) { return null; }
  }

  function setPoint(latlng) {
    var field = state.field;
    if (!field) {
      byId("id_point").value = JSON.stringify({ type: "Point", coordinates: [latlng.lng, latlng.lat] });
      return;
    }
    field.drawnItems.eachLayer(function (layer) { state.map.removeLayer(layer); });
    field.drawnItems.clearLayers();
    field.drawnItems.addLayer(L.marker(latlng));
    field.store.save(field.drawnItems);
    state.map.setView(latlng, Math.max(state.map.getZoom(), 10));
  }

  function format(latlng) { return latlng.lat.toFixed(5) + ", " + latlng.lng.toFixed(5); }

  function coordinatesFromPoint() {
    var point = currentPoint();
    if (point && byId("id_coordinates")) byId("id_coordinates").value = format(point);
    warnIfFar();
  }

  /* Decimal degrees here; degrees-minutes-seconds are read by the server when saving. */
  function pointFromCoordinates() {
    var text = byId("id_coordinates").value;
    var found = /^\s*(-?\d+(?:\.\d+)?)\s*[,; ]\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
    var note = byId("coordinates-note");
    if (found && Math.abs(+found[1]) <= 90 && Math.abs(+found[2]) <= 180) {
      setPoint(L.latLng(+found[1], +found[2]));
      note.textContent = "";
    } else {
      note.textContent = text.trim() ? "Read when you save (degrees-minutes-seconds, latitude first)." : "";
    }
    warnIfFar();
  }

  /* -- the place: fills point, location, precision, governorate and district -- */
  function choose(selectId, option) {
    if (!option || !$) return;
    var select = $("#" + selectId);
    if (!select.find("option[value='" + option.id + "']").length) select.append(new Option(option.text, option.id));
    select.val(String(option.id)).trigger("change");
  }

  function loadPlace(id, fill) {
    return fetch(config.placeFactsUrl.replace("{id}", id), { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("place " + r.status);
      return r.json();
    }).then(function (place) {
      var previous = state.place;
      state.place = place;
      showPlace(place);
      if (!fill) { warnIfFar(); return; }
      var location = byId("id_location");
      if (!location.value || (previous && location.value === previous.name)) location.value = place.name;
      byId("id_geo_precision").value = String(place.geo_precision);
      choose("id_admin1", place.admin1);
      choose("id_admin2", place.admin2);
      setPoint(L.latLng(place.lat, place.lon));
      coordinatesFromPoint();
    }).catch(function () { /* the server fills the same on save */ });
  }

  function showPlace(place) {
    if (!state.map) return;
    if (state.placeMarker) state.placeMarker.remove();
    state.placeMarker = L.circleMarker([place.lat, place.lon], {
      radius: 9, color: "#0072b2", weight: 2, fill: false, interactive: false,
    }).addTo(state.map);
    // An element, not a string: Leaflet inserts a string as HTML, and place names come from imports.
    state.placeMarker.bindTooltip(DZMap.el("span", null, config.chosenPlaceLabel.replace("%(name)s", place.name)), { permanent: true, direction: "right" });
    state.map.getContainer().setAttribute("data-place", place.name);
  }

  function warnIfFar() {
    var note = byId("place-distance-note");
    var point = currentPoint();
    if (!note) return;
    if (!state.place || !point) { note.textContent = ""; return; }
    var km = point.distanceTo(L.latLng(state.place.lat, state.place.lon)) / 1000;
    note.textContent = km > config.placeDistanceWarningKm
      ? "The point is " + Math.round(km) + " km from " + state.place.name + ": you will be asked to confirm when saving."
      : "";
  }

  /* -- sub-event types: only the chosen event type's group -- */
  function limitSubEvents() {
    var eventType = byId("id_event_type");
    var sub = byId("id_sub_event_type");
    if (!eventType || !sub) return;
    // The event type's sub-event types by value (data-sub-event-types): the group labels are translated.
    var allowed = JSON.parse(sub.getAttribute("data-sub-event-types") || "{}")[eventType.value];
    Array.prototype.forEach.call(sub.querySelectorAll("optgroup"), function (group) {
      var offered = !eventType.value || Array.prototype.some.call(group.querySelectorAll("option"), function (option) {
        return allowed && allowed.indexOf(option.value) !== -1;
      });
      group.hidden = !offered;
      group.disabled = !offered;
    });
    var chosen = sub.options[sub.selectedIndex];
    if (chosen && chosen.parentNode.disabled) sub.value = "";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var coordinates = byId("id_coordinates");
    if (coordinates) {
      var note = DZMap.el("span", "coordinates-note");
      note.id = "coordinates-note";
      coordinates.parentNode.appendChild(note);
      coordinates.addEventListener("change", pointFromCoordinates);
      var far = DZMap.el("p", "place-distance-note");
      far.id = "place-distance-note";
      far.setAttribute("role", "status");
      coordinates.parentNode.appendChild(far);
    }
    if ($ && byId("id_place")) {
      // select2:select is the analyst choosing; "change" also fires when the page (re)initialises the widget,
      // which must not overwrite a point typed before a refused save.
      $("#id_place").on("select2:select", function () { if (this.value) loadPlace(this.value, true); });
    }
    if (byId("id_event_type")) {
      byId("id_event_type").addEventListener("change", limitSubEvents);
      limitSubEvents();
    }
  });
})();
