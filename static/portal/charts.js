// The console's charts: every <canvas data-chart="ID"> is drawn with Chart.js from the JSON
// the server wrote with json_script under that ID (no inline script: the Content-Security-
// Policy forbids it). The table beside the canvas holds the same data; once the chart is
// drawn it is kept for screen readers only. Without JavaScript, or if Chart.js did not
// load, the table stays on screen.
(function () {
  "use strict";
  // One colour per series, the same order everywhere; status colours follow the badges.
  var PALETTE = ["#2563eb", "#16a34a", "#f59e0b", "#dc2626", "#7c3aed", "#0891b2", "#db2777", "#65a30d", "#64748b", "#ea580c"];

  function formatter(unit) {
    return function (value) {
      if (unit === "%") return value + "%";
      if (unit === "$") return "$" + Number(value).toLocaleString("en-US");
      return Number(value).toLocaleString("en-US");
    };
  }

  function datasets(payload) {
    return payload.series.map(function (serie, index) {
      var colour = serie.colour || PALETTE[index % PALETTE.length];
      var set = { label: serie.label, data: serie.values, borderColor: colour, backgroundColor: colour, borderWidth: 2 };
      if (payload.kind === "doughnut") {
        set.backgroundColor = payload.colours || payload.labels.map(function (_, i) { return PALETTE[i % PALETTE.length]; });
        set.borderColor = "#fff";
      }
      if (payload.kind === "line") {
        set.tension = 0.25;
        set.pointRadius = 2;
        set.spanGaps = true;
        set.fill = false;
      }
      return set;
    });
  }

  function draw(canvas) {
    if (canvas.getAttribute("data-drawn") === "true" || typeof window.Chart !== "function") return;
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) return;
    var payload = JSON.parse(source.textContent);
    var box = canvas.parentElement;
    box.classList.remove("d-none");
    var table = box.parentElement.querySelector(".chart-table");
    if (table) table.classList.add("visually-hidden");
    var tick = formatter(payload.unit);
    var options = {
      animation: false,
      maintainAspectRatio: false,
      plugins: { legend: { display: payload.series.length > 1 || payload.kind === "doughnut", position: "bottom", labels: { boxWidth: 12 } } },
    };
    if (payload.kind !== "doughnut") {
      options.scales = {
        x: { stacked: !!payload.stacked, ticks: { autoSkip: true, maxRotation: 0 } },
        y: { stacked: !!payload.stacked, beginAtZero: true, ticks: { callback: tick, precision: 0 } },
      };
      if (payload.unit === "%") { options.scales.y.max = 100; }
      if (payload.horizontal) { options.indexAxis = "y"; options.scales.x.ticks.callback = tick; options.scales.y.ticks = {}; }
    }
    new window.Chart(canvas, { type: payload.kind, data: { labels: payload.labels, datasets: datasets(payload) }, options: options });
    canvas.setAttribute("data-drawn", "true");
    canvas.setAttribute("data-points", String(payload.series.reduce(function (n, s) { return n + s.values.length; }, 0)));
  }

  function drawAll(root) {
    (root || document).querySelectorAll("canvas[data-chart]").forEach(draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  } else {
    drawAll(document);
  }
  document.addEventListener("htmx:load", function (event) { drawAll(event.detail.elt); });
})();
