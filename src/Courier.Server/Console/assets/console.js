// Courier console: the uPlot charts. Each <div class="chart" data-series="throughput|failures|lag"
// data-source="/v1/types/history[?type=T]"> is drawn from that history and updated in place every 10 s (one request
// per page per tick, shared by the page's charts). htmx does the rest (the tables' polling, the forms).
(function () {
  "use strict";
  var titles = { throughput: "executions/s", failures: "failed attempts/s", lag: "lag (records)" };
  var colors = { throughput: "#2f6fde", failures: "#d0453a", lag: "#8a5cc2" };

  function options(el, series) {
    return {
      width: Math.max(el.clientWidth, 240),
      height: 160,
      legend: { show: true, live: false },
      scales: { x: { time: true }, y: { range: function (u, min, max) { return [0, Math.max(max, 1)]; } } },
      series: [{}, { label: titles[series], stroke: colors[series], fill: colors[series] + "22", width: 1.5 }],
      axes: [{}, { size: 50 }],
    };
  }

  function load(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(url + ": " + r.status); }
      return r.json();
    });
  }

  function start() {
    var charts = Array.prototype.slice.call(document.querySelectorAll("div.chart[data-series]"));
    if (charts.length === 0 || typeof uPlot === "undefined") { return; }
    var source = charts[0].getAttribute("data-source");
    var plots = [];
    function draw(history) {
      charts.forEach(function (el, i) {
        var series = el.getAttribute("data-series");
        var data = [history.times, history[series]];
        if (plots[i]) { plots[i].setData(data); }
        else { el.textContent = ""; plots[i] = new uPlot(options(el, series), data, el); }
      });
      document.body.setAttribute("data-charts-updated", String(history.times.length));
    }
    function tick() { if (document.hidden && plots.length > 0) { return; } load(source).then(draw).catch(function (e) { console.warn("courier charts:", e); }); }
    tick();
    setInterval(tick, 10000);
    window.addEventListener("resize", function () {
      plots.forEach(function (p, i) { if (p) { p.setSize({ width: Math.max(charts[i].clientWidth, 240), height: 160 }); } });
    });
  }

  // An htmx request that failed (403 for a read-only token, 409, a dispatcher gone) says so instead of doing nothing.
  function failed(event) {
    var xhr = event.detail && event.detail.xhr;
    var text = xhr && xhr.status ? xhr.status + " " + (xhr.responseText || xhr.statusText || "").slice(0, 300) : "the dispatcher did not answer";
    var box = document.getElementById("console-error");
    if (!box) {
      box = document.createElement("div");
      box.id = "console-error";
      box.className = "notice error";
      box.setAttribute("role", "alert");
      var main = document.querySelector("main");
      main.insertBefore(box, main.firstChild);
    }
    box.textContent = "Request failed: " + text;
  }

  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
