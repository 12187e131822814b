import type { TrainingRange, TrainingValues } from "./extrapolation.js";

/**
 * Calibrated predictive uncertainty of an ensemble twin.
 *
 * The spread of the members is only the epistemic part of the error, and on 50-60 rows it
 * is too narrow. The predictive variance of one output at a point is modelled as
 *
 *     var_pred(x) = scale * var_members(x) + noiseVar + relVar * mean(x)^2
 *
 * (a rescaled epistemic part plus measurement noise that is either constant, noiseVar, or
 * proportional to the predicted value, relVar: a relative standard deviation squared). The
 * in-situ spectra's noise is relative (the design's stability test: 3-5 % RSD), and so are
 * the twins' errors: out of fold, the relative form had the higher likelihood on 52 of 54
 * folds and fixed the too-wide-and-too-heavy-tailed intervals of the constant form. Both
 * forms are fitted by maximum likelihood on residuals of rows the predicting members did
 * not train on (out-of-bag rows of members trained on different rows, see
 * TrainSchedule.split, or the held-out folds of a cross-validation); the likelier is kept.
 */

/** The variance model of one output (units of the output squared for noiseVar). */
export interface VarianceModel {
  /** Multiplies the members' variance (n-1 denominator). 1 = the raw spread. */
  scale: number;
  /** Added variance, output units squared. */
  noiseVar: number;
  /** Added variance per squared predicted value (a relative standard deviation squared). Default 0. */
  relVar?: number;
  /**
   * Extrapolation factor c (dimensionless): the variance above is multiplied by
   * (1 + c e^2), e the normalised distance outside the training rows (extrapolation.ts;
   * needs the calibration's `trainingRange`). Default 0.
   */
  extrapolation?: number;
}

/** What a calibrated twin stores: one variance model per output and where it came from. */
export interface PredictiveCalibration {
  /** "out-of-bag" (rows members did not train on) or "cross-validation". */
  method: string;
  /** Residuals the models were fitted on. */
  rows: number;
  abs: VarianceModel;
  pla: VarianceModel;
  plqy: VarianceModel;
  /**
   * [lo, hi] of the training rows per network input (network-input units, i.e. after the
   * twin's normalisation or input transform), shape [d]: where the models' extrapolation
   * factors start to apply. Absent: no extrapolation term.
   */
  trainingRange?: TrainingRange;
  /**
   * Sorted distinct values of the training rows per network input (network-input units),
   * shape [d][<= n]: when present, the extrapolation factors apply to the squared gap to
   * the nearest training value along each input (extrapolation.ts, `gapSq`) instead of the
   * distance outside the range. Needs `trainingRange`.
   */
  trainingValues?: TrainingValues;
}

/** The identity model: predictive variance = the members' variance. */
export const RAW_SPREAD: VarianceModel = { scale: 1, noiseVar: 0 };

/** One residual for fitting: y - mean, the members' variance there, and a known extra variance. */
export interface CalibrationResidual {
  residual: number;
  memberVar: number;
  /** Variance the residual has beyond the full ensemble's (e.g. a smaller out-of-bag ensemble's extra sampling error). */
  extraVar: number;
  /** The prediction the residual is from (needed for the relative-noise form; absent: constant noise only). */
  mean?: number;
}

/**
 * Maximum-likelihood variance model for residuals r_i ~ N(0, scale v_i + noise_i + c_i),
 * with noise_i = noiseVar (constant form) or relVar * mean_i^2 (relative form, when every
 * residual has its mean); the form with the higher likelihood is returned (both have two
 * parameters). A profile search per form: golden section over the log noise parameter for
 * each scale on a log grid, then over log(scale) around the best grid point. Needs at
 * least 3 residuals; otherwise the raw spread is returned.
 */
