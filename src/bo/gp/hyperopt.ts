import type { Rng } from "../../core/rng.js";
import { projectedGradientAscent } from "../optimize/projectedGradient.js";
import { choleskyInverse, choleskySolve, choleskyWithJitter, logDetFromCholesky } from "./cholesky.js";
import type { GpHyperparameters } from "./gp.js";
import { kernelFunctions, type KernelName } from "./matern.js";
import { CLASSIC_PRIORS, logPrior, WARP_PRIOR, type GpPriorSet, type HyperPrior } from "./priors.js";
import { kumaraswamyWarp, WARP_LOG_BOUNDS } from "./warp.js";

/** Box for the log-hyperparameters: [log lengthscales (d), log outputscale, log noise]. */
export const GP_LOG_BOUNDS = {
  lengthscale: [Math.log(0.01), Math.log(100)],
  outputscale: [Math.log(0.01), Math.log(100)],
  noise: [Math.log(1e-6), Math.log(10)],
} as const;

const LOG_2PI = Math.log(2 * Math.PI);

/** Box for the log slope variance of the kernel's linear part. */
const LINEAR_LOG_BOUNDS = [Math.log(1e-4), Math.log(100)] as const;

/**
 * Prior on the slope variance of the kernel's linear part: LogNormal(0, 2), wide (slope sd
 * from about 0.14 to 7 standardised units per unit-cube input within 1 sd; a trend across
 * the box worth a few standard deviations of the data is typical of monotone responses),
 * so the marginal likelihood decides whether the data have a trend.
 */
export const LINEAR_PRIOR: HyperPrior = { kind: "lognormal", loc: 0, scale: 2 };

/** Optional parts of the kernel besides the ARD one (see {@link GpHyperparameters}). */
export interface KernelParts {
  /** A linear part (one log slope variance in theta). */
  linear?: boolean;
  /** An additive part (log variance and d log lengthscales in theta). */
  additive?: boolean;
}

/** Offsets of theta's optional blocks: linear, additive, warp; and theta's length without the warp. */
function thetaLayout(d: number, relative: boolean, parts: KernelParts): { lin: number; add: number; warp: number } {
  const lin = d + 2 + (relative ? 1 : 0);
  const add = lin + (parts.linear ? 1 : 0);
  return { lin, add, warp: add + (parts.additive ? d + 1 : 0) };
}

/**
 * theta = [log l_1..l_d, log s2, log noise, (log noiseProportional), (log linear),
 * (log additive variance, log additive l_1..l_d), (log a_1..a_d, log b_1..b_d)] -> hyperparameters;
 * `relative`, `parts` and `warp` say which optional blocks theta has.
 */
function thetaToHyperparameters(
  theta: ArrayLike<number>,
  d: number,
  relative = theta.length === d + 3,
  warp = false,
  parts: KernelParts = {},
): GpHyperparameters {
  const off = thetaLayout(d, relative, parts);
  const w = off.warp;
  return {
    lengthscales: Array.from({ length: d }, (_, c) => Math.exp(theta[c])),
    outputscale: Math.exp(theta[d]),
    noise: Math.exp(theta[d + 1]),
    ...(relative ? { noiseProportional: Math.exp(theta[d + 2]) } : {}),
    ...(parts.linear ? { linear: Math.exp(theta[off.lin]) } : {}),
    ...(parts.additive
      ? { additive: { variance: Math.exp(theta[off.add]), lengthscales: Array.from({ length: d }, (_, c) => Math.exp(theta[off.add + 1 + c])) } }
      : {}),
    ...(warp
      ? { warp: { a: Array.from({ length: d }, (_, c) => Math.exp(theta[w + c])), b: Array.from({ length: d }, (_, c) => Math.exp(theta[w + d + c])) } }
      : {}),
  };
}

