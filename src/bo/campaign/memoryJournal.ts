import type { Measurement } from "../lab.js";
import type { CampaignJournal, ExperimentRecord, FitRecord, ProposalRecord } from "./journal.js";

/**
 * A {@link CampaignJournal} in memory: for benchmarks, where a crashed run is simply
 * rerun. Same bookkeeping rules as the SQLite store (duplicate indices refused).
 */
export class MemoryJournal implements CampaignJournal {
  private readonly rows = new Map<number, ExperimentRecord>();
  readonly fits: FitRecord[] = [];
  readonly timings: { index: number; step: string; seconds: number }[] = [];
  status: "running" | "finished" | "failed" = "running";

  experiments(): ExperimentRecord[] {
    return [...this.rows.values()].sort((a, b) => a.index - b.index).map((r) => ({ ...r }));
  }

  propose(records: readonly ProposalRecord[]): void {
    for (const r of records) if (this.rows.has(r.index)) throw new Error(`experiment ${r.index} already exists`);
    for (const r of records) this.rows.set(r.index, { ...r, status: "proposed" });
  }

  addDone(records: readonly { proposal: ProposalRecord; measurement: Measurement }[]): void {
    for (const r of records) if (this.rows.has(r.proposal.index)) throw new Error(`experiment ${r.proposal.index} already exists`);
    for (const r of records) this.rows.set(r.proposal.index, { ...r.proposal, status: "done", measurement: r.measurement });
  }

  markRunning(index: number): void {
    this.get(index).status = "running";
  }

  recordMeasurement(index: number, m: Measurement, timings?: Record<string, number>): void {
    const r = this.get(index);
    r.status = "done";
    r.measurement = m;
    for (const [step, seconds] of Object.entries(timings ?? {})) this.timings.push({ index, step, seconds });
  }

  recordMeasurements(entries: readonly { index: number; measurement: Measurement }[]): void {
    for (const e of entries) this.get(e.index);
    for (const e of entries) Object.assign(this.get(e.index), { status: "done", measurement: e.measurement });
  }

  markFailed(index: number, error: string): void {
    const r = this.get(index);
    r.status = "failed";
    r.error = error;
  }

  recordFit(fit: FitRecord): void {
    this.fits.push(fit);
  }

  recordTiming(index: number, step: string, seconds: number): void {
    this.timings.push({ index, step, seconds });
  }

  finish(status: "finished" | "failed"): void {
    this.status = status;
  }

  private get(index: number): ExperimentRecord {
    const r = this.rows.get(index);
    if (!r) throw new Error(`no experiment ${index}`);
    return r;
  }
}
