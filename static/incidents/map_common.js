/* Map drawing shared by the dashboard and the incident page: base map, boundary
 * outlines from our database, incident markers that show their uncertainty, popups.
 * Plain Leaflet; no inline styles in HTML strings (the Content-Security-Policy
 * forbids them), so colours are set on DOM elements.
 */
(function () {
  "use strict";

  var DZMap = (window.DZMap = {});

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

  function textLabel(latlng, text, className) {
    var span = el("span", null, text);
    return L.marker(latlng, {
      icon: L.divIcon({ className: "map-label " + className, html: span, iconSize: null }),
      interactive: false, keyboard: false,
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
      collection.features.forEach(function (feature) {
        var c = feature.geometry.coordinates;
        dots.addLayer(L.circleMarker([c[1], c[0]], {
          pane: "outlines", radius: 2.5, color: "#34495e", weight: 1, fillColor: "#fff", fillOpacity: 1,
          interactive: false,
        }));
        names.addLayer(textLabel([c[1], c[0]], feature.properties.name, "place-label"));
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
      icon: icon, title: props.sub_event_type + ", " + props.location + ", " + props.date_label,
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
    if (area) return L.geoJSON(area, { style: function () { return style; }, pane: "uncertainty" });
    var coords = feature.geometry.coordinates;
    var radius = config.uncertaintyRadius[props.geo_precision] || config.uncertaintyRadius[3];
    return L.circle([coords[1], coords[0]], L.extend({ radius: radius }, style));
  };

  function fatalities(props) {
    var low = props.fatalities_low === null ? props.fatalities : props.fatalities_low;
    var high = props.fatalities_high === null ? props.fatalities : props.fatalities_high;
    return low === props.fatalities && high === props.fatalities
      ? String(props.fatalities) : props.fatalities + " (" + low + "–" + high + ")";
  }

  function actors(props) {
    var parts = [props.actor1_name];
    if (props.actor1_associates && props.actor1_associates.length) parts[0] += " with " + props.actor1_associates.join(", ");
    if (props.actor2_name) {
      var second = props.actor2_name;
      if (props.actor2_associates && props.actor2_associates.length) second += " with " + props.actor2_associates.join(", ");
      parts.push(second);
    }
    return parts.join(" vs ");
  }

  function safeUrl(url) {
    return /^https?:\/\//i.test(url || "") ? url : null;
  }

  /* The popup: what, when (with precision), who, where (with precision), deaths, summary, sources. */
  DZMap.popupFor = function (props, config) {
    var root = el("div", "incident-popup");
    var kind = el("div", "muted small");
    kind.appendChild(el("span", null, props.event_type));
    root.appendChild(kind);
    var title = el("h3");
    var link = el("a", null, props.sub_event_type + " at " + props.location);
    link.href = config.detailUrl.replace("{id}", props.id);
    title.appendChild(link);
    root.appendChild(title);

    var facts = el("dl");
    function fact(name, value, note, exact) {
      facts.appendChild(el("dt", null, name));
      var dd = el("dd", null, value);
      if (note) {
        dd.appendChild(document.createElement("br"));
        dd.appendChild(el("span", exact ? "muted small" : "precision", note));
      }
      facts.appendChild(dd);
    }
    // Precision always stated; approximate ones marked so they cannot be read as exact.
    fact("Date", props.date_label, props.time_precision_label, props.time_precision === 1);
    fact("Actors", actors(props));
    var area = [props.district, props.governorate].filter(Boolean).join(", ");
    fact("Place", props.location + (area ? " (" + area + ")" : ""), "located to: " + props.geo_precision_label,
      props.geo_precision === 1);
    fact("Fatalities", fatalities(props));
    root.appendChild(facts);

    if (props.summary) {
      var text = props.summary.length > 360 ? props.summary.slice(0, 357) + "…" : props.summary;
      root.appendChild(el("p", null, text));
    }
    var sources = props.sources || [];
    if (sources.length) {
      root.appendChild(el("strong", null, sources.length === 1 ? "Source" : "Sources"));
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
      root.appendChild(el("p", "muted", "Sources: " + props.source_text));
    }
    var more = el("a", null, "Details and evidence →");
    more.href = link.href;
    root.appendChild(more);
    return root;
  };
})();
