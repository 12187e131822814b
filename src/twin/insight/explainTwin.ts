import { Rng } from "../../core/rng.js";
import { DEFAULT_SPACE } from "../space.js";
import type { Twin } from "../twin.js";
import { exactShap, EXACT_MAX_INPUTS } from "./shapExact.js";
import { kernelShap } from "./shapKernel.js";
import type { ShapValues } from "./shapResult.js";
import { summarizeShap, type ShapSummary } from "./shapSummary.js";
import { EXPLAINED_OUTPUTS, OUTPUT_DEFINITIONS, twinBlackBox, type ExplainedOutput } from "./twinBlackBox.js";

/** SHAP values of one output with their global summary. */
export type OutputExplanation = ShapValues & ShapSummary;

/** Everything `sdfl twin explain` computes about a twin. */
export interface TwinExplanation {
  /** Twin provenance. */
  twin: string;
  inputs: string[];
  /** Unit per input (degC, uL/min). */
  units: string[];
  method: "exact" | "kernel";
  /** Background rows used, shape [m][d]. */
  background: number[][];
  /** Explained points, shape [n][d] (rows of `values`). */
  X: number[][];
  /** One explanation per output: PLQY, Abs300nm, PLA. */
  outputs: Record<ExplainedOutput, OutputExplanation>;
  definitions: Record<ExplainedOutput, string>;
  /** Model evaluations and wall time (ms) of the twin call and of the whole explanation. */
  timing: { evaluations: number; predictMs: number; totalMs: number };
}

/** Options of {@link explainTwin}. */
export interface ExplainTwinOptions {
  /** Background rows, physical units [m][d] (the LHS data by default in the CLI). */
  background: readonly (readonly number[])[];
  /** Points to explain [n][d]; default: the background rows. */
  points?: readonly (readonly number[])[];
  /** Use at most this many background rows (a seeded random subset); default all. */
  maxBackground?: number;
  /** Seed for the background subset and Kernel SHAP; default 1. */
  seed?: number;
  /** "exact" (default up to 12 inputs) or "kernel". */
  method?: "exact" | "kernel";
  /** Kernel SHAP coalition draws. */
  kernelSamples?: number;
  /**
   * Called after each slice of the twin evaluations (the one big batch is cut into about 40
   * slices of at least {@link SHAP_SLICE_MIN} points, so a caller can show progress and an ETA):
   * points evaluated so far, points in all, milliseconds since the twin calls began.
   */
  onProgress?: (done: number, total: number, elapsedMs: number) => void;
}

/** Smallest slice of twin evaluations between two progress calls (large enough to keep batching efficient). */
export const SHAP_SLICE_MIN = 8192;

/**
 * Interventional SHAP of a twin's PLQY proxy and raw outputs, all through ONE
 * `twin.predict` call (every coalition x explained point x background row).
 */
export function explainTwin(twin: Twin, options: ExplainTwinOptions): TwinExplanation {
  const t0 = performance.now();
  const rng = new Rng(options.seed ?? 1);
  const d = twin.inputs.length;
  let background = options.background.map((r) => [...r]);
  if (options.maxBackground !== undefined && options.maxBackground < background.length) {
    background = rng.shuffle(background).slice(0, Math.max(1, options.maxBackground));
  }
  const X = (options.points ?? options.background).map((r) => [...r]);
  for (const [what, rows] of [
    ["background", background],
    ["explained points", X],
  ] as const) {
    rows.forEach((r, i) => {
      if (r.length !== d) throw new RangeError(`${what} row ${i} has ${r.length} inputs; the twin has ${d} (${twin.inputs.join(", ")})`);
    });
  }
  const method = options.method ?? (d <= EXACT_MAX_INPUTS ? "exact" : "kernel");
  let predictMs = 0;
  let evaluations = 0;
  const inner = twinBlackBox(twin, (n) => (evaluations += n));
  const f = (pts: readonly (readonly number[])[]) => {
    const s = performance.now();
    const y = slicedCall(inner, pts, options.onProgress);
    predictMs += performance.now() - s;
    return y;
  };
  const shap =
    method === "exact" ? exactShap(f, X, background, twin.inputs) : kernelShap(f, X, background, { rng, samples: options.kernelSamples, inputs: twin.inputs });
  const outputs = {} as Record<ExplainedOutput, OutputExplanation>;
  EXPLAINED_OUTPUTS.forEach((name, k) => {
    outputs[name] = { ...shap[k], ...summarizeShap(shap[k], X) };
  });
  const units = twin.inputs.map((n) => DEFAULT_SPACE.inputs.find((s) => s.name === n)?.unit ?? "");
  return {
    twin: twin.source,
    inputs: [...twin.inputs],
    units,
    method,
    background,
    X,
    outputs,
    definitions: OUTPUT_DEFINITIONS,
    timing: { evaluations, predictMs, totalMs: performance.now() - t0 },
  };
}

/**
 * `f` over `pts` in equal slices (at most about 40, each >= {@link SHAP_SLICE_MIN} / 2 points), outputs
 * concatenated, `onProgress` after each slice; one call when there is no listener or the
 * batch is small. Each point's outputs do not depend on the others in its batch.
 */
function slicedCall(
  f: (pts: readonly (readonly number[])[]) => ArrayLike<number>[],
  pts: readonly (readonly number[])[],
  onProgress?: (done: number, total: number, elapsedMs: number) => void,
): ArrayLike<number>[] {
  const N = pts.length;
  const size = Math.max(SHAP_SLICE_MIN, Math.ceil(N / 40));
  if (!onProgress || N <= size) {
    const y = f(pts);
    onProgress?.(N, N, 0);
    return y;
  }
  // Equal slices: none falls below the twin's large-batch size, so every point runs on the same kernels.
  const slices = Math.ceil(N / size);
  const t0 = performance.now();
  let out: Float64Array[] | undefined;
  for (let s = 0; s < slices; s++) {
    const start = Math.round((s * N) / slices);
    const end = Math.round(((s + 1) * N) / slices);
    const ys = f(pts.slice(start, end));
    out ??= ys.map(() => new Float64Array(N));
    ys.forEach((y, k) => out![k].set(y, start));
    onProgress(end, N, performance.now() - t0);
  }
  return out!;
}

/** One output's SHAP summary and values as written under `outputs` in shap.json. */
export function shapOutputJson(x: OutputExplanation): Record<string, unknown> {
  return { ranking: x.ranking, meanAbs: x.meanAbs, direction: x.direction, correlation: x.correlation, base: x.base, fx: x.fx, values: x.values };
}

/**
 * The shap.json document: PLQY's `ranking`, `meanAbs`, `direction`, `values` at the
 * top level (what scripts read first), every output in full under `outputs`.
 */
export function shapJson(e: TwinExplanation, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const p = e.outputs.PLQY;
  return {
    target: "PLQY",
    definition: e.definitions.PLQY,
    twin: e.twin,
    ...extra,
    method: `${e.method} interventional Shapley values over ${e.background.length} background rows`,
    inputs: e.inputs,
    units: e.units,
    ranking: p.ranking,
    meanAbs: p.meanAbs,
    direction: p.direction,
    correlation: p.correlation,
    base: p.base,
    points: e.X,
    fx: p.fx,
    values: p.values,
    outputs: Object.fromEntries(
      EXPLAINED_OUTPUTS.map((o) => {
        const x = e.outputs[o];
        return [o, { definition: e.definitions[o], ...shapOutputJson(x) }];
      }),
    ),
    background: e.background,
    timing: e.timing,
  };
}
