/**
 * Calibration methods refitted offline on the residuals of twin-cv runs (issue 11).
 *   node dist/benchmarks/twin-calibration-study.js --dump a.json[,b.json] [--out NAME.json]
 *   node dist/benchmarks/twin-calibration-study.js --quick
 * A dump (benchmarks/twin-cv.ts --dump FILE) holds, per chemistry and seed, each outer fold's
 * out-of-bag PLQY residuals (the training-side residuals a twin is calibrated on) and the
 * out-of-fold predictions. Every variant below is fitted per fold on that fold's out-of-bag
 * residuals only and scored on its held-out rows: pooled coverage at 1 and 2 predictive std
 * per run, and whether the run meets the goal (60-76 % and >= 90 %). Fitting a variant costs
 * milliseconds, so calibration ideas are screened here before anything is built.
 * --by-fold: also, per run and outer fold, the coverage of the twin's own predictive std
 * (as dumped) with the mean squared standardised residual z^2 and the mean extrapolation
 * distance e of the fold's rows outside its training rows, and z^2 where e = 0 against e > 0
 * (where the misses are: interpolation or extrapolation; dumps from twin-cv since session 5).
 * --quick: one 3-fold cross-validation of Chem3 (20 members, 60 epochs) studied in memory
 * (what CI runs). Prints one JSON object and writes benchmarks/results/twin-calibration-study.json
 * (twin-calibration-study.quick.json with --quick).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fitCalibratedModel, fitVarianceModel, predictiveVariance, type CalibrationResidual, type VarianceModel } from "../src/twin/calibration.js";
import { crossValidate } from "../src/twin/crossValidation.js";
import { resolveDatasetDir } from "../src/twin/dataPaths.js";
import { loadDataset } from "../src/twin/dataset.js";
import { DEFAULT_SCHEDULE } from "../src/twin/enn/schedule.js";
import { smoothedResiduals, type OutOfBagResidual } from "../src/twin/outOfBagCalibration.js";

/** One run of a dump: a chemistry, a training seed, its out-of-fold rows and per-fold out-of-bag residuals. */
interface DumpRun {
  chemistry: string;
  schedule: string;
  seed: number;
  oof: { plqy: number[]; mean: number[]; memberStd: number[]; fold: number[]; gapSq?: number[]; predStd?: number[]; e2?: number[] };
  foldOutOfBag: OutOfBagResidual[][];
}

const argv = process.argv.slice(2);
const arg = (name: string): string | undefined => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : undefined);
const quick = argv.includes("--quick");

/** Fraction of residuals with |r| <= q sqrt(k var + extraVar). */
function coverage(res: readonly CalibrationResidual[], model: VarianceModel, k: number, q: number): number {
  return res.filter((r) => Math.abs(r.residual) <= q * Math.sqrt(k * predictiveVariance(r.memberVar, model, r.mean ?? 0) + r.extraVar)).length / res.length;
}

/** The factor k on the model's variance so that a fraction `target` of the residuals lies within q std (bisection in log k). */
function factorFor(res: readonly CalibrationResidual[], model: VarianceModel, target: number, q: number): number {
  let lo = 1e-4,
    hi = 1e4;
  for (let i = 0; i < 70; i++) {
    const mid = Math.sqrt(lo * hi);
    if (coverage(res, model, mid, q) < target) lo = mid;
    else hi = mid;
  }
  return hi;
}

const times = (m: VarianceModel, k: number): VarianceModel => ({ scale: m.scale * k, noiseVar: m.noiseVar * k, relVar: (m.relVar ?? 0) * k });

/**
 * Maximum likelihood of the two two-parameter forms (constant or relative noise) under a
 * Student-t likelihood with nu degrees of freedom (variance parameter v: a few large
 * residuals pull the shape less than under a Gaussian). Log grids: 41 scales x 61 noise sizes.
 */
function fitStudentT(res: readonly CalibrationResidual[], nu: number): VarianceModel {
  const ms = res.reduce((s, r) => s + r.residual ** 2, 0) / res.length;
  let best = { f: Infinity, m: { scale: 1, noiseVar: 0 } as VarianceModel };
  for (const rel of [false, true]) {
    const w = res.map((r) => (rel ? (r.mean ?? 0) ** 2 : 1));
    const typical = ms / (w.reduce((s, t) => s + t, 0) / w.length);
    for (let i = 0; i <= 40; i++) {
      const a = 10 ** (-3 + (7 * i) / 40);
      for (let j = 0; j <= 60; j++) {
        const b = typical * 10 ** (-6 + (7 * j) / 60);
        let f = 0;
        res.forEach((r, t) => {
          const v = Math.max(a * r.memberVar + b * w[t] + r.extraVar, 1e-300);
          f += Math.log(v) + (nu + 1) * Math.log1p((r.residual * r.residual) / (nu * v));
        });
        if (f < best.f) best = { f, m: rel ? { scale: a, noiseVar: 0, relVar: b } : { scale: a, noiseVar: b } };
      }
    }
  }
  return best.m;
}

