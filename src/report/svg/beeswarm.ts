import { fitTitle } from "./titles.js";
import { lowHighColor } from "./palette.js";
import { axisLabel, createCanvas, drawColorBar } from "./d3canvas.js";
import type { OutputExplanation } from "../../twin/insight/explainTwin.js";

/** Options of {@link beeswarmSvg}. */
export interface BeeswarmOptions {
  /** Title above the plot. */
  title: string;
  /** Label of the SHAP axis, e.g. "SHAP value (impact on PLQY proxy)". */
  xLabel: string;
  /** Unit per input, same order as the explanation's inputs. */
  units?: readonly string[];
  width?: number;
}

/**
 * SHAP summary (beeswarm) plot like the paper's Fig. 6A: one row per input in ranking
 * order (most important on top), a dot per explained point at its SHAP value, coloured
 * by the point's input value relative to the other points (low blue, high red),
 * dodged vertically so dots do not overlap.
 * @param e  one output's explanation; `X` gives the input values, shape [n][d]
 */
export async function beeswarmSvg(e: OutputExplanation, X: readonly (readonly number[])[], opts: BeeswarmOptions): Promise<string> {
  const rowH = 64;
  const m = { top: 44, right: 110, bottom: 52, left: 150 };
  const W = opts.width ?? 760;
  const H = m.top + m.bottom + rowH * e.ranking.length;
  const c = await createCanvas(W, H);
  const { d3, svg } = c;
  const all = e.values.flat();
  const ext = Math.max(1e-300, ...all.map(Math.abs));
  const x = d3
    .scaleLinear()
    .domain([-ext, ext])
    .nice()
    .range([m.left, W - m.right]);
  svg
    .append("text")
    .attr("x", m.left)
    .attr("y", 22)
    .attr("font-weight", "bold")
    .text(fitTitle(opts.title, Math.floor((W - m.left) / 7)));
  svg
    .append("line")
    .attr("x1", x(0))
    .attr("x2", x(0))
    .attr("y1", m.top - 6)
    .attr("y2", H - m.bottom)
    .attr("stroke", "#999")
    .attr("stroke-dasharray", "3 3");
  svg
    .append("g")
    .attr("transform", `translate(0,${H - m.bottom})`)
    .call(d3.axisBottom(x).ticks(7, "~g"));
  svg
    .append("text")
    .attr("x", (m.left + W - m.right) / 2)
    .attr("y", H - 12)
    .attr("text-anchor", "middle")
    .text(opts.xLabel);
  const r = 3.2;
  e.ranking.forEach((name, row) => {
    const k = e.inputs.indexOf(name);
    const cy = m.top + rowH * row + rowH / 2;
    const unit = opts.units?.[k];
    svg
      .append("text")
      .attr("x", m.left - 10)
      .attr("y", cy - 2)
      .attr("text-anchor", "end")
      .attr("font-weight", "bold")
      .text(axisLabel(name, unit ?? ""));
    svg
      .append("text")
      .attr("x", m.left - 10)
      .attr("y", cy + 13)
      .attr("text-anchor", "end")
      .attr("fill", "#555")
      .attr("font-size", 10)
      .text(`mean |SHAP| ${d3.format(".3~g")(e.meanAbs[name])}`);
    svg
      .append("line")
      .attr("x1", m.left)
      .attr("x2", W - m.right)
      .attr("y1", cy)
      .attr("y2", cy)
      .attr("stroke", "#eee");
    const xs = X.map((p) => p[k]);
    const lo = Math.min(...xs);
    const hi = Math.max(...xs);
    const dots = e.values.map((v, i) => ({ px: x(v[k]), t: hi > lo ? (xs[i] - lo) / (hi - lo) : 0.5 }));
    for (const d of dodge(
      dots.map((p) => p.px),
      r * 2,
      rowH / 2 - r,
    )) {
      svg
        .append("circle")
        .attr("cx", dots[d.i].px)
        .attr("cy", cy + d.offset)
        .attr("r", r)
        .attr("fill", lowHighColor(dots[d.i].t))
        .attr("fill-opacity", 0.85);
    }
  });
  drawColorBar(c, {
    x: W - m.right + 24,
    y: m.top,
    height: Math.min(200, H - m.top - m.bottom),
    domain: [0, 1],
    color: lowHighColor,
    label: "input value",
    id: "beeswarm-value",
    tickLabels: ["low", "high"],
  });
  return c.toString();
}

/**
 * Beeswarm layout: place dots in order of x; each goes to the smallest vertical offset
 * (0, +s, -s, +2s, ...) not colliding with an already placed dot, clamped to +-maxOffset.
 * @returns offsets (pixels) by dot index
 */
export function dodge(px: readonly number[], diameter: number, maxOffset: number): { i: number; offset: number }[] {
  const order = px.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const placed: { x: number; y: number }[] = [];
  const out: { i: number; offset: number }[] = [];
  for (const { v, i } of order) {
    let offset = 0;
    for (let step = 0; step < 200; step++) {
      const cand = step === 0 ? 0 : Math.ceil(step / 2) * (step % 2 ? 1 : -1) * (diameter / 2);
      const free = placed.every((p) => (p.x - v) ** 2 + (p.y - cand) ** 2 >= diameter * diameter * 0.9);
      if (free) {
        offset = cand;
        break;
      }
    }
    offset = Math.max(-maxOffset, Math.min(maxOffset, offset));
    placed.push({ x: v, y: offset });
    out.push({ i, offset });
  }
  return out;
}
