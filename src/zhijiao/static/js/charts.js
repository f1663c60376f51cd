/* Draws the data page's bar charts with ECharts from the JSON block the server rendered.
   The tables next to each chart hold the same figures, so nothing is lost without JavaScript. */
(function () {
  "use strict";

  var FONT =
    '-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", ' +
    '"Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", sans-serif';

  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  /* Category names wrap within at most ~40% of the chart, so a long (often English) name never squeezes
     the bars to nothing on a narrow screen. */
  function barOption(series, chartWidth) {
    var labelWidth = Math.max(72, Math.floor(chartWidth * 0.4));
    return {
      animation: !still,
      animationDuration: 400,
      textStyle: { fontFamily: FONT, color: "#1f2937" },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", minInterval: 1, axisLabel: { color: "#4b5563" } },
      yAxis: {
        type: "category",
        inverse: true,
        data: series.labels,
        axisLabel: { color: "#1f2937", width: labelWidth, overflow: "break", lineHeight: 16 },
        axisTick: { show: false }
      },
      series: [
        {
          type: "bar",
          data: series.values,
          barMaxWidth: 22,
          itemStyle: { color: "#1a56db", borderRadius: [0, 4, 4, 0] },
          label: { show: true, position: "right", color: "#1f2937", fontSize: 13 }
        }
      ]
    };
  }

  function draw() {
    var source = document.getElementById("chart-data");
    if (!source || typeof window.echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var series = data[element.getAttribute("data-chart")];
      if (!series) {
        return;
      }
      element.hidden = false;
      var chart = window.echarts.init(element, null, { renderer: "canvas" });
      chart.setOption(barOption(series, element.clientWidth));
      charts.push(chart);
    });
    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(function () {
        charts.forEach(function (chart) {
          chart.resize();
          var width = Math.max(72, Math.floor(chart.getWidth() * 0.4));
          chart.setOption({ yAxis: { axisLabel: { width: width } } });
        });
      }, 150);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