export function fitVarianceModel(res: readonly CalibrationResidual[]): VarianceModel {
  const ok = res.filter((r) => Number.isFinite(r.residual) && Number.isFinite(r.memberVar) && r.memberVar >= 0);
  if (ok.length < 3) return { ...RAW_SPREAD };
  const ms = ok.reduce((s, r) => s + r.residual * r.residual, 0) / ok.length;
  if (!(ms > 0)) return { ...RAW_SPREAD };
  const constant = fitForm(ok, () => 1, ms);
  const relative = ok.every((r) => Number.isFinite(r.mean) && r.mean !== 0)
    ? fitForm(ok, (r) => r.mean! * r.mean!, ms / (ok.reduce((s, r) => s + r.mean! * r.mean!, 0) / ok.length))
    : undefined;
  if (relative && relative.nll < constant.nll) return { scale: relative.scale, noiseVar: 0, relVar: relative.b };
  return { scale: constant.scale, noiseVar: constant.b };
}

/** ML (scale, b) of r_i ~ N(0, scale v_i + b w(r_i) + c_i); `typical` is the size of b that explains all. */
function fitForm(ok: readonly CalibrationResidual[], w: (r: CalibrationResidual) => number, typical: number): { scale: number; b: number; nll: number } {
  const ws = ok.map(w);
  const nll = (a: number, b: number): number => {
    let s = 0;
    ok.forEach((r, i) => {
      const v = Math.max(a * r.memberVar + b * ws[i] + r.extraVar, 1e-300);
      s += Math.log(v) + (r.residual * r.residual) / v;
    });
    return s;
  };
  const bLo = Math.log(typical * 1e-6);
  const bHi = Math.log(typical * 10);
  const bestB = (a: number): [number, number] => {
    const lb = golden((lb) => nll(a, Math.exp(lb)), bLo, bHi);
    return [Math.exp(lb), nll(a, Math.exp(lb))];
  };
  let best = { la: 0, b: 0, f: Infinity };
  for (let la = Math.log(1e-3); la <= Math.log(1e4) + 1e-9; la += Math.log(10) / 8) {
    const [b, f] = bestB(Math.exp(la));
    if (f < best.f) best = { la, b, f };
  }
  const step = Math.log(10) / 8;
  const la = golden((la) => bestB(Math.exp(la))[1], best.la - step, best.la + step);
  const [b, f] = bestB(Math.exp(la));
  return f <= best.f ? { scale: Math.exp(la), b, nll: f } : { scale: Math.exp(best.la), b: best.b, nll: best.f };
}

/**
 * Predictive variance of a model at a point: (scale * memberVar + noiseVar + relVar * mean^2)
 * * (1 + extrapolation * e2), with e2 the squared extrapolation distance (0 inside the data).
 */
export function predictiveVariance(memberVar: number, model: VarianceModel = RAW_SPREAD, mean = 0, e2 = 0): number {
  const base = model.scale * memberVar + model.noiseVar + (model.relVar ?? 0) * mean * mean;
  return e2 > 0 && model.extrapolation ? base * (1 + model.extrapolation * e2) : base;
}

/**
 * Rescale a fitted model by one factor k on its variance terms so that a fraction `target`
 * of the residuals lies within 1 predictive standard deviation (quantile recalibration; the
 * residual's known extraVar is kept outside the factor). Needs at least 10 residuals;
 * otherwise the model is returned unchanged.
 */
export function rescaleToCoverage(model: VarianceModel, res: readonly CalibrationResidual[], target = 0.6827): VarianceModel {
  const ok = res.filter((r) => Number.isFinite(r.residual) && Number.isFinite(r.memberVar));
  if (ok.length < 10) return model;
  const coverage = (k: number): number =>
    ok.filter((r) => Math.abs(r.residual) <= Math.sqrt(k * predictiveVariance(r.memberVar, model, r.mean ?? 0) + r.extraVar)).length / ok.length;
  let lo = 1e-4,
    hi = 1e4;
  for (let i = 0; i < 80; i++) {
    const mid = Math.sqrt(lo * hi);
    if (coverage(mid) < target) lo = mid;
    else hi = mid;
  }
  return { scale: model.scale * hi, noiseVar: model.noiseVar * hi, ...(model.relVar !== undefined ? { relVar: model.relVar * hi } : {}) };
}

/**
 * What twins store: the maximum-likelihood fit (which gives the shape: how much of the
 * variance follows the member spread and how much is noise), then one factor so that the
 * central 1-std interval holds 68 % of the residuals (quantile recalibration). ENN
 * residuals are heavier-tailed than a Gaussian: the likelihood's variance follows the few
 * large errors, and its 1-std interval held 80-90 % out of fold.
 */
