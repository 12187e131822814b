/**
 * sdfl/testing: fast-check properties for Bayesian-optimization code, usable with any
 * test runner. See docs/bo.md, "Testing your own optimizer".
 */
export { strategyProperties, checkStrategy, type StrategyProperty, type StrategyPropertyName, type StrategySuiteOptions } from "./strategyProperties.js";
export { acquisitionProperties, type AcquisitionProperty } from "./acquisitionProperties.js";
export { scenarioArbitrary, CONSTRAINED_SPACE, type Scenario } from "./scenario.js";
export { unimodalOracle, type UnimodalOracle } from "./unimodal.js";
