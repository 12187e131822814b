/**
 * The common head of a benchmark's JSON result and where it is written, shared by the twin
 * benchmarks (train, twin-cv, problem-twin) so their files stay alike.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";

/** Name, mode, date and machine of a run; `loadAverageAtStart` is the 1-minute load average when it began. */
export function resultHead(benchmark: string, quick: boolean, loadAverageAtStart: number) {
  return { benchmark, quick, date: new Date().toISOString(), cpu: cpus()[0]?.model, cores: cpus().length, loadAverageAtStart };
}

/** Print `result` as JSON on stdout and write it to benchmarks/results/`fileName` (relative to the working directory). */
export function writeResult(result: object, fileName: string): void {
  const text = JSON.stringify(result, null, 2);
  console.log(text);
  const dir = join(process.cwd(), "benchmarks/results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, fileName), text + "\n");
}
