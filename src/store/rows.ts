import type { ExperimentRecord } from "../bo/campaign/journal.js";

/** An `experiments` row as SQLite returns it. */
export interface ExperimentRow {
  idx: number;
  phase: string;
  source: string;
  status: string;
  T: number;
  CuI: number;
  ZnI2: number;
  CsOA: number;
  ODE: number;
  PFO: number;
  proposal_info: string | null;
  run_condition: string | null;
  abs300: number | null;
  pla: number | null;
  peak446: number | null;
  plqy: number | null;
  lab_started_at: number | null;
  lab_finished_at: number | null;
  measurement_meta: string | null;
  error: string | null;
}

/** Row -> record; the measurement is present only for a `done` row. */
export function rowToExperiment(r: ExperimentRow): ExperimentRecord {
  const rec: ExperimentRecord = {
    index: r.idx,
    phase: r.phase as ExperimentRecord["phase"],
    source: r.source as ExperimentRecord["source"],
    status: r.status as ExperimentRecord["status"],
    condition: { T: r.T, CuI: r.CuI, ZnI2: r.ZnI2, CsOA: r.CsOA, ODE: r.ODE },
    setPoints: { PFO: r.PFO },
  };
  if (r.proposal_info !== null) rec.info = JSON.parse(r.proposal_info);
  if (r.error !== null) rec.error = r.error;
  if (r.status === "done") {
    const run = r.run_condition ? (JSON.parse(r.run_condition) as Record<string, number>) : { ...rec.condition, PFO: r.PFO };
    rec.measurement = {
      condition: { T: run.T, CuI: run.CuI, ZnI2: run.ZnI2, CsOA: run.CsOA, ODE: run.ODE },
      setPoints: { PFO: run.PFO },
      outcomes: { abs300: r.abs300 as number, pla: r.pla as number, ...(r.peak446 !== null ? { peak446: r.peak446 } : {}) },
      objective: r.plqy as number,
      startedAt: r.lab_started_at ?? NaN,
      finishedAt: r.lab_finished_at ?? NaN,
      ...(r.measurement_meta !== null ? { meta: JSON.parse(r.measurement_meta) } : {}),
    };
  }
  return rec;
}
