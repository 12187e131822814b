import type { ExperimentRecord } from "../bo/campaign/journal.js";

/** An `experiments` row as SQLite returns it (schema version 2; JSON columns as text). */
export interface ExperimentRow {
  idx: number;
  phase: string;
  source: string;
  status: string;
  condition: string;
  set_points: string;
  proposal_info: string | null;
  run_condition: string | null;
  run_set_points: string | null;
  outcomes: string | null;
  objective: number | null;
  lab_started_at: number | null;
  lab_finished_at: number | null;
  measurement_meta: string | null;
  error: string | null;
}

/** A JSON object of numbers; null entries (a value SQLite could not keep, e.g. NaN) are left out. */
function numbers(text: string | null): Record<string, number> {
  if (text === null) return {};
  const o = JSON.parse(text) as Record<string, number | null>;
  return Object.fromEntries(Object.entries(o).filter(([, v]) => typeof v === "number")) as Record<string, number>;
}

/** Row -> record; the measurement is present only for a `done` row. */
export function rowToExperiment(r: ExperimentRow): ExperimentRecord {
  const condition = numbers(r.condition);
  const setPoints = numbers(r.set_points);
  const rec: ExperimentRecord = {
    index: r.idx,
    phase: r.phase as ExperimentRecord["phase"],
    source: r.source as ExperimentRecord["source"],
    status: r.status as ExperimentRecord["status"],
    condition,
    setPoints,
  };
  if (r.proposal_info !== null) rec.info = JSON.parse(r.proposal_info);
  if (r.error !== null) rec.error = r.error;
  if (r.status === "done") {
    rec.measurement = {
      condition: r.run_condition !== null ? numbers(r.run_condition) : { ...condition },
      setPoints: r.run_set_points !== null ? numbers(r.run_set_points) : { ...setPoints },
      outcomes: numbers(r.outcomes),
      objective: r.objective ?? NaN,
      startedAt: r.lab_started_at ?? NaN,
      finishedAt: r.lab_finished_at ?? NaN,
      ...(r.measurement_meta !== null ? { meta: JSON.parse(r.measurement_meta) } : {}),
    };
  }
  return rec;
}
