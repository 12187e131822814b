import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DataError, SdflError } from "../../../src/core/errors.js";
import { loadProblemFile, parseProblem } from "../../../src/bo/problem/parseProblem.js";
import { objectiveOf, realiseCondition, setPointsOf, utilityOf, type ProblemDefinition } from "../../../src/bo/problem/problem.js";
import { denormalize, fromArray, normalize, satisfiesConstraints, toArray } from "../../../src/bo/problem/space.js";
import { feasibleSetOf, isFeasible } from "../../../src/bo/optimize/feasibleSet.js";
import { PAPER_PROBLEM, PAPER_PROBLEM_DEFINITION, pfoFlow, totalFlow } from "../../../src/twin/space.js";
import { plqyProxy } from "../../../src/twin/plqy.js";

/** A small problem that is not the paper's: three inputs, one fixed, a constraint, a minimize objective. */
const SMALL: ProblemDefinition = {
  name: "three-inputs",
  inputs: [
    { name: "tau", unit: "s", bounds: [10, 100], resolution: 1 },
    { name: "T2", unit: "degC", bounds: [20, 80] },
    { name: "ratio", unit: "", levels: [0.5, 1, 2] },
    { name: "P", unit: "bar", fixed: 2 },
  ],
  constraints: [{ name: "heat budget", expression: "T2 + 0.5 * tau <= 100 + P" }],
  derived: [{ name: "flow", unit: "uL/min", expression: "600 / tau * 60" }],
  outcomes: [
    { name: "yield", unit: "%" },
    { name: "impurity", unit: "%" },
  ],
  objective: { name: "cost", formula: "impurity - 0.1 * yield", goal: "minimize" },
  columns: { tau: "residence_s", yield: "Yield (%)" },
};

const expectError = (def: unknown, pattern: RegExp) => {
  expect(() => parseProblem(def, "p.json")).toThrow(DataError);
  expect(() => parseProblem(def, "p.json")).toThrow(pattern);
};
const withInput = (i: number, patch: object): ProblemDefinition => ({ ...SMALL, inputs: SMALL.inputs.map((x, k) => (k === i ? { ...x, ...patch } : x)) });

