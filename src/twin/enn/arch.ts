import type { CascadeMember } from "../cascade.js";

/**
 * Shape of one cascade member: d inputs, hidden widths, nOut linear outputs.
 * Hidden layer l reads the inputs and every earlier hidden layer (fan-in d + sum of
 * earlier widths); the output layer reads all of them.
 */
export interface CascadeArch {
  d: number;
  widths: number[];
  nOut: number;
}

/**
 * Where each layer lives in a member's flat parameter vector. Per hidden layer l:
 * weights [widths[l] x fanIn[l]] row-major at wOff[l], then biases [widths[l]] at bOff[l];
 * then the output weights [nOut x total] at outW and biases [nOut] at outB.
 */
export interface ParamLayout {
  arch: CascadeArch;
  fanIn: number[];
  wOff: number[];
  bOff: number[];
  /** d + sum(widths): width of the concatenated activation row. */
  total: number;
  outW: number;
  outB: number;
  /** Number of parameters. */
  size: number;
}

/** The flat layout of an architecture. */
export function paramLayout(arch: CascadeArch): ParamLayout {
  const fanIn: number[] = [];
  const wOff: number[] = [];
  const bOff: number[] = [];
  let f = arch.d;
  let off = 0;
  for (const w of arch.widths) {
    fanIn.push(f);
    wOff.push(off);
    off += w * f;
    bOff.push(off);
    off += w;
    f += w;
  }
  const outW = off;
  off += arch.nOut * f;
  const outB = off;
  off += arch.nOut;
  return { arch, fanIn, wOff, bOff, total: f, outW, outB, size: off };
}

/** Multiply-adds of one forward pass for one row. */
export function forwardMacs(arch: CascadeArch): number {
  const L = paramLayout(arch);
  return arch.widths.reduce((s, w, l) => s + w * L.fanIn[l], 0) + arch.nOut * L.total;
}

/** Flat parameters -> the nested-array member of the published/JSON format. */
export function toCascadeMember(layout: ParamLayout, p: ArrayLike<number>): CascadeMember {
  const rows = (off: number, nRows: number, nCols: number): number[][] =>
    Array.from({ length: nRows }, (_, r) => Array.from({ length: nCols }, (_, c) => p[off + r * nCols + c]));
  const vec = (off: number, len: number): number[] => Array.from({ length: len }, (_, i) => p[off + i]);
  return {
    type: "cascade",
    hidden: layout.arch.widths.map((w, l) => ({ weight: rows(layout.wOff[l], w, layout.fanIn[l]), bias: vec(layout.bOff[l], w) })),
    output: { weight: rows(layout.outW, layout.arch.nOut, layout.total), bias: vec(layout.outB, layout.arch.nOut) },
  };
}

/** A nested-array member -> its architecture and flat parameters (float64). Shapes must already be checked. */
export function fromCascadeMember(m: CascadeMember, d: number): { layout: ParamLayout; params: Float64Array } {
  const layout = paramLayout({ d, widths: m.hidden.map((l) => l.bias.length), nOut: m.output.bias.length });
  const p = new Float64Array(layout.size);
  const put = (off: number, weight: number[][], bias: number[], bOff: number): void => {
    let k = off;
    for (const row of weight) for (const v of row) p[k++] = v;
    bias.forEach((v, i) => (p[bOff + i] = v));
  };
  m.hidden.forEach((l, i) => put(layout.wOff[i], l.weight, l.bias, layout.bOff[i]));
  put(layout.outW, m.output.weight, m.output.bias, layout.outB);
  return { layout, params: p };
}
