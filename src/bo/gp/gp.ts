import { SdflError } from "../../core/errors.js";
import { choleskyInverse, choleskyWithJitter, solveLowerInPlace, solveUpperTransposedInPlace, choleskySolve } from "./cholesky.js";
import { kernelFunctions, scaledDistance, type KernelName } from "./matern.js";

/** GP hyperparameters, in the standardised output units the model works in. */
export interface GpHyperparameters {
  /** ARD lengthscales, unit-cube units, shape [d]. */
  lengthscales: number[];
  /** Signal variance s2 of the kernel. */
  outputscale: number;
  /** Gaussian observation-noise variance (the constant part). */
  noise: number;
  /**
   * Noise variance proportional to the squared reading: observation i has noise variance
   * `noise + noiseProportional * w_i`, with w_i in [0, 1] the model's noise weights (the
   * squared reading over the largest squared reading), so this is the extra variance at
   * the reading of largest magnitude. Absent or 0: homoscedastic noise.
   */
  noiseProportional?: number;
  /** Kernel family; absent = Matern 5/2. */
  kernel?: KernelName;
  /**
   * Prior variance of each input's slope (standardised output per unit-cube input): the
   * kernel gains a linear part `linear * (x - c) . (x' - c)`, a Bayesian linear trend
   * whose size the marginal likelihood sets. Absent or 0: none.
   */
  linear?: number;
  /** The centre c of the linear part, shape [d] (the fitted inputs' mean); absent = 0.5 in every input. */
  linearCenter?: number[];
  /**
   * An additive part of the kernel, `variance / d * sum_c k(|x_c - x'_c| / lengthscales[c])`
   * (k the kernel family's correlation): one-dimensional effects of each input that hold
   * everywhere in the box, besides the joint ARD part. Absent: none.
   */
  additive?: { variance: number; lengthscales: number[] };
  /** Kumaraswamy input-warp concentrations per input, shapes [d] (see warp.ts); the model itself is given warped inputs. */
  warp?: { a: number[]; b: number[] };
}

/**
 * An exact GP posterior with fixed hyperparameters: zero prior mean on standardised
 * outputs, ARD Matern 5/2 kernel (plus an optional linear part), Gaussian noise. Points
 * are flat row-major [n*d].
 */
export class GpModel {
  readonly n: number;
  readonly d: number;
  readonly X: Float64Array;
  readonly y: Float64Array;
  readonly hp: GpHyperparameters;
  /** Jitter that had to be added to the diagonal beyond the noise (0 normally). */
  readonly jitter: number;
  /** Per-observation noise weights w_i [n] of {@link GpHyperparameters.noiseProportional} (zeros when not given). */
  readonly noiseWeights: Float64Array;
  private readonly invL: Float64Array;
  /** Correlation and derivative factor of the kernel family. */
  private readonly kf: { k: (r: number) => number; m: (r: number) => number };
  /** Slope variance of the linear part of the kernel (0: none). */
  private readonly lin: number;
  /** Centre of the linear part, shape [d]. */
  private readonly center: Float64Array;
  /** Weight (variance / d) and inverse lengthscales [d] of the additive part (weight 0: none). */
  private readonly addW: number;
  private readonly addInvL: Float64Array;
  private readonly L: Float64Array;
  private readonly alpha: Float64Array;

