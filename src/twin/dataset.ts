import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { readCsv, parseNumberCell, cellColumn, type CsvTable } from "../core/csv.js";
import { DataError } from "../core/errors.js";
import { DEFAULT_SPACE, INPUT_NAMES, type SearchSpace } from "./space.js";
import { plqyProxy } from "./plqy.js";

/** The output features measured in situ, in outputs.csv column order. */
export const OUTPUT_NAMES = ["Abs300nm", "PLA"] as const;

/** A validated dataset: n experiments, inputs in physical units, measured features. */
export interface Dataset {
  /** Folder the data came from. */
  dir: string;
  /** Shape [n][5]: T, CuI, ZnI2, CsOA, ODE (degC, uL/min). */
  X: number[][];
  /** Shape [n]: absorbance at 300 nm. */
  abs: number[];
  /** Shape [n]: PL area 345-700 nm (counts x nm). */
  pla: number[];
  /** Shape [n]: PLQY proxy of each row. */
  plqy: number[];
  /** SHA-256 of inputs.csv and outputs.csv, for twin metadata. */
  hashes: { inputs: string; outputs: string };
  /** Warnings with file and line (ragged rows, rows repeating a condition); commands print them. */
  warnings: string[];
}

/** Relative tolerance of the PFO check: files store flows rounded to 0.01 uL/min. */
const PFO_ABS_TOLERANCE = 0.02;

/**
 * Load and validate inputs.csv + outputs.csv from `dir`. Every problem is a
 * {@link DataError} naming file, line, column, field, the value and what was expected.
 */
export function loadDataset(dir: string, space: SearchSpace = DEFAULT_SPACE): Dataset {
  const inFile = join(dir, "inputs.csv");
  const outFile = join(dir, "outputs.csv");
  const inputs = readCsv(inFile);
  const outputs = readCsv(outFile);

  const inCols = requireColumns(inputs, [...INPUT_NAMES]);
  const pfoCol = inputs.header.indexOf("PFO");
  const outCols = requireColumns(outputs, [...OUTPUT_NAMES]);

  if (inputs.rows.length !== outputs.rows.length) {
    throw new DataError(
      { file: outFile },
      `${outputs.rows.length} data rows, but ${basename(inFile)} has ${inputs.rows.length}; row i of outputs.csv must be the result of row i of inputs.csv`,
      "make both files hold the same experiments in the same order",
    );
  }
  if (inputs.rows.length === 0) throw new DataError({ file: inFile }, "no data rows after the header");

  const X: number[][] = [];
  const abs: number[] = [];
  const pla: number[] = [];
  for (let r = 0; r < inputs.rows.length; r++) {
    const x = space.inputs.map((spec, k) => {
      const v = parseNumberCell(inputs, r, inCols[k], spec.name, spec.unit);
      const [lo, hi] = spec.bounds;
      if (v < lo || v > hi) {
        const row = inputs.rows[r];
        throw new DataError(
          { file: inFile, line: row.line, column: cellColumn(row.cells, inCols[k]), field: spec.name },
          `${spec.name} = ${v} ${spec.unit} is outside the search space ${lo} to ${hi} ${spec.unit}`,
          "correct the value, or widen the search space if the reactor really ran there",
        );
      }
      return v;
    });
    if (pfoCol >= 0) {
      const pfo = parseNumberCell(inputs, r, pfoCol, "PFO", "uL/min");
      const expected = 0.5 * (x[1] + x[2] + x[3] + x[4]);
      if (Math.abs(pfo - expected) > PFO_ABS_TOLERANCE) {
        const row = inputs.rows[r];
        throw new DataError(
          { file: inFile, line: row.line, column: cellColumn(row.cells, pfoCol), field: "PFO" },
          `PFO = ${pfo} uL/min, but the carrier flow must be half the precursor total, 0.5 x (CuI + ZnI2 + CsOA + ODE) = ${round(expected, 3)} uL/min`,
          "correct PFO or the precursor flows of this row",
        );
      }
    }
    const a = parseNumberCell(outputs, r, outCols[0], "Abs300nm");
    const p = parseNumberCell(outputs, r, outCols[1], "PLA", "counts x nm");
    const orow = outputs.rows[r];
    if (a <= 0) {
      throw new DataError(
        { file: outFile, line: orow.line, column: cellColumn(orow.cells, outCols[0]), field: "Abs300nm" },
        `Abs300nm = ${a}; an absorbance must be greater than 0 for the PLQY proxy`,
        "check the absorption measurement of this row",
      );
    }
    if (p < 0) {
      throw new DataError(
        { file: outFile, line: orow.line, column: cellColumn(orow.cells, outCols[1]), field: "PLA" },
        `PLA = ${p}; a PL area cannot be negative`,
        "check the PL measurement of this row",
      );
    }
    X.push(x);
    abs.push(a);
    pla.push(p);
  }
  return {
    dir,
    X,
    abs,
    pla,
    plqy: abs.map((a, i) => plqyProxy(a, pla[i])),
    hashes: { inputs: sha256(inFile), outputs: sha256(outFile) },
    warnings: [...inputs.warnings, ...outputs.warnings, ...duplicateRowWarnings(inputs, X, abs, pla)],
  };
}

/** Column indices of `names` in the table's header; missing or misspelt columns are named with a suggestion. */
export function requireColumns(table: CsvTable, names: string[]): number[] {
  return names.map((name) => {
    const idx = table.header.indexOf(name);
    if (idx >= 0) return idx;
    const ci = table.header.findIndex((h) => h.toLowerCase() === name.toLowerCase());
    const near = ci >= 0 ? table.header[ci] : closest(name, table.header);
    throw new DataError(
      { file: table.file, line: 1, field: name },
      `missing column "${name}"; the header has ${table.header.map((h) => `"${h}"`).join(", ")}`,
      near ? `did you mean "${near}"? rename it to "${name}"` : `add a column "${name}"`,
    );
  });
}

function closest(name: string, options: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const o of options) {
    const d = levenshtein(name.toLowerCase(), o.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = o;
    }
  }
  return bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

function sha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

function round(v: number, d: number): number {
  const f = 10 ** d;
  return Math.round(v * f) / f;
}

/**
 * Rows that repeat an earlier row's condition: a copy-paste duplicate counts one
 * experiment twice (replicates with different results are fine, and said so).
 */
function duplicateRowWarnings(inputs: CsvTable, X: number[][], abs: number[], pla: number[]): string[] {
  const seen = new Map<string, number>();
  const out: string[] = [];
  X.forEach((x, r) => {
    const key = x.join(",");
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, r);
      return;
    }
    const same = abs[first] === abs[r] && pla[first] === pla[r];
    out.push(
      `${inputs.file}:${inputs.rows[r].line}: the same condition as line ${inputs.rows[first].line}${same ? " with the same results (a duplicated row? it counts twice)" : " (a replicate, with different results)"}`,
    );
  });
  return out;
}

/** Warnings of a data set for printing: the first `max`, then how many more. */
export function warningLines(ds: Pick<Dataset, "warnings">, max = 5): string[] {
  const lines = ds.warnings.slice(0, max).map((w) => `warning: ${w}`);
  if (ds.warnings.length > max) lines.push(`warning: ... and ${ds.warnings.length - max} more`);
  return lines;
}
