import { Rng } from "../../core/rng.js";
import type { CascadeEnsembleSpec } from "../cascadeEnsembleSpec.js";
import type { CascadeMember } from "../cascade.js";
import { outOfBagCalibration, outOfBagResiduals, type OutOfBagResiduals } from "../outOfBagCalibration.js";
import { withExtrapolation } from "../extrapolationCalibration.js";
import { DEFAULT_PLQY_REFERENCE, type PlqyReference } from "../plqy.js";
import { DEFAULT_SPACE, INPUT_NAMES } from "../space.js";
import { paramLayout, toCascadeMember, type CascadeArch } from "./arch.js";
import { defaultKernels, type MemberResult, type MemberTask, type TrainData } from "./memberTrainer.js";
import { defaultWorkers, trainMembers, type MemberProgress } from "./memberPool.js";
import { FAST_SCHEDULE, type TrainSchedule } from "./schedule.js";
import { applyTransform, flowFractions } from "../inputTransform.js";

/** Indices of the precursor flows (CuI, ZnI2, CsOA, ODE) among the paper's inputs. */
const FLOW_INPUTS = ["CuI", "ZnI2", "CsOA", "ODE"].map((name) => (INPUT_NAMES as readonly string[]).indexOf(name));

/** Rows to train on: inputs in physical units and the two measured features. */
export interface TrainingRows {
  /** Shape [n][5]: T, CuI, ZnI2, CsOA, ODE. */
  X: readonly (readonly number[])[];
  /** Shape [n]: Abs300nm. */
  abs: readonly number[];
  /** Shape [n]: PLA (counts x nm). */
  pla: readonly number[];
}

/**
 * Rows of any problem (src/twin/generic): inputs in physical units and any number of
 * measured outputs. The ensemble then has one linear output per entry of `outputs`, and
 * no PLQY calibration (the caller calibrates from `info.heldOut`).
 */
export interface OutputRows {
  /** Shape [n][d], in the order of `inputNames`. */
  X: readonly (readonly number[])[];
  /** Shape [nOut][n]: one array per output. */
  outputs: readonly (readonly number[])[];
  /** Output names, length nOut. */
  names: readonly string[];
  /** Input names, length d. */
  inputNames: readonly string[];
}

/** Every setting of ensemble training; all optional. */
export interface EnsembleOptions {
  /** Ensemble size. Default 20. */
  members?: number;
  /** Seed of architectures, split, initial weights and batches. Default 0. */
  seed?: number;
  schedule?: TrainSchedule;
  /** Fraction of rows held out for early stopping and validation. Default 0.2. */
  valFraction?: number;
  /** Hidden depth range (inclusive). Default the schedule's, else [8, 10]. */
  depth?: [number, number];
  /** Width range per hidden layer (inclusive). Default the schedule's, else [20, 40]. */
  width?: [number, number];
  /** Worker threads. Default one per core, at most 2. */
  workers?: number;
  /** [lo, hi] per input for normalisation. Default the search-space bounds. */
  inputBounds?: [number, number][];
  plqyReference?: PlqyReference;
  /**
   * Split per row (row i is held out when a draw seeded by (seed, i) is below valFraction)
   * instead of an exact shuffle: rows keep their side when rows are appended, so warm-started
   * refits never validate on rows their members were trained on. Default false.
   */
  stableSplit?: boolean;
  /** Fixed output scaling (e.g. kept from an earlier fit so warm-started weights stay valid). Default: min/max of the rows. */
  outputScaling?: { min: number[]; max: number[] };
  /** Warm start: starting weights per member (same architectures as a previous fit with the same seed). */
  init?: Float64Array[];
  /** Progress per trained member; indices from `members` on are the calibration-only edge-slab members ({@link slabMemberCount}). */
  onMember?: MemberProgress;
  /**
   * Fit the predictive variance model on the out-of-bag residuals (rows each member did
   * not train on; outOfBagCalibration.ts) and store it in the spec. Default true.
   */
  calibrate?: boolean;
}

/** What training reports (stored in the twin file's metadata). */
export interface TrainingInfo {
  seed: number;
  schedule: TrainSchedule;
  members: number;
  valFraction: number;
  depth: [number, number];
  width: [number, number];
  workers: number;
  trainer: string;
  seconds: number;
  /** Epochs run per member. */
  epochs: number[];
  bestEpochs: number[];
  /** Sum of epochs over members. */
  memberEpochs: number;
  /** Rows no member trained on ("validation", only with a shared split; empty otherwise) and the rest. */
  split: { train: number[]; validation: number[] };
  /** Per member: the rows it never trained on (its out-of-bag rows), for calibration. */
  heldOut: number[][];
}

