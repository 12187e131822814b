import type { Condition, SearchSpace } from "./problem/space.js";
import type { SurrogateFitInfo } from "./surrogate.js";
import type { Recommendation } from "./recommend/recommendation.js";

/** What a strategy is told about one finished experiment. */
export interface Observation {
  condition: Condition;
  /**
   * The objective as measured (noisy), oriented so that larger is better: the
   * objective itself for a maximize problem, its negative for a minimize problem.
   */
  objective: number;
  /** The measured outcomes by name, for surrogates that model them. */
  outcomes?: Readonly<Record<string, number>>;
}

/** Context a strategy receives when it is created. */
export interface StrategyContext {
  space: SearchSpace;
  seed: number;
}

/** A surrogate fit a strategy made before proposing, as the campaign store keeps it. */
export interface ProposalFit extends SurrogateFitInfo {
  /** Which surrogate was fitted (e.g. "gp", "enn"). */
  surrogate: string;
}

/** A proposal: the condition and what the strategy knew when it chose it. */
export interface Proposal {
  condition: Condition;
  /** Acquisition value, predicted mean/std at the point, etc. (JSON-safe, stored as is). */
  info?: Record<string, unknown>;
  /** The surrogate fit that preceded this proposal, if the strategy refitted for it (on the first proposal of a batch). */
  fit?: ProposalFit;
}

/** Options of {@link Strategy.ask}. */
export interface AskOptions {
  /** Pure exploitation (posterior mean) where it applies. */
  exploit?: boolean;
  /**
   * Where the campaign stands when it asks: `done` optimizer-chosen experiments finished
   * (initial data not counted) out of `budget`. Strategies may use it to move from
   * exploration to exploitation as the budget runs out; absent when the caller has no budget.
   */
  progress?: { done: number; budget: number };
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
   * `options.exploit` asks for pure exploitation (posterior mean) where it applies;
   * `options.progress` says how much of the campaign's budget is spent.
   */
  ask(n: number, pending?: readonly Condition[], options?: AskOptions): Promise<Proposal[]>;
  /** Record finished experiments. */
  tell(results: readonly Observation[]): Promise<void>;
  /**
   * Optional: the model's recommended best condition given everything told so far (the
   * posterior-mean maximiser over the feasible set, with predicted mean and interval), or
   * undefined while there is no model yet. Campaigns record it at every step and end with it.
   */
  recommend?(): Promise<Recommendation | undefined>;
  /** Release resources (surrogate tensors). */
  dispose?(): void;
}

export type StrategyFactory = (ctx: StrategyContext) => Strategy | Promise<Strategy>;
