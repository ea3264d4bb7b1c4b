// The compliance trend: draws the daily readiness scores (passed by json_script, never inline
// script: the Content-Security-Policy forbids it) as a line chart, and hides the table it
// replaces. Without JavaScript, or if Chart.js did not load, the table stays.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("compliance-trend-data");
    var canvas = document.getElementById("compliance-trend");
    if (!source || !canvas || typeof window.Chart !== "function") {
      return;
    }
    var points = JSON.parse(source.textContent);
    var holder = canvas.parentElement;
    holder.classList.remove("d-none");
    var table = document.querySelector(".compliance-trend-table");
    if (table) {
      table.classList.add("visually-hidden");
    }
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: points.map(function (point) { return point.day; }),
        datasets: [{
          label: "Readiness %",
          data: points.map(function (point) { return point.score; }),
          borderColor: "#0d6efd",
          tension: 0.2,
          spanGaps: true,
        }],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { y: { min: 0, max: 100, ticks: { callback: function (value) { return value + "%"; } } } },
      },
    });
    canvas.setAttribute("data-drawn", "true");
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