export interface TrainedEnsemble {
  spec: CascadeEnsembleSpec;
  archs: CascadeArch[];
  /** Best weights per member, flat (see arch.ts for the layout). */
  params: Float64Array[];
  info: TrainingInfo;
  /** Residuals of the rows each member did not train on (what the calibration was fitted on); absent with calibrate: false. */
  outOfBag?: OutOfBagResiduals;
  /** The calibration-only edge-slab members and the rows each held out (schedule.slabs; absent without them). */
  slabs?: { members: CascadeMember[]; heldOut: number[][] };
}

/**
 * Train an ensemble of cascade networks (ReLU, random depth and width per member) on
 * min-max scaled Abs300nm and PLA (or, given {@link OutputRows}, any number of inputs and
 * outputs: a problem twin's outcome), with the rows the schedule gives each member.
 * Deterministic for a seed whatever the worker count.
 */
export async function trainEnsemble(rows: TrainingRows | OutputRows, opts: EnsembleOptions = {}): Promise<TrainedEnsemble> {
  const t0 = performance.now();
  const members = opts.members ?? 20;
  const seed = opts.seed ?? 0;
  const schedule = opts.schedule ?? FAST_SCHEDULE;
  const valFraction = opts.valFraction ?? 0.2;
  const depth = opts.depth ?? schedule.depth ?? [8, 10];
  const width = opts.width ?? schedule.width ?? [20, 40];
  const bounds = opts.inputBounds ?? DEFAULT_SPACE.inputs.map((s) => [s.bounds[0], s.bounds[1]] as [number, number]);
  const workers = opts.workers ?? defaultWorkers();
  const n = rows.X.length;
  if (n < 2) throw new RangeError(`training needs at least 2 rows, got ${n}`);

  const root = new Rng(seed);
  const splitRng = root.fork();
  const { train, validation } = opts.stableSplit ? stableSplit(n, seed, valFraction) : shuffledSplit(n, splitRng, valFraction);

  // The paper's cascade (Abs300nm, PLA) or any outputs (OutputRows).
  const cascade = !("outputs" in rows);
  const transform = cascade && schedule.features === "flow-fractions" ? flowFractions(bounds, FLOW_INPUTS) : undefined;
  const netBounds = transform?.featureBounds ?? bounds;
  const feature = (x: readonly number[]): readonly number[] => (transform ? applyTransform(transform, x) : x);
  const ys: readonly (readonly number[])[] = cascade ? [rows.abs, rows.pla] : rows.outputs;
  const nOut = ys.length;
  const min = opts.outputScaling ? [...opts.outputScaling.min] : ys.map((v) => Math.min(...v));
  const max = opts.outputScaling ? [...opts.outputScaling.max] : ys.map((v) => Math.max(...v));
  const scaled = (v: number, o: number): number => (max[o] > min[o] ? (v - min[o]) / (max[o] - min[o]) : 0);
  const pack = (idx: number[]): [Float64Array, Float64Array] => {
    const Z = new Float64Array(idx.length * bounds.length);
    const Y = new Float64Array(idx.length * nOut);
    idx.forEach((r, i) => {
      const x = feature(rows.X[r]);
      netBounds.forEach(([lo, hi], j) => (Z[i * bounds.length + j] = (x[j] - lo) / (hi - lo)));
      ys.forEach((y, o) => (Y[i * nOut + o] = scaled(y[r], o)));
    });
    return [Z, Y];
  };
  const data = packData(pack, bounds.length, nOut, train, validation);
  const mode = schedule.split ?? "shared";

  const archs: CascadeArch[] = [];
  const tasks: MemberTask[] = [];
  const heldOut: number[][] = [];
  const K = Math.min(n, Math.max(2, schedule.folds ?? Math.round(1 / valFraction)));
  const folds = mode === "folds" ? foldOf(n, K, seed, !!opts.stableSplit) : undefined;
  // Members 0 .. bandMembers-1 hold out bands of the first input (sorted, ties by row).
  // Not with stable splits: bands move when rows are appended, and warm-started members would then be scored on rows they trained on.
  const bandMembers = mode === "folds" && !opts.stableSplit ? Math.round(members * Math.min(1, Math.max(0, schedule.bands ?? 0))) : 0;
  const bands = bandMembers > 0 ? bandsOf(rows.X, K) : undefined;
  for (let k = 0; k < members; k++) {
    const L = root.int(depth[0], depth[1]);
    const arch: CascadeArch = { d: bounds.length, widths: Array.from({ length: L }, () => root.int(width[0], width[1])), nOut };
    archs.push(arch);
    const init = opts.init?.[k];
    const task: MemberTask = { arch, seed: root.nextUint32(), ...(init && init.length === paramLayout(arch).size ? { init } : {}) };
    // Per-member rows come from their own stream (the member's seed), so the shared-split
    // default draws exactly what it always drew.
    const own =
      mode === "folds"
        ? foldRows(k < bandMembers ? bands! : folds!, k)
        : memberRows(mode, n, new Rng(task.seed ^ 0x51a7), valFraction, train, validation, opts.stableSplit ? seed + 7919 * (k + 1) : undefined);
    if (own) task.data = packData(pack, bounds.length, nOut, own.train, own.validation);
    heldOut.push(own ? unseen(n, own.train) : validation);
    tasks.push(task);
  }
  // Calibration-only edge-slab members (schedule.slabs), after the ensemble's own: their
  // architectures come from their own stream, so the ensemble is what it is without them.
  const slabCount = cascade && (opts.calibrate ?? true) && !opts.init ? slabMemberCount(schedule, n, bounds.length) : 0;
  const slabHeldOut: number[][] = [];
  const slabArchs: CascadeArch[] = [];
  if (slabCount > 0) {
    const slabRng = new Rng((seed ^ 0x51ab5) >>> 0);
    const [Zall] = pack(Array.from({ length: n }, (_, i) => i));
    const h = Math.max(1, Math.min(n - 2, Math.round(schedule.slabs! * n)));
    const perInput = slabCount / bounds.length;
    for (let s = 0; s < slabCount; s++) {
      const j = Math.floor(s / perInput);
      const b = s % perInput;
      const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => Zall[a * bounds.length + j] - Zall[b * bounds.length + j] || a - b);
      const ends = schedule.slabLayout !== "blocks";
      const block = ends
        ? b === 0
          ? order.slice(0, h)
          : order.slice(n - h)
        : order.slice(Math.floor((b * n) / perInput), Math.floor(((b + 1) * n) / perInput));
      const out = block.sort((a, b) => a - b);
      const L = slabRng.int(depth[0], depth[1]);
      const arch: CascadeArch = { d: bounds.length, widths: Array.from({ length: L }, () => slabRng.int(width[0], width[1])), nOut };
      slabArchs.push(arch);
      const task: MemberTask = { arch, seed: slabRng.nextUint32() };
      task.data = packData(pack, bounds.length, nOut, unseen(n, out), out);
      slabHeldOut.push(out);
      tasks.push(task);
    }
  }
  const allResults: MemberResult[] = await trainMembers(tasks, data, schedule, workers, opts.onMember);
  const results = allResults.slice(0, members);
  const slabResults = allResults.slice(members);
  const spec: CascadeEnsembleSpec = {
    source: "sdfl twin train",
    inputs: cascade ? [...INPUT_NAMES] : [...rows.inputNames],
    inputBounds: bounds,
    outputs: cascade ? ["Abs300nm", "PLA"] : [...rows.names],
    outputScaling: { min, max },
    plqyReference: opts.plqyReference ?? DEFAULT_PLQY_REFERENCE,
    members: results.map((r, k) => toCascadeMember(paramLayout(archs[k]), r.params)),
    ...(transform ? { inputTransform: transform } : {}),
  };
  const slabMembers = slabResults.map((r, s) => toCascadeMember(paramLayout(slabArchs[s]), r.params));
  let outOfBag: OutOfBagResiduals | undefined;
  if (cascade && (opts.calibrate ?? true)) {
    outOfBag = outOfBagResiduals(spec, rows, heldOut);
    // Smoothed variances only with band members (schedule.ts, calibrationVariance).
    const variance = schedule.calibrationVariance === "smoothed" && bandMembers > 0 ? "smoothed" : "out-of-bag";
    const calibration = outOfBagCalibration(spec, rows, heldOut, outOfBag, variance);
    if (calibration)
      spec.calibration =
        slabCount > 0
          ? withExtrapolation(spec, rows, heldOut, slabMembers, slabHeldOut, calibration, schedule.slabLayout === "blocks" ? "gaps" : "range")
          : calibration;
  }
  const epochs = results.map((r) => r.epochs);
  return {
    spec,
    archs,
    params: results.map((r) => r.params),
    info: {
      seed,
      schedule,
      members,
      valFraction,
      depth,
      width,
      workers,
      trainer: defaultKernels().name,
      seconds: (performance.now() - t0) / 1000,
      epochs,
      bestEpochs: results.map((r) => r.bestEpoch),
      memberEpochs: epochs.reduce((a, b) => a + b, 0),
      // Only a shared split leaves rows that no member trained on.
      split: mode === "shared" ? { train, validation } : { train: Array.from({ length: n }, (_, i) => i), validation: [] },
      heldOut,
    },
    ...(outOfBag ? { outOfBag } : {}),
    ...(slabCount > 0 ? { slabs: { members: slabMembers, heldOut: slabHeldOut } } : {}),
  };
}

