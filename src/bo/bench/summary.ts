import type { BenchRun } from "./runSeed.js";
import type { BenchSettings } from "./settings.js";

/** What results.json says about the oracle. `max` is the best value a thorough search found. */
export interface OracleInfo {
  name: string;
  kind: string;
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
  /** Median over seeds of the final bestTrue, and as % of the oracle max. */
  finalMedian: number;
  finalPercentOfMax: number;
  /** Median simple regret at the end (oracle max - bestTrue). */
  finalMedianRegret: number;
  medianSeconds: number;
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
        finalPercentOfMax: (100 * finalMedian) / r.oracle.max,
        finalMedianRegret: quantile(
          finals.map((v) => r.oracle.max - v),
          0.5,
        ),
        medianSeconds: quantile(
          runs.map((x) => x.seconds),
          0.5,
        ),
      };
    });
}

/** A markdown table of the summaries. */
export function markdownTable(r: BenchResults, summaries = summarise(r)): string {
  const f = (v: number, d = 4) => (Number.isFinite(v) ? v.toFixed(d) : "-");
  const lines = [
    `Oracle **${r.oracle.name}** (max ${f(r.oracle.max)} by thorough search); init ${r.settings.init.kind}:${r.settings.init.count}, ` +
      `budget ${r.settings.budget}, noise ${r.settings.noise}, ${r.settings.seeds.length} seeds.`,
    "",
    "| strategy | runs | median best true | % of max | IQR at end | median regret | median s/run |",
    "|---|---:|---:|---:|---|---:|---:|",
  ];
  for (const s of summaries) {
    const k = s.median.length - 1;
    lines.push(
      `| ${s.name} | ${s.runs} | ${f(s.finalMedian)} | ${f(s.finalPercentOfMax, 1)} | ${f(s.q25[k])} to ${f(s.q75[k])} | ${f(s.finalMedianRegret)} | ${f(s.medianSeconds, 1)} |`,
    );
  }
  for (const f of r.failures ?? [])
    lines.push("", `**Failed:** strategy ${f.strategy} at seed ${f.seed} (its other runs were skipped): ${f.error.split("\n")[0]}`);
  return lines.join("\n") + "\n";
}
