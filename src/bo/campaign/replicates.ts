import type { ExperimentRecord } from "./journal.js";

/** Repeated measurements of the final recommendation: each reading, their mean and sample standard deviation. */
export interface ReplicateSummary {
  /** Measured objective of each done replicate, in order. */
  values: number[];
  mean: number;
  /** Sample standard deviation (n - 1); NaN for a single replicate. */
  sd: number;
}

/** True for an experiment that measures the final recommendation again (labelled `info.replicate`). */
export function isReplicate(r: ExperimentRecord): boolean {
  return typeof r.info?.replicate === "number";
}

/** Mean and sd of the done replicates' measured objective. */
export function replicateSummary(rows: readonly ExperimentRecord[]): ReplicateSummary {
  const values = rows.filter((r) => r.status === "done" && r.measurement).map((r) => r.measurement!.objective);
  const n = values.length;
  const mean = n ? values.reduce((a, b) => a + b, 0) / n : NaN;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : NaN;
  return { values, mean, sd };
}