/**
 * Calibration-only slab members a training of n rows and d network inputs adds when the
 * schedule asks for slabs (0 < slabs < 0.5) and there are at least 6 rows: 2 d ("ends") or
 * round(1 / slabs) d ("blocks", at most n per input); else 0.
 */
export function slabMemberCount(schedule: TrainSchedule, n: number, d: number): number {
  const h = schedule.slabs ?? 0;
  if (!(h > 0 && h < 0.5 && n >= 6)) return 0;
  return schedule.slabLayout === "blocks" ? Math.min(n, Math.round(1 / h)) * d : 2 * d;
}

/** Flat training data from row indices (rows may repeat in `train`). */
function packData(pack: (idx: number[]) => [Float64Array, Float64Array], d: number, nOut: number, train: number[], validation: number[]): TrainData {
  const [trainZ, trainY] = pack(train);
  const [valZ, valY] = pack(validation);
  return { d, nOut, trainZ, trainY, nTrain: train.length, valZ, valY, nVal: validation.length };
}

/**
 * A member's own training and stopping rows for the split modes that have them, or
 * undefined for "shared" (the ensemble's split). `stableSeed` gives per-row splits that
 * survive appended rows (see EnsembleOptions.stableSplit).
 */
function memberRows(
  mode: NonNullable<TrainSchedule["split"]>,
  n: number,
  rng: Rng,
  valFraction: number,
  train: number[],
  validation: number[],
  stableSeed?: number,
): { train: number[]; validation: number[] } | undefined {
  if (mode === "shared" || mode === "folds") return undefined;
  if (mode === "none") return { train: [...train, ...validation].sort((a, b) => a - b), validation: [] };
  if (mode === "member") return stableSeed !== undefined ? stableSplit(n, stableSeed, valFraction) : shuffledSplit(n, rng, valFraction);
  const drawn = Array.from({ length: n }, () => rng.int(0, n - 1)).sort((a, b) => a - b);
  const out = unseen(n, drawn);
  return { train: drawn, validation: out };
}