/** The 2-std 95 % factor, kept inside the factors that give 64 % and 72 % at 1 std. */
function clipped(res: readonly CalibrationResidual[], m: VarianceModel): VarianceModel {
  const k = Math.min(Math.max(factorFor(res, m, 0.9545, 2), factorFor(res, m, 0.64, 1)), factorFor(res, m, 0.72, 1));
  return times(m, k);
}

/** Predictive variance at a point from the members' variance and mean and the squared temperature gap. */
type Variance = (memberVar: number, mean: number, gapSq: number) => number;
const ofModel =
  (m: VarianceModel): Variance =>
  (v, mean) =>
    predictiveVariance(v, m, mean);

/**
 * ML of var = a memberVar + b mean^2 + g mean^2 gapSq on the out-of-bag residuals (Gaussian;
 * log grids, g = 0 included), then one factor for 68 % within 1 std. gapSq is the squared
 * distance in T to the nearest row the predicting members trained on (as a fraction of the
 * T range): a relative error that grows away from measured temperatures. Informative only
 * when some members hold out temperature bands (schedule field bands).
 */
function fitTemperatureGap(res: readonly OutOfBagResidual[]): Variance {
  const ms = res.reduce((s, r) => s + r.residual ** 2, 0) / res.length;
  const typical = ms / (res.reduce((s, r) => s + (r.mean ?? 0) ** 2, 0) / res.length);
  const gap = (r: OutOfBagResidual): number => r.gapSq ?? 0;
  let best = { f: Infinity, a: 1, b: 0, g: 0 };
  for (let i = 0; i <= 24; i++)
    for (let j = 0; j <= 30; j++)
      for (let l = -1; l <= 30; l++) {
        const a = 10 ** (-3 + (7 * i) / 24);
        const b = typical * 10 ** (-5 + (6 * j) / 30);
        const g = l < 0 ? 0 : typical * 10 ** (-1 + (6 * l) / 30);
        let f = 0;
        for (const r of res) {
          const v = Math.max(a * r.memberVar + (b + g * gap(r)) * (r.mean ?? 0) ** 2 + r.extraVar, 1e-300);
          f += Math.log(v) + (r.residual * r.residual) / v;
        }
        if (f < best.f) best = { f, a, b, g };
      }
  const { a, b, g } = best;
  // The 1-std factor: the model as scale a and relVar b + g gapSq per residual.
  const asRows = res.map((r) => ({ ...r, memberVar: a * r.memberVar + (b + g * gap(r)) * (r.mean ?? 0) ** 2 }));
  const k = factorFor(asRows, { scale: 1, noiseVar: 0 }, 0.6827, 1);
  return (v, mean, gapSq) => k * (a * v + (b + g * gapSq) * mean * mean);
}

/**
 * Input-dependent (heteroscedastic) variance: var(x) = base(x) exp(b0 + b . x), base the
 * stored model (ML + 1-std factor) and x the row's inputs scaled to [0, 1] over the data.
 * (b0, b) by maximum likelihood on the out-of-bag residuals (a log-link gamma GLM of r^2 /
 * base, Newton steps, ridge `lambda` on b), then one factor for 68 % within 1 std.
 */
