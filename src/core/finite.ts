import { SdflError } from "./errors.js";

/** Where a non-finite number sits in a result: a path such as `truth.plqy` or `rows[3].plqy_mean`. */
export interface NonFinite {
  path: string;
  value: number;
}

/**
 * The first NaN or +-Infinity in a result (objects, arrays, typed arrays; depth-first),
 * or undefined when every number is finite. `null` and other non-numbers are not judged.
 */
export function firstNonFinite(value: unknown, path = ""): NonFinite | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? undefined : { path: path || "(value)", value };
  if (value === null || typeof value !== "object") return undefined;
  if (ArrayBuffer.isView(value)) {
    const a = value as unknown as ArrayLike<number>;
    for (let i = 0; i < a.length; i++) if (typeof a[i] === "number" && !Number.isFinite(a[i])) return { path: `${path}[${i}]`, value: a[i] };
    return undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = firstNonFinite(value[i], `${path}[${i}]`);
      if (hit) return hit;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(value)) {
    const hit = firstNonFinite(v, path ? `${path}.${k}` : k);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * The last guard before a result is written or printed: a NaN or Infinity anywhere in
 * `value` is an {@link SdflError} (exit 1), never a file with "NaN" or "null" in it.
 * @param what  what would have been written, e.g. "the predictions for out.csv"
 */
export function assertFiniteResult(value: unknown, what: string, hint?: string): void {
  const hit = firstNonFinite(value);
  if (hit)
    throw new SdflError(
      `refusing to write ${what}: ${hit.path} is ${hit.value}, not a finite number`,
      hint ?? "a twin, data file or strategy produced a non-number; check the files named above (`sdfl twin evaluate` checks a twin on its data)",
    );
}
