/* Draws the data page's charts (bars, the daily trend line, pies) with ECharts from the JSON block the server
   rendered. The tables next to each chart hold the same figures, so nothing is lost without JavaScript.
   A series is {labels, values} for bars, {kind: "pie", labels, values} for a pie and
   {kind: "line", labels, series: [{name, values}, …]} for lines. */
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

  var PALETTE = ["#1a56db", "#e3a008", "#0e9f6e", "#d61f69", "#7e3af2", "#ff5a1f", "#0694a2"];

  function lineOption(series) {
    return {
      animation: !still,
      animationDuration: 400,
      color: PALETTE,
      textStyle: { fontFamily: FONT, color: "#1f2937" },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: series.series.map(function (line) { return line.name; }) },
      xAxis: { type: "category", boundaryGap: false, data: series.labels, axisLabel: { color: "#4b5563" } },
      yAxis: { type: "value", minInterval: 1, axisLabel: { color: "#4b5563" } },
      series: series.series.map(function (line) {
        return { type: "line", name: line.name, data: line.values, showSymbol: false, smooth: false };
      })
    };
  }

  function pieOption(series, chartWidth) {
    var narrow = chartWidth < 480;
    return {
      animation: !still,
      animationDuration: 400,
      color: PALETTE,
      textStyle: { fontFamily: FONT, color: "#1f2937" },
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: narrow ? { bottom: 0, type: "scroll" } : { orient: "vertical", left: 0, top: "middle", type: "scroll" },
      series: [
        {
          type: "pie",
          radius: narrow ? ["30%", "58%"] : ["38%", "70%"],
          center: narrow ? ["50%", "42%"] : ["62%", "50%"],
          label: { show: !narrow, formatter: "{b}\n{d}%" },
          data: series.labels.map(function (label, index) {
            return { name: label, value: series.values[index] };
          })
        }
      ]
    };
  }

  function optionFor(series, chartWidth) {
    if (series.kind === "line") {
      return lineOption(series);
    }
    if (series.kind === "pie") {
      return pieOption(series, chartWidth);
    }
    return barOption(series, chartWidth);
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
      chart.setOption(optionFor(series, element.clientWidth));
      chart.zhijiaoKind = series.kind || "bar";
      charts.push(chart);
    });
    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(function () {
        charts.forEach(function (chart) {
          chart.resize();
          if (chart.zhijiaoKind === "bar") {
            var width = Math.max(72, Math.floor(chart.getWidth() * 0.4));
            chart.setOption({ yAxis: { axisLabel: { width: width } } });
          }
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
