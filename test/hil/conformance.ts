/**
 * Reusable protocol conformance suites. Every implementation of a device protocol (the
 * virtual devices of src/sim now, the serial/Modbus/file-drop drivers later) registers
 * them with a harness that builds a fresh device and the clock it lives on:
 *
 *     describePumpConformance("virtual pump", async () => ({ pump, clock, close }));
 *
 * The suites only use the protocol types, a Clock and the typed errors.
 */
import { describe, expect, it } from "vitest";
import { BoundsError, DeviceError } from "../../src/core/errors.js";
import type { HeaterController, Spectrometer, SyringePump } from "../../src/hil/protocols.js";
import type { Clock } from "../../src/sim/clock.js";

/** What a pump suite needs: a fresh pump with a syringe holding at least 1 mL. */
export interface PumpHarness {
  pump: SyringePump;
  clock: Clock;
  close?: () => Promise<void>;
}

/** What a heater suite needs; `settle_s` is long enough to reach any set point 10 degC away. */
export interface HeaterHarness {
  heater: HeaterController;
  clock: Clock;
  settle_s: number;
  /** Process-value tolerance once settled, degC. */
  tolerance_degC: number;
  close?: () => Promise<void>;
}

/** What a spectrometer suite needs. */
export interface SpectrometerHarness {
  spectrometer: Spectrometer;
  clock: Clock;
  close?: () => Promise<void>;
}

async function withHarness<H extends { close?: () => Promise<void> }>(make: () => Promise<H>, body: (h: H) => Promise<void>): Promise<void> {
  const h = await make();
  try {
    await body(h);
  } finally {
    await h.close?.();
  }
}

/** Register the SyringePump conformance tests. */
export function describePumpConformance(name: string, make: () => Promise<PumpHarness>): void {
  describe(`SyringePump conformance: ${name}`, () => {
    it("check() accepts rates within the limits and names field, unit and bounds otherwise", () =>
      withHarness(make, async ({ pump }) => {
        const [lo, hi] = pump.limits.rate_uL_min;
        expect(pump.check((lo + hi) / 2)).toEqual({ ok: true });
        const r = pump.check(hi * 2);
        expect(r.ok).toBe(false);
        if (!r.ok) {
          expect(r.violation.unit).toBe("uL/min");
          expect(r.violation.bounds).toEqual([lo, hi]);
          expect(r.violation.message).toContain(String(hi * 2));
        }
        expect(pump.check(NaN).ok).toBe(false);
      }));

    it("set() outside the limits rejects with a BoundsError and leaves the pump as it was", () =>
      withHarness(make, async ({ pump }) => {
        await expect(pump.set(pump.limits.rate_uL_min[1] * 2)).rejects.toBeInstanceOf(BoundsError);
        await expect(pump.set(-1)).rejects.toBeInstanceOf(BoundsError);
        const r = await pump.read();
        expect(r.rate_uL_min.value).toBe(0);
        expect(r.status.value).not.toBe("running");
      }));

    it("set(rate) runs at that rate and dispensed/remaining volumes follow the clock", () =>
      withHarness(make, async ({ pump, clock }) => {
        const rate = 100;
        const before = await pump.read();
        await pump.set(rate);
        const r0 = await pump.read();
        expect(r0.rate_uL_min.value).toBe(rate);
        expect(r0.status.value).toBe("running");
        await clock.sleep(60);
        const r1 = await pump.read();
        const dispensed = r1.dispensed_uL.value - r0.dispensed_uL.value;
        expect(dispensed).toBeGreaterThan(rate * 0.95);
        expect(dispensed).toBeLessThan(rate * 1.05);
        expect(r1.dispensed_uL.value + r1.remaining_uL.value).toBeCloseTo(before.dispensed_uL.value + before.remaining_uL.value, 6);
        expect(r1.rate_uL_min.timestamp_s).toBeGreaterThanOrEqual(r0.rate_uL_min.timestamp_s + 59);
      }));

    it("stop() and stop(false) leave the pump stopped with its dispensed volume kept", () =>
      withHarness(make, async ({ pump, clock }) => {
        await pump.set(200);
        await clock.sleep(30);
        await pump.stop();
        const r = await pump.read();
        expect(r.rate_uL_min.value).toBe(0);
        expect(r.status.value).toBe("stopped");
        await clock.sleep(30);
        expect((await pump.read()).dispensed_uL.value).toBe(r.dispensed_uL.value);
        await pump.set(50);
        await pump.stop(false);
        expect((await pump.read()).rate_uL_min.value).toBe(0);
      }));
  });
}

