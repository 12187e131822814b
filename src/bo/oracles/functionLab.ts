import { Rng } from "../../core/rng.js";
import { SdflError } from "../../core/errors.js";
import type { BenchmarkLab, Measurement } from "../lab.js";
import { setPointsOf, type Problem } from "../problem/problem.js";
import { checkInBounds, toArray, type Condition } from "../problem/space.js";

/** Nominal lab-clock duration of one synthetic experiment, seconds. */
const EXPERIMENT_SECONDS = 60;

/** A noise-free objective of a problem: conditions (keyed by input name) -> true values. */
export type TrueObjective = (conditions: readonly Condition[]) => number[] | Promise<number[]>;

export interface FunctionLabOptions {
  /** Name for logs and stores. */
  name: string;
  /** Relative standard deviation of the measured objective, of its magnitude (0.04 = 4 %). */
  noise: number;
  seed: number;
}

/**
 * Any function of a problem's inputs as a {@link BenchmarkLab}: a measurement reports the
 * objective's outcome as `truth + noise |truth| N(0, 1)` (noise draws seeded), and
 * `evaluateTrue` the function itself. The problem's objective must be one outcome (there
 * is nothing else to report); test functions and user oracle modules are such problems.
 */
export class FunctionLab implements BenchmarkLab {
  readonly name: string;
  private readonly rng: Rng;
  private clock = 0;
  private readonly outcome: string;

  constructor(
    readonly problem: Problem,
    private readonly evaluate: (conditions: readonly Condition[]) => number[],
    private readonly o: FunctionLabOptions,
  ) {
    if (!(o.noise >= 0 && o.noise < 1)) throw new RangeError(`noise must be in [0, 1), got ${o.noise}`);
    const obj = problem.objective;
    if (obj.expr.kind !== "var" || !problem.outcomes.some((x) => x.name === obj.formula)) {
      throw new SdflError(`${o.name}: the objective of problem ${problem.name} must be one outcome for a function lab, not the formula ${obj.formula}`);
    }
    this.outcome = obj.formula;
    this.name = `${o.name}${o.noise > 0 ? `+noise${o.noise}` : ""}`;
    this.rng = new Rng(o.seed);
  }

  /** Noise-free objective for each condition. Shape [n] -> [n]. */
  evaluateTrue(conditions: readonly Condition[]): number[] {
    const v = this.evaluate(conditions);
    if (!Array.isArray(v) || v.length !== conditions.length) {
      throw new SdflError(
        `${this.o.name}: evaluate() returned ${Array.isArray(v) ? `${v.length} values` : typeof v} for ${conditions.length} condition(s)`,
        "return one number per condition, in order",
      );
    }
    v.forEach((x, i) => {
      if (typeof x !== "number" || !Number.isFinite(x))
        throw new SdflError(
          `${this.o.name}: evaluate() returned ${String(x)} for condition ${JSON.stringify(conditions[i])}`,
          "return a finite number per condition",
        );
    });
    return v;
  }

  async run(condition: Condition, signal?: AbortSignal): Promise<Measurement> {
    signal?.throwIfAborted();
    checkInBounds(this.problem.space, toArray(this.problem.space, condition), this.name);
    const truth = this.evaluateTrue([condition])[0];
    const measured = truth + this.o.noise * Math.abs(truth) * this.rng.normal();
    const startedAt = this.clock;
    this.clock += EXPERIMENT_SECONDS;
    return {
      condition: { ...condition },
      setPoints: setPointsOf(this.problem, condition),
      outcomes: { [this.outcome]: measured },
      objective: measured,
      startedAt,
      finishedAt: this.clock,
    };
  }

  async close(): Promise<void> {}
}
