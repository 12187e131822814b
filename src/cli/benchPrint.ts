import { resolve } from "node:path";
import { summarise, type BenchFailure, type BenchResults } from "../bo/bench/summary.js";
import type { CommandIO } from "./command.js";

/** Print each failure once (stderr); exit code 1 when any, else 0. */
export function reportFailures(failures: readonly BenchFailure[], io: CommandIO): number {
  for (const f of failures)
    io.err(`error: strategy ${f.strategy} failed (seed ${f.seed}); its other runs were skipped:\n  ${f.error.replace(/\n/g, "\n  ")}\n`);
  if (failures.length > 0) io.err(`the finished runs are kept; after fixing, run the same command with --resume to run what is missing\n`);
  return failures.length > 0 ? 1 : 0;
}

/** The table (or --json summary) of a benchmark's results on stdout. */
export function printBenchResults(results: BenchResults, files: Record<string, string> | undefined, seconds: number, json: boolean, io: CommandIO): void {
  const out = files ? resolve(files.results, "..") : undefined;
  const summaries = summarise(results);
  // A minimised objective has no "% of max": those fields are left out and the regrets say how close each strategy came.
  const minimize = results.oracle.goal === "minimize";
  const pct = (key: string, v: number) => (minimize ? {} : { [key]: v });
  if (json) {
    io.out(
      JSON.stringify({
        out,
        files,
        seconds,
        oracle: { name: results.oracle.name, goal: results.oracle.goal ?? "maximize", max: results.oracle.max },
        summary: summaries.map(({ name, runs, finalMedian, finalPercentOfMax, finalMedianRegret, medianSeconds, recommended, sampled }) => ({
          name,
          runs,
          finalMedian,
          ...pct("finalPercentOfMax", finalPercentOfMax),
          finalMedianRegret,
          medianSeconds,
          ...(recommended
            ? {
                recommended: {
                  finalMedian: recommended.finalMedian,
                  ...pct("finalPercentOfMax", recommended.finalPercentOfMax),
                  finalMedianRegret: recommended.finalMedianRegret,
                  ...pct("worstPercentOfMax", recommended.worstPercentOfMax),
                },
              }
            : {}),
          ...(sampled
            ? {
                sampledBest: {
                  finalMedian: sampled.finalMedian,
                  ...pct("finalPercentOfMax", sampled.finalPercentOfMax),
                  finalMedianRegret: sampled.finalMedianRegret,
                },
              }
            : {}),
        })),
        ...(results.failures ? { failures: results.failures } : {}),
      }) + "\n",
    );
  } else {
    for (const s of summaries) {
      const rec = s.recommended
        ? minimize
          ? `median regret ${s.recommended.finalMedianRegret.toPrecision(3)}`
          : `${s.recommended.finalPercentOfMax.toFixed(1)} % of max (worst ${s.recommended.worstPercentOfMax.toFixed(1)} %)`
        : "-";
      const best = minimize ? `median regret ${s.finalMedianRegret.toPrecision(3)}` : `${s.finalPercentOfMax.toFixed(1)} % of max`;
      io.out(
        `${s.name.padEnd(14)} recommendation ${rec}; ` +
          `best reading's true value ${s.finalMedian.toFixed(5)} = ${best} (${s.runs} runs, median ${s.medianSeconds.toFixed(1)} s/run)\n`,
      );
    }
    io.out(
      `oracle ${minimize ? "min" : "max"} ${results.oracle.max.toFixed(5)}; ${seconds.toFixed(1)} s in total\nresults: ${files!.results}\ntable:   ${files!.table}\ncurves:  ${files!.curves}\n${files!.recommendedCurves ? `         ${files!.recommendedCurves}\n` : ""}`,
    );
  }
}