describe("problem definitions", () => {
  it("the paper's problem: five inputs in the file's order, PFO half the precursor sum, the PLQY proxy maximised", () => {
    const p = PAPER_PROBLEM;
    expect(p.space.inputs.map((s) => s.name)).toEqual(["T", "CuI", "ZnI2", "CsOA", "ODE"]);
    const c = { T: 150, CuI: 100, ZnI2: 90, CsOA: 50, ODE: 250 };
    expect(setPointsOf(p, c)).toEqual({ PFO: pfoFlow(c) });
    expect(objectiveOf(p, { abs300: 0.8, pla: 20000 })).toBeCloseTo(plqyProxy(0.8, 20000), 14);
    expect(p.objective.goal).toBe("maximize");
    expect(p.space.constraints).toHaveLength(1);
    expect(satisfiesConstraints(p.space, c)).toBe(totalFlow(c) >= 576);
    // Round trip: the printed definition parses to the same problem.
    expect(parseProblem(JSON.parse(JSON.stringify(p.definition))).definition).toEqual(p.definition);
    expect(p.definition).toEqual(JSON.parse(JSON.stringify(PAPER_PROBLEM_DEFINITION)));
  });

  it("fixed inputs leave the space, levels snap, constraints fold the fixed value in, goal minimize flips utility", () => {
    const p = parseProblem(SMALL);
    expect(p.space.inputs.map((s) => s.name)).toEqual(["tau", "T2", "ratio"]);
    expect(p.space.constraints[0]).toMatchObject({ coef: { T2: 1, tau: 0.5 }, constant: 0, max: 102 });
    const c = realiseCondition(p, { tau: 40, T2: 90, ratio: 1.6 });
    expect(c).toEqual({ tau: 40, T2: 90, ratio: 2, P: 2 });
    expect(satisfiesConstraints(p.space, c)).toBe(false);
    expect(satisfiesConstraints(p.space, { tau: 20, T2: 80, ratio: 1 })).toBe(true);
    expect(setPointsOf(p, c)).toEqual({ flow: 900 });
    expect(objectiveOf(p, { yield: 50, impurity: 3 })).toBeCloseTo(-2, 12);
    expect(utilityOf(p, 5)).toBe(-5);
    expect(p.columns).toEqual({ tau: "residence_s", yield: "Yield (%)" });
    expect(() => objectiveOf(p, { yield: 50 })).toThrow(SdflError);
  });

  it("normalize, toArray and fromArray follow the space's own input order, whatever it is (property)", () => {
    const shuffled = parseProblem({ ...PAPER_PROBLEM_DEFINITION, inputs: [...PAPER_PROBLEM_DEFINITION.inputs].reverse() });
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 5, maxLength: 5 }), (z) => {
        const c = fromArray(PAPER_PROBLEM.space, denormalize(PAPER_PROBLEM.space, z));
        const zz = normalize(shuffled.space, toArray(shuffled.space, c));
        expect(zz.map((v) => +v.toFixed(12))).toEqual([...z].reverse().map((v) => +v.toFixed(12)));
      }),
    );
    expect(() => toArray(PAPER_PROBLEM.space, { T: 1 })).toThrow(/no value for input "CuI"/);
    expect(() => fromArray(PAPER_PROBLEM.space, [1, 2])).toThrow(/expected 5 inputs/);
  });

  it("the feasible set of a constraint agrees with the constraint in physical units (property)", () => {
    const p = parseProblem(SMALL);
    const set = feasibleSetOf(p.space);
    expect(set.bands).toHaveLength(1);
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }), (z) => {
        const c = fromArray(p.space, denormalize(p.space, z));
        const inPhysical = satisfiesConstraints(p.space, c);
        if (isFeasible(set, z, 0)) expect(inPhysical).toBe(true);
        else if (inPhysical) expect(isFeasible(set, z, 1e-6)).toBe(true);
      }),
    );
  });

  it("an impossible constraint is refused, naming it", () => {
    const p = parseProblem({ ...SMALL, constraints: [{ name: "too hot", expression: "T2 >= 500" }] });
    expect(() => feasibleSetOf(p.space)).toThrow(/constraint "too hot" \(T2 >= 500\) cannot be met/);
  });

  it("validation errors name the file and the field", () => {
    expectError([], /p\.json: \(top level\): must be an object/);
    expectError({ ...SMALL, inputs: [] }, /inputs: must list at least one input/);
    expectError(withInput(0, { bounds: [100, 10] }), /inputs\[0\]\.bounds: low 100 must be below high 10 s/);
    expectError(withInput(1, { bounds: [1, 2, 3] }), /inputs\[1\]\.bounds: must be \[low, high\]/);
    expectError(withInput(1, { bounds: undefined }), /inputs\[1\]\.bounds: is missing/);
    expectError(withInput(1, { bounds: [0, "x"] }), /inputs\[1\]\.bounds\[1\]: must be a finite number, got "x"/);
    expectError(withInput(0, { resolution: 0 }), /inputs\[0\]\.resolution: must be > 0/);
    expectError(withInput(2, { levels: [1, 1] }), /inputs\[2\]\.levels: lists a level twice/);
    expectError(withInput(3, { bounds: [0, 1] }), /inputs\[3\]\.bounds: a fixed input has no bounds/);
    expectError(withInput(1, { name: "tau" }), /inputs\[1\]\.name: the name "tau" is used twice/);
    expectError(withInput(1, { name: "2x" }), /inputs\[1\]\.name: "2x" is not a usable name/);
    expectError(withInput(1, { colour: "red" }), /inputs\[1\]\.colour: is not a known field/);
    expectError(
      { ...SMALL, constraints: [{ expression: "tau * T2 <= 5" }] },
      /constraints\[0\]\.expression: "tau \* T2" is not linear: a product of two inputs/,
    );
    expectError({ ...SMALL, constraints: [{ expression: "tau + Q <= 5" }] }, /constraints\[0\]\.expression: "Q" is not defined here/);
    expectError({ ...SMALL, constraints: [{ expression: "tau + 1" }] }, /must compare with <= or >=/);
    expectError({ ...SMALL, constraints: [{ expression: "tau + * 1 <= 2" }] }, /at character 7/);
    expectError({ ...SMALL, objective: { formula: "yield", outcome: "yield", goal: "maximize" } }, /objective: give exactly one of outcome/);
    expectError({ ...SMALL, objective: { outcome: "purity", goal: "maximize" } }, /objective\.outcome: "purity" is not one of the outcomes/);
    expectError({ ...SMALL, objective: { outcome: "yield", goal: "max" } }, /objective\.goal: must be "maximize" or "minimize", got "max"/);
    expectError({ ...SMALL, objective: { formula: "yield / tau2", goal: "maximize" } }, /objective\.formula: "tau2" is not defined here/);
    expectError({ ...SMALL, columns: { nope: "x" } }, /columns\.nope: "nope" is not an input or outcome/);
    expectError({ ...SMALL, inputs: [{ name: "P", unit: "bar", fixed: 1 }] }, /every input is fixed/);
  });

  it("loads a file; a missing file or bad JSON is a clear error", () => {
    const dir = mkdtempSync(join(tmpdir(), "sdfl-problem-"));
    const good = join(dir, "small.json");
    writeFileSync(good, JSON.stringify(SMALL));
    expect(loadProblemFile(good).name).toBe("three-inputs");
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{ name: ");
    expect(() => loadProblemFile(bad)).toThrow(/bad\.json: not valid JSON/);
    expect(() => loadProblemFile(join(dir, "none.json"))).toThrow(/problem file not found/);
  });
});