/**
 * Log marginal likelihood plus log prior of standardised data y [n] at X [n*d], and its
 * analytic gradient in theta: d/d theta_k = 0.5 tr((alpha alpha^T - K^{-1}) dK/d theta_k) + prior term.
 * With `noiseWeights` w [n], theta has a (d + 3)-th entry, log noiseProportional p, and
 * observation i has noise variance noise + p w_i (the noise prior applies to p too). With
 * `warp`, theta ends with 2d more entries, log a and log b of a Kumaraswamy input warp per
 * input (see warp.ts; prior {@link WARP_PRIOR} on each), and the kernel sees warped inputs.
 * With `parts.linear`, theta has one more entry before the warp block, the log slope variance
 * of the kernel's linear part (prior {@link LINEAR_PRIOR}), centred at the inputs' mean; with
 * `parts.additive`, d + 1 more after it, the log variance and log lengthscales of the additive
 * part (the outputscale's and lengthscales' priors).
 * Returns -Infinity when K cannot be factorised. With `withGradient` false the gradient is
 * left at zero and neither K^{-1} nor the kernel's derivatives are computed (the line search
 * needs values only; the value is the same, bit for bit).
 */
export function logMarginalLikelihood(
  X: Float64Array,
  y: Float64Array,
  d: number,
  theta: ArrayLike<number>,
  priors: GpPriorSet = CLASSIC_PRIORS,
  noiseWeights?: Float64Array,
  warp = false,
  kernel: KernelName = "matern52",
  parts: KernelParts = {},
  withGradient = true,
): { value: number; gradient: Float64Array } {
  const kf = kernelFunctions(kernel);
  const n = y.length;
  const hp = thetaToHyperparameters(theta, d, noiseWeights !== undefined, warp, parts);
  const prop = noiseWeights ? (hp.noiseProportional ?? 0) : 0;
  const off = thetaLayout(d, noiseWeights !== undefined, parts);
  const wOff = off.warp;
  const linear = parts.linear === true;
  const lin = hp.linear ?? 0;
  // Warped inputs and their derivatives in log a, log b (per entry of X).
  let U = X;
  let gA: Float64Array | undefined;
  let gB: Float64Array | undefined;
  if (hp.warp) {
    U = new Float64Array(X.length);
    gA = new Float64Array(X.length);
    gB = new Float64Array(X.length);
    for (let k = 0; k < X.length; k++) {
      const c = k % d;
      const v = kumaraswamyWarp(X[k], hp.warp.a[c], hp.warp.b[c]);
      U[k] = v.u;
      gA[k] = v.dLogA;
      gB[k] = v.dLogB;
    }
  }
  const invL = hp.lengthscales.map((l) => 1 / l);
  const s2 = hp.outputscale;
  const R = new Float64Array(n * n); // correlation
  const M = withGradient ? new Float64Array(n * n) : undefined; // s2 m(r)
  for (let i = 0; i < n; i++) {
    R[i * n + i] = 1;
    if (M) M[i * n + i] = s2 * (5 / 3);
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) {
        const t = (U[i * d + c] - U[j * d + c]) * invL[c];
        s += t * t;
      }
      const r = Math.sqrt(s);
      R[i * n + j] = R[j * n + i] = kf.k(r);
      if (M) M[i * n + j] = M[j * n + i] = s2 * kf.m(r);
    }
  }
  // P_ij = (u_i - c) . (u_j - c), c the inputs' mean: the linear part's Gram matrix (before its variance).
  const P = linear ? new Float64Array(n * n) : undefined;
  if (P) {
    const center = columnMeans(U, d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let c = 0; c < d; c++) s += (U[i * d + c] - center[c]) * (U[j * d + c] - center[c]);
        P[i * n + j] = P[j * n + i] = s;
      }
    }
  }
  // Additive part, per input c: AR_c = k(|t|) and AG_c = m(|t|) t^2 (t = (u_ic - u_jc) / l'_c), so
  // that dK/d log l'_c = (v / d) AG_c and dK/d log v = (v / d) sum_c AR_c.
  const add = hp.additive;
  const addW = add ? add.variance / d : 0;
  const AR = add ? new Float64Array(d * n * n) : undefined;
  const AG = add && withGradient ? new Float64Array(d * n * n) : undefined;
  if (add && AR) {
    for (let c = 0; c < d; c++) {
      const ia = 1 / add.lengthscales[c];
      const o = c * n * n;
      for (let i = 0; i < n; i++) {
        AR[o + i * n + i] = 1;
        for (let j = 0; j < i; j++) {
          const t = (U[i * d + c] - U[j * d + c]) * ia;
          const r = Math.abs(t);
          AR[o + i * n + j] = AR[o + j * n + i] = kf.k(r);
          if (AG) AG[o + i * n + j] = AG[o + j * n + i] = kf.m(r) * t * t;
        }
      }
    }
  }
  const K = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) K[i] = s2 * R[i] + (P ? lin * P[i] : 0);
  if (AR) for (let c = 0; c < d; c++) for (let i = 0; i < n * n; i++) K[i] += addW * AR[c * n * n + i];
  for (let i = 0; i < n; i++) K[i * n + i] += hp.noise + (noiseWeights ? prop * noiseWeights[i] : 0);
  const gradient = new Float64Array(wOff + (warp ? 2 * d : 0));
  const chol = choleskyWithJitter(K, n);
  if (!chol) return { value: -Infinity, gradient };
  const alpha = choleskySolve(chol.L, n, y);
  let fit = 0;
  for (let i = 0; i < n; i++) fit += y[i] * alpha[i];
  let value = -0.5 * fit - 0.5 * logDetFromCholesky(chol.L, n) - 0.5 * n * LOG_2PI;
  if (M) addGradient(gradient, { n, d, U, R, M, P, AR, AG, alpha, Kinv: choleskyInverse(chol.L, n), hp, noiseWeights, gA, gB, off });
  const prior = (x: number, p: HyperPrior, k: number): void => {
    const lp = logPrior(p, x);
    value += lp.value;
    gradient[k] += lp.dLogX;
  };
  hp.lengthscales.forEach((l, c) => prior(l, priors.lengthscale(d), c));
  prior(s2, priors.outputscale, d);
  prior(hp.noise, priors.noise, d + 1);
  if (noiseWeights) prior(hp.noiseProportional ?? 0, priors.noise, d + 2);
  if (linear) prior(lin, LINEAR_PRIOR, off.lin);
  if (add) {
    prior(add.variance, priors.outputscale, off.add);
    add.lengthscales.forEach((l, c) => prior(l, priors.lengthscale(1), off.add + 1 + c));
  }
  if (hp.warp) {
    for (let c = 0; c < d; c++) {
      prior(hp.warp.a[c], WARP_PRIOR, off.warp + c);
      prior(hp.warp.b[c], WARP_PRIOR, off.warp + d + c);
    }
  }
  return { value, gradient };
}

