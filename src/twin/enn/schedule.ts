import { UsageError } from "../../core/errors.js";

/** Every hyperparameter of member training. */
export interface TrainSchedule {
  name: string;
  /** Adam step size. */
  learningRate: number;
  /** Rows per step; 0 = full batch (one step per epoch). */
  batchSize: number;
  /** Epochs without an improvement of the validation loss larger than minDelta before stopping. */
  patience: number;
  /** Improvement (in summed scaled MSE) that counts. */
  minDelta: number;
  maxEpochs: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /**
   * Which weights a member keeps: "best" (a copy at the lowest validation loss, default) or
   * "last" (the weights when patience ran out, as the original code effectively did).
   */
  keep?: "best" | "last";
  /**
   * Which rows a member trains and stops on: "shared" (one seeded split for all members,
   * default), "member" (each member its own seeded split, so the ensemble sees every row),
   * "bootstrap" (each member trains on n rows drawn with replacement and stops on the rows
   * it did not draw), "folds" (cross-fitting: the rows are dealt into round(1 / valFraction)
   * seeded folds and member k holds out fold k mod K, so every row is out of bag for the
   * same number of members), "none" (all rows; stopping watches the training loss).
   */
  split?: "shared" | "member" | "bootstrap" | "folds" | "none";
  /** Folds of the "folds" split. Default round(1 / valFraction). */
  folds?: number;
  /** Decoupled (AdamW) weight decay per step, as a fraction of the learning rate. Default 0. */
  weightDecay?: number;
}

/** The original ENN settings: Adam 1e-3, batch 16, patience 100, min delta 1e-4, at most 3000 epochs. */
export const REFERENCE_SCHEDULE: TrainSchedule = {
  name: "reference",
  learningRate: 1e-3,
  batchSize: 16,
  patience: 100,
  minDelta: 1e-4,
  maxEpochs: 3000,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  keep: "best",
  split: "shared",
  weightDecay: 0,
};

/**
 * The default: full-batch steps (one per epoch) at 5e-3 with patience 30. Chosen with
 * benchmarks/train.ts over three chemistries and three seeds: about 2x fewer
 * member-epochs than the reference schedule (and one step per epoch instead of three) at
 * equal or better mean validation R^2 on the same splits; see benchmarks/notes/twin.md.
 */
export const FAST_SCHEDULE: TrainSchedule = {
  ...REFERENCE_SCHEDULE,
  name: "fast",
  learningRate: 5e-3,
  batchSize: 0,
  patience: 30,
};

export const SCHEDULES: Record<string, TrainSchedule> = { reference: REFERENCE_SCHEDULE, fast: FAST_SCHEDULE };

/** The schedule `sdfl twin train` and the ENN surrogate use unless told otherwise. */
export const DEFAULT_SCHEDULE: TrainSchedule = FAST_SCHEDULE;

/** A named schedule, with overrides; a {@link UsageError} lists the names when unknown. */
export function scheduleByName(name: string, overrides: Partial<TrainSchedule> = {}): TrainSchedule {
  const base = SCHEDULES[name];
  if (!base) throw new UsageError(`unknown training schedule "${name}"`, `choose one of ${Object.keys(SCHEDULES).join(", ")}`);
  return { ...base, ...overrides };
}
