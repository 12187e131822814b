/**
 * A twin of your own problem (`sdfl twin train --problem`) as a simulated lab: the truth of
 * `sdfl campaign --twin my.json` and the oracle of `sdfl bench --oracle my.json`, so a
 * campaign on your problem can be tried in simulation before it runs on your lab.
 */
import { basename } from "node:path";
import type { BenchmarkLab, Measurement } from "../bo/lab.js";
import { objectiveOf, setPointsOf, type Problem } from "../bo/problem/problem.js";
import { checkInBounds, toArray, type Condition } from "../bo/problem/space.js";
import { Rng } from "../core/rng.js";
import { SdflError, UsageError } from "../core/errors.js";
import type { ProblemTwin } from "../twin/generic/problemTwin.js";
import { readProblemTwin } from "../twin/generic/problemTwinFile.js";
import { parseNoiseSpec } from "./noise.js";

/** Nominal lab-clock duration of one simulated experiment, seconds (as for the function labs). */
const EXPERIMENT_SECONDS = 60;

/** Relative std of each measured outcome for `--noise measured` (as on a function lab). */
export const MEASURED_OUTCOME_RSD = 0.04;

export interface ProblemTwinLabOptions {
  /** "measured" (4 % per outcome), "none", a relative std R (or "objective:R" / "features:R": R on each outcome), or R as a number. */
  noise: string | number;
  /** Seed of the noise draws. */
  seed: number;
  /** The campaign's problem when it narrows the twin's (bounds, constraints, fixed inputs); default the twin's own. */
  problem?: Problem;
  /** Name for logs and stores (default `twin:<file name>`). */
  name?: string;
}

/**
 * Why `given` is not the twin's problem or a narrowing of it (undefined when it is): the
 * same inputs (the twin's free inputs may be fixed, inside the twin's bounds; its fixed
 * ones stay fixed at their value), free bounds inside the twin's, outcomes the twin
 * models (optional ones aside), the same derived set points and objective (formula, goal).
 * Constraints and resolutions may differ.
 */
export function whyNotTwinProblem(given: Problem, twin: ProblemTwin): string | undefined {
  const own = twin.problem;
  const names = (p: Problem) => [...p.space.inputs.map((s) => s.name), ...p.fixed.map((f) => f.name)].sort().join(", ");
  if (names(given) !== names(own)) return `its inputs (${names(given)}) are not the twin's (${names(own)})`;
  for (const f of own.fixed) {
    const g = given.fixed.find((x) => x.name === f.name);
    if (!g || g.value !== f.value) return `the twin was trained with ${f.name} fixed at ${f.value} ${f.unit}; the problem must keep it there`;
  }
  const inside = (name: string, lo: number, hi: number) => {
    const [a, b] = twin.inputBounds[twin.inputs.indexOf(name)];
    return lo >= a - 1e-9 * (b - a) && hi <= b + 1e-9 * (b - a);
  };
  const wider = given.space.inputs.find((s) => !inside(s.name, s.bounds[0], s.bounds[1]));
  if (wider)
    return `the bounds of ${wider.name} (${wider.bounds.join(" to ")} ${wider.unit}) reach beyond the twin's (${twin.inputBounds[twin.inputs.indexOf(wider.name)].join(" to ")})`;
  const outside = given.fixed.find((f) => twin.inputs.includes(f.name) && !inside(f.name, f.value, f.value));
  if (outside) return `the fixed value of ${outside.name} (${outside.value} ${outside.unit}) lies outside the twin's bounds`;
  const modelled = twin.spec.outcomes.map((o) => o.name);
  const missing = given.outcomes.find((o) => !o.optional && !modelled.includes(o.name));
  if (missing) return `its outcome ${missing.name} is not one the twin models (${modelled.join(", ")})`;
  const derived = (p: Problem) => JSON.stringify(p.derived.map((d) => [d.name, d.expression]));
  if (derived(given) !== derived(own)) return "its derived set points are not the twin's";
  if (given.objective.formula !== own.objective.formula || given.objective.goal !== own.objective.goal)
    return `its objective (${given.objective.goal} ${given.objective.formula}) is not the twin's (${own.objective.goal} ${own.objective.formula})`;
  return undefined;
}

