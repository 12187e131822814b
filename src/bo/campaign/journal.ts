import type { Condition } from "../problem/space.js";
import type { Measurement } from "../lab.js";
import type { SurrogateFitInfo } from "../surrogate.js";

/** Why an experiment is in a campaign: initial design, an optimizer choice, or the final pure exploitation. */
export type Phase = "init" | "optimizer" | "exploit";

/** Life cycle of one experiment: written as `proposed` before anything runs, `running` while the lab works. */
export type ExperimentStatus = "proposed" | "running" | "done" | "failed";

/** Where an experiment's result comes from: measured on the campaign's lab, or read from a data set. */
export type ExperimentSource = "lab" | "dataset";

/** A new experiment as it is written before it runs. */
export interface ProposalRecord {
  /** 0-based position in the campaign; unique within it. */
  index: number;
  phase: Phase;
  source: ExperimentSource;
  /** Proposed condition, physical units, keyed by input name (fixed inputs included). */
  condition: Condition;
  /** Fixed inputs and derived set points of the condition, by name (e.g. PFO, uL/min). */
  setPoints: Record<string, number>;
  /** What the strategy knew when it chose the point (acquisition value, predicted mean, ...). */
  info?: Record<string, unknown>;
}

/** One experiment of a campaign as journaled so far. */
export interface ExperimentRecord extends ProposalRecord {
  status: ExperimentStatus;
  /** Present once `status` is `done`. */
  measurement?: Measurement;
  /** Present when `status` is `failed`. */
  error?: string;
}

/** A surrogate fit that preceded a proposal, kept for diagnosis. */
export interface FitRecord extends SurrogateFitInfo {
  /** Index of the experiment whose proposal followed this fit. */
  index: number;
  surrogate: string;
}

/**
 * Where a campaign writes as it goes. The runner writes every proposal before running it
 * and every measurement before the next step; an implementation must make each call
 * durable before it returns (the SQLite store commits a transaction per call).
 */
export interface CampaignJournal {
  /** All experiments of this campaign, by index. */
  experiments(): ExperimentRecord[];
  /** Write proposals (status `proposed`) atomically. */
  propose(records: readonly ProposalRecord[]): void;
  /** Write finished experiments from a data set (status `done`) atomically. */
  addDone(records: readonly { proposal: ProposalRecord; measurement: Measurement }[]): void;
  markRunning(index: number): void;
  /** Record a measurement and mark the experiment `done`; timings (seconds by step) in the same transaction. */
  recordMeasurement(index: number, m: Measurement, timings?: Record<string, number>): void;
  /** Record several measurements (each marks its experiment `done`) in one atomic step: all or none. */
  recordMeasurements(entries: readonly { index: number; measurement: Measurement }[]): void;
  markFailed(index: number, error: string): void;
  recordFit(fit: FitRecord): void;
  /** Wall-clock seconds spent in one step (ask, run, tell, fit, acquisition, ...) for an experiment. */
  recordTiming(index: number, step: string, seconds: number): void;
  /** Close the campaign as finished or failed. */
  finish(status: "finished" | "failed"): void;
}
