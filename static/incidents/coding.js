// Coding screen: turn a selection in the article text into exact character offsets and open
// a new incident pre-filled with that quote; highlight quotes and their incidents.
// Offsets are counted in Unicode code points, as Python counts them in the stored text.
(function () {
  "use strict";
  // The page's language: messages handed over as JSON by templates/admin/incidents/article/coding_panel.html.
  const catalogueNode = document.getElementById("i18n-catalogue");
  const catalogue = catalogueNode ? JSON.parse(catalogueNode.textContent) || {} : {};
  const gettext = function (text) { return typeof catalogue[text] === "string" ? catalogue[text] : text; };
  const panel = document.getElementById("coding-text");
  const button = document.getElementById("new-incident-from-selection");
  const status = document.getElementById("coding-selection-status");
  if (!panel || !button) return;
  const textLength = Number(panel.dataset.length);
  const hint = status.textContent;

  function codePoints(text) {
    return Array.from(text).length;
  }

  // Offset in the stored text of a DOM selection boundary inside the panel.
  function offsetOf(node, offset) {
    if (node === panel) {
      const child = panel.childNodes[offset];
      return child ? Number(child.dataset.start) : textLength;
    }
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    const segment = element.closest("[data-start]");
    const before = document.createRange();
    before.setStart(segment, 0);
    before.setEnd(node, offset);
    return Number(segment.dataset.start) + codePoints(before.toString());
  }

  function selectedSpan() {
    const selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    if (!panel.contains(range.startContainer) || !panel.contains(range.endContainer)) return null;
    const start = offsetOf(range.startContainer, range.startOffset);
    const end = offsetOf(range.endContainer, range.endOffset);
    const text = range.toString();
    if (end <= start || !text.trim()) return null;
    return { start: start, end: end, text: text };
  }

  function update() {
    const span = selectedSpan();
    button.disabled = !span;
    if (span) {
      status.textContent = gettext("%(count)s characters selected (%(start)s–%(end)s)")
        .replace("%(count)s", codePoints(span.text.trim())).replace("%(start)s", span.start).replace("%(end)s", span.end);
      button.dataset.start = span.start;
      button.dataset.end = span.end;
    } else {
      status.textContent = hint;
    }
  }

  document.addEventListener("selectionchange", update);
  button.addEventListener("click", function () {
    if (button.disabled) return;
    const params = new URLSearchParams({
      evidence_article: button.dataset.article,
      evidence_start: button.dataset.start,
      evidence_end: button.dataset.end,
    });
    window.location.assign(button.dataset.addUrl + "?" + params.toString());
  });

  // Highlighting: quotes of one piece of evidence, or of one incident.
  function segmentsWith(attribute, id) {
    return Array.from(panel.querySelectorAll("[" + attribute + "]")).filter(function (segment) {
      return segment.getAttribute(attribute).split(" ").indexOf(String(id)) >= 0;
    });
  }

  function focusEvidence(id) {
    panel.querySelectorAll(".focused").forEach(function (s) { s.classList.remove("focused"); });
    const found = segmentsWith("data-evidence", id);
    found.forEach(function (s) { s.classList.add("focused"); });
    if (found.length) found[0].scrollIntoView({ block: "center" });
  }

  function focusFromHash() {
    const match = /^#evidence-(\d+)$/.exec(window.location.hash);
    if (match) focusEvidence(match[1]);
  }

  window.addEventListener("hashchange", focusFromHash);
  focusFromHash();

  document.querySelectorAll(".coding-incidents [data-incident]").forEach(function (item) {
    const id = item.dataset.incident;
    item.addEventListener("mouseenter", function () {
      segmentsWith("data-incidents", id).forEach(function (s) { s.classList.add("hovered"); });
    });
    item.addEventListener("mouseleave", function () {
      panel.querySelectorAll(".hovered").forEach(function (s) { s.classList.remove("hovered"); });
    });
  });

  panel.addEventListener("click", function (event) {
    const quote = event.target.closest(".quote");
    if (!quote || !window.getSelection().isCollapsed) return;
    const first = quote.dataset.incidents.split(" ")[0];
    const item = document.getElementById("incident-" + first);
    if (item) {
      item.scrollIntoView({ block: "nearest" });
      item.classList.add("flash");
      window.setTimeout(function () { item.classList.remove("flash"); }, 1200);
    }
  });
})();
