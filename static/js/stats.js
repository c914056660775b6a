// นิเทศ Online: charts of the statistics and survey pages. Every <canvas data-chart='{...}'>
// becomes a Chart.js chart; data come from the server in that attribute (no inline script).
(function () {
  "use strict";

  var PALETTE = ["#1f4e8c", "#f0a500", "#2e9d6b", "#c8553d", "#6f42c1", "#20a4c8", "#8a8d91", "#d63384"];

  function color(index, alpha) {
    var hex = PALETTE[index % PALETTE.length];
    if (alpha === undefined) { return hex; }
    var r = parseInt(hex.slice(1, 3), 16), g = parseInt(hex.slice(3, 5), 16), b = parseInt(hex.slice(5, 7), 16);
    return "rgba(" + r + "," + g + "," + b + "," + alpha + ")";
  }

  function buildConfig(spec) {
    var type = spec.type || "bar";
    var round = type === "doughnut" || type === "pie";
    var datasets = (spec.datasets || []).map(function (dataset, index) {
      var styled = { label: dataset.label, data: dataset.data };
      if (round) {
        styled.backgroundColor = dataset.data.map(function (_, i) { return color(i); });
      } else {
        styled.backgroundColor = color(index, type === "line" ? 0.15 : 0.85);
        styled.borderColor = color(index);
        styled.borderWidth = 2;
        styled.fill = type === "line";
        styled.tension = 0.25;
        styled.pointRadius = spec.labels.length > 40 ? 0 : 3;
      }
      return styled;
    });
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { position: round ? "right" : "bottom" } }
    };
    if (!round) {
      options.scales = { y: { beginAtZero: true, ticks: { precision: 0 } } };
      if (spec.horizontal) {
        options.indexAxis = "y";
        options.scales = { x: { beginAtZero: true, ticks: { precision: 0 } } };
      }
      if (spec.max) {
        var axis = spec.horizontal ? "x" : "y";
        options.scales[axis].max = spec.max;
        options.scales[axis].ticks.precision = 2;
      }
    }
    return { type: type, data: { labels: spec.labels, datasets: datasets }, options: options };
  }

  function drawCharts() {
    if (typeof window.Chart === "undefined") { return; }
    window.Chart.defaults.font.family = "Sarabun, Tahoma, sans-serif";
    window.Chart.defaults.font.size = 13;
    var canvases = document.querySelectorAll("canvas[data-chart]");
    Array.prototype.forEach.call(canvases, function (canvas) {
      try {
        var spec = JSON.parse(canvas.getAttribute("data-chart"));
        new window.Chart(canvas, buildConfig(spec));
      } catch (error) {
        canvas.insertAdjacentText("afterend", "แสดงแผนภูมิไม่ได้");
      }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".js-print");
    if (button) { window.print(); }
    var copy = event.target.closest && event.target.closest(".js-copy");
    if (copy) {
      var input = document.getElementById(copy.getAttribute("data-target"));
      if (input) {
        input.select();
        var done = function () { copy.textContent = "คัดลอกแล้ว"; };
        if (navigator.clipboard) { navigator.clipboard.writeText(input.value).then(done, done); } else { document.execCommand("copy"); done(); }
      }
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawCharts);
  } else {
    drawCharts();
  }
})();
