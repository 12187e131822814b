import { Rng } from "../../core/rng.js";
import { DEFAULT_PLQY_REFERENCE, plqyProxy } from "../../twin/plqy.js";
import { DEFAULT_SPACE, normalize, pfoFlow, toArray, checkInBounds, type Condition, type SearchSpace } from "../../twin/space.js";
import type { BenchmarkLab, Measurement } from "../lab.js";
import type { TestFunction } from "./testFunctions.js";

/** The true objective of a synthetic oracle spans [0, PLQY_SCALE], like a real PLQY proxy. */
export const PLQY_SCALE = 0.3;

/** Absorbance every synthetic measurement reports; the objective and its noise live in PLA. */
const SYNTHETIC_ABS300 = 1;

/** Nominal lab-clock duration of one synthetic experiment, seconds. */
const EXPERIMENT_SECONDS = 60;

export interface SyntheticLabOptions {
  /** Relative standard deviation of the measured objective (0.04 = 4 %). */
  noise: number;
  seed: number;
  space?: SearchSpace;
}

/**
 * A test function as a {@link BenchmarkLab}. The true objective is the function rescaled
 * to [0, 0.3]: `0.3 (f - min) / (max - min)`, so the maximum is 0.3 and regret in the
 * classic units is `(0.3 - y) (max - min) / 0.3`. A measurement reports Abs300 = 1 and a
 * PLA whose PLQY proxy is the true value times (1 + noise N(0, 1)); noise draws come
 * from a generator seeded with `seed`.
 */
export class SyntheticLab implements BenchmarkLab {
  readonly name: string;
  readonly fn: TestFunction;
  private readonly space: SearchSpace;
  private readonly rng: Rng;
  private readonly noise: number;
  private clock = 0;
  /** PLA giving PLQY proxy 1 at Abs300 = 1 (the proxy is linear in PLA). */
  private readonly plaPerPlqy: number;

  constructor(fn: TestFunction, o: SyntheticLabOptions) {
    if (!(o.noise >= 0 && o.noise < 1)) throw new RangeError(`noise must be in [0, 1), got ${o.noise}`);
    this.fn = fn;
    this.name = `${fn.name}${o.noise > 0 ? `+noise${o.noise}` : ""}`;
    this.space = o.space ?? DEFAULT_SPACE;
    this.rng = new Rng(o.seed);
    this.noise = o.noise;
    this.plaPerPlqy = 1 / plqyProxy(SYNTHETIC_ABS300, 1, DEFAULT_PLQY_REFERENCE);
  }

  /** Noise-free objective in [0, 0.3] for each condition. */
  evaluateTrue(conditions: readonly Condition[]): number[] {
    const { max, min } = this.fn;
    return conditions.map((c) => (PLQY_SCALE * (this.fn.f(normalize(this.space, toArray(c))) - min)) / (max - min));
  }

  async run(condition: Condition, signal?: AbortSignal): Promise<Measurement> {
    signal?.throwIfAborted();
    checkInBounds(this.space, toArray(condition), `${this.name}`);
    const truth = this.evaluateTrue([condition])[0];
    const measured = truth * (1 + this.noise * this.rng.normal());
    const pla = measured * this.plaPerPlqy;
    const startedAt = this.clock;
    this.clock += EXPERIMENT_SECONDS;
    return {
      condition: { ...condition },
      pfo: pfoFlow(condition),
      abs300: SYNTHETIC_ABS300,
      pla,
      plqy: plqyProxy(SYNTHETIC_ABS300, pla, DEFAULT_PLQY_REFERENCE),
      startedAt,
      finishedAt: this.clock,
    };
  }

  async close(): Promise<void> {}
}
