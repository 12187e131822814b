import type { ChartSpec } from "../../bo/plots/chartSpec.js";
import { createCanvas } from "./d3canvas.js";
import { ROLE_COLORS, seriesColor } from "./palette.js";
import { fitTitle, wrapText } from "./titles.js";

export type { ChartSeries, ChartSpec } from "../../bo/plots/chartSpec.js";

/** Render a chart to a standalone SVG document (d3 via d3-node). */
export async function lineChartSvg(spec: ChartSpec): Promise<string> {
  const m0 = { top: 36, right: 150, bottom: 48, left: 64 };
  const W = spec.width ?? 720;
  const H = spec.height ?? 420;
  const canvas = await createCanvas(W, H);
  const d3 = canvas.d3;
  const subtitle = spec.subtitle ? wrapText(spec.subtitle, Math.floor((W - m0.left) / 6), 3) : [];
  const m = { ...m0, top: 36 + 14 * subtitle.length };
  const svg = canvas.svg;
  const xs = spec.series.flatMap((s) => s.x);
  const ys = spec.series.flatMap((s) => [...s.y, ...(s.band ? [...s.band.lo, ...s.band.hi] : [])]).filter(Number.isFinite);
  if (spec.hline) ys.push(spec.hline.y);
  const [ylo, yhi] = spec.yDomain ?? padded(d3.extent(ys) as [number, number]);
  const [xlo, xhi] = d3.extent(xs.length ? xs : [0, 1]) as [number, number];
  const dotPad = spec.integerX && spec.series.some((s) => s.dots) ? 0.5 : 0;
  // Room left of a vertical line at the first x, so the line and the first points are off the axis.
  // Room left of a dot on the first whole number too, so it does not sit on the axis.
  const xpad = Math.max(spec.vline && spec.vline.x <= xlo ? 0.03 * (xhi - xlo || 1) : 0, dotPad);
  // Step series hold their last value for half a step past the last point, so it shows as a segment (not only a vertical drop).
  const tail = Math.max(dotPad, spec.series.some((s) => s.step) ? (spec.integerX ? 0.5 : 0.02 * (xhi - xlo || 1)) : 0);
  const x = d3
    .scaleLinear()
    .domain([xlo - xpad, xhi + tail])
    .range([m.left, W - m.right]);
  const y = d3
    .scaleLinear()
    .domain([ylo, yhi])
    .nice()
    .range([H - m.bottom, m.top]);
  const g = svg.append("g");
  if (spec.shade) {
    // Clamped to the plot area: the shade never spills over the axis.
    const sx0 = Math.max(m.left, x(spec.shade.x0));
    const sx1 = Math.min(W - m.right, x(spec.shade.x1));
    g.append("rect")
      .attr("x", sx0)
      .attr("y", m.top)
      .attr("width", Math.max(0, sx1 - sx0))
      .attr("height", H - m.top - m.bottom)
      .attr("fill", ROLE_COLORS.initShade);
    g.append("text")
      .attr("x", sx0 + 4)
      .attr("y", m.top + 14)
      .attr("fill", "#666")
      .text(spec.shade.label);
  }
  const xAxis = d3.axisBottom(x);
  if (spec.integerX) {
    const [a, b] = x.domain() as [number, number];
    xAxis.tickValues(d3.ticks(a, b, Math.min(10, Math.max(1, b - a))).filter(Number.isInteger)).tickFormat(d3.format("d"));
  } else xAxis.ticks(8);
  g.append("g")
    .attr("transform", `translate(0,${H - m.bottom})`)
    .call(xAxis);
  g.append("g").attr("transform", `translate(${m.left},0)`).call(d3.axisLeft(y).ticks(6));
  svg
    .append("text")
    .attr("x", (m.left + W - m.right) / 2)
    .attr("y", H - 10)
    .attr("text-anchor", "middle")
    .text(spec.xLabel);
  svg
    .append("text")
    .attr("transform", `translate(16,${(m.top + H - m.bottom) / 2}) rotate(-90)`)
    .attr("text-anchor", "middle")
    .text(spec.yLabel);
  svg
    .append("text")
    .attr("x", m.left)
    .attr("y", 20)
    .attr("font-weight", "bold")
    .text(fitTitle(spec.title, Math.floor((W - m.left) / 7)));
  subtitle.forEach((line, k) =>
    svg
      .append("text")
      .attr("x", m.left)
      .attr("y", 36 + 14 * k)
      .attr("fill", "#555")
      .attr("font-size", "11px")
      .text(line),
  );
  if (spec.vline) {
    const vx = x(spec.vline.x);
    g.append("line")
      .attr("x1", vx)
      .attr("x2", vx)
      .attr("y1", m.top)
      .attr("y2", H - m.bottom)
      .attr("stroke", "#888")
      .attr("stroke-dasharray", "2 3");
    g.append("text")
      .attr("x", vx + 4)
      .attr("y", H - m.bottom - 6)
      .attr("fill", "#666")
      .attr("font-size", "11px")
      .text(spec.vline.label);
  }
  if (spec.hline) {
    g.append("line")
      .attr("x1", m.left)
      .attr("x2", W - m.right)
      .attr("y1", y(spec.hline.y))
      .attr("y2", y(spec.hline.y))
      .attr("stroke", "#444")
      .attr("stroke-dasharray", "4 3");
    g.append("text")
      .attr("x", W - m.right - 4)
      .attr("y", y(spec.hline.y) - 4)
      .attr("text-anchor", "end")
      .attr("fill", "#444")
      .text(spec.hline.label);
  }
  spec.series.forEach((s, k) => {
    const color = s.color ?? seriesColor(k);
    const idx = s.x.map((_, i) => i).filter((i) => Number.isFinite(s.y[i]));
    // Index -1 is the step tail: the last point's values, half a step further right.
    const last = idx[idx.length - 1];
    const path = s.step && idx.length && tail > 0 ? [...idx, -1] : idx;
    const px = (i: number) => (i < 0 ? x(s.x[last] + tail) : x(s.x[i]));
    const at = (i: number) => (i < 0 ? last : i);
    if (s.band) {
      const area = d3
        .area()
        .x(px)
        .y0((i: number) => y(s.band!.lo[at(i)]))
        .y1((i: number) => y(s.band!.hi[at(i)]));
      if (s.step) area.curve(d3.curveStepAfter);
      g.append("path").attr("d", area(path)).attr("fill", color).attr("fill-opacity", 0.18).attr("stroke", "none");
    }
    if (!s.noLine) {
      const line = d3
        .line()
        .x(px)
        .y((i: number) => y(s.y[at(i)]));
      if (s.step) line.curve(d3.curveStepAfter);
      g.append("path").attr("d", line(path)).attr("fill", "none").attr("stroke", color).attr("stroke-width", 2);
    }
    if (s.markFirst && idx.length) {
      const i = idx[0];
      g.append("circle").attr("cx", x(s.x[i])).attr("cy", y(s.y[i])).attr("r", 5).attr("fill", "white").attr("stroke", color).attr("stroke-width", 2.5);
    }
    if (s.dots) {
      for (const i of idx) g.append("circle").attr("cx", x(s.x[i])).attr("cy", y(s.y[i])).attr("r", 3).attr("fill", color).attr("fill-opacity", 0.7);
    }
    const ly = m.top + 8 + 18 * k;
    // The legend mark matches the series' marks: a dot for dots-only series, a line otherwise.
    if (s.dots && s.noLine)
      svg
        .append("circle")
        .attr("cx", W - m.right + 19)
        .attr("cy", ly - 6)
        .attr("r", 3.5)
        .attr("fill", color)
        .attr("fill-opacity", 0.7);
    else
      svg
        .append("rect")
        .attr("x", W - m.right + 12)
        .attr("y", ly - 8)
        .attr("width", 14)
        .attr("height", 4)
        .attr("fill", color);
    svg
      .append("text")
      .attr("x", W - m.right + 32)
      .attr("y", ly - 2)
      .text(s.name);
  });
  return canvas.toString();
}

function padded([lo, hi]: [number, number]): [number, number] {
  if (lo === undefined || hi === undefined) return [0, 1];
  const pad = hi > lo ? 0.05 * (hi - lo) : Math.abs(hi) * 0.1 || 1;
  return [lo - pad, hi + pad];
}
