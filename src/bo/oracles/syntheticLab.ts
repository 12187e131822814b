import { Rng } from "../../core/rng.js";
import { checkInBounds, normalize, toArray, type Condition, type SearchSpace } from "../problem/space.js";
import type { BenchmarkLab, Measurement } from "../lab.js";
import type { TestFunction } from "./testFunctions.js";

/** The true objective of a synthetic oracle spans [0, PLQY_SCALE]. */
export const PLQY_SCALE = 0.3;

/** Nominal lab-clock duration of one synthetic experiment, seconds. */
const EXPERIMENT_SECONDS = 60;

export interface SyntheticLabOptions {
  /** Relative standard deviation of the measured objective (0.04 = 4 %). */
  noise: number;
  seed: number;
  /** The space whose unit cube the function is evaluated on (its first inputs). */
  space: SearchSpace;
}

/**
 * A test function as a {@link BenchmarkLab}. The true objective is the function rescaled
 * to [0, 0.3]: `0.3 (f - min) / (max - min)`, so the maximum is 0.3 and regret in the
 * classic units is `(0.3 - y) (max - min) / 0.3`. A measurement reports one outcome, `f`:
 * the true value times (1 + noise N(0, 1)), which is also the objective; noise draws come
 * from a generator seeded with `seed`.
 */
export class SyntheticLab implements BenchmarkLab {
  readonly name: string;
  readonly fn: TestFunction;
  private readonly space: SearchSpace;
  private readonly rng: Rng;
  private readonly noise: number;
  private clock = 0;

  constructor(fn: TestFunction, o: SyntheticLabOptions) {
    if (!(o.noise >= 0 && o.noise < 1)) throw new RangeError(`noise must be in [0, 1), got ${o.noise}`);
    this.fn = fn;
    this.name = `${fn.name}${o.noise > 0 ? `+noise${o.noise}` : ""}`;
    this.space = o.space;
    this.rng = new Rng(o.seed);
    this.noise = o.noise;
  }

  /** Noise-free objective in [0, 0.3] for each condition. */
  evaluateTrue(conditions: readonly Condition[]): number[] {
    const { max, min } = this.fn;
    return conditions.map((c) => (PLQY_SCALE * (this.fn.f(normalize(this.space, toArray(this.space, c))) - min)) / (max - min));
  }

  async run(condition: Condition, signal?: AbortSignal): Promise<Measurement> {
    signal?.throwIfAborted();
    checkInBounds(this.space, toArray(this.space, condition), `${this.name}`);
    const truth = this.evaluateTrue([condition])[0];
    const measured = truth * (1 + this.noise * this.rng.normal());
    const startedAt = this.clock;
    this.clock += EXPERIMENT_SECONDS;
    return { condition: { ...condition }, outcomes: { f: measured }, objective: measured, startedAt, finishedAt: this.clock };
  }

  async close(): Promise<void> {}
}