/** What {@link addGradient} needs of one likelihood evaluation. */
interface GradientInputs {
  n: number;
  d: number;
  U: Float64Array;
  R: Float64Array;
  M: Float64Array;
  P: Float64Array | undefined;
  AR: Float64Array | undefined;
  AG: Float64Array | undefined;
  alpha: Float64Array;
  Kinv: Float64Array;
  hp: GpHyperparameters;
  noiseWeights: Float64Array | undefined;
  gA: Float64Array | undefined;
  gB: Float64Array | undefined;
  off: { lin: number; add: number; warp: number };
}

/** The likelihood's gradient in theta (without the priors' terms) into `gradient` (zeros on entry). */
function addGradient(gradient: Float64Array, g: GradientInputs): void {
  const { n, d, U, R, M, P, AR, AG, alpha, Kinv, hp, noiseWeights, gA, gB, off } = g;
  const s2 = hp.outputscale;
  const lin = hp.linear ?? 0;
  const prop = noiseWeights ? (hp.noiseProportional ?? 0) : 0;
  const addW = hp.additive ? hp.additive.variance / d : 0;
  const invL = hp.lengthscales.map((l) => 1 / l);
  const wOff = off.warp;
  // W = alpha alpha^T - K^{-1}; gradient = 0.5 sum_ij W_ij dK_ij.
  let gS = 0;
  let gN = 0;
  let gP = 0;
  let gLin = 0;
  let gAddV = 0;
  const gL = new Float64Array(d);
  const gAddL = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const w = alpha[i] * alpha[j] - Kinv[i * n + j];
      gS += w * s2 * R[i * n + j];
      if (P) gLin += w * lin * P[i * n + j];
      if (AR && AG) {
        for (let c = 0; c < d; c++) {
          gAddV += w * addW * AR[c * n * n + i * n + j];
          gAddL[c] += w * addW * AG[c * n * n + i * n + j];
        }
      }
      if (i === j) {
        gN += w * hp.noise;
        if (noiseWeights) gP += w * prop * noiseWeights[i];
      } else {
        const mw = w * M[i * n + j];
        for (let c = 0; c < d; c++) {
          const t = (U[i * d + c] - U[j * d + c]) * invL[c];
          gL[c] += mw * t * t;
          // dK_ij/du_ic = -s2 m(r) (u_ic - u_jc) / l_c^2; by symmetry the pair's two terms add up.
          if (gA) {
            const du = -mw * t * invL[c];
            gradient[wOff + c] += du * gA[i * d + c];
            gradient[wOff + d + c] += du * gB![i * d + c];
          }
        }
      }
    }
  }
  for (let c = 0; c < d; c++) gradient[c] = 0.5 * gL[c];
  gradient[d] = 0.5 * gS;
  gradient[d + 1] = 0.5 * gN;
  if (noiseWeights) gradient[d + 2] = 0.5 * gP;
  if (P) gradient[off.lin] = 0.5 * gLin;
  if (hp.additive) {
    gradient[off.add] = 0.5 * gAddV;
    for (let c = 0; c < d; c++) gradient[off.add + 1 + c] = 0.5 * gAddL[c];
  }
}

