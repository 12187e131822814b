/**
 * Calibrated predictive uncertainty of an ensemble twin.
 *
 * The spread of the members is only the epistemic part of the error, and on 50-60 rows it
 * is too narrow. The predictive variance of one output at a point is modelled as
 *
 *     var_pred(x) = scale * var_members(x) + noiseVar
 *
 * (a rescaled epistemic part plus a constant measurement-noise part), with `scale` and
 * `noiseVar` fitted by maximum likelihood on residuals of rows the predicting members did
 * not train on: out-of-bag rows of members trained on different rows (see
 * TrainSchedule.split), or the held-out folds of a cross-validation.
 */

/** The variance model of one output (units of the output squared for noiseVar). */
export interface VarianceModel {
  /** Multiplies the members' variance (n-1 denominator). 1 = the raw spread. */
  scale: number;
  /** Added variance, output units squared. */
  noiseVar: number;
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
}

/** The identity model: predictive variance = the members' variance. */
export const RAW_SPREAD: VarianceModel = { scale: 1, noiseVar: 0 };

/** One residual for fitting: y - mean, the members' variance there, and a known extra variance. */
export interface CalibrationResidual {
  residual: number;
  memberVar: number;
  /** Variance the residual has beyond the full ensemble's (e.g. a smaller out-of-bag ensemble's extra sampling error). */
  extraVar: number;
}

/**
 * Maximum-likelihood (scale, noiseVar) for residuals r_i ~ N(0, scale v_i + noiseVar + c_i).
 * A profile search: golden section over log(noiseVar) for each scale on a log grid, then
 * over log(scale) around the best grid point. Needs at least 3 residuals; otherwise the
 * raw spread is returned.
 */
export function fitVarianceModel(res: readonly CalibrationResidual[]): VarianceModel {
  const ok = res.filter((r) => Number.isFinite(r.residual) && Number.isFinite(r.memberVar) && r.memberVar >= 0);
  if (ok.length < 3) return { ...RAW_SPREAD };
  const ms = ok.reduce((s, r) => s + r.residual * r.residual, 0) / ok.length;
  if (!(ms > 0)) return { ...RAW_SPREAD };
  const nll = (a: number, b: number): number => {
    let s = 0;
    for (const r of ok) {
      const v = Math.max(a * r.memberVar + b + r.extraVar, 1e-300);
      s += Math.log(v) + (r.residual * r.residual) / v;
    }
    return s;
  };
  const bLo = Math.log(ms * 1e-6);
  const bHi = Math.log(ms * 10);
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
  return f <= best.f ? { scale: Math.exp(la), noiseVar: b } : { scale: Math.exp(best.la), noiseVar: best.b };
}

/**
 * Rescale a fitted model so that its central 1-std interval holds `target` of the
 * residuals (quantile recalibration with one factor k on scale and noiseVar). Residuals of
 * ENN twins are heavier-tailed than a Gaussian: the maximum-likelihood variance follows
 * the few large errors and its 1-std interval then holds 85-90 % of them, not 68 %.
 * Needs at least 10 residuals; otherwise the model is returned unchanged.
 */
export function rescaleToCoverage(model: VarianceModel, res: readonly CalibrationResidual[], target = 0.6827): VarianceModel {
  const ok = res.filter((r) => Number.isFinite(r.residual) && Number.isFinite(r.memberVar));
  if (ok.length < 10) return model;
  const coverage = (k: number): number =>
    ok.filter((r) => Math.abs(r.residual) <= Math.sqrt(k * (model.scale * r.memberVar + model.noiseVar) + r.extraVar)).length / ok.length;
  let lo = 1e-4,
    hi = 1e4;
  for (let i = 0; i < 80; i++) {
    const mid = Math.sqrt(lo * hi);
    if (coverage(mid) < target) lo = mid;
    else hi = mid;
  }
  return { scale: model.scale * hi, noiseVar: model.noiseVar * hi };
}

/** Maximum-likelihood fit, then the 1-std coverage rescale: what twins store. */
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

/** Predictive standard deviation from the members' standard deviation. */
export function predictiveStd(memberStd: number, model: VarianceModel = RAW_SPREAD): number {
  return Math.sqrt(model.scale * memberStd * memberStd + model.noiseVar);
}

/** Predictive standard deviations for an array of member standard deviations. */
export function predictiveStds(memberStd: ArrayLike<number>, model: VarianceModel = RAW_SPREAD): Float64Array {
  return Float64Array.from({ length: memberStd.length }, (_, i) => predictiveStd(memberStd[i], model));
}

/** Checks a stored calibration's shape; returns undefined when absent, throws a message on bad values. */
export function parseCalibration(v: unknown): PredictiveCalibration | undefined {
  if (v === undefined || v === null) return undefined;
  const o = v as Record<string, unknown>;
  const model = (name: string): VarianceModel => {
    const m = o[name] as Record<string, unknown> | undefined;
    const scale = Number(m?.scale);
    const noiseVar = Number(m?.noiseVar);
    if (!(Number.isFinite(scale) && scale >= 0 && Number.isFinite(noiseVar) && noiseVar >= 0)) {
      throw new RangeError(`calibration.${name} needs finite scale >= 0 and noiseVar >= 0`);
    }
    return { scale, noiseVar };
  };
  return { method: String(o.method ?? "unknown"), rows: Number(o.rows ?? 0), abs: model("abs"), pla: model("pla"), plqy: model("plqy") };
}
