// The portal's page behaviour, in one static file (the Content-Security-Policy allows no
// inline script): failed htmx requests are never silent, live filters keep their URLs
// short, search boxes say when they stop taking characters, confirm panels close.
(function () {
  "use strict";

  // ---- Failed requests ------------------------------------------------------------------
  // base.html tells htmx not to swap 4xx/5xx answers (422 excepted: a form with its errors).
  // Whatever failed — an error status, no answer, a timeout, a swap that broke — the person
  // sees a message next to the thing they clicked or typed in, or, when that thing is not
  // on screen (a poll, a hidden trigger), in a notice pinned to the corner of the window.

  var notes = new WeakMap(); // element that made the request -> its failure message

  function statusMessage(status) {
    if (status === 400) return "The portal could not accept what was sent. Check what you typed and try again.";
    if (status === 403) return "You do not have permission to do that.";
    if (status === 404) return "That item no longer exists. Reload the page.";
    if (status === 405) return "That address cannot be opened directly. Reload the page.";
    if (status === 413) return "What you sent is too large for the portal.";
    if (status === 414) return "The search is too long for the portal to run. Shorten it and try again.";
    if (status === 429) return "Too many requests just now. Wait a moment and try again.";
    if (status >= 500) return "The portal hit an error and did not finish (HTTP " + status + "). Nothing shown here was updated; reload the page to see the current state.";
    return "The portal could not complete the request (HTTP " + status + "). Reload the page to see the current state.";
  }

  // A refusal the server put in plain words (a short text/plain 4xx body, e.g. "The
  // request contained a NUL character…") says more than any status line.
  function serverWords(xhr) {
    if (!xhr || xhr.status >= 500) return "";
    var type = xhr.getResponseHeader("Content-Type") || "";
    var body = (xhr.responseText || "").trim();
    return type.indexOf("text/plain") === 0 && body.length > 0 && body.length <= 300 ? body : "";
  }

  function isOnScreen(element) {
    if (!element || element === document.body || element === document.documentElement) return false;
    if (!element.isConnected || element.offsetParent === null) return false;
    var box = element.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  }

  function buildAlert(text, extraClass) {
    var alert = document.createElement("div");
    alert.className = "alert alert-danger py-1 px-2 small mb-1 mt-1 request-failure " + (extraClass || "");
    alert.setAttribute("role", "alert");
    alert.setAttribute("data-testid", "request-failure");
    alert.textContent = text;
    return alert;
  }

  function toastArea() {
    var area = document.getElementById("request-failures");
    if (!area) {
      area = document.createElement("div");
      area.id = "request-failures";
      area.className = "request-failure-toasts";
      area.setAttribute("aria-live", "assertive");
      document.body.appendChild(area);
    }
    return area;
  }

  function clearNote(element) {
    var note = element && notes.get(element);
    if (note) {
      note.remove();
      notes.delete(element);
    }
  }

  function showFailure(element, text, target) {
    clearNote(element);
    var note;
    if (isOnScreen(element)) {
      note = buildAlert(text);
      // After the element, so it reads as the answer to what was just done there.
      element.insertAdjacentElement("afterend", note);
    } else {
      note = buildAlert(text, "shadow");
      var close = document.createElement("button");
      close.type = "button";
      close.className = "btn-close btn-sm float-end ms-2";
      close.setAttribute("aria-label", "Close");
      close.addEventListener("click", function () { note.remove(); });
      note.prepend(close);
      toastArea().appendChild(note);
    }
    if (element) notes.set(element, note);
    // What is on screen did not change: say so on the part that should have.
    if (target && target.isConnected && target !== element) {
      target.classList.add("request-stale");
      target.setAttribute("data-stale", "true");
    }
  }

  function failed(event, text) {
    var detail = event.detail || {};
    var element = detail.elt || (detail.requestConfig && detail.requestConfig.elt);
    var target = detail.target || (detail.requestConfig && detail.requestConfig.target);
    showFailure(element, text, target);
  }

  // A failure's message stays until the same element succeeds (a poll that keeps failing
  // keeps its one message, replaced, instead of blinking out at every try).
  document.addEventListener("htmx:afterRequest", function (event) {
    var detail = event.detail;
    if (!detail.successful) return;
    clearNote(detail.elt);
    var target = detail.target;
    if (target && target.classList) {
      target.classList.remove("request-stale");
      target.removeAttribute("data-stale");
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    if (status === 401) return; // HX-Redirect to the login page is on its way
    failed(event, serverWords(event.detail.xhr) || statusMessage(status));
  });

  document.addEventListener("htmx:sendError", function (event) {
    failed(event, "The portal is not answering. Check your connection and try again; nothing shown here was updated.");
  });

  document.addEventListener("htmx:timeout", function (event) {
    failed(event, "The portal took too long to answer. The action may still finish: reload the page in a moment to see the current state.");
  });

  document.addEventListener("htmx:swapError", function (event) {
    failed(event, "The answer could not be shown. Reload the page to see the current state.");
  });

  document.addEventListener("htmx:onLoadError", function (event) {
    failed(event, "The answer could not be shown. Reload the page to see the current state.");
  });

  // ---- Live filters -----------------------------------------------------------------------
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

  // ---- Search boxes that stop taking characters ------------------------------------------
  // A search box has a maxlength the server agrees with, so no search builds an address too
  // long to send. When the box is full (typed or pasted), say so instead of silently
  // dropping the rest.
  function lengthNote(input) {
    var id = input.id ? input.id + "-limit" : "";
    var note = id ? document.getElementById(id) : null;
    var full = input.maxLength > 0 && input.value.length >= input.maxLength;
    if (full && !note) {
      note = document.createElement("div");
      if (id) note.id = id;
      note.className = "form-text text-warning-emphasis small search-limit";
      note.setAttribute("role", "status");
      note.setAttribute("data-testid", "search-limit");
      note.textContent = "Searches stop at " + input.maxLength + " characters; the rest was not searched.";
      input.insertAdjacentElement("afterend", note);
    } else if (!full && note) {
      note.remove();
    }
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (input instanceof HTMLInputElement && input.type === "search" && input.maxLength > 0) lengthNote(input);
  });
  document.addEventListener("paste", function (event) {
    var input = event.target;
    if (input instanceof HTMLInputElement && input.type === "search" && input.maxLength > 0) {
      setTimeout(function () { lengthNote(input); }, 0);
    }
  });

  // ---- Confirm panels (templates/components/confirm.html) --------------------------------
  document.addEventListener("click", function (event) {
    var cancel = event.target instanceof Element ? event.target.closest("[data-confirm-cancel]") : null;
    if (!cancel) return;
    var details = cancel.closest("details");
    if (details) details.open = false;
  });
})();
