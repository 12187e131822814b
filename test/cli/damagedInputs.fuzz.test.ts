import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runProcess, type ProcessResult } from "../helpers/runProcess.js";
import { findDataRoot } from "../../src/twin/dataPaths.js";
import { firstNonFinite } from "../../src/core/finite.js";

// Fuzz (fast-check) of damaged CSVs, twin files and store files through the built CLI:
// sdfl either succeeds with finite output or exits 1/2 naming the damaged file; never an
// internal error, never exit 0 with NaN. Few runs of small cases keep it affordable.
const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin", "sdfl.js");
const data = findDataRoot();
const chem1 = join(data, "twins/chem1.json");
const work = mkdtempSync(join(tmpdir(), "sdfl-fuzz-"));
/** Cases per family; SDFL_FUZZ_RUNS raises it for a longer local hunt. */
const RUNS = Number(process.env.SDFL_FUZZ_RUNS ?? 6);
let caseNo = 0;
const fresh = (): string => {
  const d = join(work, `case-${++caseNo}`);
  mkdirSync(d);
  return d;
};

function sdfl(args: string[]): Promise<ProcessResult> {
  return runProcess(process.execPath, [BIN, ...args], { cwd: work, timeoutMs: 120_000 });
}

/** The contract: exit 0 with finite results, or 1/2 with a message naming `file`; never an internal error or a crash. */
function expectHonest(r: ProcessResult, file: string, finiteOutputs: () => unknown): void {
  expect(r.stderr).not.toMatch(/internal error|\n\s+at .*:\d+:\d+/);
  expect([0, 1, 2]).toContain(r.code);
  if (r.code === 0) expect(firstNonFinite(finiteOutputs())).toBeUndefined();
  else expect(r.stderr).toContain(file);
}

/** A CSV file as numbers where cells parse, else the raw text (for the finite check of written CSVs). */
function csvNumbers(file: string): number[] {
  return readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .flatMap((l) => l.split(",").map(Number));
}

const BAD_CELLS = ["", "NaN", "1e999", "abc", "-5", "1e5", "Infinity", " 12 ", "0x10", '"1"'];
const BAD_WEIGHTS: unknown[] = ["NaN", null, 1e308, "abc", [1, 2], {}, -1e300, true];

