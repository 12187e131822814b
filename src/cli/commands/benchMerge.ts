import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "../command.js";
import { SdflError, UsageError } from "../../core/errors.js";
import { mergeBenchResults } from "../../bo/bench/merge.js";
import { BENCH_FILES, writeBenchOutputs } from "../../bo/bench/outputs.js";
import type { BenchResults } from "../../bo/bench/summary.js";
import { printBenchResults, reportFailures } from "../benchPrint.js";
import { lineChartSvg } from "../../report/svg/lineChart.js";

/** `sdfl bench merge DIR...`: join the shares of a sharded sweep into one results.json. */
export const benchMerge: Command = {
  path: ["bench", "merge"],
  summary: "join the results of `sdfl bench --shard i/N` shares into one results.json, summary and figure",
  details: `
Each DIR is the --out folder of one share (or its results.json). All shares of the
sweep must be given, each once; the merged results equal those of one unsharded run.
example: sdfl bench merge shard-* --out bench-all`,
  options: {
    out: { type: "string", arg: "DIR", default: "bench-results", description: "output folder for the merged results" },
  },
  async run(opts, io, positionals) {
    if (positionals.length === 0) throw new UsageError("sdfl bench merge: no share folders given", "example: sdfl bench merge shard-0 shard-1 --out bench-all");
    const parts = positionals.map((p) => {
      const path = resolve(io.cwd, p);
      const file = existsSync(path) && statSync(path).isDirectory() ? join(path, BENCH_FILES.results) : path;
      if (!existsSync(file)) throw new SdflError(`${p}: no ${BENCH_FILES.results} there`, "give the --out folders of finished shares");
      let results: BenchResults;
      try {
        results = JSON.parse(readFileSync(file, "utf8")) as BenchResults;
      } catch (e) {
        throw new SdflError(`${file}: not readable JSON (${(e as Error).message})`, "give the results.json written by `sdfl bench --shard i/N`");
      }
      return { file, results };
    });
    const merged = mergeBenchResults(parts);
    const out = resolve(io.cwd, String(opts.out));
    if (existsSync(join(out, BENCH_FILES.results))) throw new UsageError(`${out} already holds a ${BENCH_FILES.results}`, "choose another --out");
    const files = await writeBenchOutputs(merged, out, lineChartSvg);
    printBenchResults(merged, files, Number(merged.settings.seconds), opts.json === true, io);
    return reportFailures(merged.failures ?? [], io);
  },
};