  constructor(X: Float64Array, y: Float64Array, d: number, hp: GpHyperparameters, noiseWeights?: Float64Array) {
    this.n = y.length;
    this.d = d;
    this.X = X;
    this.y = y;
    this.hp = hp;
    this.noiseWeights = noiseWeights ?? new Float64Array(this.n);
    const prop = hp.noiseProportional ?? 0;
    this.invL = Float64Array.from(hp.lengthscales, (l) => 1 / l);
    this.kf = kernelFunctions(hp.kernel);
    this.lin = hp.linear ?? 0;
    this.center = Float64Array.from(hp.linearCenter ?? new Array(d).fill(0.5));
    this.addW = hp.additive ? hp.additive.variance / d : 0;
    this.addInvL = Float64Array.from(hp.additive?.lengthscales ?? new Array(d).fill(1), (l) => 1 / l);
    const n = this.n;
    const K = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        const k = this.kernel(X, i, X, j);
        K[i * n + j] = k;
        K[j * n + i] = k;
      }
      K[i * n + i] += hp.noise + prop * this.noiseWeights[i];
    }
    const chol = choleskyWithJitter(K, n);
    if (!chol) {
      throw new SdflError(
        "the Gaussian-process covariance matrix could not be factorised even with jitter",
        "check the observations for NaN or infinite values",
      );
    }
    this.L = chol.L;
    this.jitter = chol.jitter;
    this.alpha = choleskySolve(this.L, n, y);
  }

  /** Posterior mean and latent variance at q points [q*d] (standardised units). */
  predict(Xq: Float64Array): { mean: Float64Array; variance: Float64Array } {
    const q = Xq.length / this.d;
    const n = this.n;
    const mean = new Float64Array(q);
    const variance = new Float64Array(q);
    const v = new Float64Array(n);
    for (let i = 0; i < q; i++) {
      let m = 0;
      for (let j = 0; j < n; j++) {
        const k = this.kernel(Xq, i, this.X, j);
        v[j] = k;
        m += k * this.alpha[j];
      }
      solveLowerInPlace(this.L, n, v);
      let vv = 0;
      for (let j = 0; j < n; j++) vv += v[j] * v[j];
      mean[i] = m;
      variance[i] = Math.max(0, this.priorVariance(Xq, i) - vv);
    }
    return { mean, variance };
  }

  /** Posterior mean only at q points [q*d] (standardised units): O(n) per point. */
  predictMean(Xq: Float64Array): Float64Array {
    const q = Xq.length / this.d;
    const mean = new Float64Array(q);
    for (let i = 0; i < q; i++) {
      let m = 0;
      for (let j = 0; j < this.n; j++) m += this.kernel(Xq, i, this.X, j) * this.alpha[j];
      mean[i] = m;
    }
    return mean;
  }

  /** Mean and variance with their gradients d/dx, shapes [q] and [q*d] (standardised units). */
  predictWithGradient(Xq: Float64Array): { mean: Float64Array; variance: Float64Array; dMean: Float64Array; dVariance: Float64Array } {
    const d = this.d;
    const q = Xq.length / d;
    const n = this.n;
    const s2 = this.hp.outputscale;
    const mean = new Float64Array(q);
    const variance = new Float64Array(q);
    const dMean = new Float64Array(q * d);
    const dVariance = new Float64Array(q * d);
    const kv = new Float64Array(n);
    const w = new Float64Array(n);
    const mfac = new Float64Array(n);
    for (let i = 0; i < q; i++) {
      let m = 0;
      for (let j = 0; j < n; j++) {
        const r = scaledDistance(Xq, i, this.X, j, this.invL);
        kv[j] = s2 * this.kf.k(r) + this.linearPart(Xq, i, this.X, j) + this.additivePart(Xq, i, this.X, j);
        mfac[j] = s2 * this.kf.m(r);
        m += kv[j] * this.alpha[j];
      }
      w.set(kv);
      solveLowerInPlace(this.L, n, w);
      let vv = 0;
      for (let j = 0; j < n; j++) vv += w[j] * w[j];
      solveUpperTransposedInPlace(this.L, n, w); // w = K^{-1} k*
      mean[i] = m;
      variance[i] = Math.max(0, this.priorVariance(Xq, i) - vv);
      for (let c = 0; c < d; c++) {
        const il2 = this.invL[c] * this.invL[c];
        let gm = 0;
        let gv = 0;
        for (let j = 0; j < n; j++) {
          // d k(x, x_j) / dx_c: the Matern part, plus lin (x_jc - c_c) from the linear part.
          const diff = Xq[i * d + c] - this.X[j * d + c];
          let dk = -mfac[j] * diff * il2 + this.lin * (this.X[j * d + c] - this.center[c]);
          if (this.addW > 0) {
            // The additive part's term in input c: w k(|diff| / l_c), derivative -w m(r) diff / l_c^2.
            const ia = this.addInvL[c];
            dk -= this.addW * this.kf.m(Math.abs(diff) * ia) * diff * ia * ia;
          }
          gm += dk * this.alpha[j];
          gv += dk * w[j];
        }
        dMean[i * d + c] = gm;
        dVariance[i * d + c] = 2 * this.lin * (Xq[i * d + c] - this.center[c]) - 2 * gv;
      }
    }
    return { mean, variance, dMean, dVariance };
  }

  /** Joint posterior covariance of the latent function at q points, shape [q*q]. */
  covariance(Xq: Float64Array): Float64Array {
    const q = Xq.length / this.d;
    const n = this.n;
    const V = new Float64Array(q * n); // row i = L^{-1} k(X, x_i)
    const row = new Float64Array(n);
    for (let i = 0; i < q; i++) {
      for (let j = 0; j < n; j++) row[j] = this.kernel(Xq, i, this.X, j);
      solveLowerInPlace(this.L, n, row);
      V.set(row, i * n);
    }
    const C = new Float64Array(q * q);
    for (let a = 0; a < q; a++) {
      for (let b = 0; b <= a; b++) {
        let s = this.kernel(Xq, a, Xq, b);
        for (let j = 0; j < n; j++) s -= V[a * n + j] * V[b * n + j];
        C[a * q + b] = s;
        C[b * q + a] = s;
      }
    }
    return C;
  }

  /**
   * Posterior covariance of the latent function between q points Xq [q*d] and b points
   * Xb [b*d], shape [q*b] row-major, and the posterior variance at the q points [q]
   * (standardised units).
   */
  crossCovariance(Xq: Float64Array, Xb: Float64Array): { cross: Float64Array; variance: Float64Array } {
    const d = this.d;
    const q = Xq.length / d;
    const b = Xb.length / d;
    const n = this.n;
    const whiten = (A: Float64Array, rows: number): Float64Array => {
      const V = new Float64Array(rows * n);
      const row = new Float64Array(n);
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < n; j++) row[j] = this.kernel(A, i, this.X, j);
        solveLowerInPlace(this.L, n, row);
        V.set(row, i * n);
      }
      return V;
    };
    const Vq = whiten(Xq, q);
    const Vb = whiten(Xb, b);
    const cross = new Float64Array(q * b);
    const variance = new Float64Array(q);
    for (let i = 0; i < q; i++) {
      let vv = 0;
      for (let j = 0; j < n; j++) vv += Vq[i * n + j] * Vq[i * n + j];
      variance[i] = Math.max(0, this.priorVariance(Xq, i) - vv);
      for (let k = 0; k < b; k++) {
        let s = this.kernel(Xq, i, Xb, k);
        for (let j = 0; j < n; j++) s -= Vq[i * n + j] * Vb[k * n + j];
        cross[i * b + k] = s;
      }
    }
    return { cross, variance };
  }

  /** Prior covariance k(A_a, B_b) (standardised units): the ARD part plus the linear and additive parts. */
  private kernel(A: Float64Array, a: number, B: Float64Array, b: number): number {
    return this.hp.outputscale * this.kf.k(scaledDistance(A, a, B, b, this.invL)) + this.linearPart(A, a, B, b) + this.additivePart(A, a, B, b);
  }

  /** (variance / d) sum_c k(|A_ac - B_bc| / l_c), 0 without an additive part. */
  private additivePart(A: Float64Array, a: number, B: Float64Array, b: number): number {
    if (this.addW === 0) return 0;
    const d = this.d;
    let s = 0;
    for (let c = 0; c < d; c++) s += this.kf.k(Math.abs(A[a * d + c] - B[b * d + c]) * this.addInvL[c]);
    return this.addW * s;
  }

  /** lin (A_a - c) . (B_b - c), 0 without a linear part. */
  private linearPart(A: Float64Array, a: number, B: Float64Array, b: number): number {
    if (this.lin === 0) return 0;
    const d = this.d;
    let s = 0;
    for (let c = 0; c < d; c++) s += (A[a * d + c] - this.center[c]) * (B[b * d + c] - this.center[c]);
    return this.lin * s;
  }

  /** Prior variance k(x, x) at row i of Xq. */
  private priorVariance(Xq: Float64Array, i: number): number {
    return this.hp.outputscale + this.linearPart(Xq, i, Xq, i) + (this.hp.additive?.variance ?? 0);
  }

  /**
   * Mean leave-one-out log predictive density of the observations (standardised units):
   * observation i predicted from the others has mean y_i - alpha_i / [K^-1]_ii and
   * variance 1 / [K^-1]_ii (noise included), in closed form (Rasmussen and Williams 2006,
   * eq. 5.12). A model-selection score that, unlike the marginal likelihood, judges each
   * point only by how well the rest predict it.
   */
  looLogPredictive(): number {
    const n = this.n;
    const Kinv = choleskyInverse(this.L, n);
    let s = 0;
    for (let i = 0; i < n; i++) {
      const kii = Kinv[i * n + i];
      const v = 1 / kii;
      const e = this.alpha[i] / kii;
      s += -0.5 * Math.log(2 * Math.PI * v) - (0.5 * e * e) / v;
    }
    return s / n;
  }

  /** The same hyperparameters with more data appended (standardised y; noise weights of the new points, zeros when absent). */
  withData(Xnew: Float64Array, ynew: Float64Array, weightsNew?: Float64Array): GpModel {
    const X = new Float64Array(this.X.length + Xnew.length);
    X.set(this.X);
    X.set(Xnew, this.X.length);
    const y = new Float64Array(this.n + ynew.length);
    y.set(this.y);
    y.set(ynew, this.n);
    const w = new Float64Array(this.n + ynew.length);
    w.set(this.noiseWeights);
    if (weightsNew) w.set(weightsNew, this.n);
    return new GpModel(X, y, this.d, this.hp, w);
  }
}