function fitHeteroscedastic(res: readonly OutOfBagResidual[], X: readonly (readonly number[])[], lambda: number): RowVariance {
  const base = fitCalibratedModel(res);
  const d = X[0].length;
  const lo = X[0].map((_, j) => Math.min(...X.map((x) => x[j])));
  const hi = X[0].map((_, j) => Math.max(...X.map((x) => x[j])));
  const feat = (row: number): number[] => [1, ...X[row].map((v, j) => (hi[j] > lo[j] ? (v - lo[j]) / (hi[j] - lo[j]) - 0.5 : 0))];
  const rows = res.map((r) => ({ f: feat(r.row), u: r.residual ** 2 / Math.max(predictiveVariance(r.memberVar, base, r.mean ?? 0) + r.extraVar, 1e-300) }));
  const beta = new Array<number>(d + 1).fill(0);
  beta[0] = Math.log(rows.reduce((a, r) => a + r.u, 0) / rows.length);
  for (let it = 0; it < 50; it++) {
    const g = new Array<number>(d + 1).fill(0);
    const H = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    for (const r of rows) {
      const w = r.u * Math.exp(-r.f.reduce((a, v, j) => a + v * beta[j], 0));
      for (let a = 0; a <= d; a++) {
        g[a] += (1 - w) * r.f[a];
        for (let b = 0; b <= d; b++) H[a][b] += w * r.f[a] * r.f[b];
      }
    }
    for (let a = 1; a <= d; a++) {
      g[a] += lambda * beta[a];
      H[a][a] += lambda;
    }
    const step = solve(H, g);
    let t = 1;
    const f = (bb: number[]) =>
      rows.reduce((a, r) => {
        const eta = r.f.reduce((s, v, j) => s + v * bb[j], 0);
        return a + eta + r.u * Math.exp(-eta);
      }, 0) +
      (lambda / 2) * bb.slice(1).reduce((a, v) => a + v * v, 0);
    const f0 = f(beta);
    while (t > 1e-4 && f(beta.map((v, j) => v - t * step[j])) > f0) t /= 2;
    beta.forEach((_, j) => (beta[j] -= t * step[j]));
    if (Math.max(...step.map(Math.abs)) * t < 1e-8) break;
  }
  const mult = (row: number) => Math.exp(feat(row).reduce((a, v, j) => a + v * beta[j], 0));
  const asRows = res.map((r) => ({ ...r, memberVar: mult(r.row) * predictiveVariance(r.memberVar, base, r.mean ?? 0) }));
  const k = factorFor(asRows, { scale: 1, noiseVar: 0 }, 0.6827, 1);
  return (v, mean, _gap, row) => k * mult(row) * predictiveVariance(v, base, mean);
}

/** x with A x = b (Gaussian elimination with partial pivoting; A small and positive definite). */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
    x[r] = s / M[r][r];
  }
  return x;
}

/** A fitted variance that may depend on the data row (its inputs). */
type RowVariance = (memberVar: number, mean: number, gapSq: number, row: number) => number;

/** Inputs of each chemistry's rows (physical units), for the input-dependent variants. */
const inputsOf = (chemistry: string): number[][] => loadDataset(resolveDatasetDir(chemistry)).X;

/** Variants fitted with the rows' inputs: name -> predictive variance from one fold's out-of-bag residuals and the chemistry's inputs. */
const ROW_VARIANTS: Record<string, (res: readonly OutOfBagResidual[], X: readonly (readonly number[])[]) => RowVariance> = {
  "hetero log-linear ml+1std (ridge 1)": (res, X) => fitHeteroscedastic(res, X, 1),
  "hetero log-linear ml+1std (ridge 5)": (res, X) => fitHeteroscedastic(res, X, 5),
  "hetero log-linear ml+1std (ridge 20)": (res, X) => fitHeteroscedastic(res, X, 20),
};

/** Variants: name -> predictive variance from one fold's out-of-bag residuals. */
const VARIANTS: Record<string, (res: readonly OutOfBagResidual[]) => Variance> = {
  "ml+1std (what twins store)": (res) => ofModel(fitCalibratedModel(res)),
  "ml (no rescale)": (res) => ofModel(fitVarianceModel(res)),
  "ml+2std": (res) => {
    const m = fitVarianceModel(res);
    return ofModel(times(m, factorFor(res, m, 0.9545, 2)));
  },
  "ml+clip(2std in 1std 64-72)": (res) => ofModel(clipped(res, fitVarianceModel(res))),
  "t4+1std": (res) => {
    const m = fitStudentT(res, 4);
    return ofModel(times(m, factorFor(res, m, 0.6827, 1)));
  },
  "t4+clip": (res) => ofModel(clipped(res, fitStudentT(res, 4))),
  "smoothed-var ml+1std (calibrationVariance smoothed)": (res) => ofModel(fitCalibratedModel(smoothedResiduals(res))),
  "smoothed-var ml+clip": (res) => {
    const s = smoothedResiduals(res);
    return ofModel(clipped(s, fitVarianceModel(s)));
  },
  "T-gap ml+1std": fitTemperatureGap,
};

