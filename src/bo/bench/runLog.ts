import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SdflError } from "../../core/errors.js";
import type { BenchRun } from "./runSeed.js";
import type { BenchFailure } from "./summary.js";
import { taskKey } from "./settings.js";

/** The run log a benchmark keeps in its output folder (JSON lines). */
export const RUN_LOG_FILE = "runs.jsonl";

/**
 * First line of a run log: what the sweep is (oracle and settings as plain data), so a
 * resume can refuse a different one. Later lines are {@link RunLogEntry}s.
 */
export interface RunLogHeader {
  sdflBenchRunLog: 1;
  sweep: Record<string, unknown>;
}

/** One finished run, or one failed run, as the log stores it. */
export type RunLogEntry = { strategy: string; seed: number; run: BenchRun } | { strategy: string; seed: number; error: string };

/** What a run log holds after reading: finished runs by task key, and the failures. */
export interface RunLogContents {
  sweep: Record<string, unknown>;
  runs: Map<string, BenchRun>;
  failures: BenchFailure[];
}

/**
 * Append-only log of a benchmark's finished runs, written as each run finishes (one line
 * per run, one write per line), so a failure, Ctrl-C or a power cut keeps what was done
 * and `sdfl bench --resume` continues from it.
 */
export class RunLog {
  readonly file: string;
  private constructor(file: string) {
    this.file = file;
  }

  /** Start a new log in `dir` (the caller has checked there is none). */
  static create(dir: string, sweep: Record<string, unknown>): RunLog {
    const log = new RunLog(join(dir, RUN_LOG_FILE));
    const header: RunLogHeader = { sdflBenchRunLog: 1, sweep };
    appendFileSync(log.file, JSON.stringify(header) + "\n", { flag: "wx" });
    return log;
  }

  /** Open an existing log for appending, with what it holds. */
  static open(dir: string): { log: RunLog; contents: RunLogContents } {
    const file = join(dir, RUN_LOG_FILE);
    return { log: new RunLog(file), contents: readRunLog(file) };
  }

  /** Record a finished run. */
  addRun(strategy: string, run: BenchRun): void {
    this.append({ strategy, seed: run.seed, run });
  }

  /** Record a failed run with the error a user sees. */
  addFailure(f: BenchFailure): void {
    this.append(f);
  }

  private append(e: RunLogEntry): void {
    appendFileSync(this.file, JSON.stringify(e) + "\n");
  }
}

/** Whether `dir` holds a run log. */
export function hasRunLog(dir: string): boolean {
  return existsSync(join(dir, RUN_LOG_FILE));
}

/**
 * Read a run log. A torn last line (the process died mid-write) is ignored; anything
 * else unreadable is a {@link SdflError} naming file and line. A run logged after a
 * failure of the same task replaces it (the failure was fixed and the run resumed).
 */
export function readRunLog(file: string): RunLogContents {
  const lines = readFileSync(file, "utf8").split("\n");
  const parsed: unknown[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === "") continue;
    try {
      parsed.push(JSON.parse(lines[i]));
    } catch {
      const isLast = lines.slice(i + 1).every((l) => l.trim() === "");
      if (isLast && i > 0) break;
      throw new SdflError(`${file}, line ${i + 1}: not a JSON line of a benchmark run log`, "the file is damaged; move it away and start the benchmark again");
    }
  }
  const header = parsed[0] as Partial<RunLogHeader> | undefined;
  if (!header || header.sdflBenchRunLog !== 1 || typeof header.sweep !== "object") {
    throw new SdflError(`${file}: not a benchmark run log (its first line has no sdflBenchRunLog header)`, "give the output folder of an `sdfl bench` run");
  }
  const runs = new Map<string, BenchRun>();
  const failed = new Map<string, BenchFailure>();
  for (const e of parsed.slice(1) as RunLogEntry[]) {
    const key = taskKey(e);
    if ("run" in e) {
      runs.set(key, e.run);
      failed.delete(key);
    } else failed.set(key, { strategy: e.strategy, seed: e.seed, error: e.error });
  }
  return { sweep: header.sweep as Record<string, unknown>, runs, failures: [...failed.values()] };
}
