import { UsageError } from "../../core/errors.js";

/**
 * How a campaign gets its initial data: the published LHS rows of a data set, or `count`
 * new points of a seeded space-filling design (maximin LHS or scrambled Sobol) measured
 * on the lab.
 */
export type InitSpec = { kind: "dataset" } | { kind: "lhs" | "sobol"; count: number };

/** Largest initial design accepted. */
const MAX_INIT_POINTS = 10_000;

/**
 * Parse `--init`: "published" (or "dataset"), "lhs:60", "sobol:10", or a bare count
 * "60" meaning "lhs:60". Anything else is a {@link UsageError} listing the forms.
 */
export function parseInitSpec(text: string, flag = "--init"): InitSpec {
  const t = text.trim().toLowerCase();
  if (t === "published" || t === "dataset") return { kind: "dataset" };
  const m = /^(?:(lhs|sobol):)?(\d+)$/.exec(t);
  if (!m) {
    throw new UsageError(`${flag} "${text}" is not understood`, `use published, lhs:N or sobol:N (N from 1 to ${MAX_INIT_POINTS}), e.g. ${flag} lhs:60`);
  }
  const count = Number(m[2]);
  if (count < 1 || count > MAX_INIT_POINTS) throw new UsageError(`${flag} ${text}: the number of points must be from 1 to ${MAX_INIT_POINTS}`);
  return { kind: (m[1] ?? "lhs") as "lhs" | "sobol", count };
}