export function fitCalibratedModel(res: readonly CalibrationResidual[]): VarianceModel {
  return rescaleToCoverage(fitVarianceModel(res), res);
}

/** Minimum of a unimodal function on [lo, hi] by golden-section search (60 evaluations). */
function golden(f: (x: number) => number, lo: number, hi: number): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let a = lo,
    b = hi;
  let c = b - g * (b - a),
    d = a + g * (b - a);
  let fc = f(c),
    fd = f(d);
  for (let i = 0; i < 60; i++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}

/** Predictive standard deviation from the members' standard deviation and mean (same units) and e^2 (extrapolation.ts). */
export function predictiveStd(memberStd: number, model: VarianceModel = RAW_SPREAD, mean = 0, e2 = 0): number {
  return Math.sqrt(predictiveVariance(memberStd * memberStd, model, mean, e2));
}

/** Predictive standard deviations, shape [n], from member standard deviations, means and e^2 values, shape [n] each. */
export function predictiveStds(
  memberStd: ArrayLike<number>,
  model: VarianceModel = RAW_SPREAD,
  mean?: ArrayLike<number>,
  e2?: ArrayLike<number>,
): Float64Array {
  return Float64Array.from({ length: memberStd.length }, (_, i) => predictiveStd(memberStd[i], model, mean ? mean[i] : 0, e2 ? e2[i] : 0));
}

/** Checks a stored calibration's shape; returns undefined when absent, throws a message on bad values. */
export function parseCalibration(v: unknown): PredictiveCalibration | undefined {
  if (v === undefined || v === null) return undefined;
  const o = v as Record<string, unknown>;
  const model = (name: string): VarianceModel => {
    const m = o[name] as Record<string, unknown> | undefined;
    const scale = Number(m?.scale);
    const noiseVar = Number(m?.noiseVar);
    const relVar = m?.relVar === undefined ? 0 : Number(m.relVar);
    const extrapolation = m?.extrapolation === undefined ? 0 : Number(m.extrapolation);
    if (!(
      Number.isFinite(scale) &&
      scale >= 0 &&
      Number.isFinite(noiseVar) &&
      noiseVar >= 0 &&
      Number.isFinite(relVar) &&
      relVar >= 0 &&
      Number.isFinite(extrapolation) &&
      extrapolation >= 0
    )) {
      throw new RangeError(`calibration.${name} needs finite scale >= 0, noiseVar >= 0, relVar >= 0 and extrapolation >= 0`);
    }
    return {
      scale,
      noiseVar,
      ...(m?.relVar === undefined ? {} : { relVar }),
      ...(m?.extrapolation === undefined ? {} : { extrapolation }),
    };
  };
  const c: PredictiveCalibration = {
    method: String(o.method ?? "unknown"),
    rows: Number(o.rows ?? 0),
    abs: model("abs"),
    pla: model("pla"),
    plqy: model("plqy"),
  };
  if (o.trainingRange !== undefined) {
    const r = o.trainingRange;
    if (
      !Array.isArray(r) ||
      r.some((b) => !Array.isArray(b) || b.length !== 2 || !b.every((v) => typeof v === "number" && Number.isFinite(v)) || !(b[0] <= b[1]))
    )
      throw new RangeError("calibration.trainingRange needs one [lo, hi] with finite lo <= hi per network input");
    c.trainingRange = r.map((b: number[]) => [b[0], b[1]]);
  }
  if (o.trainingValues !== undefined) {
    const t = o.trainingValues;
    if (
      !c.trainingRange ||
      !Array.isArray(t) ||
      t.length !== c.trainingRange.length ||
      t.some((v) => !Array.isArray(v) || v.length === 0 || v.some((x, i) => typeof x !== "number" || !Number.isFinite(x) || (i > 0 && !(x > v[i - 1]))))
    )
      throw new RangeError("calibration.trainingValues needs, beside trainingRange, one non-empty list of finite increasing values per network input");
    c.trainingValues = t.map((v: number[]) => [...v]);
  }
  return c;
}
