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
  if (json) {
    io.out(
      JSON.stringify({
        out,
        files,
        seconds,
        oracle: { name: results.oracle.name, max: results.oracle.max },
        summary: summaries.map(({ name, runs, finalMedian, finalPercentOfMax, finalMedianRegret, medianSeconds, recommended, sampled }) => ({
          name,
          runs,
          finalMedian,
          finalPercentOfMax,
          finalMedianRegret,
          medianSeconds,
          ...(recommended
            ? {
                recommended: {
                  finalMedian: recommended.finalMedian,
                  finalPercentOfMax: recommended.finalPercentOfMax,
                  worstPercentOfMax: recommended.worstPercentOfMax,
                },
              }
            : {}),
          ...(sampled ? { sampledBest: { finalMedian: sampled.finalMedian, finalPercentOfMax: sampled.finalPercentOfMax } } : {}),
        })),
        ...(results.failures ? { failures: results.failures } : {}),
      }) + "\n",
    );
  } else {
    for (const s of summaries)
      io.out(
        `${s.name.padEnd(14)} recommendation ${s.recommended ? `${s.recommended.finalPercentOfMax.toFixed(1)} % of max (worst ${s.recommended.worstPercentOfMax.toFixed(1)} %)` : "-"}; ` +
          `best reading's true value ${s.finalMedian.toFixed(5)} = ${s.finalPercentOfMax.toFixed(1)} % of max (${s.runs} runs, median ${s.medianSeconds.toFixed(1)} s/run)\n`,
      );
    io.out(
      `oracle max ${results.oracle.max.toFixed(5)}; ${seconds.toFixed(1)} s in total\nresults: ${files!.results}\ntable:   ${files!.table}\ncurves:  ${files!.curves}\n${files!.recommendedCurves ? `         ${files!.recommendedCurves}\n` : ""}`,
    );
  }
}