/**
 * Fold of each row for the "folds" split: a seeded deal of a shuffle (every fold within one
 * row of n/K), or with `stable` a per-row draw seeded by (seed, row) that keeps its fold
 * when rows are appended (warm-started refits).
 */
function foldOf(n: number, K: number, seed: number, stable: boolean): { fold: number[]; K: number } {
  const fold = new Array<number>(n);
  if (stable) for (let i = 0; i < n; i++) fold[i] = new Rng((seed ^ Math.imul(i + 1, 0x2545f491)) >>> 0).int(0, K - 1);
  else new Rng((seed ^ 0xf01d) >>> 0).shuffle(Array.from({ length: n }, (_, i) => i)).forEach((r, j) => (fold[r] = j % K));
  return { fold, K };
}

/** K contiguous bands of the rows sorted by their first input (ties by row): row -> band. */
function bandsOf(X: readonly (readonly number[])[], K: number): { fold: number[]; K: number } {
  const n = X.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => X[a][0] - X[b][0] || a - b);
  const fold = new Array<number>(n);
  order.forEach((r, j) => (fold[r] = Math.floor((j * K) / n)));
  return { fold, K };
}

/** Member k's rows under "folds": all but fold k mod K (and that fold to stop on). */
function foldRows(f: { fold: number[]; K: number }, k: number): { train: number[]; validation: number[] } {
  const out = k % f.K;
  const train: number[] = [];
  const validation: number[] = [];
  f.fold.forEach((g, i) => (g === out ? validation : train).push(i));
  if (train.length === 0) train.push(validation.shift()!);
  return { train, validation };
}

/** Rows 0..n-1 not in `rows`. */
function unseen(n: number, rows: readonly number[]): number[] {
  const seen = new Set(rows);
  return Array.from({ length: n }, (_, i) => i).filter((i) => !seen.has(i));
}

/** Exactly round(valFraction * n) validation rows (at most n - 1), chosen by a seeded shuffle. */
function shuffledSplit(n: number, rng: Rng, valFraction: number): { train: number[]; validation: number[] } {
  const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  const nVal = Math.min(n - 1, Math.round(valFraction * n));
  return { validation: order.slice(0, nVal).sort((a, b) => a - b), train: order.slice(nVal).sort((a, b) => a - b) };
}

/** Row i is held out when a uniform draw seeded by (seed, i) is below valFraction; at least one row trains. */
function stableSplit(n: number, seed: number, valFraction: number): { train: number[]; validation: number[] } {
  const train: number[] = [];
  const validation: number[] = [];
  for (let i = 0; i < n; i++) (new Rng((seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0).uniform() < valFraction ? validation : train).push(i);
  if (train.length === 0) train.push(validation.shift()!);
  return { train, validation };
}
