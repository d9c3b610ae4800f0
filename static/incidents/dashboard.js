/* The dashboard, enhanced: filters apply without a page load, the URL always holds the
 * filter (shareable, back button works), the map asks only for its viewport, and a bar clicked
 * or a range dragged on the timeline (timeline.js) applies its dates in place. Without
 * JavaScript the same page works as a plain form with a server-rendered timeline and table.
 */
(function () {
  "use strict";

  var config = DZMap.config();
  var form = document.getElementById("filter-form");
  var results = document.getElementById("results");
  var mapElement = document.getElementById("map");
  var status = document.getElementById("map-status");
  // Parameters of the page that are not filters: the map does not need them.
  var PAGE_ONLY = ["page", "order", "sort", "interval"];
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
    var note = tilesFailed ? " " + DZMap.gettext("Background map tiles could not be loaded: boundaries are drawn from our own data.") : "";
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
    ["interval", "sort"].forEach(function (name) { if (current.get(name)) params.set(name, current.get(name)); });
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
  /* The map data for the view; with `fit` (the filters changed) also where all the filtered
   * incidents are, and the map moves there (the moveend then asks for the new view). */
  function loadFeatures(fit) {
    if (featureRequest) featureRequest.abort();
    featureRequest = new AbortController();
    var params = DZMap.viewportQuery(map, filterQuery(location.search));
    if (fit === true) {
      params.set("extent", "1");
      clearTimeout(refresh); // a reload for the view an earlier fit left would abort this one
    }
    mapElement.dataset.loading = "true";
    fetch(config.featuresUrl + "?" + params.toString(), { signal: featureRequest.signal })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (answer) { return outlinesLoaded.then(function () { return answer; }); })
      .then(function (answer) {
        if (!answer.ok) {
          clearFeatures();
          var names = Object.keys((answer.body && answer.body.parameters) || {});
          showStatus(DZMap.gettext("The map cannot show this search: check %(names)s.", { names: names.join(", ") || DZMap.gettext("the filters") }), true);
        } else if (fit === true && DZMap.fitExtent(map, answer.body.extent)) {
          return; // still loading: the moveend asks for the new view
        } else {
          drawFeatures(answer.body);
        }
        mapElement.dataset.loading = "false";
      })
      .catch(function (error) {
        if (error.name === "AbortError") return;
        mapElement.dataset.loading = "false";
        showStatus(DZMap.gettext("The map data could not be loaded (%(error)s). The table below still lists the incidents.", { error: error.message }), true);
      });
  }

  function clearFeatures() {
    incidents.clear();
  }

  function drawFeatures(collection) {
    mapElement.dataset.mode = collection.mode;
    mapElement.dataset.count = collection.count;
    showStatus(incidents.draw(collection, outlines.byId));
    offerTheResults(collection.count);
  }

  /* Nothing in view although the search found incidents (they lie elsewhere): offer to move there,
   * rather than leave "0 incidents in view" under a search that found hundreds (found by a newcomer). */
  function offerTheResults(inView) {
    var timeline = document.querySelector("#timeline[data-total]");
    var total = timeline ? parseInt(timeline.dataset.total, 10) : 0;
    if (inView > 0 || !(total > 0)) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "show-results";
    button.textContent = DZMap.gettext("Show the %(count)s results on the map", { count: DZMap.number(total) });
    button.addEventListener("click", function () { loadFeatures(true); });
    status.appendChild(document.createTextNode(" "));
    status.appendChild(button);
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
        // The chosen actors are named only by the server (their names are not in the URL).
        ["chosen-actors", "filter-summary"].forEach(function (id) {
          var mine = document.getElementById(id), theirs = page.getElementById(id);
          if (mine && theirs) mine.replaceChildren.apply(mine, Array.prototype.slice.call(theirs.childNodes));
        });
        document.title = page.title;
        results.removeAttribute("aria-busy");
      })
      .catch(function (error) {
        if (error.name !== "AbortError") results.removeAttribute("aria-busy");
      });
  }

  // One history entry per filter applied: nothing is pushed when the address would not change
  // (a debounced search firing after a click already applied it, a date still being typed).
  function navigate(url) {
    clearTimeout(pendingApply);
    var target = new URL(url, location.href);
    var address = target.pathname + target.search;
    if (address === location.pathname + location.search) return;
    history.pushState({ dashboard: true }, "", address + location.hash);
    syncForm();
    loadResults(address);
    loadFeatures(true);
  }

  /* ---- dependent lists: sub-event types by event type, districts by governorate ---- */
  // Offer only the choices that belong to one of the chosen parents (all when none is chosen); a
  // ticked choice that no longer belongs is unticked. Each list is a set of boxes to tick.
  function chosenValues(name) {
    return Array.prototype.filter.call(form.querySelectorAll('input[name="' + name + '"]'),
      function (box) { return box.checked; }).map(function (box) { return box.value; });
  }
  function limitChoices(items, ownerOf, owners) {
    items.forEach(function (item) {
      var owner = ownerOf(item);
      if (owner === undefined) return;
      item.hidden = owners.length > 0 && owners.indexOf(owner) < 0;
      if (item.hidden) item.querySelectorAll("input:checked").forEach(function (box) { box.checked = false; });
    });
  }
  // Both lists are grouped (Django's grouped choices: a <div> per group holding its boxes' <div>s);
  // a group's parent is read from its first box, never from its heading, which is translated.
  function limitGroups(listId, parentOf, parentName) {
    var list = document.getElementById(listId);
    if (!list) return;
    limitChoices(Array.prototype.filter.call(list.children, function (group) { return group.querySelector("div"); }),
      function (group) { var box = group.querySelector("input"); return box ? parentOf(box) : undefined; },
      chosenValues(parentName));
  }
  // A sub-event type's event type, from config.subEventTypes.
  function eventTypeOf(box) {
    var types = config.subEventTypes || {};
    return Object.keys(types).filter(function (type) { return types[type].indexOf(box.value) >= 0; })[0];
  }
  function limitSubEventTypes() { limitGroups("id_sub_event_type", eventTypeOf, "event_type"); }
  // Each district's box names its governorate (filters.AreaCheckboxes).
  function limitDistricts() {
    limitGroups("id_district", function (box) { return box.dataset.governorate; }, "governorate");
  }

  /* ---- when a change applies ---- */
  // Typing applies after a pause, like every other filter, without a history entry per key.
  var TYPING_PAUSE_MS = 450;
  var pendingApply = null;
  function applySoon(delay) {
    clearTimeout(pendingApply);
    pendingApply = setTimeout(function () { navigate(formUrl()); }, delay);
  }
  // A typed date applies once it is complete and plausible (the server's range: 1990 to next year):
  // typing 01012016 passes through years 0002, 0020 and 0201, which never reach the URL.
  function dateReady(field) {
    if (field.validity && field.validity.badInput) return false; // some parts still empty
    if (field.value === "") return true; // cleared on purpose
    var year = Number(field.value.slice(0, 4));
    return /^\d{4}-\d{2}-\d{2}$/.test(field.value) && year >= 1990 && year <= new Date().getFullYear() + 1;
  }

  form.addEventListener("input", function (event) {
    if (event.target.name === "q") applySoon(TYPING_PAUSE_MS);
  });
  form.addEventListener("change", function (event) {
    var field = event.target;
    if (!field.name || field.name === "q") return; // the search applies as typed (above)
    if (field.type === "date") {
      field.classList.toggle("is-pending", !dateReady(field));
      if (dateReady(field)) applySoon(TYPING_PAUSE_MS);
      return;
    }
    if (field.name === "event_type") limitSubEventTypes();
    if (field.name === "governorate") limitDistricts();
    navigate(formUrl());
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    navigate(formUrl());
  });

  /* ---- the actor picker: names and aliases searched as you type (api/actors.json) ---- */
  function setUpActorPicker(picker) {
    var input = document.getElementById("actor-search");
    var list = document.getElementById("actor-options");
    var request = null, timer = null, active = -1;
    picker.hidden = false;
    function options() { return Array.prototype.slice.call(list.querySelectorAll("[role=option]")); }
    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); active = -1; }
    function highlight(index) {
      var items = options();
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[active].id);
    }
    function choose(actor) {
      var boxes = document.getElementById("id_actor") || document.getElementById("chosen-actors");
      if (!form.querySelector('input[name="actor"][value="' + actor.id + '"]')) {
        var row = DZMap.el("div");
        var label = DZMap.el("label");
        var box = DZMap.el("input");
        box.type = "checkbox"; box.name = "actor"; box.value = actor.id; box.checked = true;
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + actor.name));
        row.appendChild(label);
        boxes.appendChild(row);
      }
      input.value = "";
      close();
      navigate(formUrl());
    }
    function show(actors) {
      list.replaceChildren();
      actors.forEach(function (actor) {
        var item = DZMap.el("li", "actor-option", actor.name);
        item.id = "actor-option-" + actor.id;
        item.setAttribute("role", "option");
        item.dataset.id = actor.id;
        item.appendChild(DZMap.el("span", "muted small", " · " + DZMap.number(actor.incidents)));
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(actor); });
        item.actor = actor;
        list.appendChild(item);
      });
      if (!actors.length) list.appendChild(DZMap.el("li", "muted small", input.dataset.none || "—"));
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }
    function search() {
      if (request) request.abort();
      request = new AbortController();
      fetch(picker.dataset.url + "?q=" + encodeURIComponent(input.value.trim()), { signal: request.signal })
        .then(function (response) { return response.json(); })
        .then(function (body) { show(body.results || []); })
        .catch(function () { /* aborted, or offline: the list stays as it was */ });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 200); });
    input.addEventListener("focus", search);
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) search(); else highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter") {
        event.preventDefault(); // never submits the form
        var item = options()[active >= 0 ? active : 0];
        if (item && !list.hidden) choose(item.actor);
      } else if (event.key === "Escape") {
        close();
      }
    });
  }
  var actorPicker = document.getElementById("actor-picker");
  if (actorPicker) setUpActorPicker(actorPicker);

  window.addEventListener("popstate", function () {
    syncForm();
    loadResults(location.pathname + location.search);
    loadFeatures(true);
  });
  results.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-nav]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    navigate(link.getAttribute("href"));
  });

  // A range dragged across the timeline applies like any filter (timeline.js draws and reads it).
  DZTimeline.navigate = navigate;

  /* ---- start ---- */
  // On a phone the results come first: the filters wait, folded, behind their summary line, unless
  // a filter field has an error: the message asks the reader to correct it there, so it must show.
  if (window.innerWidth < 700 && !document.querySelector("#filter-form .has-error")) {
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
  // Outlines and incidents are asked for at once (one round trip less on a slow link, issue 16
  // point 10); incidents are drawn once the outlines are there, for the areas they shade.
  var outlinesLoaded = DZMap.loadOutlines(map, config)
    .then(function (loaded) { outlines = loaded; })
    .catch(function () { showStatus(DZMap.gettext("Boundary outlines could not be loaded."), true); });
  // A link that carries filters but no view (a shared search, a partner's link) opens where its
  // incidents are, as applying the same filters here does; one with #map= keeps the view it names
  // (found by a newcomer: /?q=Hajin opened on "0 incidents in view" over a table of 147).
  loadFeatures(!viewFromHash() && filterQuery(location.search).toString() !== "");
})();
