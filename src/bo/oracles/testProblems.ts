import type { ProblemDefinition } from "../problem/problem.js";
import { branin, hartmann6 } from "./testFunctions.js";

/**
 * A classic optimisation test function as a problem at its own dimension and on its own
 * box, minimised as published, so benchmark regret curves compare with the literature.
 */
export interface TestProblem {
  readonly name: string;
  /** Inputs x1..xd on the classic box; one outcome, `f`, minimised. */
  readonly problem: ProblemDefinition;
  /** The classic function at a point of its box, inputs in order x1..xd. */
  readonly f: (x: readonly number[]) => number;
  /** Known global minimum and one minimiser (physical coordinates). */
  readonly optimum: number;
  readonly argmin: readonly number[];
}

const testProblem = (name: string, description: string, bounds: [number, number][]): ProblemDefinition => ({
  name,
  description,
  inputs: bounds.map((b, i) => ({ name: `x${i + 1}`, unit: "", bounds: b })),
  outcomes: [{ name: "f", unit: "", description: "function value" }],
  objective: { name: "f", outcome: "f", goal: "minimize" },
});

/** Branin-Hoo on x1 in [-5, 10], x2 in [0, 15]: minimum 0.397887 at three points. */
export const BRANIN_2D: TestProblem = {
  name: "branin",
  problem: testProblem("branin", "Branin-Hoo, 2-D, minimised (minimum 0.397887)", [
    [-5, 10],
    [0, 15],
  ]),
  f: (x) => branin(x[0], x[1]),
  optimum: 0.39788735772973816,
  argmin: [Math.PI, 2.275],
};

/** Hartmann-6 on [0, 1]^6: minimum -3.32237 at (0.20169, 0.15001, 0.47687, 0.27533, 0.31165, 0.6573). */
export const HARTMANN6_6D: TestProblem = {
  name: "hartmann6",
  problem: testProblem(
    "hartmann6",
    "Hartmann-6, 6-D, minimised (minimum -3.32237)",
    Array.from({ length: 6 }, () => [0, 1] as [number, number]),
  ),
  f: (x) => hartmann6(x),
  optimum: -3.3223680114155147,
  argmin: [0.20168952, 0.15001069, 0.47687398, 0.27533243, 0.31165162, 0.65730054],
};

/** The classic test problems by name (`--oracle branin`, `--oracle hartmann6`). */
export const TEST_PROBLEMS: Readonly<Record<string, TestProblem>> = { branin: BRANIN_2D, hartmann6: HARTMANN6_6D };
