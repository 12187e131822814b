import { SdflError } from "../../core/errors.js";
import { evaluateExpression, type Expr } from "./expression.js";
import { satisfiesConstraints, type Condition, type SearchSpace } from "./space.js";

/** A measured outcome of an experiment (e.g. an absorbance, a yield). */
export interface OutcomeSpec {
  readonly name: string;
  readonly unit: string;
  readonly description?: string;
  /** True when a lab may leave it out of a measurement. */
  readonly optional?: boolean;
}

/** A set point computed from the inputs, e.g. a carrier flow tied to the other flows. */
export interface DerivedSetPoint {
  readonly name: string;
  readonly unit: string;
  /** As written in the problem file, e.g. "0.5 * (CuI + ZnI2 + CsOA + ODE)". */
  readonly expression: string;
  readonly expr: Expr;
}

/** Whether a larger or a smaller objective is better. */
export type Goal = "maximize" | "minimize";

/** The objective: one outcome, or a formula of outcomes (and inputs, set points). */
export interface ObjectiveSpec {
  readonly name: string;
  readonly unit: string;
  readonly goal: Goal;
  /** An outcome name or a formula, as written in the problem file. */
  readonly formula: string;
  readonly expr: Expr;
}

/** An input held at one value: part of every condition, never varied by the optimizer. */
export interface FixedInput {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  readonly description?: string;
}

/**
 * An optimization problem as data: the search space (free inputs, linear constraints),
 * fixed inputs, derived set points, measured outcomes and the objective. Load one with
 * `parseProblem` / `loadProblemFile`; `definition` is the normalised JSON it came from.
 */
export interface Problem {
  readonly name: string;
  readonly description?: string;
  readonly space: SearchSpace;
  readonly fixed: readonly FixedInput[];
  readonly derived: readonly DerivedSetPoint[];
  readonly outcomes: readonly OutcomeSpec[];
  readonly objective: ObjectiveSpec;
  /** CSV column names by problem name (inputs, outcomes), for data files with other headers. */
  readonly columns: Readonly<Record<string, string>>;
  /** The problem file's content, normalised (what `sdfl problem show` prints). */
  readonly definition: ProblemDefinition;
}

/** The JSON format of a problem file (docs/problem.md). */
export interface ProblemDefinition {
  name: string;
  description?: string;
  inputs: {
    name: string;
    unit: string;
    bounds?: [number, number];
    resolution?: number;
    levels?: number[];
    fixed?: number;
    description?: string;
  }[];
  constraints?: { name?: string; expression: string }[];
  derived?: { name: string; unit: string; expression: string }[];
  outcomes: { name: string; unit: string; description?: string; optional?: boolean }[];
  objective: { name?: string; unit?: string; outcome?: string; formula?: string; goal: Goal };
  columns?: Record<string, string>;
}

/** Values of the fixed inputs and derived set points at a condition, by name. */
export function setPointsOf(problem: Problem, c: Readonly<Condition>): Record<string, number> {
  const vars: Record<string, number> = { ...c };
  for (const f of problem.fixed) vars[f.name] = f.value;
  const out: Record<string, number> = {};
  for (const d of problem.derived) out[d.name] = vars[d.name] = evaluateExpression(d.expr, vars);
  return out;
}

/**
 * The condition a lab runs for a proposal: levelled inputs snapped to their nearest
 * level, inputs with a stated resolution rounded to it (inside the bounds; kept unrounded
 * if rounding would break a constraint), fixed inputs added. Free inputs keep the space's order.
 */
export function realiseCondition(problem: Problem, c: Readonly<Condition>): Condition {
  const snapped: Condition = {};
  const rounded: Condition = {};
  for (const s of problem.space.inputs) {
    const v = c[s.name];
    const level = s.levels && s.levels.length > 0 ? s.levels.reduce((best, l) => (Math.abs(l - v) < Math.abs(best - v) ? l : best), s.levels[0]) : undefined;
    snapped[s.name] = level ?? v;
    rounded[s.name] = level ?? (s.resolution ? Math.min(s.bounds[1], Math.max(s.bounds[0], roundToStep(v, s.resolution))) : v);
  }
  const out = satisfiesConstraints(problem.space, rounded) || !satisfiesConstraints(problem.space, snapped) ? rounded : snapped;
  for (const f of problem.fixed) out[f.name] = f.value;
  return out;
}

/** `value` rounded to the nearest multiple of `step`, without binary noise (e.g. 105.7, not 105.70000000000002). */
export function roundToStep(value: number, step: number): number {
  const digits = Math.max(0, Math.min(15, Math.ceil(-Math.log10(step)) + 2));
  return Number((Math.round(value / step) * step).toFixed(digits));
}

/**
 * The objective from the measured outcomes (and the condition, for formulas that use
 * inputs or set points). Throws {@link SdflError} naming a missing outcome.
 */
export function objectiveOf(problem: Problem, outcomes: Readonly<Record<string, number>>, condition: Readonly<Condition> = {}): number {
  const vars: Record<string, number> = { ...condition, ...setPointsOf(problem, condition), ...outcomes };
  for (const f of problem.fixed) vars[f.name] = f.value;
  const v = evaluateExpression(problem.objective.expr, vars);
  if (Number.isNaN(v)) {
    const missing = problem.outcomes.filter((o) => problem.objective.formula.includes(o.name) && typeof outcomes[o.name] !== "number").map((o) => o.name);
    if (missing.length) throw new SdflError(`the objective ${problem.objective.name} needs outcome(s) ${missing.join(", ")}, which the measurement lacks`);
  }
  return v;
}

/**
 * What strategies maximise for an objective value: the value itself for a maximize
 * problem, its negative for a minimize problem.
 */
export function utilityOf(problem: Pick<Problem, "objective">, value: number): number {
  return problem.objective.goal === "minimize" ? -value : value;
}
