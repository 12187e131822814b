/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * d3 in Node through d3-node (a jsdom document). d3-node ships no type declarations,
 * so it is loaded untyped; a variable specifier keeps tsc from resolving it.
 */
export interface D3Canvas {
  /** d3 v7 (scales, axes, contours, geoPath). */
  d3: any;
  /** The <svg> selection, already sized and with a white background. */
  svg: any;
  /** The finished SVG document text. */
  toString(): string;
}

type D3NodeModule = { D3Node: new (o?: Record<string, unknown>) => any };
let d3node: Promise<D3NodeModule> | undefined;

/**
 * The one place sdfl loads d3-node (d3 on a jsdom document), once per process and only
 * when a figure is drawn: jsdom takes about a second to load.
 */
export function loadD3Node(): Promise<D3NodeModule> {
  const name = "d3-node";
  d3node ??= import(name) as Promise<D3NodeModule>;
  return d3node;
}

/** Create a blank W x H SVG (pixels) with a white background and sans-serif text. */
export async function createCanvas(width: number, height: number): Promise<D3Canvas> {
  const { D3Node } = await loadD3Node();
  const d3n = new D3Node();
  const svg = d3n.createSVG(width, height).attr("viewBox", `0 0 ${width} ${height}`).attr("font-family", "sans-serif").attr("font-size", 12);
  svg.append("rect").attr("width", width).attr("height", height).attr("fill", "white");
  return { d3: d3n.d3, svg, toString: () => d3n.svgString() };
}

/**
 * A vertical colour bar at (x, y), `height` pixels tall, with ticks and a rotated label.
 * `color` maps a value in `domain` to a CSS colour; `id` must be unique in the document.
 */
export function drawColorBar(
  c: D3Canvas,
  opts: {
    x: number;
    y: number;
    height: number;
    domain: [number, number];
    color: (v: number) => string;
    label: string;
    id: string;
    tickLabels?: [string, string];
  },
): void {
  const { d3, svg } = c;
  const w = 14;
  const grad = svg.append("defs").append("linearGradient").attr("id", opts.id).attr("x1", 0).attr("y1", 1).attr("x2", 0).attr("y2", 0);
  for (let i = 0; i <= 20; i++) {
    const v = opts.domain[0] + (i / 20) * (opts.domain[1] - opts.domain[0]);
    grad
      .append("stop")
      .attr("offset", `${i * 5}%`)
      .attr("stop-color", opts.color(v));
  }
  const g = svg.append("g").attr("class", "colorbar");
  g.append("rect")
    .attr("x", opts.x)
    .attr("y", opts.y)
    .attr("width", w)
    .attr("height", opts.height)
    .attr("fill", `url(#${opts.id})`)
    .attr("stroke", "#444")
    .attr("stroke-width", 0.5);
  if (opts.tickLabels) {
    g.append("text")
      .attr("x", opts.x + w + 4)
      .attr("y", opts.y + 10)
      .text(opts.tickLabels[1]);
    g.append("text")
      .attr("x", opts.x + w + 4)
      .attr("y", opts.y + opts.height)
      .text(opts.tickLabels[0]);
  } else {
    const s = d3
      .scaleLinear()
      .domain(opts.domain)
      .range([opts.y + opts.height, opts.y]);
    g.append("g")
      .attr("transform", `translate(${opts.x + w},0)`)
      .call(d3.axisRight(s).ticks(6, "~g"));
  }
  g.append("text")
    .attr("transform", `translate(${opts.x + w + (opts.tickLabels ? 20 : 52)},${opts.y + opts.height / 2}) rotate(90)`)
    .attr("text-anchor", "middle")
    .text(opts.label);
}

/** Axis label "name (unit)", or just the name when the unit is empty. */
export function axisLabel(name: string, unit: string): string {
  return unit ? `${name} (${unit})` : name;
}
