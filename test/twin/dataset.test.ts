import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadDataset } from "../../src/twin/dataset.js";
import { resolveDatasetDir } from "../../src/twin/dataPaths.js";
import { DataError } from "../../src/core/errors.js";

const realDir = resolveDatasetDir("chem3");
const realIn = readFileSync(join(realDir, "inputs.csv"), "utf8");
const realOut = readFileSync(join(realDir, "outputs.csv"), "utf8");
const root = mkdtempSync(join(tmpdir(), "sdfl-dataset-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
/** A data folder holding (possibly edited) copies of the chem3 files; null omits a file. */
function folder(inputs: string | null, outputs: string | null): string {
  const dir = join(root, `case${counter++}`);
  mkdirSync(dir);
  if (inputs !== null) writeFileSync(join(dir, "inputs.csv"), inputs);
  if (outputs !== null) writeFileSync(join(dir, "outputs.csv"), outputs);
  return dir;
}
/** Replace cell (line, column) of a CSV text; line 1 is the header. */
function setCell(text: string, line: number, col: number, value: string): string {
  const lines = text.split("\n");
  const cells = lines[line - 1].split(",");
  cells[col] = value;
  lines[line - 1] = cells.join(",");
  return lines.join("\n");
}
function expectDataError(dir: string, pattern: RegExp, where: { file?: string; line?: number; field?: string } = {}): void {
  let err: unknown;
  try {
    loadDataset(dir);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(DataError);
  const e = err as DataError;
  expect(e.message).toMatch(pattern);
  if (where.file) expect(e.location.file).toBe(join(dir, where.file));
  if (where.line) expect(e.location.line).toBe(where.line);
  if (where.field) expect(e.location.field).toBe(where.field);
}

describe("dataset loader", () => {
  it("loads the real data: 60 rows, PLQY proxy per row, file hashes", () => {
    const ds = loadDataset(folder(realIn, realOut));
    expect(ds.X).toHaveLength(60);
    expect(ds.plqy.every((v) => v > 0)).toBe(true);
    expect(ds.hashes.inputs).toMatch(/^[0-9a-f]{64}$/);
  });
  it("missing file", () => {
    expectDataError(folder(realIn, null), /outputs\.csv|not found|no such/i);
  });
  it("missing column", () => {
    const text = realIn.replace(/^T,/, "Temp,");
    expectDataError(folder(text, realOut), /missing column "T"/, { line: 1, field: "T" });
  });
  it("misspelt column gets a suggestion", () => {
    const text = realIn.replace(/^T,CuI,ZnI2/, "T,CuI,ZnI");
    let err: DataError | undefined;
    try {
      loadDataset(folder(text, realOut));
    } catch (e) {
      err = e as DataError;
    }
    expect(err?.message).toMatch(/missing column "ZnI2"/);
    expect(err?.hint).toMatch(/did you mean "ZnI"/);
  });
  it("non-numeric cell names file, line, column and the text", () => {
    expectDataError(folder(setCell(realIn, 5, 1, "9O.5"), realOut), /"9O\.5" is not a number/, { file: "inputs.csv", line: 5, field: "CuI" });
  });
  it("NaN cell", () => {
    expectDataError(folder(realIn, setCell(realOut, 7, 1, "NaN")), /"NaN" is not a finite number/, { file: "outputs.csv", line: 7, field: "PLA" });
  });
  it("row-count mismatch between inputs and outputs", () => {
    const shorter = realOut.trimEnd().split("\n").slice(0, -1).join("\n") + "\n";
    expectDataError(folder(realIn, shorter), /59 data rows, but inputs\.csv has 60/, { file: "outputs.csv" });
  });
  it("value outside the search-space bounds", () => {
    expectDataError(folder(setCell(realIn, 3, 0, "190"), realOut), /T = 190 degC is outside the search space 120 to 180 degC/, { line: 3, field: "T" });
  });
  it("PFO inconsistent with the other flows", () => {
    expectDataError(folder(setCell(realIn, 4, 5, "999"), realOut), /PFO = 999 uL\/min, but the carrier flow must be half the precursor total/, {
      line: 4,
      field: "PFO",
    });
  });
});
