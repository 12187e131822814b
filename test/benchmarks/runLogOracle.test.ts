import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseOracle, type OracleSpec } from "../../src/cli/labs.js";
import { oracleLabel, readableOracle } from "../../benchmarks/runLogOracle.js";
import { folderArgs } from "../../benchmarks/folderArgs.js";

describe("oracles named by old run logs", () => {
  const gone = "/no/such/checkout/data/sdfl-2025/twins/chem1.json";

  it("a published twin recorded under a path that no longer exists is this checkout's twin of the same name", () => {
    const here = readableOracle({ kind: "twin", file: gone });
    expect(here).toEqual(parseOracle("chem1"));
    expect("file" in here && existsSync(here.file)).toBe(true);
    const folded = readableOracle({ kind: "folded", inner: { kind: "twin", file: gone } });
    expect(oracleLabel(folded)).toBe("fold:chem1");
    expect(folded).toEqual(parseOracle("fold:chem1"));
  });

  it("leaves readable oracles, test functions and missing project twins as they are", () => {
    const readable = parseOracle("chem1");
    expect(readableOracle(readable)).toBe(readable);
    const fn: OracleSpec = { kind: "problem", name: "hartmann6" };
    expect(readableOracle(fn)).toBe(fn);
    const project: OracleSpec = { kind: "twin", file: "/no/such/twins/chem2.json" };
    expect(oracleLabel(project)).toBe("project:chem2");
    expect(readableOracle(project)).toBe(project);
  });
});

describe("command line of the run-folder benchmarks", () => {
  it("splits --quick, --NAME VALUE flags and folders", () => {
    const a = folderArgs(["--default", "gp-ucb", "runs/a", "--quick", "runs/b", "--out", "x.json"]);
    expect(a.quick).toBe(true);
    expect(a.dirs).toEqual(["runs/a", "runs/b"]);
    expect(Object.fromEntries(a.flags)).toEqual({ default: "gp-ucb", quick: "1", out: "x.json" });
    expect(folderArgs([]).quick).toBe(false);
  });
});
