/**
 * Small SVG line/point plots for the characterization commands (d3 through d3-node).
 */
import { createCanvas } from "./d3canvas.js";
import { ROLE_COLORS, seriesColor } from "./palette.js";
import { fitTitle } from "./titles.js";

/** One data series of a panel. */
export interface PlotSeries {
  name: string;
  x: readonly number[];
  y: readonly number[];
  /** Optional symmetric error bars, same length as y. */
  yErr?: readonly number[];
  /** "line" (default) or "points". */
  style?: "line" | "points";
}

/** One panel: axes, series and optional vertical marker lines. */
export interface PlotPanel {
  title: string;
  xLabel: string;
  yLabel: string;
  series: PlotSeries[];
  vlines?: { x: number; label: string }[];
  /** A shaded horizontal band (e.g. mean +- RSD of repeated references). */
  hband?: { y0: number; y1: number; label: string };
  /** y axis from 0 (default, for positive quantities) or fitted to the data (spectra). */
  yFit?: "zero" | "data";
}

/** Panels stacked vertically in one SVG document (string). */
export async function panelsSvg(title: string, panels: readonly PlotPanel[]): Promise<string> {
  const W = 640;
  const H = 260;
  const m = { top: 30, right: 130, bottom: 45, left: 75 };
  const canvas = await createCanvas(W, 30 + panels.length * H);
  const d3 = canvas.d3;
  const svg = canvas.svg.attr("font-size", 11);
  svg
    .append("text")
    .attr("x", W / 2)
    .attr("y", 18)
    .attr("text-anchor", "middle")
    .attr("font-size", 14)
    .text(fitTitle(title, 80));
  panels.forEach((p, k) => {
    const g = svg.append("g").attr("transform", `translate(${m.left},${30 + k * H + m.top})`);
    const w = W - m.left - m.right;
    const h = H - m.top - m.bottom;
    const xs = p.series.flatMap((s) => [...s.x]).concat((p.vlines ?? []).map((v) => v.x));
    const ys = p.series
      .flatMap((s) => s.y.map((y, i) => [y - (s.yErr?.[i] ?? 0), y + (s.yErr?.[i] ?? 0)]).flat())
      .concat(p.hband ? [p.hband.y0, p.hband.y1] : [])
      .filter(Number.isFinite);
    const [x0, x1] = d3.extent(xs) as [number, number];
    // Point series get room at both ends, so no marker sits on an axis.
    const xpad = p.series.some((s) => s.style === "points") ? 0.04 * (x1 - x0 || 1) : 0;
    const x = d3
      .scaleLinear()
      .domain([x0 - xpad, x1 + xpad])
      .nice()
      .range([0, w]);
    const [y0, y1] = d3.extent(ys) as [number, number];
    const pad = 0.05 * (y1 - y0 || Math.abs(y1) || 1);
    const y = d3
      .scaleLinear()
      .domain(p.yFit === "data" ? [y0 - pad, y1 + pad] : [Math.min(0, y0), y1 + pad])
      .nice()
      .range([h, 0]);
    g.append("g").attr("transform", `translate(0,${h})`).call(d3.axisBottom(x).ticks(8));
    g.append("g").call(d3.axisLeft(y).ticks(6));
    g.append("text")
      .attr("x", w / 2)
      .attr("y", h + 36)
      .attr("text-anchor", "middle")
      .text(p.xLabel);
    g.append("text")
      .attr("transform", "rotate(-90)")
      .attr("x", -h / 2)
      .attr("y", -58)
      .attr("text-anchor", "middle")
      .text(p.yLabel);
    g.append("text").attr("x", 0).attr("y", -10).attr("font-weight", "bold").text(fitTitle(p.title, 70));
    if (p.hband) {
      const b = p.hband;
      g.append("rect")
        .attr("x", 0)
        .attr("width", w)
        .attr("y", y(Math.max(b.y0, b.y1)))
        .attr("height", Math.abs(y(b.y0) - y(b.y1)))
        .attr("fill", ROLE_COLORS.reference)
        .attr("fill-opacity", 0.12);
      g.append("text")
        .attr("x", w - 4)
        .attr("y", y(Math.max(b.y0, b.y1)) - 4)
        .attr("text-anchor", "end")
        .attr("fill", "#555")
        .text(b.label);
    }
    for (const v of p.vlines ?? []) {
      g.append("line").attr("x1", x(v.x)).attr("x2", x(v.x)).attr("y1", 0).attr("y2", h).attr("stroke", "#888").attr("stroke-dasharray", "4,3");
      g.append("text")
        .attr("x", x(v.x) + 3)
        .attr("y", 10)
        .attr("fill", "#555")
        .text(v.label);
    }
    p.series.forEach((s, j) => {
      const color = seriesColor(j);
      const pts = s.x.map((xv, i) => [x(xv), y(s.y[i])] as [number, number]);
      if ((s.style ?? "line") === "line") {
        g.append("path").attr("d", d3.line()(pts)).attr("fill", "none").attr("stroke", color).attr("stroke-width", 1.5);
      }
      // Markers only for point series and points with error bars: a 1024-point spectrum is a line.
      pts.forEach(([px, py], i) => {
        const e = s.yErr?.[i];
        if (s.style === "points" || e) g.append("circle").attr("cx", px).attr("cy", py).attr("r", 2.5).attr("fill", color);
        if (e)
          g.append("line")
            .attr("x1", px)
            .attr("x2", px)
            .attr("y1", y(s.y[i] - e))
            .attr("y2", y(s.y[i] + e))
            .attr("stroke", color);
      });
      // Legend: the series' own mark (a dot for points, a short line otherwise), then its name.
      const ly = 12 + 16 * j;
      if (s.style === "points")
        g.append("circle")
          .attr("cx", w + 16)
          .attr("cy", ly - 4)
          .attr("r", 2.5)
          .attr("fill", color);
      else
        g.append("line")
          .attr("x1", w + 10)
          .attr("x2", w + 22)
          .attr("y1", ly - 4)
          .attr("y2", ly - 4)
          .attr("stroke", color)
          .attr("stroke-width", 1.5);
      g.append("text")
        .attr("x", w + 27)
        .attr("y", ly)
        .attr("fill", color)
        .text(s.name);
    });
  });
  return canvas.toString();
}
