// Failed htmx requests are not swapped (see base.html); say so in the message area,
// so a click that did nothing never looks like success.
(function () {
  "use strict";

  function showMessage(text) {
    var area = document.getElementById("messages");
    if (!area) return;
    var alert = document.createElement("div");
    alert.className = "alert alert-danger alert-dismissible py-2 small";
    alert.setAttribute("role", "alert");
    alert.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close btn-sm py-2";
    close.setAttribute("data-bs-dismiss", "alert");
    close.setAttribute("aria-label", "Close");
    alert.appendChild(close);
    area.appendChild(alert);
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    if (status === 401) return; // HX-Redirect to the login page is on its way
    if (status === 403) {
      showMessage("You do not have permission to do that.");
    } else if (status === 404) {
      showMessage("That item no longer exists. Reload the page.");
    } else {
      showMessage("The portal could not complete the request (HTTP " + status + "). Reload the page to see the current state.");
    }
  });

  // Live filters push their query to the address bar: keep it to the filters in use
  // (?outcome=refused rather than ?operation=&outcome=refused&source=&...).
  document.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail;
    if (detail.verb !== "get" || !detail.formData) return;
    Array.from(detail.formData.keys()).forEach(function (key) {
      if (detail.formData.getAll(key).every(function (value) { return value === ""; })) {
        detail.formData.delete(key);
      }
    });
  });

  document.addEventListener("htmx:sendError", function () {
    showMessage("The portal is not answering. Check your connection and try again.");
  });
})();
