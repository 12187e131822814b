import { Rng } from "../../src/core/rng.js";

/**
 * A small problem that is not the paper's, for problem-twin tests: three inputs, two
 * measured outcomes, an objective that is a formula of both (minimised), and a CSV with
 * other column names.
 */
export const TWO_OUTCOME_PROBLEM = {
  name: "flow-oxidation",
  inputs: [
    { name: "tau", unit: "s", bounds: [10, 100] as [number, number] },
    { name: "T2", unit: "degC", bounds: [20, 80] as [number, number] },
    { name: "conc", unit: "M", bounds: [0.1, 1] as [number, number] },
  ],
  outcomes: [
    { name: "yield", unit: "%" },
    { name: "impurity", unit: "%" },
  ],
  objective: { name: "cost", formula: "impurity - 0.1 * yield", goal: "minimize" as const },
};

export type Cond = { tau: number; T2: number; conc: number };

/** Smooth true outcomes of a condition (no noise). */
export function trueOutcomes(c: Cond): { yield: number; impurity: number } {
  return {
    yield: 80 - 20 * ((c.tau - 40) / 30) ** 2 - 15 * ((c.T2 - 50) / 20) ** 2 + 10 * c.conc,
    impurity: 2 + 0.05 * c.T2 + 3 * c.conc * c.conc,
  };
}

/** n seeded uniform conditions in the box. */
export function conditions(n: number, seed: number): Cond[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => ({ tau: rng.range(10, 100), T2: rng.range(20, 80), conc: rng.range(0.1, 1) }));
}

/** CSV text with the lab's own headers: residence_s, temp_C, c_M, Yield (%), imp. */
export function labCsv(cs: readonly Cond[]): string {
  const lines = cs.map((c) => {
    const o = trueOutcomes(c);
    return `${c.tau},${c.T2},${c.conc},${o.yield},${o.impurity}`;
  });
  return ["residence_s,temp_C,c_M,Yield (%),imp", ...lines].join("\n") + "\n";
}

/** The `columns` mapping (problem name -> CSV header) for {@link labCsv}. */
export const LAB_COLUMNS = { tau: "residence_s", T2: "temp_C", conc: "c_M", yield: "Yield (%)", impurity: "imp" };
