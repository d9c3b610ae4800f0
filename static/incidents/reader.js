/* The reader's language on the page's scripts (issue 17): messages and numbers. Loaded before
 * map_common.js on every page with a map; DZMap.gettext and DZMap.number are the scripts' one
 * place for translated text and for digits.
 */
(function () {
  "use strict";

  var DZMap = (window.DZMap = window.DZMap || {});

  /* The page's language (issue 17): the messages the page hands over as JSON (#i18n-catalogue, from
   * locale/<lang>/LC_MESSAGES/djangojs.po), else the English text. gettext("%(n)s incidents", {n: 3})
   * fills named values. */
  var catalogueNode = document.getElementById("i18n-catalogue");
  var catalogue = catalogueNode ? JSON.parse(catalogueNode.textContent) || {} : {};
  DZMap.gettext = function (text, values) {
    var translated = typeof catalogue[text] === "string" ? catalogue[text] : text;
    return values ? translated.replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; }) : translated;
  };
  /* Numbers in the reader's digits, the one place the scripts format them (the server's is
   * incidents/common/numerals.py): the page names its locale, "ar-u-nu-arab" (٢٬٧٤٢) or
   * "ar-u-nu-latn"/"en-u-nu-latn" (2,742). DZMap.digits puts the digits of a text that already holds
   * numbers (a date label) into the same digits. Ids, URLs and query strings never pass through. */
  var numbers = new Intl.NumberFormat(document.documentElement.getAttribute("data-number-locale") || "en-u-nu-latn");
  var DIGITS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(function (d) { return numbers.format(d); });
  DZMap.number = function (value) { return numbers.format(value); };
  DZMap.digits = function (text) { return String(text).replace(/[0-9]/g, function (d) { return DIGITS[d]; }); };
})();
