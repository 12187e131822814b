/**
 * The models SHAP explains, as black boxes over batches of points.
 *
 * A {@link BlackBox} maps n points (shape [n][d]) to one or more outputs, each of
 * length n. Explainers call it ONCE with every point they need (all coalitions x all
 * background rows x all explained rows), so a batched model (a twin) pays its fixed
 * cost once.
 */
export type BlackBox = (points: readonly (readonly number[])[]) => ArrayLike<number>[];

/** A scalar black box f: (X[n][d]) -> y[n]. */
export type ScalarBlackBox = (points: readonly (readonly number[])[]) => ArrayLike<number>;

/** Wrap a scalar black box as a one-output {@link BlackBox}. */
export function fromScalar(f: ScalarBlackBox): BlackBox {
  return (points) => [f(points)];
}

/**
 * Call `f` and check it returned `outputs` arrays of n values each. A scalar black box
 * (returning one array of numbers) is accepted too and read as one output.
 */
export function evaluateChecked(f: BlackBox | ScalarBlackBox, points: readonly (readonly number[])[], outputs?: number): ArrayLike<number>[] {
  const raw = f(points) as ArrayLike<number> | ArrayLike<number>[];
  const ys = isScalarResult(raw) ? [raw] : (raw as ArrayLike<number>[]);
  if (outputs !== undefined && ys.length !== outputs) throw new RangeError(`model returned ${ys.length} outputs, expected ${outputs}`);
  ys.forEach((y, k) => {
    if (y.length !== points.length) throw new RangeError(`model output ${k} has ${y.length} values for ${points.length} points`);
  });
  return ys;
}

function isScalarResult(r: ArrayLike<number> | ArrayLike<number>[]): r is ArrayLike<number> {
  return ArrayBuffer.isView(r) || (r.length > 0 && typeof (r as ArrayLike<unknown>)[0] === "number");
}
