import { Rng } from "../../core/rng.js";
import { paramLayout, type CascadeArch, type ParamLayout } from "./arch.js";
import { memberBackward, memberForward, summedMse } from "./kernels.js";
import type { TrainSchedule } from "./schedule.js";
import { SimdKernels } from "./wasm/simdKernels.js";

/** The compute kernels of training: where arrays live, forward and backward passes. */
export interface TrainKernels {
  readonly name: string;
  /** Zeroed float64 arrays of the given lengths that forward/backward accept. */
  arena(sizes: number[]): Float64Array[];
  forward(L: ParamLayout, p: Float64Array, C: Float64Array, n: number, Y: Float64Array): void;
  backward(L: ParamLayout, p: Float64Array, C: Float64Array, n: number, dY: Float64Array, G: Float64Array, grad: Float64Array): void;
}

/** Plain JavaScript float64 kernels (kernels.ts). */
export const JS_KERNELS: TrainKernels = {
  name: "js-float64",
  arena: (sizes) => sizes.map((s) => new Float64Array(s)),
  forward: memberForward,
  backward: memberBackward,
};

let simd: TrainKernels | null | undefined;

/**
 * WebAssembly SIMD kernels when the runtime supports them (about 2x faster), else the
 * JavaScript ones; `SDFL_TRAIN_KERNELS=js` forces JavaScript. One instance per thread.
 */
export function defaultKernels(env: NodeJS.ProcessEnv = process.env): TrainKernels {
  if (env.SDFL_TRAIN_KERNELS === "js") return JS_KERNELS;
  if (simd === undefined) simd = SimdKernels.create() ?? null;
  return simd ?? JS_KERNELS;
}

/** Training rows in unit-cube inputs and min-max scaled outputs, flat row-major. */
export interface TrainData {
  d: number;
  nOut: number;
  /** [nTrain x d] */
  trainZ: Float64Array;
  /** [nTrain x nOut] */
  trainY: Float64Array;
  nTrain: number;
  /** [nVal x d]; with nVal = 0 early stopping watches the training loss. */
  valZ: Float64Array;
  valY: Float64Array;
  nVal: number;
}

/** One member to train: its architecture, its own seed, optional starting weights (warm start). */
export interface MemberTask {
  arch: CascadeArch;
  seed: number;
  init?: Float64Array;
  /** This member's own rows (per-member splits, bootstrap); default the ensemble's shared data. */
  data?: TrainData;
}

export interface MemberResult {
  /** The kept weights: a copy taken at the best epoch, or the last epoch's (schedule.keep). */
  params: Float64Array;
  /** Epochs run, including the patience tail. */
  epochs: number;
  bestEpoch: number;
  bestValLoss: number;
  steps: number;
}

/** PyTorch's default Linear initialisation: weights and biases uniform in +-1/sqrt(fanIn). */
export function initParams(arch: CascadeArch, rng: Rng): Float64Array {
  const L = paramLayout(arch);
  const p = new Float64Array(L.size);
  const fill = (from: number, to: number, fanIn: number): void => {
    const a = 1 / Math.sqrt(fanIn);
    for (let k = from; k < to; k++) p[k] = rng.range(-a, a);
  };
  arch.widths.forEach((w, l) => fill(L.wOff[l], L.bOff[l] + w, L.fanIn[l]));
  fill(L.outW, L.size, L.total);
  return p;
}

/**
 * Train one cascade member with Adam (optionally decoupled weight decay) on the summed
 * scaled MSE and early stopping on the validation rows; returns a copy of the best
 * weights, or the last epoch's when `s.keep` is "last". Deterministic for task.seed.
 */
