/* The timeline under the pointer (templates/incidents/public/_timeline.html), on the dashboard and
 * the embed view. Its numbers are written once, in the table under the chart (one row per bar, in
 * the bars' order): pointing at a bar shows that row beside it, clicking a bar follows the row's
 * link (the dates narrowed to that bar), dragging across bars narrows the dates to all of them.
 * The events are listened to on the document, since the dashboard replaces the timeline in place.
 */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var DZTimeline = (window.DZTimeline = {
    // Where a dragged range goes; the dashboard applies it in place (dashboard.js).
    navigate: function (url) { location.assign(url); },
  });

  function chartOf(node) { return node.closest(".timeline"); }
  function rowsOf(timeline) { return timeline.querySelectorAll(".chart-data tbody tr"); }
  function slotsOf(svg) { return Number(svg.dataset.slots) || 1; }
  // Arabic pages mirror the chart (rtl.css: its first bar on the right).
  function mirrored(svg) { return getComputedStyle(svg).transform !== "none"; }
  function barsUnder(target) { return target && target.closest ? target.closest("svg.bars") : null; }

  /* The index of the bar under clientX; -1 past the last bar (a short timeline leaves empty slots),
   * or the nearest bar when `nearest` (a drag that leaves the chart). */
  function barAt(svg, clientX, nearest) {
    var box = svg.getBoundingClientRect();
    var index = Math.floor((clientX - box.left) / box.width * slotsOf(svg));
    if (mirrored(svg)) index = slotsOf(svg) - 1 - index;
    var count = rowsOf(chartOf(svg)).length;
    if (nearest) return Math.max(0, Math.min(count - 1, index));
    return index >= 0 && index < count ? index : -1;
  }

  /* A band behind bars from..to (indexes) in every panel of the chart, or none when from is null. */
  function band(timeline, className, from, to) {
    Array.prototype.forEach.call(timeline.querySelectorAll("svg.bars"), function (svg) {
      var rect = svg.querySelector("rect." + className);
      if (from === null) {
        if (rect) rect.remove();
        return;
      }
      if (!rect) {
        rect = document.createElementNS(SVG_NS, "rect");
        rect.setAttribute("class", className);
        svg.insertBefore(rect, svg.querySelector("g")); // behind the bars
      }
      var view = svg.viewBox.baseVal;
      var unit = view.width / slotsOf(svg);
      rect.setAttribute("x", Math.min(from, to) * unit);
      rect.setAttribute("width", (Math.abs(to - from) + 1) * unit);
      rect.setAttribute("y", 0);
      rect.setAttribute("height", view.height);
    });
  }

  /* ---- the bar's row, shown beside it ---- */
  var shown = null; // the timeline whose tip is showing

  function tipOf(timeline) {
    var tip = timeline.querySelector(".chart-tip");
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "chart-tip";
      tip.setAttribute("aria-hidden", "true"); // the table says the same to a screen reader
      timeline.querySelector(".chart").appendChild(tip);
    }
    return tip;
  }

  function hideTip() {
    if (!shown) return;
    var tip = shown.querySelector(".chart-tip");
    if (tip) tip.hidden = true;
    band(shown, "hover", null);
    shown = null;
  }

  // The row's cells as lines "heading: value", its dates first; event types with none are left out.
  // The title keeps the row's ISO days in data-from/data-to (what a click on the bar loads).
  function fillTip(tip, timeline, row) {
    var headings = timeline.querySelectorAll(".chart-data thead th");
    var cells = row.children;
    // The reader's dates (data-label, "١ آذار ٢٠١٦"), not the ISO days the table links with.
    var from = cells[0].dataset.label || cells[0].textContent.trim();
    var to = cells[1].dataset.label || cells[1].textContent.trim();
    tip.replaceChildren();
    var title = document.createElement("strong");
    title.textContent = from === to ? from : from + " – " + to;
    title.dataset.from = cells[0].textContent.trim();
    title.dataset.to = cells[1].textContent.trim();
    tip.appendChild(title);
    for (var i = 2; i < cells.length; i++) {
      if (cells[i].classList.contains("zero")) continue;
      var line = document.createElement("div");
      var colour = headings[i].dataset.colour;
      if (colour) {
        var swatch = document.createElement("span");
        swatch.className = "tip-swatch";
        swatch.style.background = colour;
        line.appendChild(swatch);
      }
      line.appendChild(document.createTextNode(headings[i].textContent.trim() + ": " + cells[i].textContent.trim()));
      tip.appendChild(line);
    }
  }

  function showTip(svg, index) {
    var timeline = chartOf(svg);
    if (shown && shown !== timeline) hideTip();
    shown = timeline;
    var tip = tipOf(timeline);
    fillTip(tip, timeline, rowsOf(timeline)[index]);
    tip.hidden = false;
    band(timeline, "hover", index, index);
    // Beside the bar (right of it if there is room, else left of it), level with the chart's top;
    // over the chart only on a screen too narrow for either.
    var area = tip.parentNode.getBoundingClientRect();
    var box = svg.getBoundingClientRect();
    var unit = box.width / slotsOf(svg);
    var centre = mirrored(svg) ? box.right - (index + 0.5) * unit : box.left + (index + 0.5) * unit;
    var after = centre - area.left + unit / 2 + 8, before = centre - area.left - unit / 2 - 8 - tip.offsetWidth;
    var left = after + tip.offsetWidth <= area.width ? after : before >= 0 ? before
      : Math.max(0, Math.min(area.width - tip.offsetWidth, centre - area.left - tip.offsetWidth / 2));
    tip.style.left = left + "px";
    tip.style.top = (timeline.querySelector("svg.bars").getBoundingClientRect().top - area.top) + "px";
  }

  /* ---- click a bar, or drag across bars ---- */
  var drag = null;

  document.addEventListener("pointerdown", function (event) {
    var svg = barsUnder(event.target);
    if (!svg || event.button !== 0) return;
    // The bar clicked is found here, from the same kind of event and coordinates as the bar the tip
    // shows (pointermove): a click event's clientX is rounded to a whole pixel in Chromium, and at
    // a bar's edge that named the neighbouring bar (a click at 25 % loaded the month before the tip's).
    drag = { svg: svg, from: barAt(svg, event.clientX, true), to: null, bar: barAt(svg, event.clientX, false) };
  });

  document.addEventListener("pointermove", function (event) {
    if (drag) {
      drag.to = barAt(drag.svg, event.clientX, true);
      if (drag.to !== drag.from) {
        hideTip();
        band(chartOf(drag.svg), "picked", drag.from, drag.to);
      }
      return;
    }
    var svg = barsUnder(event.target);
    var index = svg ? barAt(svg, event.clientX, false) : -1;
    if (index < 0) hideTip(); else showTip(svg, index);
  });

  // A touch that turns into scrolling the page ends without a pointerup.
  document.addEventListener("pointercancel", function () { drag = null; });

  document.addEventListener("pointerup", function (event) {
    if (!drag) return;
    var finished = drag;
    drag = null;
    var rows = rowsOf(chartOf(finished.svg));
    if (finished.to === null || finished.to === finished.from) {
      // A plain click (released over the chart): the bar under the pointer when it went down, the
      // one the tip named; the dashboard applies its link in place.
      if (finished.bar >= 0 && barsUnder(event.target) === finished.svg) rows[finished.bar].querySelector("a").click();
      return;
    }
    // The first bar's link, ending where the last bar ends: the page's other parameters kept.
    var first = new URL(rows[Math.min(finished.from, finished.to)].querySelector("a").href);
    var last = new URL(rows[Math.max(finished.from, finished.to)].querySelector("a").href);
    first.searchParams.set("date_to", last.searchParams.get("date_to"));
    DZTimeline.navigate(first.pathname + first.search);
  });
})();
