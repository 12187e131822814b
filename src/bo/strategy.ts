import type { Condition, SearchSpace } from "../twin/space.js";
import type { Measurement } from "./lab.js";

/** What a strategy is told about one finished experiment. */
export interface Observation {
  condition: Condition;
  /** The objective as measured (noisy). */
  plqy: number;
  abs300?: number;
  pla?: number;
}

/** Context a strategy receives when it is created. */
export interface StrategyContext {
  space: SearchSpace;
  seed: number;
}

/** A proposal: the condition and what the strategy knew when it chose it. */
export interface Proposal {
  condition: Condition;
  /** Acquisition value, predicted mean/std at the point, etc. */
  info?: Record<string, unknown>;
}

/**
 * An optimization strategy with the ask/tell protocol. Users may bring their own: a
 * module whose default export is a {@link StrategyFactory}.
 */
export interface Strategy {
  readonly name: string;
  /**
   * Propose `n` new conditions (physical units). `pending` are conditions already
   * proposed and not yet measured; they must not be proposed again.
   * `options.exploit` asks for pure exploitation (posterior mean) where it applies.
   */
  ask(n: number, pending?: readonly Condition[], options?: { exploit?: boolean }): Promise<Proposal[]>;
  /** Record finished experiments. */
  tell(results: readonly Observation[]): Promise<void>;
  /** Release resources (surrogate tensors). */
  dispose?(): void;
}

export type StrategyFactory = (ctx: StrategyContext) => Strategy | Promise<Strategy>;

/** Measurement -> observation. */
export function toObservation(m: Measurement): Observation {
  return { condition: m.condition, plqy: m.plqy, abs300: m.abs300, pla: m.pla };
}