export interface HyperoptOptions {
  /** Starting points besides the default one. */
  restarts: number;
  maxIterations: number;
  /** Warm start (previous fit), tried first when given. */
  warmStart?: GpHyperparameters;
  /** With a warm start: start from it alone, not also from the default start. Default false. */
  warmStartOnly?: boolean;
  /** Hyperparameter priors. Default {@link CLASSIC_PRIORS}. */
  priors?: GpPriorSet;
  /** Known noise variance (standardised units, > 0): fixed instead of estimated. */
  fixedNoise?: number;
  /**
   * Noise weights w [n] in [0, 1]: also estimate a noise variance proportional to them
   * (`noiseProportional`, see {@link logMarginalLikelihood}). Ignored with `fixedNoise`
   * unless `fixedNoiseProportional` fixes that part too.
   */
  noiseWeights?: Float64Array;
  /**
   * Known noise variance proportional to `noiseWeights` (standardised units, > 0), with
   * `fixedNoise` as the known constant part: observation i then has the fixed noise
   * variance fixedNoise + fixedNoiseProportional w_i (known heteroscedastic noise).
   */
  fixedNoiseProportional?: number;
  /** Also fit a Kumaraswamy input warp per input (2d more hyperparameters, starting from the identity). */
  warp?: boolean;
  /** Kernel family. Default Matern 5/2. */
  kernel?: KernelName;
  /** Add a linear part to the kernel, its slope variance fitted with the rest (not with `warp`). */
  linear?: boolean;
  /** Add an additive part to the kernel (one-dimensional effects), its variance and d lengthscales fitted with the rest (not with `warp`). */
  additive?: boolean;
}

/**
 * Maximum a posteriori hyperparameters by projected-gradient ascent on the log marginal
 * likelihood plus log prior, from a default start, an optional warm start and `restarts`
 * random starts. Returns the best and its objective value.
 */
