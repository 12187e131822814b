/**
 * sdfl/hil/testing: protocol conformance suites for device drivers (any test runner) and
 * instant mock devices for testing orchestration code. See docs/hil.md.
 */
export {
  pumpConformance,
  heaterConformance,
  spectrometerConformance,
  runCheck,
  type ConformanceCheck,
  type PumpHarness,
  type HeaterHarness,
  type SpectrometerHarness,
} from "./conformance.js";
export { InstantClock, InstantPump, InstantHeater, InstantSpectrometer } from "./instantDevices.js";