/** A text damage: replace a cell, drop a cell, repeat or drop a line, add a column, or cut the file. */
const textDamage = fc.oneof(
  fc.record({ kind: fc.constant("cell" as const), line: fc.nat(), col: fc.nat(), value: fc.constantFrom(...BAD_CELLS) }),
  fc.record({ kind: fc.constant("dropCell" as const), line: fc.nat(), col: fc.nat() }),
  fc.record({ kind: fc.constant("repeatLine" as const), line: fc.nat() }),
  fc.record({ kind: fc.constant("dropLine" as const), line: fc.nat() }),
  fc.record({ kind: fc.constant("renameHeader" as const), col: fc.nat(), value: fc.constantFrom("T", "PLA", "", "Abs300nm") }),
  fc.record({ kind: fc.constant("cut" as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
);
type TextDamage = typeof textDamage extends fc.Arbitrary<infer T> ? T : never;

function damageCsv(text: string, d: TextDamage): string {
  const lines = text.trimEnd().split("\n");
  const pick = (n: number) => n % lines.length;
  switch (d.kind) {
    case "cell": {
      const cells = lines[pick(d.line)].split(",");
      cells[d.col % cells.length] = d.value;
      lines[pick(d.line)] = cells.join(",");
      break;
    }
    case "dropCell": {
      const cells = lines[pick(d.line)].split(",");
      cells.splice(d.col % cells.length, 1);
      lines[pick(d.line)] = cells.join(",");
      break;
    }
    case "repeatLine":
      lines.splice(pick(d.line), 0, lines[pick(d.line)]);
      break;
    case "dropLine":
      lines.splice(pick(d.line), 1);
      break;
    case "renameHeader": {
      const cells = lines[0].split(",");
      cells[d.col % cells.length] = d.value;
      lines[0] = cells.join(",");
      break;
    }
    case "cut":
      return text.slice(0, Math.floor(d.at * text.length));
  }
  return lines.join("\n") + "\n";
}

describe("damaged inputs through the built CLI (fast-check fuzz)", () => {
  let store = "";
  beforeAll(async () => {
    store = join(work, "good.sqlite");
    const r = await sdfl(["campaign", "--lab", "branin-reactor5d", "--init", "lhs:4", "--budget", "2", "--strategy", "random", "--store", store, "--quiet"]);
    expect(r.code).toBe(0);
  }, 120_000);

  it("damaged data CSVs: twin evaluate is finite or names the file", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("inputs.csv", "outputs.csv"), textDamage, async (which, damage) => {
        const dir = fresh();
        for (const f of ["inputs.csv", "outputs.csv"]) copyFileSync(join(data, "lhs/chem1", f), join(dir, f));
        writeFileSync(join(dir, which), damageCsv(readFileSync(join(dir, which), "utf8"), damage));
        const r = await sdfl(["twin", "evaluate", "--twin", chem1, "--data", dir, "--json"]);
        expectHonest(r, dir, () => JSON.parse(r.stdout));
      }),
      { numRuns: RUNS },
    );
  }, 300_000);

  it("damaged twin files: twin predict (70 points, the TF.js path) is finite or names the file", async () => {
    const input = join(work, "points.csv");
    const rows = Array.from({ length: 70 }, (_, i) => [120 + (i % 60), 80 + (i % 40), 100, 20 + (i % 60), 250].join(","));
    writeFileSync(input, ["T,CuI,ZnI2,CsOA,ODE", ...rows].join("\n") + "\n");
    const twinDamage = fc.oneof(
      fc.record({
        kind: fc.constant("weight" as const),
        member: fc.nat(),
        layer: fc.nat(),
        row: fc.nat(),
        col: fc.nat(),
        value: fc.constantFrom(...BAD_WEIGHTS),
      }),
      fc.record({ kind: fc.constant("drop" as const), key: fc.constantFrom("members", "outputScaling", "inputBounds", "inputs", "plqyReference") }),
      fc.record({ kind: fc.constant("cut" as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
    );
    await fc.assert(
      fc.asyncProperty(twinDamage, async (d) => {
        const dir = fresh();
        const file = join(dir, "twin.json");
        const text = readFileSync(chem1, "utf8");
        if (d.kind === "cut") writeFileSync(file, text.slice(0, Math.floor(d.at * text.length)));
        else {
          const j = JSON.parse(text);
          if (d.kind === "drop") delete j[d.key];
          else {
            const m = j.members[d.member % j.members.length];
            const layers = [...m.hidden, m.output];
            const l = layers[d.layer % layers.length];
            const row = l.weight[d.row % l.weight.length];
            row[d.col % row.length] = d.value;
          }
          writeFileSync(file, JSON.stringify(j));
        }
        const out = join(dir, "p.csv");
        const r = await sdfl(["twin", "predict", "--twin", file, "--input", input, "--out", out]);
        expectHonest(r, file, () => csvNumbers(out));
      }),
      { numRuns: RUNS },
    );
  }, 300_000);

  it("damaged store files: campaign export is finite or names the store", async () => {
    const storeDamage = fc.oneof(
      fc.record({
        kind: fc.constant("bytes" as const),
        at: fc.double({ min: 0, max: 1, noNaN: true }),
        length: fc.integer({ min: 1, max: 4096 }),
        byte: fc.integer({ min: 0, max: 255 }),
      }),
      fc.record({ kind: fc.constant("cut" as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
    );
    await fc.assert(
      fc.asyncProperty(storeDamage, async (d) => {
        const dir = fresh();
        const file = join(dir, "c.sqlite");
        const bytes = readFileSync(store);
        if (d.kind === "cut") writeFileSync(file, bytes.subarray(0, Math.floor(d.at * bytes.length)));
        else {
          const at = Math.floor(d.at * bytes.length);
          bytes.fill(d.byte, at, Math.min(bytes.length, at + d.length));
          writeFileSync(file, bytes);
        }
        const out = join(dir, "export");
        const r = await sdfl(["campaign", "export", "--store", file, "--out", out, "--json"]);
        expectHonest(r, file, () => readdirSync(out).flatMap((f) => (f.endsWith(".csv") ? csvNumbers(join(out, f)) : [])));
      }),
      { numRuns: RUNS },
    );
  }, 300_000);
});