export function fitHyperparameters(
  X: Float64Array,
  y: Float64Array,
  d: number,
  rng: Rng,
  options: HyperoptOptions,
): { hp: GpHyperparameters; logMarginalLikelihood: number; evaluations: number } {
  const noiseBounds = options.fixedNoise !== undefined ? [Math.log(options.fixedNoise), Math.log(options.fixedNoise)] : GP_LOG_BOUNDS.noise;
  const fixedProp = options.fixedNoise !== undefined ? options.fixedNoiseProportional : undefined;
  const weights = options.fixedNoise === undefined || fixedProp !== undefined ? options.noiseWeights : undefined;
  const propBounds = fixedProp !== undefined ? [Math.log(fixedProp), Math.log(fixedProp)] : GP_LOG_BOUNDS.noise;
  const extra = weights ? 1 : 0;
  const lower = [...new Array(d).fill(GP_LOG_BOUNDS.lengthscale[0]), GP_LOG_BOUNDS.outputscale[0], noiseBounds[0], ...(weights ? [propBounds[0]] : [])];
  const upper = [...new Array(d).fill(GP_LOG_BOUNDS.lengthscale[1]), GP_LOG_BOUNDS.outputscale[1], noiseBounds[1], ...(weights ? [propBounds[1]] : [])];
  const warp = options.warp === true;
  const linear = options.linear === true;
  const additive = options.additive === true;
  const parts: KernelParts = { linear, additive };
  if (linear) {
    lower.push(LINEAR_LOG_BOUNDS[0]);
    upper.push(LINEAR_LOG_BOUNDS[1]);
  }
  if (additive) {
    lower.push(GP_LOG_BOUNDS.outputscale[0], ...new Array(d).fill(GP_LOG_BOUNDS.lengthscale[0]));
    upper.push(GP_LOG_BOUNDS.outputscale[1], ...new Array(d).fill(GP_LOG_BOUNDS.lengthscale[1]));
  }
  if (warp) {
    lower.push(...new Array(2 * d).fill(WARP_LOG_BOUNDS[0]));
    upper.push(...new Array(2 * d).fill(WARP_LOG_BOUNDS[1]));
  }
  const identity = warp ? new Array(2 * d).fill(0) : [];
  const projectBox = (t: readonly number[]): number[] => t.map((v, i) => Math.min(upper[i], Math.max(lower[i], v)));
  const linStart = linear ? [0] : [];
  // The additive part starts with half the signal variance and the ARD part's lengthscales.
  const addStart = additive ? [Math.log(0.5), ...new Array(d).fill(Math.log(0.3))] : [];
  const starts: number[][] = [
    [
      ...new Array(d).fill(Math.log(0.3)),
      additive ? Math.log(0.5) : 0,
      Math.log(0.01),
      ...(weights ? [Math.log(0.01)] : []),
      ...linStart,
      ...addStart,
      ...identity,
    ],
  ];
  if (options.warmStart) {
    if (options.warmStartOnly) starts.length = 0;
    const w = options.warmStart;
    const p = weights ? [Math.log(w.noiseProportional ?? 0.01)] : [];
    const wp = warp ? (w.warp ? [...w.warp.a.map(Math.log), ...w.warp.b.map(Math.log)] : identity) : [];
    const lp = linear ? [Math.log(w.linear ?? 1)] : [];
    const ap = additive ? (w.additive ? [Math.log(w.additive.variance), ...w.additive.lengthscales.map(Math.log)] : addStart) : [];
    starts.push(projectBox([...w.lengthscales.map(Math.log), Math.log(w.outputscale), Math.log(w.noise), ...p, ...lp, ...ap, ...wp]));
  }
  for (let r = 0; r < options.restarts; r++) {
    starts.push([
      ...Array.from({ length: d }, () => rng.range(Math.log(0.05), Math.log(2))),
      rng.range(Math.log(0.3), Math.log(3)),
      rng.range(Math.log(1e-4), Math.log(0.3)),
      ...(weights ? [rng.range(Math.log(1e-4), Math.log(0.3))] : []),
      ...(linear ? [rng.range(Math.log(0.1), Math.log(10))] : []),
      ...(additive ? [rng.range(Math.log(0.1), Math.log(2)), ...Array.from({ length: d }, () => rng.range(Math.log(0.05), Math.log(2)))] : []),
      // Random restarts keep the identity warp: the warp is refined from there.
      ...identity,
    ]);
  }
  const extraAll = extra + (linear ? 1 : 0) + (additive ? d + 1 : 0) + (warp ? 2 * d : 0);
  const evalOne = (t: readonly number[], withGradient = true) =>
    logMarginalLikelihood(X, y, d, t, options.priors, weights, warp, options.kernel, parts, withGradient);
  const res = projectedGradientAscent(
    starts,
    (T) => Float64Array.from(T.map((t) => evalOne(t, false).value)),
    (T) => {
      const value = new Float64Array(T.length);
      const gradient = new Float64Array(T.length * (d + 2 + extraAll));
      T.forEach((t, i) => {
        const r = evalOne(t);
        value[i] = r.value;
        gradient.set(r.gradient, i * (d + 2 + extraAll));
      });
      return { value, gradient };
    },
    projectBox,
    { maxIterations: options.maxIterations, stepTolerance: 1e-6, valueTolerance: 1e-10 },
  );
  let best = 0;
  for (let i = 1; i < res.values.length; i++) if (res.values[i] > res.values[best]) best = i;
  return {
    hp: {
      ...thetaToHyperparameters(res.points[best], d, weights !== undefined, warp, parts),
      ...(linear ? { linearCenter: columnMeans(X, d) } : {}),
      ...(options.kernel && options.kernel !== "matern52" ? { kernel: options.kernel } : {}),
    },
    logMarginalLikelihood: res.values[best],
    evaluations: res.evaluations,
  };
}

/** Column means of flat row-major points [n*d], shape [d]. */
function columnMeans(X: Float64Array, d: number): number[] {
  const n = X.length / d;
  const m = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) m[c] += X[i * d + c] / n;
  return m;
}
