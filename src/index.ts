/**
 * The public API of sdfl as a library (`import { ... } from "sdfl"`). The reusable
 * fast-check properties for optimizers are at `sdfl/testing`.
 */
export { VERSION } from "./core/version.js";

// Core
export * from "./core/errors.js";
export { Rng } from "./core/rng.js";

// Problems as data: search space, constraints, set points, outcomes, objective
export * from "./bo/problem/space.js";
export * from "./bo/problem/problem.js";
export { parseProblem, loadProblemFile } from "./bo/problem/parseProblem.js";
export { parseExpression, evaluateExpression, type Expr } from "./bo/problem/expression.js";

// The paper's problem, data, objective, twins
export {
  PAPER_PROBLEM,
  PAPER_PROBLEM_DEFINITION,
  DEFAULT_SPACE,
  INPUT_NAMES,
  PFO_RATIO,
  CRITICAL_TOTAL_FLOW,
  pfoFlow,
  totalFlow,
  totalFlowConstraint,
  paperCondition,
  paperArray,
  paperMeasurement,
  type Condition as PaperCondition,
  type InputName,
  type PaperResult,
} from "./twin/space.js";
export { plqyProxy, DEFAULT_PLQY_REFERENCE, type PlqyReference } from "./twin/plqy.js";
export { loadDataset, type Dataset } from "./twin/dataset.js";
export { findDataRoot, resolveDatasetDir, resolveTwinPath } from "./twin/dataPaths.js";
export type { Twin, TwinPosterior } from "./twin/twin.js";
export { loadTwin } from "./twin/loadTwin.js";
export { trainEnsemble, type EnsembleOptions, type TrainedEnsemble } from "./twin/enn/trainEnsemble.js";
export { trainProjectTwin } from "./twin/trainProjectTwin.js";
export { EnnSurrogate, ennSurrogateFactory } from "./twin/ennSurrogate.js";
export { exactShap } from "./twin/insight/shapExact.js";
export { kernelShap } from "./twin/insight/shapKernel.js";
export { explainTwin } from "./twin/insight/explainTwin.js";

// Simulator
export { SimulatedLab, type SimulatedLabOptions } from "./sim/simulatedLab.js";
export { VirtualClock } from "./sim/clock.js";
export { WallClock, type Clock } from "./hil/clock.js";
export type * from "./hil/protocols.js";

// Bayesian optimization, campaigns, store
export type { Lab, BenchmarkLab, Measurement } from "./bo/lab.js";
export type { Surrogate, Posterior, Observations, SurrogateFitInfo, CrossCovariance } from "./bo/surrogate.js";
export type { Strategy, StrategyFactory, StrategyContext, Observation, Proposal } from "./bo/strategy.js";
export * from "./bo/strategies/index.js";
export * from "./bo/acquisition/index.js";
export * from "./bo/design/index.js";
export { optimizeAcqf } from "./bo/optimize/index.js";
export { runCampaign, type RunCampaignOptions, type CampaignOutcome } from "./bo/campaign/runner.js";
export { SyntheticLab } from "./bo/oracles/syntheticLab.js";
export { CampaignStore } from "./store/campaignStore.js";