/** Relative std per outcome of a noise option; a UsageError for anything else. */
function outcomeRsd(noise: string | number): number {
  if (typeof noise === "number") {
    if (!(noise >= 0 && noise < 1)) throw new UsageError(`noise ${noise} is not a relative standard deviation`, "use a number from 0 to 0.5, e.g. 0.04");
    return noise;
  }
  const spec = parseNoiseSpec(noise);
  return spec.kind === "measured" ? MEASURED_OUTCOME_RSD : spec.kind === "none" ? 0 : spec.rsd;
}

/**
 * The lab: a measurement at a condition is the twin's ensemble-mean prediction of every
 * modelled outcome times (1 + rsd N(0, 1)) (seeded draws, independent per outcome), and
 * the objective is the problem's formula of those outcomes. `evaluateTrue` is the same
 * formula of the noise-free means, so with no noise a run reports exactly the truth.
 */
export class ProblemTwinLab implements BenchmarkLab {
  readonly name: string;
  readonly problem: Problem;
  private readonly rsd: number;
  private readonly rng: Rng;
  private clock = 0;

  /** Load a problem twin file (validated completely) as a lab. */
  static fromFile(file: string, o: ProblemTwinLabOptions): ProblemTwinLab {
    return new ProblemTwinLab(readProblemTwin(file).twin, { ...o, name: o.name ?? `twin:${basename(file).replace(/\.json$/i, "")}` });
  }

  constructor(
    readonly twin: ProblemTwin,
    o: ProblemTwinLabOptions,
  ) {
    this.problem = o.problem ?? twin.problem;
    const why = whyNotTwinProblem(this.problem, twin);
    if (why)
      throw new UsageError(
        `problem "${this.problem.name}" does not fit the twin of "${twin.problem.name}": ${why}`,
        "use the twin's own problem or one that narrows it",
      );
    this.rsd = outcomeRsd(o.noise);
    this.rng = new Rng(o.seed);
    const base = o.name ?? `twin:${twin.problem.name}`;
    this.name = `${base}${this.rsd > 0 ? `+noise${this.rsd}` : ""}`;
  }

  /** Ensemble-mean outcomes at each condition (fixed inputs from the problem). [n] conditions -> [n] records. */
  private meanOutcomes(conditions: readonly Condition[]): Record<string, number>[] {
    const fixed = Object.fromEntries(this.problem.fixed.map((f) => [f.name, f.value]));
    const points = conditions.map((c) => this.twin.inputs.map((name) => fixed[name] ?? c[name]));
    const post = this.twin.predict(points);
    return conditions.map((_, i) => Object.fromEntries(Object.entries(post.outcomes).map(([name, q]) => [name, q.mean[i]])));
  }

  /** The objective at each condition from the noise-free mean outcomes (in the problem's own sense). Shape [n] -> [n]. */
  evaluateTrue(conditions: readonly Condition[]): number[] {
    if (conditions.length === 0) return [];
    return this.meanOutcomes(conditions).map((o, i) => objectiveOf(this.problem, o, conditions[i]));
  }

  async run(condition: Condition, signal?: AbortSignal): Promise<Measurement> {
    signal?.throwIfAborted();
    checkInBounds(this.problem.space, toArray(this.problem.space, condition), this.name);
    const mean = this.meanOutcomes([condition])[0];
    const outcomes = Object.fromEntries(Object.entries(mean).map(([name, v]) => [name, v * (1 + this.rsd * this.rng.normal())]));
    const objective = objectiveOf(this.problem, outcomes, condition);
    if (!Number.isFinite(objective))
      throw new SdflError(
        `${this.name}: the objective ${this.problem.objective.formula} is ${objective} at ${JSON.stringify(condition)} (outcomes ${JSON.stringify(outcomes)})`,
        "the twin predicts outcomes the objective's formula cannot take there; narrow the problem's bounds with --problem",
      );
    const startedAt = this.clock;
    this.clock += EXPERIMENT_SECONDS;
    return { condition: { ...condition }, setPoints: setPointsOf(this.problem, condition), outcomes, objective, startedAt, finishedAt: this.clock };
  }

  async close(): Promise<void> {
    this.twin.dispose();
  }
}
