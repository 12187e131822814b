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

/** A named schedule, with overrides; a {@link UsageError} lists the names when unknown. */
export function scheduleByName(name: string, overrides: Partial<TrainSchedule> = {}): TrainSchedule {
  const base = SCHEDULES[name];
  if (!base) throw new UsageError(`unknown training schedule "${name}"`, `choose one of ${Object.keys(SCHEDULES).join(", ")}`);
  return { ...base, ...overrides };
}
