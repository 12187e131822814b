import { readFileSync, existsSync } from "node:fs";
import { DataError } from "./errors.js";

/** A parsed CSV table: header names and rows of raw cells, with 1-based file line numbers. */
export interface CsvTable {
  file: string;
  header: string[];
  rows: { line: number; cells: string[] }[];
  /** Things worth telling the user that do not stop reading (rows with more or fewer cells than the header), "file:line: ...". */
  warnings: string[];
}

/**
 * Read a small comma-separated file (no quoting needed by the sdfl formats; quoted
 * cells are still accepted). Blank lines are skipped. Throws {@link DataError} naming
 * the file when it is missing or empty.
 * @param hasHeader false for headerless files (FR.csv); header is then [].
 */
export function readCsv(file: string, hasHeader = true): CsvTable {
  if (!existsSync(file)) {
    throw new DataError({ file }, "file not found", "check the path, or point sdfl at the data folder with --data DIR");
  }
  const text = readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  return parseCsv(text, file, hasHeader);
}

/** Parse CSV text; `file` is used in error messages only. */
export function parseCsv(text: string, file: string, hasHeader = true): CsvTable {
  const lines = text.split(/\r\n|\n|\r/);
  const rows: { line: number; cells: string[] }[] = [];
  const warnings: string[] = [];
  let header: string[] = [];
  let headerSeen = !hasHeader;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === "") continue;
    const cells = splitLine(raw);
    if (!headerSeen) {
      header = cells.map((c) => c.trim());
      headerSeen = true;
      header.forEach((name, k) => {
        const first = header.indexOf(name);
        if (first < k && name !== "")
          throw new DataError(
            { file, line: i + 1, column: cellColumn(cells, k), field: name },
            `column name "${name}" appears twice (columns ${first + 1} and ${k + 1}); sdfl cannot tell which one is meant`,
            "rename or remove one of the two columns",
          );
      });
    } else {
      if (hasHeader && cells.length !== header.length)
        warnings.push(`${file}:${i + 1}: ${cells.length} cells, but the header has ${header.length} columns (a missing or extra comma?)`);
      rows.push({ line: i + 1, cells });
    }
  }
  if (hasHeader && !headerSeen) throw new DataError({ file }, "the file is empty (no header line)");
  return { file, header, rows, warnings };
}

function splitLine(line: string): string[] {
  if (!line.includes('"')) return line.split(",");
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** 1-based column number (in characters) where cell `index` of a row starts; for error messages. */
export function cellColumn(cells: string[], index: number): number {
  let col = 1;
  for (let k = 0; k < index; k++) col += cells[k].length + 1;
  return col;
}

/**
 * Parse one numeric cell strictly: the whole cell must be a finite decimal number.
 * The error names file, line, column, field and the offending text.
 */
export function parseNumberCell(table: CsvTable, rowIndex: number, colIndex: number, field: string, unit?: string): number {
  const row = table.rows[rowIndex];
  const text = (row.cells[colIndex] ?? "").trim();
  const loc = { file: table.file, line: row.line, column: cellColumn(row.cells, colIndex), field };
  if (text === "") {
    throw new DataError(
      loc,
      `empty cell; expected a number${unit ? ` in ${unit}` : ""}`,
      "fill in the missing value or remove the row (and its partner row in the other file)",
    );
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    const what = /^[+-]?(nan|inf|infinity)$/i.test(text) ? `"${text}" is not a finite number` : `"${text}" is not a number`;
    throw new DataError(
      loc,
      `${what}; expected a decimal number${unit ? ` in ${unit}` : ""}`,
      "correct the value (use a dot as decimal separator, no units in the cell)",
    );
  }
  const v = Number(text);
  if (!Number.isFinite(v)) throw new DataError(loc, `"${text}" is too large to be a number sdfl can compute with`, "correct the value (check the exponent)");
  return v;
}

/** Format rows as CSV text with a header line. Numbers are written with full precision. */
export function formatCsv(header: readonly string[], rows: readonly (readonly (number | string)[])[]): string {
  const out = [header.join(",")];
  for (const r of rows) out.push(r.map((v) => (typeof v === "number" ? String(v) : v)).join(","));
  return out.join("\n") + "\n";
}