/** Out-of-fold coverage of one variant on one run, and each row's |y - mean| / std. */
function score(run: DumpRun, variant: (res: readonly OutOfBagResidual[]) => RowVariance) {
  const { plqy, mean, memberStd, fold } = run.oof;
  const hasGap = run.oof.gapSq !== undefined && run.foldOutOfBag.every((f) => f.every((r) => r.gapSq !== undefined));
  const models = run.foldOutOfBag.map((all): RowVariance | undefined => {
    const res = all.filter((r) => Number.isFinite(r.residual) && Number.isFinite(r.memberVar));
    // Too few residuals to fit a variant: what twins do (the raw spread below 3 rows).
    if (variant === fitTemperatureGap && !hasGap) return undefined;
    return res.length >= 10 ? variant(res) : ofModel(fitCalibratedModel(res));
  });
  if (models.some((m) => m === undefined)) return undefined;
  const z = plqy.map((y, i) => Math.abs(y - mean[i]) / Math.sqrt(models[fold[i]]!(memberStd[i] ** 2, mean[i], run.oof.gapSq?.[i] ?? 0, i)));
  const within1Std = z.filter((t) => t <= 1).length / z.length;
  const within2Std = z.filter((t) => t <= 2).length / z.length;
  return { chemistry: run.chemistry, seed: run.seed, within1Std, within2Std, meetsGoal: within1Std >= 0.6 && within1Std <= 0.76 && within2Std >= 0.9, z };
}

/**
 * Probability that a perfectly calibrated Gaussian predictive distribution meets the goal on
 * n rows (multinomial: 68.27 % within 1 std, 27.18 % between 1 and 2, 4.55 % beyond): the
 * per-run goal's own sampling noise, to read the counts of runs against.
 */
function perfectGoalProbability(n: number): number {
  const lf = (k: number): number => {
    let s = 0;
    for (let i = 2; i <= k; i++) s += Math.log(i);
    return s;
  };
  const [p1, p2, p3] = [0.6827, 0.2718, 0.0455];
  let p = 0;
  for (let a = 0; a <= n; a++)
    for (let b = 0; a + b <= n; b++) {
      if (a / n < 0.6 || a / n > 0.76 || (a + b) / n < 0.9) continue;
      const c = n - a - b;
      p += Math.exp(lf(n) - lf(a) - lf(b) - lf(c) + a * Math.log(p1) + b * Math.log(p2) + c * Math.log(p3));
    }
  return p;
}

let sources: { name: string; runs: DumpRun[] }[];
if (quick) {
  const cv = await crossValidate(loadDataset(resolveDatasetDir("chem3")), 3, {
    members: 20,
    seed: 0,
    schedule: { ...DEFAULT_SCHEDULE, maxEpochs: 60, patience: 60 },
  });
  sources = [{ name: "quick", runs: [{ chemistry: "chem3", schedule: DEFAULT_SCHEDULE.name, seed: 0, oof: cv.oof, foldOutOfBag: cv.foldOutOfBag }] }];
} else {
  const files = arg("dump");
  if (!files) throw new Error("give --dump FILE[,FILE] (written by benchmarks/twin-cv.ts --dump) or --quick");
  sources = files.split(",").map((f) => ({ name: basename(f), runs: JSON.parse(readFileSync(f, "utf8")) as DumpRun[] }));
}

