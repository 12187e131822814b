import type { BenchRun } from "./runSeed.js";
import type { BenchSettings } from "./settings.js";

/**
 * What results.json says about the oracle. `max` is its optimum: the best value a thorough
 * search (or a known optimum) gives, i.e. the minimum when `goal` is "minimize".
 */
export interface OracleInfo {
  name: string;
  kind: string;
  /** Whether larger or smaller true values are better (absent in older results: maximize). */
  goal?: "maximize" | "minimize";
  max: number;
  argmax: number[];
  [key: string]: unknown;
}

/** The results.json document: tools rely on this shape. */
export interface BenchResults {
  oracle: OracleInfo;
  settings: BenchSettings & Record<string, unknown>;
  strategies: Record<string, { runs: BenchRun[] }>;
  /** Runs that failed, one entry per failing strategy (its other seeds were skipped); absent when none failed. */
  failures?: BenchFailure[];
}

/** A run that failed, with the error a user sees. */
export interface BenchFailure {
  strategy: string;
  seed: number;
  error: string;
}

/** Per-strategy summary over seeds. Curves have one entry per optimizer experiment. */
export interface StrategySummary {
  name: string;
  runs: number;
  median: number[];
  q25: number[];
  q75: number[];
  /** Median over seeds of the final bestTrue, and as % of the oracle max (NaN for a minimize problem: use the regret). */
  finalMedian: number;
  finalPercentOfMax: number;
  /** Median simple regret at the end (oracle max - bestTrue; bestTrue - oracle min for a minimize problem). */
  finalMedianRegret: number;
  medianSeconds: number;
  /** The same statistics for the true value of the recommendation (inference regret), when the runs have it. */
  recommended?: MetricSummary;
  /** ... and for the best true value among the measured points. */
  sampled?: MetricSummary;
}

/** Median/IQR curves of one per-run metric and its final value's median and worst seed, as % of the oracle max. */
export interface MetricSummary {
  median: number[];
  q25: number[];
  q75: number[];
  finalMedian: number;
  finalPercentOfMax: number;
  /** Median regret of the final values (>= 0 up to noise-free rounding; oriented by the oracle's goal). */
  finalMedianRegret: number;
  /** The worst seed's final value as % of the oracle max (NaN for a minimize problem). */
  worstPercentOfMax: number;
}

type CurveKey = "bestTrue" | "sampledBestTrue" | "recommendedTrue";

/** Statistics of one curve over runs; undefined when some run lacks it (results of older versions). */
export function metricSummary(runs: readonly BenchRun[], key: CurveKey, max: number, goal: OracleInfo["goal"] = "maximize"): MetricSummary | undefined {
  const curves = runs.map((x) => x[key]);
  if (curves.length === 0 || curves.some((c) => !Array.isArray(c))) return undefined;
  const len = Math.max(0, ...curves.map((c) => c.length));
  const at = (k: number) => curves.map((c) => c[k]).filter(Number.isFinite);
  const finals = curves.map((c) => c[c.length - 1]);
  const finalMedian = quantile(finals, 0.5);
  const minimize = goal === "minimize";
  return {
    median: Array.from({ length: len }, (_, k) => quantile(at(k), 0.5)),
    q25: Array.from({ length: len }, (_, k) => quantile(at(k), 0.25)),
    q75: Array.from({ length: len }, (_, k) => quantile(at(k), 0.75)),
    finalMedian,
    finalPercentOfMax: minimize ? NaN : (100 * finalMedian) / max,
    finalMedianRegret: quantile(
      finals.map((v) => regretOf(v, max, goal)),
      0.5,
    ),
    worstPercentOfMax: minimize ? NaN : (100 * Math.min(...finals)) / max,
  };
}

/** Simple regret of a true value against the oracle's optimum, oriented by its goal (>= 0 when the optimum is exact). */
export function regretOf(value: number, optimum: number, goal: OracleInfo["goal"] = "maximize"): number {
  return goal === "minimize" ? value - optimum : optimum - value;
}

/** Quantile with linear interpolation between order statistics (type 7), q in [0, 1]. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  return s[lo] + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]) - s[lo]);
}

/** Median and interquartile range per experiment, and final numbers, for each strategy. */
export function summarise(r: BenchResults): StrategySummary[] {
  return Object.entries(r.strategies)
    .filter(([, { runs }]) => runs.length > 0)
    .map(([name, { runs }]) => {
      const len = Math.max(0, ...runs.map((x) => x.bestTrue.length));
      const at = (k: number) => runs.map((x) => x.bestTrue[k]).filter(Number.isFinite);
      const median = Array.from({ length: len }, (_, k) => quantile(at(k), 0.5));
      const finals = runs.map((x) => x.bestTrue[x.bestTrue.length - 1]);
      const finalMedian = quantile(finals, 0.5);
      return {
        name,
        runs: runs.length,
        median,
        q25: Array.from({ length: len }, (_, k) => quantile(at(k), 0.25)),
        q75: Array.from({ length: len }, (_, k) => quantile(at(k), 0.75)),
        finalMedian,
        finalPercentOfMax: r.oracle.goal === "minimize" ? NaN : (100 * finalMedian) / r.oracle.max,
        finalMedianRegret: quantile(
          finals.map((v) => regretOf(v, r.oracle.max, r.oracle.goal)),
          0.5,
        ),
        medianSeconds: quantile(
          runs.map((x) => x.seconds),
          0.5,
        ),
        recommended: metricSummary(runs, "recommendedTrue", r.oracle.max, r.oracle.goal),
        sampled: metricSummary(runs, "sampledBestTrue", r.oracle.max, r.oracle.goal),
      };
    });
}

/** A markdown table of the summaries. */
export function markdownTable(r: BenchResults, summaries = summarise(r)): string {
  const f = (v: number, d = 4) => (Number.isFinite(v) ? v.toFixed(d) : "-");
  const lines = [
    `Oracle **${r.oracle.name}** (${r.oracle.goal === "minimize" ? "minimised; min" : "max"} ${f(r.oracle.max)}, known or by thorough search); init ${r.settings.init.kind}:${r.settings.init.count}, ` +
      `budget ${r.settings.budget}, noise ${r.settings.noise}, ${r.settings.seeds.length} seeds.`,
    "",
    "Columns, as % of the oracle max at the end of the runs: **recommended** = true value of the final recommendation (the model's",
    "posterior-mean maximiser; the best-measured point for strategies without a model), median and worst seed; **best reading** =",
    "true value of the point with the best noisy measurement; **best sampled** = best true value among all measured points.",
    "",
    "| strategy | runs | recommended, median | recommended, worst | median best true | % of max | IQR at end | median regret | best sampled, median | median s/run |",
    "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|",
  ];
  for (const s of summaries) {
    const k = s.median.length - 1;
    lines.push(
      `| ${s.name} | ${s.runs} | ${f(s.recommended?.finalPercentOfMax ?? NaN, 1)} | ${f(s.recommended?.worstPercentOfMax ?? NaN, 1)} | ${f(s.finalMedian)} | ${f(s.finalPercentOfMax, 1)} | ${f(s.q25[k])} to ${f(s.q75[k])} | ${f(s.finalMedianRegret)} | ${f(s.sampled?.finalPercentOfMax ?? NaN, 1)} | ${f(s.medianSeconds, 1)} |`,
    );
  }
  for (const f of r.failures ?? [])
    lines.push("", `**Failed:** strategy ${f.strategy} at seed ${f.seed} (its other runs were skipped): ${f.error.split("\n")[0]}`);
  return lines.join("\n") + "\n";
}
