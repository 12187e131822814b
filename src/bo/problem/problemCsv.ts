import { cellColumn, parseNumberCell, readCsv, type CsvTable } from "../../core/csv.js";
import { DataError, UsageError } from "../../core/errors.js";
import type { Problem } from "./problem.js";
import type { Condition } from "./space.js";

/** One data row of a problem CSV: the condition, the outcomes given, and its 1-based line. */
export interface ProblemRow {
  line: number;
  condition: Condition;
  outcomes: Record<string, number>;
  /** The value of the `id` column, when the file has one. */
  id?: number;
}

/**
 * Parse `--columns T=temp_C,CuI=cui_flow`: problem name -> CSV column name. A
 * {@link UsageError} names a malformed pair.
 */
export function parseColumnMap(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(",").map((s) => s.trim())) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const name = part.slice(0, eq).trim();
    const column = part.slice(eq + 1).trim();
    if (eq < 0 || name === "" || column === "") {
      throw new UsageError(`--columns: "${part}" is not NAME=COLUMN`, "write --columns T=temp_C,CuI=cui_flow (problem name = CSV column name)");
    }
    out[name] = column;
  }
  return out;
}

/**
 * Read a CSV of experiments for a problem: one column per input (fixed inputs may be
 * left out) and, with `outcomes: "required"`, one per non-optional outcome. Columns are
 * found by the problem's name, or the name `columns` (then the problem's own `columns`)
 * maps it to. Every row with a missing value is reported by line in one {@link DataError},
 * never dropped; a value outside an input's bounds is an error naming line and column.
 */
export function readProblemCsv(
  file: string,
  problem: Problem,
  o: { columns?: Readonly<Record<string, string>>; outcomes: "required" | "ignored" } = { outcomes: "required" },
): ProblemRow[] {
  const table = readCsv(file);
  const mapping = { ...problem.columns, ...(o.columns ?? {}) };
  const known = new Set([...problem.space.inputs.map((s) => s.name), ...problem.fixed.map((f) => f.name), ...problem.outcomes.map((x) => x.name)]);
  for (const name of Object.keys(o.columns ?? {})) {
    if (!known.has(name))
      throw new UsageError(`--columns: "${name}" is not an input or outcome of the problem ${problem.name}`, `the names are ${[...known].join(", ")}`);
  }
  const find = (name: string, required: boolean, what: string): number => {
    const col = mapping[name] ?? name;
    let i = table.header.indexOf(col);
    if (i < 0) i = table.header.findIndex((h) => h.trim().toLowerCase() === col.toLowerCase());
    if (i < 0 && required) {
      throw new DataError(
        { file, line: 1 },
        `no column "${col}" for ${what} ${name}${mapping[name] ? "" : ""}; the columns are ${table.header.join(", ")}`,
        `rename the column, or map it: --columns ${name}=<column name> (or "columns" in the problem file)`,
      );
    }
    return i;
  };
  const inputCols = problem.space.inputs.map((s) => ({ spec: s, col: find(s.name, true, "input") }));
  const outcomeCols = o.outcomes === "required" ? problem.outcomes.map((x) => ({ spec: x, col: find(x.name, !x.optional, "outcome") })) : [];
  const idCol = table.header.findIndex((h) => h.trim().toLowerCase() === "id");

  // Every row with a missing value, reported together by line.
  const missing: string[] = [];
  table.rows.forEach((r) => {
    const empty = [...inputCols, ...outcomeCols.filter((c) => c.col >= 0 && !c.spec.optional)]
      .filter((c) => (r.cells[c.col] ?? "").trim() === "")
      .map((c) => table.header[c.col]);
    if (empty.length) missing.push(`line ${r.line} (${empty.join(", ")})`);
  });
  if (missing.length > 0) {
    const shown = missing.slice(0, 12).join("; ") + (missing.length > 12 ? `; and ${missing.length - 12} more` : "");
    throw new DataError(
      { file },
      `${missing.length} row(s) with missing values: ${shown}`,
      "fill in the values or remove those rows; sdfl never drops rows silently",
    );
  }
  if (table.rows.length === 0) throw new DataError({ file }, "no data rows", "add one row per experiment below the header");

  return table.rows.map((r, ri) => {
    const condition: Condition = {};
    for (const { spec, col } of inputCols) {
      const v = parseNumberCell(table, ri, col, table.header[col], spec.unit);
      const [lo, hi] = spec.bounds;
      const slack = 1e-9 * (hi - lo);
      if (v < lo - slack || v > hi + slack) {
        throw new DataError(
          { file, line: r.line, column: cellColumn(r.cells, col), field: table.header[col] },
          `${spec.name} = ${v} ${spec.unit} is outside the problem's range ${lo} to ${hi} ${spec.unit}`.replace(/ +/g, " "),
          "correct the value, or widen the input's bounds in the problem file",
        );
      }
      condition[spec.name] = v;
    }
    for (const f of problem.fixed) condition[f.name] = f.value;
    const outcomes: Record<string, number> = {};
    for (const { spec, col } of outcomeCols) {
      if (col < 0 || (r.cells[col] ?? "").trim() === "") continue;
      outcomes[spec.name] = parseNumberCell(table, ri, col, table.header[col], spec.unit);
    }
    const row: ProblemRow = { line: r.line, condition, outcomes };
    if (idCol >= 0 && (r.cells[idCol] ?? "").trim() !== "") row.id = parseIdCell(table, ri, idCol);
    return row;
  });
}

function parseIdCell(table: CsvTable, ri: number, col: number): number {
  const v = parseNumberCell(table, ri, col, table.header[col]);
  if (!Number.isInteger(v) || v < 1) {
    const r = table.rows[ri];
    throw new DataError(
      { file: table.file, line: r.line, column: cellColumn(r.cells, col), field: table.header[col] },
      `id ${v} is not a suggestion id (1, 2, ...)`,
    );
  }
  return v;
}
