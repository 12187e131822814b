import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CommandIO } from "../../src/cli/command.js";
import { resolveDatasetDir } from "../../src/twin/dataPaths.js";

/** A fresh temporary folder. */
export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `sdfl-${tag}-`));
}

/**
 * A small data set folder holding rows [from, to) of a published chemistry (read from the
 * published data at test time, written to a temporary folder; never committed).
 */
export function smallDataset(chem: string, from: number, to: number): string {
  const src = resolveDatasetDir(chem);
  const dir = tempDir("data");
  for (const f of ["inputs.csv", "outputs.csv"]) {
    const lines = readFileSync(join(src, f), "utf8").trim().split(/\r?\n/);
    writeFileSync(join(dir, f), [lines[0], ...lines.slice(1 + from, 1 + to)].join("\n") + "\n");
  }
  return dir;
}

/** CommandIO capturing stdout and stderr. */
export function captureIO(): CommandIO & { stdout: string; stderr: string } {
  const io = {
    stdout: "",
    stderr: "",
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
    progress(t: string) {
      io.stderr += t + "\n";
    },
    cwd: process.cwd(),
    env: process.env,
  };
  return io;
}
