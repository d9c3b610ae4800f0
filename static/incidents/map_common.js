/* Map drawing shared by the dashboard and the incident page: base map, boundary
 * outlines from our database, incident markers that show their uncertainty, popups.
 * Plain Leaflet; no inline styles in HTML strings (the Content-Security-Policy
 * forbids them), so colours are set on DOM elements.
 */
(function () {
  "use strict";

  var DZMap = window.DZMap; // made by reader.js, loaded first

  var gettext = DZMap.gettext; // reader.js: the page's language and digits

  DZMap.config = function () {
    return JSON.parse(document.getElementById("map-config").textContent);
  };

  DZMap.colour = function (config, eventType) {
    return config.colours[eventType] || "#999999";
  };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  DZMap.el = el;

  /* A map with the configured tiles; "tilesunavailable" fires once if tiles fail (offline, blocked). */
  DZMap.createMap = function (element, config, view) {
    var map = L.map(element, {
      center: view.center, zoom: view.zoom, minZoom: config.minZoom, maxZoom: config.maxZoom,
    });
    var tiles = L.tileLayer(config.tilesUrl, { attribution: config.tilesAttribution, maxZoom: config.maxZoom });
    var warned = false;
    tiles.on("tileerror", function () {
      if (!warned) { warned = true; map.fire("tilesunavailable"); }
    });
    tiles.addTo(map);
    // Outlines above the tiles, uncertainty areas above the outlines, markers above both.
    map.createPane("outlines").style.zIndex = 350;
    map.createPane("uncertainty").style.zIndex = 380;
    return map;
  };

  /* Governorate and district outlines; resolves to {layer, byId} so uncertain incidents can shade their area. */
  DZMap.loadOutlines = function (map, config) {
    return fetch(config.outlinesUrl).then(function (response) {
      if (!response.ok) throw new Error("outlines: HTTP " + response.status);
      return response.json();
    }).then(function (collection) {
      var byId = {};
      var layer = L.geoJSON(collection, {
        pane: "outlines",
        style: function (feature) {
          var governorate = feature.properties.level === 1;
          return {
            color: governorate ? "#34495e" : "#7f8c8d", weight: governorate ? 2 : 0.8,
            dashArray: governorate ? null : "3 3", fill: false, interactive: false,
          };
        },
        onEachFeature: function (feature) { byId[feature.id] = feature; },
      }).addTo(map);
      var labels = { 1: L.layerGroup(), 2: L.layerGroup() };
      collection.features.forEach(function (feature) {
        var at = feature.properties.label_at;
        if (at) labels[feature.properties.level].addLayer(textLabel([at[1], at[0]], feature.properties.name,
          "area-label level-" + feature.properties.level));
      });
      // Governorate names when zoomed out, district names when zoomed in.
      showByZoom(map, labels[1], 0, 8);
      showByZoom(map, labels[2], 9, 12);
      return { layer: layer, byId: byId };
    });
  };

  function textLabel(latlng, text, className, pane) {
    var span = el("span", null, text);
    return L.marker(latlng, {
      icon: L.divIcon({ className: "map-label " + className, html: span, iconSize: null }),
      interactive: false, keyboard: false, pane: pane || "markerPane",
    });
  }

  function showByZoom(map, layer, minZoom, maxZoom) {
    function update() {
      var zoom = map.getZoom();
      if (zoom >= minZoom && zoom <= maxZoom) layer.addTo(map); else layer.remove();
    }
    map.on("zoomend", update);
    update();
  }

  /* Town and city names from the gazetteer: with the outlines, a usable map even without tiles. */
  DZMap.loadPlaces = function (map, config) {
    return fetch(config.placesUrl).then(function (response) {
      if (!response.ok) throw new Error("places: HTTP " + response.status);
      return response.json();
    }).then(function (collection) {
      var dots = L.layerGroup();
      var names = L.layerGroup();
      // Under the incidents, so a cluster's count is never hidden by a town's name (the CSS starts
      // the name past a cluster's edge, so the town's own cluster does not hide it either).
      if (!map.getPane("placeLabels")) map.createPane("placeLabels").style.zIndex = 450;
      collection.features.forEach(function (feature) {
        var c = feature.geometry.coordinates;
        dots.addLayer(L.circleMarker([c[1], c[0]], {
          pane: "outlines", radius: 2.5, color: "#34495e", weight: 1, fillColor: "#fff", fillOpacity: 1,
          interactive: false,
        }));
        names.addLayer(textLabel([c[1], c[0]], feature.properties.name, "place-label", "placeLabels"));
      });
      showByZoom(map, dots, 8, 30);
      showByZoom(map, names, 9, 30);
    });
  };

  function dot(props, config) {
    var span = el("span", "dot");
    var colour = DZMap.colour(config, props.event_type);
    span.style.background = colour;
    span.style.borderColor = props.geo_precision > 1 ? colour : "#ffffff";
    if (props.geo_precision === 3) span.textContent = "?";
    return span;
  }
  DZMap.dot = dot;

  DZMap.markerFor = function (feature, config) {
    var props = feature.properties;
    var coords = feature.geometry.coordinates;
    var icon = L.divIcon({
      className: "incident-icon precision-" + props.geo_precision, html: dot(props, config),
      iconSize: [16, 16], iconAnchor: [8, 8], popupAnchor: [0, -8],
    });
    var marker = L.marker([coords[1], coords[0]], {
      icon: icon, title: ((config.terms || {})[props.sub_event_type] || props.sub_event_type) + gettext(", ") +
        props.location + gettext(", ") + DZMap.digits(props.date_label),
      alt: props.sub_event_type, riseOnHover: true,
    });
    marker.feature = feature;
    return marker;
  };

  /* The area an approximately placed incident may lie in: a circle, or its governorate's outline. */
  DZMap.uncertaintyFor = function (feature, config, outlinesById) {
    var props = feature.properties;
    if (props.geo_precision <= 1) return null;
    var colour = DZMap.colour(config, props.event_type);
    var style = { pane: "uncertainty", color: colour, weight: 1.5, dashArray: "4 4", fillColor: colour,
      fillOpacity: 0.08, interactive: false };
    var area = props.geo_precision === 3 && outlinesById && outlinesById[props.governorate_id];
    if (area) {
      var outline = L.geoJSON(area, { style: function () { return style; }, pane: "uncertainty" });
      outline.sharedKey = "area|" + props.governorate_id + "|" + colour; // the same area is drawn once
      return outline;
    }
    var coords = feature.geometry.coordinates;
    var radius = config.uncertaintyRadius[props.geo_precision] || config.uncertaintyRadius[3];
    var circle = L.circle([coords[1], coords[0]], L.extend({ radius: radius }, style));
    circle.sharedKey = "circle|" + coords.join(",") + "|" + radius + "|" + colour;
    return circle;
  };

  function fatalities(props) {
    var low = props.fatalities_low === null ? props.fatalities : props.fatalities_low;
    var high = props.fatalities_high === null ? props.fatalities : props.fatalities_high;
    var best = DZMap.number(props.fatalities);
    return low === props.fatalities && high === props.fatalities
      ? best : best + " (" + DZMap.number(low) + "–" + DZMap.number(high) + ")";
  }

  function actors(props) {
    function side(name, associates) {
      return associates && associates.length
        ? gettext("%(actor)s with %(associates)s", { actor: name, associates: associates.join(gettext(", ")) }) : name;
    }
    var first = side(props.actor1_name, props.actor1_associates);
    return props.actor2_name
      ? gettext("%(actor1)s vs %(actor2)s", { actor1: first, actor2: side(props.actor2_name, props.actor2_associates) })
      : first;
  }

  function safeUrl(url) {
    return /^https?:\/\//i.test(url || "") ? url : null;
  }

  /* The popup: what, when (with precision), who, where (with precision), deaths, summary, sources. */
  DZMap.popupFor = function (props, config) {
    var root = el("div", "incident-popup");
    var kind = el("div", "muted small");
    var terms = config.terms || {};  // ACLED's types in the page's language
    kind.appendChild(el("span", null, terms[props.event_type] || props.event_type));
    root.appendChild(kind);
    var title = el("h3");
    var link = el("a", null, gettext("%(what)s at %(where)s",
      { what: terms[props.sub_event_type] || props.sub_event_type, where: props.location }));
    link.href = config.detailUrl.replace("{id}", props.id);
    title.appendChild(link);
    root.appendChild(title);

    var facts = el("dl");
    function fact(name, value, note, exact) {
      facts.appendChild(el("dt", null, name));
      var dd = el("dd", null, typeof value === "string" ? value : null); // or a node: data in its own <bdi>
      if (typeof value !== "string") dd.appendChild(value);
      if (note) {
        dd.appendChild(document.createElement("br"));
        dd.appendChild(el("span", exact ? "muted small" : "precision", note));
      }
      facts.appendChild(dd);
    }
    // Precision always stated; approximate ones marked so they cannot be read as exact.
    fact(gettext("Date"), DZMap.digits(props.date_label), props.time_precision_label, props.time_precision === 1);
    fact(gettext("Actors"), actors(props));
    var area = [props.district, props.governorate].filter(Boolean).join(gettext(", "));
    fact(gettext("Place"), el("bdi", null, props.location + (area ? " (" + area + ")" : "")), gettext("located to:") + " " + props.geo_precision_label,
      props.geo_precision === 1);
    fact(gettext("Fatalities"), fatalities(props));
    root.appendChild(facts);

    if (props.summary) {
      var text = props.summary.length > 360 ? props.summary.slice(0, 357) + "…" : props.summary;
      // dir=auto: an English summary in an Arabic popup keeps its own direction (its full stop
      // had jumped to the start of the line); names below sit in <bdi> for the same reason.
      root.appendChild(el("p", null, text)).dir = "auto";
    }
    var sources = props.sources || [];
    if (sources.length) {
      root.appendChild(el("strong", null, sources.length === 1 ? gettext("Source") : gettext("Sources")));
      var list = el("ul", "popup-sources");
      sources.forEach(function (source) {
        var item = el("li");
        var url = safeUrl(source.url);
        var name = url ? el("a", null, source.title) : el("span", null, source.title);
        if (url) { name.href = url; name.rel = "noopener"; }
        item.appendChild(name);
        item.appendChild(document.createTextNode(" (" + source.source + ")"));
        list.appendChild(item);
      });
      root.appendChild(list);
    } else if (props.source_text) {
      root.appendChild(el("p", "muted", gettext("Sources:") + " " + props.source_text));
    }
    var more = el("a", null, gettext("Details and evidence →"));
    more.href = link.href;
    root.appendChild(more);
    return root;
  };
  /* ---- incidents on a map, redrawn from each answer of the map data endpoint ---- */

  // A click on a cluster zooms to its incidents with this much room (px) to the map's edges, so
  // every part of the cluster, and the markers beside it, stay in view (issue 16 point 2).
  var CLUSTER_PADDING = L.point(56, 56);

  /* Zoom so that `bounds` fill the map with CLUSTER_PADDING around them; when that would not zoom
   * in (a cluster wider than the padded map), one step closer around `centre` instead. */
  DZMap.zoomToCluster = function (map, bounds, centre) {
    var zoom = map.getBoundsZoom(bounds, false, CLUSTER_PADDING.multiplyBy(2));
    if (zoom <= map.getZoom()) map.setView(centre, Math.min(map.getZoom() + 1, map.getMaxZoom()));
    else map.fitBounds(bounds, { padding: CLUSTER_PADDING });
  };

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

  /* Markers (clustered in the browser), server grid clusters and uncertainty areas on `map`.
   * draw(collection, outlinesById) replaces them with an answer of /api/incidents.geojson and returns
   * the status line to show; clear() removes them. A popup the reader has open stays open across a
   * redraw while its incident is still in the answer (issue 16 point 1: the popup's own auto-pan
   * moves the map, which refetches, which used to remove the marker and its popup). */
  DZMap.incidentLayers = function (map, config) {
    var points = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40, spiderfyOnMaxZoom: true,
      zoomToBoundsOnClick: false, iconCreateFunction: function (cluster) { return clusterIcon(cluster.getChildCount(), ""); } });
    var serverClusters = L.layerGroup();
    var uncertainty = L.layerGroup();
    [uncertainty, points, serverClusters].forEach(function (layer) { layer.addTo(map); });
    var open = null; // {id, popup, marker}: the popup the reader has open

    points.on("clusterclick", function (event) {
      var cluster = event.layer;
      var bounds = cluster.getBounds();
      // Incidents at one point cannot be told apart by zooming: spread them out instead.
      if (bounds.getNorthEast().equals(bounds.getSouthWest())) cluster.spiderfy();
      else DZMap.zoomToCluster(map, bounds, cluster.getLatLng());
    });

    var shaded = {}; // sharedKey -> true: an area drawn once, not once per incident placed in it (a
    // hundred stacked translucent copies turned the whole map opaque)

    function clear() {
      points.clearLayers();
      serverClusters.clearLayers();
      uncertainty.clearLayers();
      shaded = {};
    }

    function marker(feature, outlinesById) {
      var m = DZMap.markerFor(feature, config);
      m.bindPopup(function () { return DZMap.popupFor(feature.properties, config); },
        { maxWidth: 320, autoPanPaddingTopLeft: [56, 16] }); // clear of the zoom buttons
      m.on("popupopen", function (event) { open = { id: feature.id, popup: event.popup, marker: m }; });
      m.on("popupclose", function (event) { if (open && open.popup === event.popup) open = null; });
      var area = DZMap.uncertaintyFor(feature, config, outlinesById);
      if (area && !shaded[area.sharedKey]) {
        shaded[area.sharedKey] = true;
        uncertainty.addLayer(area);
      }
      return m;
    }

    /* A cluster's icon: Leaflet.markercluster's look, with the count in the reader's digits. */
    function clusterIcon(count, className) {
      var inner = el("div");
      inner.appendChild(el("span", null, DZMap.number(count)));
      var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
      return L.divIcon({ html: inner, className: "marker-cluster " + className + " marker-cluster-" + size, iconSize: [40, 40] });
    }

    /* A server-side grid cluster, drawn like Leaflet.markercluster's own so the map reads the same. */
    function clusterMarker(feature) {
      var props = feature.properties;
      var counted = gettext("%(count)s incidents", { count: DZMap.number(props.count) });
      var coords = feature.geometry.coordinates;
      var m = L.marker([coords[1], coords[0]], { icon: clusterIcon(props.count, "server-cluster"), title: counted });
      var lines = Object.keys(props.event_types).map(function (name) {
        return ((config.terms || {})[name] || name) + ": " + DZMap.number(props.event_types[name]);
      });
      // Elements, not a string: Leaflet inserts a string as HTML (names in the data are text).
      var tip = el("div", null, counted + gettext(", ") + gettext("%(count)s fatalities", { count: DZMap.number(props.fatalities) }));
      lines.forEach(function (line) { tip.appendChild(el("div", null, line)); });
      m.bindTooltip(tip);
      m.on("click", function () {
        // The cell's extent when the answer gives it (bbox), else two steps closer around its centre.
        var b = feature.bbox;
        if (b && (b[0] !== b[2] || b[1] !== b[3])) DZMap.zoomToCluster(map, L.latLngBounds([b[1], b[0]], [b[3], b[2]]), m.getLatLng());
        else map.setView(m.getLatLng(), Math.min(map.getZoom() + 2, config.maxZoom));
      });
      return m;
    }

    function draw(collection, outlinesById) {
      var kept = open && collection.mode === "points" &&
        collection.features.some(function (f) { return f.id === open.id; });
      if (kept) open.marker.unbindPopup(); // the old marker goes; its popup, unbound, stays on the map
      else if (open) { map.closePopup(open.popup); open = null; }
      clear();
      if (collection.mode === "clusters") {
        collection.features.forEach(function (feature) { serverClusters.addLayer(clusterMarker(feature)); });
        return gettext("%(count)s incidents in view, grouped by area. Zoom in to see single incidents.",
                 { count: DZMap.number(collection.count) });
      }
      points.addLayers(collection.features.map(function (feature) { return marker(feature, outlinesById); }));
      // The request covers a margin around the map (smooth panning); the status counts what is visible.
      var bounds = map.getBounds();
      var visible = collection.features.filter(function (f) {
        return bounds.contains([f.geometry.coordinates[1], f.geometry.coordinates[0]]);
      });
      var approximate = visible.filter(function (f) { return f.properties.geo_precision > 1; }).length;
      return (visible.length === 1 ? gettext("1 incident in view") : gettext("%(count)s incidents in view", { count: DZMap.number(visible.length) })) +
        (approximate ? gettext("; %(count)s placed only approximately (dashed: the area they may lie in).", { count: DZMap.number(approximate) }) : ".");
    }

    return { draw: draw, clear: clear };
  };
})();
