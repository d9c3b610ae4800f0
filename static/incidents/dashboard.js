/* The dashboard, enhanced: filters apply without a page load, the URL always holds the
 * filter (shareable, back button works), the map asks only for its viewport, and a drag
 * across the timeline picks a date range. Without JavaScript the same page works as a
 * plain form with a server-rendered timeline and table.
 */
(function () {
  "use strict";

  var config = DZMap.config();
  var form = document.getElementById("filter-form");
  var results = document.getElementById("results");
  var mapElement = document.getElementById("map");
  var status = document.getElementById("map-status");
  // Parameters of the page that are not filters: the map does not need them.
  var PAGE_ONLY = ["page", "order", "interval"];
  document.documentElement.classList.add("js");

  /* ---- map view in the URL hash (#map=zoom/lat/lng), separate from the filter ---- */
  function viewFromHash() {
    var match = /map=(\d+)\/(-?[\d.]+)\/(-?[\d.]+)/.exec(location.hash);
    return match ? { zoom: +match[1], center: [+match[2], +match[3]] } : null;
  }
  function writeHash() {
    var c = map.getCenter();
    var hash = "#map=" + map.getZoom() + "/" + c.lat.toFixed(4) + "/" + c.lng.toFixed(4);
    history.replaceState(history.state, "", location.pathname + location.search + hash);
  }

  var map = DZMap.createMap(mapElement, config, viewFromHash() || { center: config.center, zoom: config.zoom });
  var outlines = { byId: {} };
  var incidents = DZMap.incidentLayers(map, config); // markers, clusters, areas (map_common.js)
  var tilesFailed = false;
  map.on("tilesunavailable", function () { tilesFailed = true; showStatus(lastStatus); });

  DZMap.addLegend(map, config);

  /* ---- status line under the map ---- */
  var lastStatus = "";
  function showStatus(text, isError) {
    lastStatus = text;
    var note = tilesFailed ? " Background map tiles could not be loaded: boundaries are drawn from our own data." : "";
    status.textContent = text + note;
    status.classList.toggle("is-error", !!isError);
  }

  /* ---- the filter in the URL ---- */
  function filterQuery(search) {
    var params = new URLSearchParams(search);
    PAGE_ONLY.forEach(function (name) { params.delete(name); });
    return params;
  }

  function formUrl() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) { if (value !== "") params.append(name, value); });
    var current = new URLSearchParams(location.search);
    if (current.get("interval")) params.set("interval", current.get("interval"));
    var query = params.toString();
    return location.pathname + (query ? "?" + query : "");
  }

  function syncForm() {
    var params = new URLSearchParams(location.search);
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name) return;
      if (field.type === "checkbox") field.checked = params.getAll(field.name).indexOf(field.value) >= 0;
      else if (field.tagName === "SELECT" || field.tagName === "INPUT") field.value = params.get(field.name) || "";
    });
    limitSubEventTypes();
    limitDistricts();
  }

  /* ---- map features for the viewport ---- */
  var featureRequest = null;
  function loadFeatures() {
    if (featureRequest) featureRequest.abort();
    featureRequest = new AbortController();
    var params = DZMap.viewportQuery(map, filterQuery(location.search));
    mapElement.dataset.loading = "true";
    fetch(config.featuresUrl + "?" + params.toString(), { signal: featureRequest.signal })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (answer) {
        if (!answer.ok) {
          clearFeatures();
          var names = Object.keys((answer.body && answer.body.parameters) || {});
          showStatus("The map cannot show this search: check " + (names.join(", ") || "the filters") + ".", true);
        } else {
          drawFeatures(answer.body);
        }
        mapElement.dataset.loading = "false";
      })
      .catch(function (error) {
        if (error.name === "AbortError") return;
        mapElement.dataset.loading = "false";
        showStatus("The map data could not be loaded (" + error.message + "). The table below still lists the incidents.", true);
      });
  }

  function clearFeatures() {
    incidents.clear();
  }

  function drawFeatures(collection) {
    mapElement.dataset.mode = collection.mode;
    mapElement.dataset.count = collection.count;
    showStatus(incidents.draw(collection, outlines.byId));
  }

  /* ---- the server-rendered summary, timeline and table ---- */
  var resultsRequest = null;
  function loadResults(url) {
    if (resultsRequest) resultsRequest.abort();
    resultsRequest = new AbortController();
    results.setAttribute("aria-busy", "true");
    return fetch(url, { signal: resultsRequest.signal, headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("results");
        if (fresh) results.replaceChildren.apply(results, Array.prototype.slice.call(fresh.childNodes));
        document.title = page.title;
        results.removeAttribute("aria-busy");
      })
      .catch(function (error) {
        if (error.name !== "AbortError") results.removeAttribute("aria-busy");
      });
  }

  function navigate(url) {
    var target = new URL(url, location.href);
    history.pushState({ dashboard: true }, "", target.pathname + target.search + location.hash);
    syncForm();
    loadResults(target.pathname + target.search);
    loadFeatures();
  }

  /* ---- dependent lists: sub-event types by event type, districts by governorate ---- */
  // Offer only the child list's choices that belong to the parent's chosen value; a chosen
  // child that no longer belongs is cleared. `ownerOf` gives a choice's parent value (undefined: always offered).
  function limitChoices(parent, child, choices, ownerOf) {
    if (!parent || !child) return;
    Array.prototype.forEach.call(choices(child), function (choice) {
      var owner = ownerOf(choice);
      if (owner === undefined) return;
      choice.hidden = !!parent.value && owner !== parent.value;
      choice.disabled = choice.hidden;
    });
    var chosen = child.selectedOptions[0];
    if (chosen && (chosen.disabled || chosen.parentNode.disabled)) child.value = "";
  }

  // Sub-event types are grouped under their event type.
  function limitSubEventTypes() {
    limitChoices(form.elements.event_type, form.elements.sub_event_type,
      function (select) { return select.querySelectorAll("optgroup"); },
      function (group) { return group.label; });
  }

  // Each district option names its governorate ("All districts" names none).
  function limitDistricts() {
    limitChoices(form.elements.governorate, form.elements.district,
      function (select) { return select.options; },
      function (option) { return option.dataset.governorate; });
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "q") return; // text applies on Enter, not on every blur
    if (event.target.name === "event_type") limitSubEventTypes();
    if (event.target.name === "governorate") limitDistricts();
    navigate(formUrl());
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    navigate(formUrl());
  });
  window.addEventListener("popstate", function () {
    syncForm();
    loadResults(location.pathname + location.search);
    loadFeatures();
  });
  results.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-nav]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    if (suppressClick) { suppressClick = false; return; }
    navigate(link.getAttribute("href") || link.getAttribute("xlink:href"));
  });

  /* ---- drag across the timeline to choose a date range ---- */
  var drag = null;
  var suppressClick = false;
  function bucketsOf(svg) { return Array.prototype.slice.call(svg.querySelectorAll(".bucket")); }
  function bucketAt(svg, clientX) {
    var buckets = bucketsOf(svg);
    var box = svg.getBoundingClientRect();
    var slots = Number(svg.dataset.slots) || buckets.length; // short timelines leave empty slots on the right
    var index = Math.floor((clientX - box.left) / box.width * slots);
    return Math.max(0, Math.min(buckets.length - 1, index));
  }
  function markSelection(from, to) {
    Array.prototype.forEach.call(results.querySelectorAll("svg.bars"), function (svg) {
      bucketsOf(svg).forEach(function (bucket, i) {
        bucket.classList.toggle("selected", from !== null && i >= Math.min(from, to) && i <= Math.max(from, to));
      });
    });
  }
  results.addEventListener("pointerdown", function (event) {
    var svg = event.target.closest("svg.bars");
    if (!svg || event.button !== 0) return;
    drag = { svg: svg, from: bucketAt(svg, event.clientX), to: null };
  });
  document.addEventListener("pointermove", function (event) {
    if (!drag) return;
    drag.to = bucketAt(drag.svg, event.clientX);
    if (drag.to !== drag.from) markSelection(drag.from, drag.to);
  });
  document.addEventListener("pointerup", function () {
    if (!drag) return;
    var finished = drag;
    drag = null;
    if (finished.to === null || finished.to === finished.from) return; // a plain click follows the bar's link
    suppressClick = true;
    setTimeout(function () { suppressClick = false; }, 0);
    var buckets = bucketsOf(finished.svg);
    var first = buckets[Math.min(finished.from, finished.to)];
    var last = buckets[Math.max(finished.from, finished.to)];
    var params = new URLSearchParams(location.search);
    params.delete("page");
    params.set("date_from", first.dataset.start);
    params.set("date_to", last.dataset.end);
    navigate(location.pathname + "?" + params.toString());
  });

  /* ---- start ---- */
  if (window.innerWidth < 700 && !filterQuery(location.search).toString()) {
    document.getElementById("filter-details").open = false;
  }
  limitSubEventTypes();
  limitDistricts();
  var refresh = null;
  map.on("moveend", function () {
    writeHash();
    clearTimeout(refresh);
    refresh = setTimeout(loadFeatures, 150);
  });
  DZMap.loadPlaces(map, config).catch(function () { /* names are context only */ });
  DZMap.loadOutlines(map, config)
    .then(function (loaded) { outlines = loaded; })
    .catch(function () { showStatus("Boundary outlines could not be loaded.", true); })
    .then(loadFeatures);
})();