/** Register the HeaterController conformance tests. */
export function describeHeaterConformance(name: string, make: () => Promise<HeaterHarness>): void {
  describe(`HeaterController conformance: ${name}`, () => {
    it("check() and set() refuse set points outside the limits with field, unit and bounds", () =>
      withHarness(make, async ({ heater }) => {
        const [lo, hi] = heater.limits.setPoint_degC;
        expect(heater.check((lo + hi) / 2).ok).toBe(true);
        const r = heater.check(hi + 50);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.violation.unit).toBe("degC");
        const sp = (await heater.read()).setPoint_degC.value;
        await expect(heater.set(hi + 50)).rejects.toBeInstanceOf(BoundsError);
        expect((await heater.read()).setPoint_degC.value).toBe(sp);
      }));

    it("set() is read back and the process value reaches the set point", () =>
      withHarness(make, async ({ heater, clock, settle_s, tolerance_degC }) => {
        const pv0 = (await heater.read()).processValue_degC.value;
        const target = Math.min(heater.limits.setPoint_degC[1], pv0 + 10);
        await heater.set(target);
        expect((await heater.read()).setPoint_degC.value).toBe(target);
        await clock.sleep(settle_s);
        const r = await heater.read();
        expect(Math.abs(r.processValue_degC.value - target)).toBeLessThanOrEqual(tolerance_degC);
        const out = r.output_fraction.value;
        expect(Number.isNaN(out) || (out >= 0 && out <= 1)).toBe(true);
      }));

    it("stop(false) makes the heater safe", () =>
      withHarness(make, async ({ heater }) => {
        await heater.set(Math.min(heater.limits.setPoint_degC[1], 150));
        await heater.stop(false);
        const r = await heater.read();
        expect(r.setPoint_degC.value).toBe(heater.limits.safeSetPoint_degC);
        expect(Number.isNaN(r.output_fraction.value) || r.output_fraction.value === 0).toBe(true);
      }));
  });
}

/** Register the Spectrometer conformance tests. */
export function describeSpectrometerConformance(name: string, make: () => Promise<SpectrometerHarness>): void {
  describe(`Spectrometer conformance: ${name}`, () => {
    it("references() match the wavelength grid; absorbance has a light reference, PL none", () =>
      withHarness(make, async ({ spectrometer: s }) => {
        const refs = await s.references();
        const acq = await s.acquire({ frames: 60 });
        expect(refs.dark_counts.length).toBe(acq.wavelengths_nm.length);
        if (s.measures === "absorbance") expect(refs.light_counts?.length).toBe(acq.wavelengths_nm.length);
        else expect(refs.light_counts).toBeUndefined();
      }));

    it("acquire() delivers the frames asked for, one value per wavelength, finite, on an increasing grid", () =>
      withHarness(make, async ({ spectrometer: s, clock }) => {
        const before = clock.now();
        const acq = await s.acquire({ frames: 60 });
        expect(acq.kind).toBe(s.measures);
        expect(acq.frames.length).toBe(60);
        const g = acq.wavelengths_nm;
        for (let i = 1; i < g.length; i++) expect(g[i]).toBeGreaterThan(g[i - 1]);
        for (const f of acq.frames) {
          expect(f.length).toBe(g.length);
          expect(f.every(Number.isFinite)).toBe(true);
        }
        expect(acq.startedAt_s).toBeGreaterThanOrEqual(before);
        expect(clock.now()).toBeGreaterThan(before);
        expect((await s.read()).acquisitions.value).toBeGreaterThanOrEqual(1);
      }));

    it("a second acquire() while one runs is refused, and stop() aborts a running one", () =>
      withHarness(make, async ({ spectrometer: s }) => {
        const first = s.acquire({ frames: 60 });
        await expect(s.acquire({ frames: 60 })).rejects.toBeInstanceOf(DeviceError);
        await first;
        const running = s.acquire({ frames: 60 });
        const settled = running.then(
          () => "done",
          (e) => e,
        );
        await s.stop(false);
        const result = await settled;
        expect(result).toBeInstanceOf(DeviceError);
        expect((await s.read()).busy.value).toBe(false);
      }));
  });
}
