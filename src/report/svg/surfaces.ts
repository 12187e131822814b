import { fitTitle } from "./titles.js";
import { ROLE_COLORS, surfaceColorScale } from "./palette.js";
import { axisLabel, createCanvas, drawColorBar } from "./d3canvas.js";
import type { SurfacePair } from "../../twin/insight/responseSurface.js";

/** Options of {@link surfacesSvg}. */
export interface SurfaceSvgOptions {
  /** "mean": predicted PLQY; "std": its ensemble standard deviation. */
  layer: "mean" | "std";
  title: string;
  /** Input name -> unit, for axis labels. */
  units: Record<string, string>;
  /** What the surfaces show, for the colour bar (default "PLQY proxy"). */
  quantity?: string;
  /** Filled contour levels (default 12). */
  levels?: number;
  /** Measured conditions, drawn as small rings on every panel (projected onto its two axes). */
  points?: readonly Record<string, number>[];
  /** The best condition, drawn as a cross on every panel. */
  optimum?: Record<string, number>;
}

/**
 * Filled-contour response surfaces (paper Fig. 6B-D): one row per input pair, one
 * column per held level, one shared colour scale with a labelled colour bar, axes in
 * physical units. Contours come from d3.contours on each grid.
 */
export async function surfacesSvg(pairs: readonly SurfacePair[], opts: SurfaceSvgOptions): Promise<string> {
  const pw = 210,
    ph = 170;
  const m = { left: 64, right: 16, top: 40, bottom: 44 };
  const cellW = m.left + pw + m.right;
  const cellH = m.top + ph + m.bottom;
  const nCols = Math.max(1, ...pairs.map((p) => p.grids.length));
  const header = 44;
  const W = nCols * cellW + 130;
  const H = header + pairs.length * cellH;
  const c = await createCanvas(W, H);
  const { d3, svg } = c;
  const field = (g: SurfacePair["grids"][number]): number[] => (opts.layer === "mean" ? g.mean : g.std);
  const values = pairs.flatMap((p) => p.grids.flatMap(field));
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (!(hi > lo)) hi = lo + (Math.abs(lo) || 1) * 1e-6;
  const thresholds: number[] = d3.ticks(lo, hi, opts.levels ?? 12);
  lo = Math.min(lo, thresholds[0]);
  const color = surfaceColorScale(d3, [lo, hi]);
  const contourLevels = [lo, ...thresholds.filter((t) => t > lo)];
  svg
    .append("text")
    .attr("x", 12)
    .attr("y", 24)
    .attr("font-weight", "bold")
    .attr("font-size", 14)
    .text(fitTitle(opts.title, Math.floor(W / 8.5)));
  const fmt = d3.format(".3~g");
  pairs.forEach((pair, row) => {
    pair.grids.forEach((grid, col) => {
      const ox = col * cellW + m.left;
      const oy = header + row * cellH + m.top;
      const nx = pair.xs.length,
        ny = pair.ys.length;
      const x = d3
        .scaleLinear()
        .domain([pair.xs[0], pair.xs[nx - 1]])
        .range([ox, ox + pw]);
      const y = d3
        .scaleLinear()
        .domain([pair.ys[0], pair.ys[ny - 1]])
        .range([oy + ph, oy]);
      // d3.contours puts sample i at grid coordinate i + 0.5.
      const gx = (u: number): number => x(pair.xs[0] + ((u - 0.5) / (nx - 1)) * (pair.xs[nx - 1] - pair.xs[0]));
      const gy = (v: number): number => y(pair.ys[0] + ((v - 0.5) / (ny - 1)) * (pair.ys[ny - 1] - pair.ys[0]));
      const path = d3.geoPath(
        d3.geoTransform({
          point(this: { stream: { point(a: number, b: number): void } }, u: number, v: number) {
            this.stream.point(gx(u), gy(v));
          },
        }),
      );
      const clipId = `clip-${opts.layer}-${row}-${col}`;
      svg.append("clipPath").attr("id", clipId).append("rect").attr("x", ox).attr("y", oy).attr("width", pw).attr("height", ph);
      const g = svg.append("g").attr("clip-path", `url(#${clipId})`);
      const contours = d3.contours().size([nx, ny]).thresholds(contourLevels)(field(grid));
      for (const ct of contours) g.append("path").attr("d", path(ct)).attr("fill", color(ct.value)).attr("stroke", "none");
      for (const p of opts.points ?? [])
        g.append("circle")
          .attr("cx", x(p[pair.x]))
          .attr("cy", y(p[pair.y]))
          .attr("r", 2.2)
          .attr("fill", "none")
          .attr("stroke", "#fff")
          .attr("stroke-width", 0.8);
      if (opts.optimum) {
        const [cx, cy] = [x(opts.optimum[pair.x]), y(opts.optimum[pair.y])];
        g.append("path")
          .attr("d", `M${cx - 6},${cy}H${cx + 6}M${cx},${cy - 6}V${cy + 6}`)
          .attr("stroke", ROLE_COLORS.best)
          .attr("stroke-width", 2.5);
        g.append("circle").attr("cx", cx).attr("cy", cy).attr("r", 6).attr("fill", "none").attr("stroke", ROLE_COLORS.optimum).attr("stroke-width", 1.2);
      }
      svg.append("rect").attr("x", ox).attr("y", oy).attr("width", pw).attr("height", ph).attr("fill", "none").attr("stroke", "#333");
      svg
        .append("g")
        .attr("transform", `translate(0,${oy + ph})`)
        .call(d3.axisBottom(x).ticks(5));
      svg.append("g").attr("transform", `translate(${ox},0)`).call(d3.axisLeft(y).ticks(5));
      svg
        .append("text")
        .attr("x", ox + pw / 2)
        .attr("y", oy + ph + 34)
        .attr("text-anchor", "middle")
        .text(axisLabel(pair.x, opts.units[pair.x] ?? ""));
      svg
        .append("text")
        .attr("transform", `translate(${ox - 44},${oy + ph / 2}) rotate(-90)`)
        .attr("text-anchor", "middle")
        .text(axisLabel(pair.y, opts.units[pair.y] ?? ""));
      svg
        .append("text")
        .attr("x", ox)
        .attr("y", oy - 22)
        .attr("font-weight", "bold")
        .text(grid.level.values ? `others at the ${grid.level.label}` : `others ${grid.level.label} (${Math.round(grid.level.fraction * 100)} % of range)`);
      const held = Object.entries(grid.held)
        .map(([n, v]) => `${n} ${fmt(v)}${opts.units[n] ? " " + opts.units[n] : ""}`)
        .join(", ");
      svg
        .append("text")
        .attr("x", ox)
        .attr("y", oy - 8)
        .attr("font-size", 9)
        .attr("fill", "#444")
        .text(held);
    });
  });
  drawColorBar(c, {
    x: nCols * cellW + 10,
    y: header + m.top,
    height: Math.min(320, H - header - m.top - m.bottom),
    domain: [lo, hi],
    color: (v) => color(v),
    id: `surface-bar-${opts.layer}`,
    label: opts.layer === "mean" ? `predicted ${opts.quantity ?? "PLQY proxy"} (ensemble mean)` : `${opts.quantity ?? "PLQY proxy"} ensemble std`,
  });
  return c.toString();
}
