// "Cite this view": the filters change in place (dashboard.js), so send the query string the page shows now.
(function () {
  "use strict";
  var form = document.getElementById("cite-form");
  if (!form) { return; }
  form.addEventListener("submit", function () {
    form.elements.query.value = window.location.search.replace(/^\?/, "");
  });
})();
