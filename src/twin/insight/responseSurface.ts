import type { Twin } from "../twin.js";

/** A level at which the inputs not on a surface's axes are held. */
export interface HeldLevel {
  /** "low", "medium", "high". */
  label: string;
  /** Fraction of each held input's range: value = lo + fraction (hi - lo). */
  fraction: number;
  /** Hold the inputs at these physical values instead (e.g. the best condition); `fraction` is then ignored. */
  values?: Record<string, number>;
}

/**
 * Default held levels: 10 %, 50 % and 90 % of each range, so the held inputs stay
 * where the Latin-hypercube data lies rather than at the corners of the box.
 */
export const DEFAULT_LEVELS: readonly HeldLevel[] = [
  { label: "low", fraction: 0.1 },
  { label: "medium", fraction: 0.5 },
  { label: "high", fraction: 0.9 },
];

/** Predicted PLQY (or a surface model's target) on a grid over two inputs, others held fixed. */
export interface SurfaceGrid {
  level: HeldLevel;
  /** Held input -> value (physical units). */
  held: Record<string, number>;
  /** PLQY ensemble mean (mean over members of per-member PLQY), row-major [ny][nx]: value at (xs[i], ys[j]) is mean[j * nx + i]. */
  mean: number[];
  /** Ensemble standard deviation of the PLQY proxy (n-1), same layout. */
  std: number[];
}

/** The surfaces of one pair of inputs at every held level. */
export interface SurfacePair {
  x: string;
  y: string;
  /** Grid coordinates, physical units, length nx and ny. */
  xs: number[];
  ys: number[];
  grids: SurfaceGrid[];
}

/**
 * What surfaces are drawn of when it is not the paper twin's PLQY proxy (e.g. a problem
 * twin's objective): input names and bounds, and the target's mean and ensemble std (n-1)
 * at n points [n][d] physical units.
 */
export interface SurfaceModel {
  readonly inputs: readonly string[];
  readonly inputBounds: readonly (readonly [number, number])[];
  target(points: readonly (readonly number[])[]): { mean: ArrayLike<number>; std: ArrayLike<number> };
}

/** Options of {@link responseSurfaces}. */
export interface SurfaceOptions {
  /** Grid points per axis (default 30). */
  resolution?: number;
  levels?: readonly HeldLevel[];
}

/**
 * The pairwise response surfaces of the predicted PLQY proxy for the given inputs (the
 * paper's Fig. 6B-D uses the top three by SHAP: 3 pairs), each at every held level.
 * All grids of all pairs and levels go through ONE `twin.predict` call.
 * @param inputs  names of the inputs to pair (k names -> k(k-1)/2 pairs)
 */
export function responseSurfaces(model: Twin | SurfaceModel, inputs: readonly string[], options: SurfaceOptions = {}): SurfacePair[] {
  const twin = model;
  const target =
    "target" in model
      ? (pts: number[][]) => model.target(pts)
      : (pts: number[][]) => {
          const p = model.predict(pts);
          return { mean: p.plqyMean, std: p.plqyStd };
        };
  const g = options.resolution ?? 30;
  if (!Number.isInteger(g) || g < 2) throw new RangeError(`resolution must be an integer >= 2, got ${g}`);
  const levels = options.levels ?? DEFAULT_LEVELS;
  const idx = inputs.map((name) => {
    const k = twin.inputs.indexOf(name);
    if (k < 0) throw new RangeError(`unknown input ${name}; the twin has ${twin.inputs.join(", ")}`);
    return k;
  });
  const axis = (k: number): number[] => {
    const [lo, hi] = twin.inputBounds[k];
    return Array.from({ length: g }, (_, i) => lo + (i / (g - 1)) * (hi - lo));
  };
  const pairs: { a: number; b: number }[] = [];
  for (let p = 0; p < idx.length; p++) for (let q = p + 1; q < idx.length; q++) pairs.push({ a: idx[p], b: idx[q] });
  const points: number[][] = [];
  for (const { a, b } of pairs) {
    const xs = axis(a);
    const ys = axis(b);
    for (const level of levels) {
      const base = twin.inputBounds.map(([lo, hi], k) => level.values?.[twin.inputs[k]] ?? lo + level.fraction * (hi - lo));
      for (let j = 0; j < g; j++)
        for (let i = 0; i < g; i++) {
          const p = [...base];
          p[a] = xs[i];
          p[b] = ys[j];
          points.push(p);
        }
    }
  }
  const post = target(points);
  let off = 0;
  return pairs.map(({ a, b }) => {
    const grids = levels.map((level) => {
      const held: Record<string, number> = {};
      twin.inputs.forEach((name, k) => {
        if (k !== a && k !== b)
          held[name] = level.values?.[name] ?? twin.inputBounds[k][0] + level.fraction * (twin.inputBounds[k][1] - twin.inputBounds[k][0]);
      });
      const mean = Array.from({ length: g * g }, (_, t) => post.mean[off + t]);
      const std = Array.from({ length: g * g }, (_, t) => post.std[off + t]);
      off += g * g;
      return { level, held, mean, std };
    });
    return { x: twin.inputs[a], y: twin.inputs[b], xs: axis(a), ys: axis(b), grids };
  });
}
