// Small page behaviours declared with data- attributes instead of inline handlers, so every
// page works under the Content Security Policy (script-src 'self', no inline handlers, no
// eval: docs/security.md). Delegated from the document, so content htmx swaps in works too.
(function () {
  "use strict";

  // <input type="checkbox" data-select-all="CSS selector">: ticks or clears every match.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.hasAttribute("data-select-all")) return;
    document.querySelectorAll(box.getAttribute("data-select-all")).forEach(function (other) {
      other.checked = box.checked;
    });
  });

  // <button data-clear-row>: empties the table row it sits in (a detail row's "Hide").
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-clear-row]") : null;
    if (!button) return;
    var row = button.closest("tr");
    if (row) row.replaceChildren();
  });

  // <form data-reset-after-request>: cleared after its own htmx request succeeded.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (event.detail.successful && form instanceof HTMLFormElement && form.hasAttribute("data-reset-after-request")) {
      form.reset();
    }
  });

  // <div data-show-when-field="name" data-show-when-in='["a","b"]'>: shown only while the
  // field `name` of the same form holds one of the values.
  function applyShowWhen(root) {
    root.querySelectorAll("[data-show-when-field]").forEach(function (element) {
      var form = element.closest("form");
      var field = form && form.querySelector("[name='" + element.getAttribute("data-show-when-field") + "']");
      if (!field) return;
      var values = JSON.parse(element.getAttribute("data-show-when-in") || "[]");
      element.hidden = values.indexOf(field.value) === -1;
    });
  }
  document.addEventListener("change", function (event) {
    var form = event.target instanceof Element ? event.target.closest("form") : null;
    if (form) applyShowWhen(form);
  });
  document.addEventListener("DOMContentLoaded", function () { applyShowWhen(document); });
  document.addEventListener("htmx:load", function (event) { applyShowWhen(event.detail.elt.parentElement || document); });
})();

// <div class="bulk-bar" data-bulk-bar="CSS selector of the row checkboxes">: the bulk-action
// bar shows only while some rows are ticked (sticky at the window's bottom, see portal.css)
// and says how many; its [data-bulk-count] holds "3 selected". Without JavaScript it always shows.
(function () {
  "use strict";
  function refresh() {
    document.querySelectorAll("[data-bulk-bar]").forEach(function (bar) {
      var ticked = document.querySelectorAll(bar.getAttribute("data-bulk-bar") + ":checked").length;
      if (ticked) bar.removeAttribute("data-bulk-idle"); else bar.setAttribute("data-bulk-idle", "");
      bar.querySelectorAll("[data-bulk-count]").forEach(function (count) {
        count.textContent = ticked ? ticked + " selected" : "selected";
      });
    });
  }
  document.addEventListener("change", refresh);
  document.addEventListener("DOMContentLoaded", refresh);
  document.addEventListener("htmx:load", refresh);
})();
