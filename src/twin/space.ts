/**
 * The paper's problem, defined in this one place: five inputs (plate temperature and four
 * precursor flows), the total-flow rule, PFO = half the precursor sum, the measured
 * optical features and the PLQY proxy as the objective. It is an ordinary problem
 * definition (the same JSON format users write, docs/problem.md), the default of every
 * command; the generic machinery lives in src/bo/problem.
 */
import { parseProblem } from "../bo/problem/parseProblem.js";
import type { Problem, ProblemDefinition } from "../bo/problem/problem.js";
import type { LinearConstraint, SearchSpace } from "../bo/problem/space.js";
import type { Measurement } from "../bo/lab.js";
import { DEFAULT_PLQY_REFERENCE as REF } from "./plqy.js";

export { checkInBounds, denormalize, normalize, satisfiesConstraints } from "../bo/problem/space.js";
export type { LinearConstraint, SearchSpace } from "../bo/problem/space.js";

/** The five independent inputs, in the fixed column order of inputs.csv. */
export const INPUT_NAMES = ["T", "CuI", "ZnI2", "CsOA", "ODE"] as const;
export type InputName = (typeof INPUT_NAMES)[number];

/** A reaction condition of the paper's problem in physical units (degC and uL/min). */
export type Condition = Record<InputName, number>;

/** Ratio of the PFO carrier flow to the total precursor flow (0.5 in the published setup). */
export const PFO_RATIO = 0.5;

/** The critical total flow above which mixing is not mass-transfer limited (uL/min). */
export const CRITICAL_TOTAL_FLOW = 576;

const PRECURSOR_SUM = "CuI + ZnI2 + CsOA + ODE";

/** The paper's problem as a problem file would write it (`sdfl problem show` prints it). */
export const PAPER_PROBLEM_DEFINITION: ProblemDefinition = {
  name: "cs3cu2i5-droplet-flow",
  description: "Cs3Cu2I5 nanocrystals in a droplet flow reactor: maximise the PLQY proxy (the published setup)",
  inputs: [
    // Resolutions: the F4T set point and display step (0.1 degC); 0.1 uL/min for the
    // pumps, which take 0.01 uL/min set points but repeat flows only to about 0.05 %.
    { name: "T", unit: "degC", bounds: [120, 180], resolution: 0.1, description: "heater plate (reaction) temperature" },
    { name: "CuI", unit: "uL/min", bounds: [80, 120], resolution: 0.1, description: "CuI precursor flow rate" },
    { name: "ZnI2", unit: "uL/min", bounds: [80, 120], resolution: 0.1, description: "ZnI2 additive precursor flow rate" },
    { name: "CsOA", unit: "uL/min", bounds: [20, 80], resolution: 0.1, description: "Cs-oleate precursor flow rate" },
    { name: "ODE", unit: "uL/min", bounds: [220, 280], resolution: 0.1, description: "octadecene diluent flow rate" },
  ],
  constraints: [{ name: "mass-transfer regime (total flow incl. PFO)", expression: `${1 + PFO_RATIO} * (${PRECURSOR_SUM}) >= ${CRITICAL_TOTAL_FLOW}` }],
  derived: [{ name: "PFO", unit: "uL/min", expression: `${PFO_RATIO} * (${PRECURSOR_SUM})` }],
  outcomes: [
    { name: "abs300", unit: "", description: "absorbance at 300 nm" },
    { name: "pla", unit: "counts nm", description: "PL peak area 345-700 nm" },
    { name: "peak446", unit: "counts", description: "PL intensity at 446 nm", optional: true },
  ],
  objective: {
    name: "plqy",
    // The relative quantum yield against the reference dye (src/twin/plqy.ts).
    formula: `${REF.plqy} * (pla / ${REF.area}) * (1 - 10^(-${REF.abs})) / (1 - 10^(-abs300))`,
    goal: "maximize",
  },
};

/** The paper's problem: the built-in default. */
export const PAPER_PROBLEM: Problem = parseProblem(PAPER_PROBLEM_DEFINITION, "built-in problem");

/** The published search space (design notes, "The search space"). */
export const DEFAULT_SPACE: SearchSpace = PAPER_PROBLEM.space;

/** PFO carrier flow (uL/min) for the given precursor flows: half their total. */
export function pfoFlow(c: Readonly<Record<string, number>>): number {
  return PFO_RATIO * (c.CuI + c.ZnI2 + c.CsOA + c.ODE);
}

/** Total flow through the reactor, precursors plus PFO (uL/min). */
export function totalFlow(c: Readonly<Record<string, number>>): number {
  return (1 + PFO_RATIO) * (c.CuI + c.ZnI2 + c.CsOA + c.ODE);
}

/** A total-flow window [min, max] uL/min (precursors + PFO) as a linear constraint. */
export function totalFlowConstraint(min?: number, max?: number): LinearConstraint {
  const k = 1 + PFO_RATIO;
  return {
    label: "total flow",
    text: `${min ?? "-inf"} <= ${k} * (${PRECURSOR_SUM}) <= ${max ?? "inf"}`,
    coef: { CuI: k, ZnI2: k, CsOA: k, ODE: k },
    constant: 0,
    ...(min !== undefined ? { min } : {}),
    ...(max !== undefined ? { max } : {}),
  };
}

/** The paper's condition from an array in INPUT_NAMES order. */
export function paperCondition(x: readonly number[]): Condition {
  if (x.length !== INPUT_NAMES.length) throw new RangeError(`expected ${INPUT_NAMES.length} inputs, got ${x.length}`);
  return { T: x[0], CuI: x[1], ZnI2: x[2], CsOA: x[3], ODE: x[4] };
}

/** The paper's condition as an array in INPUT_NAMES order. */
export function paperArray(c: Readonly<Record<string, number>>): number[] {
  return INPUT_NAMES.map((n) => c[n]);
}

/** What a lab of the paper's reactor measured for one experiment, in the paper's terms. */
export interface PaperResult {
  condition: Condition;
  /** PFO carrier flow used, uL/min. */
  pfo: number;
  /** Absorbance at 300 nm (dimensionless). */
  abs300: number;
  /** PL area 345-700 nm (counts x nm). */
  pla: number;
  /** PL intensity at 446 nm (counts), when measured. */
  peak446?: number;
  /** PLQY proxy from abs300 and pla (the objective). */
  plqy: number;
  startedAt: number;
  finishedAt: number;
  meta?: Record<string, unknown>;
}

/** A paper-reactor result as the generic {@link Measurement} of the paper's problem. */
export function paperMeasurement(r: PaperResult): Measurement {
  return {
    condition: { ...r.condition },
    setPoints: { PFO: r.pfo },
    outcomes: { abs300: r.abs300, pla: r.pla, ...(r.peak446 !== undefined ? { peak446: r.peak446 } : {}) },
    objective: r.plqy,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    ...(r.meta !== undefined ? { meta: r.meta } : {}),
  };
}