export function trainMember(task: MemberTask, data: TrainData, s: TrainSchedule, kernels: TrainKernels = defaultKernels()): MemberResult {
  const rng = new Rng(task.seed);
  const L = paramLayout(task.arch);
  const start = task.init ? Float64Array.from(task.init) : initParams(task.arch, rng);
  if (start.length !== L.size) throw new RangeError(`warm-start weights have ${start.length} values, architecture needs ${L.size}`);
  const { d, nOut, nTrain, nVal } = data;
  const decay = s.learningRate * (s.weightDecay ?? 0);
  const keepLast = s.keep === "last";
  const full = s.batchSize <= 0 || s.batchSize >= nTrain;
  const B = full ? nTrain : s.batchSize;
  const rowsMax = Math.max(B, nVal, nTrain);
  const [params, C, G, Y, T, dY, grad, m, v] = kernels.arena([
    L.size,
    rowsMax * L.total,
    B * L.total,
    rowsMax * nOut,
    B * nOut,
    B * nOut,
    L.size,
    L.size,
    L.size,
  ]);
  params.set(start);
  const best = Float64Array.from(params);
  const order = Array.from({ length: nTrain }, (_, i) => i);
  let bestLoss = Infinity;
  let bestEpoch = 0;
  let wait = 0;
  let step = 0;
  let epoch = 0;

  const loadRows = (Z: Float64Array, Yt: Float64Array | null, rows: readonly number[] | null, count: number): void => {
    for (let r = 0; r < count; r++) {
      const src = rows ? rows[r] : r;
      for (let j = 0; j < d; j++) C[r * L.total + j] = Z[src * d + j];
      if (Yt) for (let o = 0; o < nOut; o++) T[r * nOut + o] = Yt[src * nOut + o];
    }
  };
  const evalLoss = (Z: Float64Array, Yt: Float64Array, n: number): number => {
    loadRows(Z, null, null, n);
    kernels.forward(L, params, C, n, Y);
    return summedMse(Y, Yt, n, nOut);
  };
  const adamStep = (): void => {
    step++;
    const b1 = s.beta1,
      b2 = s.beta2;
    const c1 = 1 - Math.pow(b1, step),
      c2 = 1 - Math.pow(b2, step);
    const lr = s.learningRate / c1;
    const sc2 = 1 / Math.sqrt(c2);
    for (let k = 0; k < L.size; k++) {
      const g = grad[k];
      const mk = (m[k] = b1 * m[k] + (1 - b1) * g);
      const vk = (v[k] = b2 * v[k] + (1 - b2) * g * g);
      params[k] -= (lr * mk) / (Math.sqrt(vk) * sc2 + s.epsilon) + decay * params[k];
    }
  };
  const jitter = s.inputNoise ?? 0;
  const trainStep = (rows: readonly number[] | null, count: number): void => {
    loadRows(data.trainZ, data.trainY, rows, count);
    // Input-noise augmentation: each step sees the rows moved by N(0, jitter^2) per network input.
    if (jitter > 0) for (let r = 0; r < count; r++) for (let j = 0; j < d; j++) C[r * L.total + j] += jitter * rng.normal();
    kernels.forward(L, params, C, count, Y);
    summedMse(Y, T, count, nOut, dY);
    grad.fill(0);
    kernels.backward(L, params, C, count, dY, G, grad);
    adamStep();
  };

  while (epoch < s.maxEpochs) {
    if (full) trainStep(null, nTrain);
    else {
      rng.shuffle(order);
      for (let b = 0; b < nTrain; b += B) {
        const rows = order.slice(b, Math.min(nTrain, b + B));
        trainStep(rows, rows.length);
      }
    }
    epoch++;
    const loss = nVal > 0 ? evalLoss(data.valZ, data.valY, nVal) : evalLoss(data.trainZ, data.trainY, nTrain);
    if (loss < bestLoss - s.minDelta) {
      bestLoss = loss;
      bestEpoch = epoch;
      best.set(params);
      wait = 0;
    } else if (++wait >= s.patience) break;
  }
  return { params: keepLast ? Float64Array.from(params) : best, epochs: epoch, bestEpoch, bestValLoss: bestLoss, steps: step };
}
