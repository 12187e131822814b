/**
 * sdfl/testing: fast-check properties for Bayesian-optimization code, usable with any
 * test runner. See docs/bo.md, "Testing your own optimizer".
 */
export { strategyProperties, checkStrategy, type StrategyProperty, type StrategyPropertyName, type StrategySuiteOptions } from "./strategyProperties.js";
export { acquisitionProperties, type AcquisitionProperty } from "./acquisitionProperties.js";
export { scenarioArbitrary, describeScenario, CONSTRAINED_SPACE, type Scenario, type ScenarioStep, type ScenarioLimits } from "./scenario.js";
export { runScenario, PropertyViolation, type AskRecord, type CampaignTrace, type CampaignSettings } from "./campaignTrace.js";
export { objectiveArbitrary, objectiveAt, describeObjective, type TestObjective, type ObjectiveShape } from "./objectives.js";
export { wilcoxonGreaterP } from "./beatsRandom.js";
export { SUITE_SPACES, TEST_SPACE, SMALL_SPACE, type NamedSpace } from "./spaces.js";
export type { OutcomesOf } from "./observationShape.js";
export { unimodalOracle, type UnimodalOracle } from "./unimodal.js";