const allVariants: [string, (run: DumpRun) => (res: readonly OutOfBagResidual[]) => RowVariance][] = [
  ...Object.entries(VARIANTS).map(([name, fit]): [string, (run: DumpRun) => (res: readonly OutOfBagResidual[]) => RowVariance] => [name, () => fit]),
  ...Object.entries(ROW_VARIANTS).map(([name, fit]): [string, (run: DumpRun) => (res: readonly OutOfBagResidual[]) => RowVariance] => [
    name,
    (run) => (res) => fit(res, inputsOf(run.chemistry)),
  ]),
];
const variants = allVariants.map(([name, fit]) => ({
  variant: name,
  dumps: sources.flatMap((src) => {
    const scored = src.runs.map((r) => score(r, fit(r)));
    if (scored.some((r) => r === undefined)) return []; // the dump has no temperature gaps
    const runs = scored.map((r) => r!);
    // Pooled over the dump's runs of each chemistry (seeds): the coverage the runs scatter around.
    const pooled = [...new Set(runs.map((r) => r.chemistry))].map((chemistry) => {
      const z = runs.filter((r) => r.chemistry === chemistry).flatMap((r) => r.z);
      return { chemistry, within1Std: z.filter((t) => t <= 1).length / z.length, within2Std: z.filter((t) => t <= 2).length / z.length };
    });
    return [{ dump: src.name, runsMeetingGoal: runs.filter((r) => r.meetsGoal).length, runs: runs.length, pooled, perRun: runs.map(({ z: _z, ...r }) => r) }];
  }),
}));
for (const v of variants)
  process.stderr.write(
    `${v.variant.padEnd(30)} ` +
      v.dumps
        .map(
          (d) =>
            `${d.dump}: ${d.runsMeetingGoal}/${d.runs} pooled ` +
            d.pooled.map((p) => `${p.chemistry.slice(-1)} ${Math.round(100 * p.within1Std)}/${Math.round(100 * p.within2Std)}`).join(" ") +
            " [" +
            d.perRun
              .map((r) => `${r.chemistry.slice(-1)}s${r.seed} ${Math.round(100 * r.within1Std)}/${Math.round(100 * r.within2Std)}${r.meetsGoal ? "" : "*"}`)
              .join(" ") +
            "]",
        )
        .join("  ") +
      "\n",
  );
/** Per outer fold of a run: coverage of the dumped predictive std, mean z^2 and mean e (outside the fold's training rows). */
function byFold(run: DumpRun) {
  const { plqy, mean, predStd, e2, fold } = run.oof;
  if (!predStd || !e2) return undefined;
  const z2 = plqy.map((y, i) => ((y - mean[i]) / predStd[i]) ** 2);
  const avg = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN);
  const folds = [...new Set(fold)]
    .sort((a, b) => a - b)
    .map((f) => {
      const rows = fold.map((g, i) => (g === f ? i : -1)).filter((i) => i >= 0);
      const z = rows.map((i) => z2[i]);
      return {
        fold: f,
        rows: rows.length,
        within1Std: z.filter((t) => t <= 1).length / z.length,
        within2Std: z.filter((t) => t <= 4).length / z.length,
        meanZ2: avg(z),
        meanE: avg(rows.map((i) => Math.sqrt(e2[i]))),
      };
    });
  const inside = z2.filter((_, i) => e2[i] === 0);
  const outside = z2.filter((_, i) => e2[i] > 0);
  return {
    chemistry: run.chemistry,
    seed: run.seed,
    folds,
    inside: { rows: inside.length, meanZ2: avg(inside) },
    outside: { rows: outside.length, meanZ2: avg(outside) },
  };
}
const foldDiagnosis = argv.includes("--by-fold") || quick ? sources.flatMap((src) => src.runs.map((r) => ({ dump: src.name, ...byFold(r) }))) : undefined;
for (const d of foldDiagnosis ?? [])
  if (d.folds)
    process.stderr.write(
      `${d.dump} ${d.chemistry} seed ${d.seed}: ` +
        d.folds
          .map((f) => `fold ${f.fold} ${Math.round(100 * f.within1Std)}/${Math.round(100 * f.within2Std)} z2 ${f.meanZ2.toFixed(2)} e ${f.meanE.toFixed(3)}`)
          .join("; ") +
        `; z2 at e = 0: ${d.inside!.meanZ2.toFixed(2)} (${d.inside!.rows} rows), e > 0: ${d.outside!.meanZ2.toFixed(2)} (${d.outside!.rows})\n`,
    );
const rowsPerRun = sources[0]?.runs[0]?.oof.plqy.length ?? 0;
const perfect = perfectGoalProbability(rowsPerRun);
process.stderr.write(`a perfectly calibrated Gaussian meets the goal on a run of ${rowsPerRun} rows with probability ${perfect.toFixed(2)}\n`);
const result = {
  benchmark: "twin-calibration-study",
  quick,
  date: new Date().toISOString(),
  goal: "0.60 <= within1Std <= 0.76 and within2Std >= 0.90",
  perfectCalibrationGoalProbability: { rowsPerRun, probability: perfect },
  variants,
  ...(foldDiagnosis ? { foldDiagnosis } : {}),
};
console.log(JSON.stringify(result, null, 2));
const dir = join(process.cwd(), "benchmarks/results");
mkdirSync(dir, { recursive: true });
writeFileSync(
  join(dir, quick ? "twin-calibration-study.quick.json" : basename(arg("out") ?? "twin-calibration-study.json")),
  JSON.stringify(result, null, 2) + "\n",
);
