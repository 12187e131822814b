import { fitTitle } from "./titles.js";
import { createCanvas } from "./d3canvas.js";
import { seriesColor } from "./palette.js";

/** One group of points on a parity plot (e.g. training or validation rows). */
export interface ParityGroup {
  name: string;
  measured: readonly number[];
  predicted: ArrayLike<number>;
  /** Error bar half-length per point (ensemble standard deviation). */
  std: ArrayLike<number>;
  color?: string;
}

/**
 * Parity plot as a standalone SVG: predicted ensemble mean (y) against the measured value
 * (x), error bars of +-1 ensemble standard deviation, the y = x line, one colour per group
 * (as in the paper's Fig. 5).
 */
export async function paritySvg(groups: readonly ParityGroup[], opts: { title: string; label: string; width?: number; height?: number }): Promise<string> {
  const W = opts.width ?? 520;
  const H = opts.height ?? 520;
  const canvas = await createCanvas(W, H);
  const d3 = canvas.d3;
  const m = { top: 40, right: 24, bottom: 56, left: 72 };
  const svg = canvas.svg;
  const all: number[] = [];
  for (const g of groups) g.measured.forEach((v, i) => all.push(v, g.predicted[i] - g.std[i], g.predicted[i] + g.std[i]));
  const [lo, hi] = d3.extent(all.filter(Number.isFinite)) as [number, number];
  const pad = (hi - lo) * 0.05 || 0.01;
  const dom = [lo - pad, hi + pad];
  const x = d3
    .scaleLinear()
    .domain(dom)
    .range([m.left, W - m.right]);
  const y = d3
    .scaleLinear()
    .domain(dom)
    .range([H - m.bottom, m.top]);
  svg
    .append("g")
    .attr("transform", `translate(0,${H - m.bottom})`)
    .call(d3.axisBottom(x).ticks(6));
  svg.append("g").attr("transform", `translate(${m.left},0)`).call(d3.axisLeft(y).ticks(6));
  svg
    .append("line")
    .attr("x1", x(dom[0]))
    .attr("y1", y(dom[0]))
    .attr("x2", x(dom[1]))
    .attr("y2", y(dom[1]))
    .attr("stroke", "#888")
    .attr("stroke-dasharray", "4 4");
  groups.forEach((g, k) => {
    const color = g.color ?? seriesColor(k);
    const layer = svg.append("g").attr("class", `group-${k}`);
    g.measured.forEach((mv, i) => {
      const p = g.predicted[i];
      const s = g.std[i];
      layer
        .append("line")
        .attr("x1", x(mv))
        .attr("x2", x(mv))
        .attr("y1", y(p - s))
        .attr("y2", y(p + s))
        .attr("stroke", color)
        .attr("stroke-width", 1);
      layer.append("circle").attr("cx", x(mv)).attr("cy", y(p)).attr("r", 3.5).attr("fill", color).attr("fill-opacity", 0.8);
    });
    svg
      .append("circle")
      .attr("cx", m.left + 14)
      .attr("cy", m.top + 8 + 18 * k)
      .attr("r", 4)
      .attr("fill", color);
    svg
      .append("text")
      .attr("x", m.left + 24)
      .attr("y", m.top + 12 + 18 * k)
      .text(`${g.name} (n = ${g.measured.length})`);
  });
  svg
    .append("text")
    .attr("x", W / 2)
    .attr("y", 22)
    .attr("text-anchor", "middle")
    .attr("font-size", 14)
    .text(fitTitle(opts.title, Math.floor(W / 7.5)));
  svg
    .append("text")
    .attr("x", (m.left + W - m.right) / 2)
    .attr("y", H - 14)
    .attr("text-anchor", "middle")
    .text(`measured ${opts.label}`);
  svg
    .append("text")
    .attr("transform", `translate(18,${(m.top + H - m.bottom) / 2}) rotate(-90)`)
    .attr("text-anchor", "middle")
    .text(`predicted ${opts.label} (mean +- 1 std)`);
  return canvas.toString();
}
