import { denormalize, fromArray, normalize, toArray, type Condition, type SearchSpace } from "../problem/space.js";
import type { BenchmarkLab, Measurement } from "../lab.js";

/**
 * Where a fold puts the inner oracle's maximum. `center` [d] (unit cube) is where the
 * folded oracle peaks; `target` [d] (unit cube) is the inner oracle's argmax.
 */
export interface Fold {
  center: readonly number[];
  target: readonly number[];
}

/**
 * Default fold centres: away from the middle of the box and from every face, different
 * in each input, so the folded maximum is interior and not at a symmetric point.
 */
export const DEFAULT_FOLD_CENTER: readonly number[] = [0.63, 0.36, 0.58, 0.41, 0.67];

/**
 * The fold map z -> u, per input: u = a + (e - a) min(1, |z - c| / max(c, 1 - c)), with
 * c the centre, a the inner argmax and e the far end of the input's range from a (1 if
 * a <= 0.5, else 0). At z = c it gives the inner argmax, and moving away from c in either
 * direction walks the inner oracle's whole range from a to e: a tent, so the folded
 * oracle's maximum (the inner one's) sits at c, with a kink there (sharply peaked).
 */
export function foldPoint(fold: Fold, z: readonly number[]): number[] {
  return z.map((v, j) => {
    const c = fold.center[j];
    const a = fold.target[j];
    const e = a <= 0.5 ? 1 : 0;
    return a + (e - a) * Math.min(1, Math.abs(v - c) / Math.max(c, 1 - c));
  });
}

/**
 * A benchmark lab evaluated through a fold of its input box (see {@link foldPoint}): a
 * published or project twin whose maximum sits at a box corner becomes an oracle with the
 * same maximum value inside the box. Measurements report the condition as asked (the
 * folded one); the inner lab's noise applies unchanged.
 */
export class FoldedLab implements BenchmarkLab {
  readonly name: string;

  constructor(
    private readonly inner: BenchmarkLab,
    readonly fold: Fold,
    private readonly space: SearchSpace,
  ) {
    this.name = `fold(${inner.name})`;
  }

  /** The inner lab's condition for a condition of the folded lab. */
  innerCondition(c: Condition): Condition {
    return fromArray(this.space, denormalize(this.space, foldPoint(this.fold, normalize(this.space, toArray(this.space, c)))));
  }

  evaluateTrue(conditions: readonly Condition[]): number[] {
    return this.inner.evaluateTrue(conditions.map((c) => this.innerCondition(c)));
  }

  async run(condition: Condition, signal?: AbortSignal): Promise<Measurement> {
    const m = await this.inner.run(this.innerCondition(condition), signal);
    // Set points derived from the inner condition (e.g. the carrier flow) are what the inner lab ran; the folded lab reports its own condition.
    const { setPoints, ...rest } = m;
    return { ...rest, condition: { ...condition }, meta: { ...m.meta, innerCondition: m.condition, ...(setPoints ? { innerSetPoints: setPoints } : {}) } };
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
