/**
 * Vitest adapter of the library's conformance suites (sdfl/hil/testing): registers one
 * `it` per check, each on a fresh harness.
 */
import { describe, it } from "vitest";
import {
  heaterConformance,
  pumpConformance,
  runCheck,
  spectrometerConformance,
  type ConformanceCheck,
  type HeaterHarness,
  type PumpHarness,
  type SpectrometerHarness,
} from "../../src/hil/testing/index.js";

function register<H>(suite: string, checks: readonly ConformanceCheck<H>[], make: () => Promise<H & { close?: () => Promise<void> }>): void {
  describe(suite, () => {
    for (const c of checks) it(c.name, () => runCheck(c, make));
  });
}

/** Register the SyringePump conformance tests. */
export const describePumpConformance = (name: string, make: () => Promise<PumpHarness>): void =>
  register(`SyringePump conformance: ${name}`, pumpConformance, make);
/** Register the HeaterController conformance tests. */
export const describeHeaterConformance = (name: string, make: () => Promise<HeaterHarness>): void =>
  register(`HeaterController conformance: ${name}`, heaterConformance, make);
/** Register the Spectrometer conformance tests. */
export const describeSpectrometerConformance = (name: string, make: () => Promise<SpectrometerHarness>): void =>
  register(`Spectrometer conformance: ${name}`, spectrometerConformance, make);
