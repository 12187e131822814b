import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { importCycles, importGraph, layerOf, type ImportEdge } from "./importGraph.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const { files, edges } = importGraph(ROOT);
const show = (es: readonly ImportEdge[]) => es.map((e) => `${e.from} -> ${e.to}`);

// The dependency directions of docs (design notes, "Layout and the direction of dependencies").
describe("the import graph of src", () => {
  it("sees the sources (the scanner works)", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges.some((e) => e.from === "src/bo/campaign/runner.ts" && e.to === "src/bo/problem/problem.ts")).toBe(true);
    // A dynamic import is an edge too.
    expect(edges.some((e) => e.from === "src/cli/builtinStrategies.ts" && e.to === "src/twin/ennSurrogate.ts")).toBe(true);
  });

  it("src/bo imports nothing from src/twin, src/sim or src/hil (it knows no chemistry and no device)", () => {
    expect(show(edges.filter((e) => layerOf(e.from) === "bo" && ["twin", "sim", "hil"].includes(layerOf(e.to))))).toEqual([]);
  });

  it("src/hil never imports src/sim, and src/twin imports neither", () => {
    expect(show(edges.filter((e) => layerOf(e.from) === "hil" && layerOf(e.to) === "sim"))).toEqual([]);
    expect(show(edges.filter((e) => layerOf(e.from) === "twin" && ["sim", "hil"].includes(layerOf(e.to))))).toEqual([]);
  });

  it("nothing outside src/cli imports src/cli", () => {
    expect(show(edges.filter((e) => layerOf(e.to) === "cli" && layerOf(e.from) !== "cli"))).toEqual([]);
  });

  it("has no import cycles (type-only imports included)", () => {
    expect(importCycles(files, edges)).toEqual([]);
  });

  it("finds a cycle and a forbidden edge when there is one (the checks can fail)", () => {
    const fake: ImportEdge[] = [
      { from: "src/a/x.ts", to: "src/b/y.ts", typeOnly: true },
      { from: "src/b/y.ts", to: "src/a/x.ts", typeOnly: false },
    ];
    expect(importCycles(["src/a/x.ts", "src/b/y.ts"], fake)).toEqual([["src/a/x.ts", "src/b/y.ts"]]);
  });
});
