import { describe, expect, it } from "vitest";
import { parseCsv, parseNumberCell, cellColumn } from "../../src/core/csv.js";
import { DataError } from "../../src/core/errors.js";

describe("csv", () => {
  it("keeps 1-based file line numbers across blank lines and CRLF", () => {
    const t = parseCsv("a,b\r\n1,2\r\n\r\n3,4\r\n", "x.csv");
    expect(t.header).toEqual(["a", "b"]);
    expect(t.rows.map((r) => r.line)).toEqual([2, 4]);
  });
  it("accepts quoted cells", () => {
    const t = parseCsv('name,v\n"a,b",1\n', "q.csv");
    expect(t.rows[0].cells).toEqual(["a,b", "1"]);
  });
  it("rejects non-numbers, NaN and empty cells naming file, line, column and field", () => {
    const t = parseCsv("T,CuI\n150,abc\nNaN,1\n,2\n", "in.csv");
    expect(() => parseNumberCell(t, 0, 1, "CuI", "uL/min")).toThrow(/in\.csv:2:5 \(column "CuI"\): "abc" is not a number/);
    expect(() => parseNumberCell(t, 1, 0, "T")).toThrow(/in\.csv:3:1 .*"NaN" is not a finite number/);
    expect(() => parseNumberCell(t, 2, 0, "T")).toThrow(DataError);
    expect(parseNumberCell(t, 0, 0, "T")).toBe(150);
    expect(cellColumn(["150", "abc"], 1)).toBe(5);
  });
});
