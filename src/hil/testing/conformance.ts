/**
 * Protocol conformance suites, usable with any test runner. A suite is a list of named
 * checks; each check gets a fresh harness (a device and the clock it lives on) and
 * throws (node:assert) when the device does not behave as its protocol says.
 *
 *     import { pumpConformance, runCheck } from "sdfl/hil/testing";
 *     for (const c of pumpConformance) it(c.name, () => runCheck(c, makeHarness));
 *
 * Whoever writes a driver for another pump, heater or spectrometer proves it conforms by
 * running these against it (over an emulator, or on the bench).
 */
import assert from "node:assert/strict";
import { BoundsError, DeviceError } from "../../core/errors.js";
import type { Clock } from "../clock.js";
import type { HeaterController, Spectrometer, SyringePump } from "../protocols.js";

/** Anything a harness may need to release. */
interface Closable {
  close?: () => Promise<void>;
}

/** What a pump suite needs: a fresh, stopped pump with a syringe holding at least 1 mL. */
export interface PumpHarness extends Closable {
  pump: SyringePump;
  clock: Clock;
}

/** What a heater suite needs; `settle_s` is long enough (clock time) to reach any set point 10 degC away. */
export interface HeaterHarness extends Closable {
  heater: HeaterController;
  clock: Clock;
  settle_s: number;
  /** Process-value tolerance once settled, degC. */
  tolerance_degC: number;
}

/** What a spectrometer suite needs: a spectrometer that delivers acquisitions (a file-drop one needs a running writer). */
export interface SpectrometerHarness extends Closable {
  spectrometer: Spectrometer;
  clock: Clock;
}

/** One named conformance check. */
export interface ConformanceCheck<H> {
  name: string;
  run(h: H): Promise<void>;
}

/** Build a fresh harness, run one check on it, and close it whatever happens. */
export async function runCheck<H extends Closable>(check: ConformanceCheck<H>, make: () => Promise<H>): Promise<void> {
  const h = await make();
  try {
    await check.run(h);
  } finally {
    await h.close?.();
  }
}

/** Assert that a promise rejects with an instance of `type`; returns the error. */
async function rejectsWith<E extends Error>(p: Promise<unknown>, type: abstract new (...args: never[]) => E, what: string): Promise<E> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof type, `${what}: expected a ${type.name}, got ${(e as Error)?.name}: ${(e as Error)?.message}`);
    return e as E;
  }
  assert.fail(`${what}: expected a ${type.name}, but it succeeded`);
}

/** The SyringePump checks. */
export const pumpConformance: readonly ConformanceCheck<PumpHarness>[] = [
  {
    name: "check() accepts rates within the limits and names field, unit and bounds otherwise",
    async run({ pump }) {
      const [lo, hi] = pump.limits.rate_uL_min;
      assert.deepEqual(pump.check((lo + hi) / 2), { ok: true });
      const r = pump.check(hi * 2);
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.violation.unit, "uL/min");
        assert.deepEqual([...r.violation.bounds], [lo, hi]);
        assert.ok(r.violation.message.includes(String(hi * 2)), `the message names the value: ${r.violation.message}`);
      }
      assert.equal(pump.check(NaN).ok, false);
    },
  },
  {
    name: "set() outside the limits rejects with a BoundsError and leaves the pump as it was",
    async run({ pump }) {
      await rejectsWith(pump.set(pump.limits.rate_uL_min[1] * 2), BoundsError, "set(2 x max)");
      await rejectsWith(pump.set(-1), BoundsError, "set(-1)");
      const r = await pump.read();
      assert.equal(r.rate_uL_min.value, 0);
      assert.notEqual(r.status.value, "running");
    },
  },
  {
    name: "set(rate) runs at that rate and dispensed/remaining volumes follow the clock",
    async run({ pump, clock }) {
      const rate = 100;
      const before = await pump.read();
      await pump.set(rate);
      const r0 = await pump.read();
      assert.equal(r0.rate_uL_min.value, rate);
      assert.equal(r0.status.value, "running");
      await clock.sleep(60);
      const r1 = await pump.read();
      const dispensed = r1.dispensed_uL.value - r0.dispensed_uL.value;
      assert.ok(dispensed > rate * 0.95 && dispensed < rate * 1.05, `dispensed ${dispensed} uL in 60 s at ${rate} uL/min`);
      const total0 = before.dispensed_uL.value + before.remaining_uL.value;
      const total1 = r1.dispensed_uL.value + r1.remaining_uL.value;
      assert.ok(Math.abs(total1 - total0) < 1e-6 * Math.max(1, total0), `dispensed + remaining stays ${total0} uL (got ${total1})`);
      assert.ok(r1.rate_uL_min.timestamp_s >= r0.rate_uL_min.timestamp_s + 59, "readings carry the clock's time");
    },
  },
  {
    name: "stop() and stop(false) leave the pump stopped with its dispensed volume kept",
    async run({ pump, clock }) {
      await pump.set(200);
      await clock.sleep(30);
      await pump.stop();
      const r = await pump.read();
      assert.equal(r.rate_uL_min.value, 0);
      assert.equal(r.status.value, "stopped");
      await clock.sleep(30);
      assert.equal((await pump.read()).dispensed_uL.value, r.dispensed_uL.value);
      await pump.set(50);
      await pump.stop(false);
      assert.equal((await pump.read()).rate_uL_min.value, 0);
    },
  },
];

/** The HeaterController checks. */
export const heaterConformance: readonly ConformanceCheck<HeaterHarness>[] = [
  {
    name: "check() and set() refuse set points outside the limits with field, unit and bounds",
    async run({ heater }) {
      const [lo, hi] = heater.limits.setPoint_degC;
      assert.equal(heater.check((lo + hi) / 2).ok, true);
      const r = heater.check(hi + 50);
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(r.violation.unit, "degC");
      const sp = (await heater.read()).setPoint_degC.value;
      await rejectsWith(heater.set(hi + 50), BoundsError, `set(${hi + 50})`);
      assert.equal((await heater.read()).setPoint_degC.value, sp, "a refused set point is never sent");
    },
  },
  {
    name: "set() is read back and the process value reaches the set point",
    async run({ heater, clock, settle_s, tolerance_degC }) {
      const pv0 = (await heater.read()).processValue_degC.value;
      const [lo, hi] = heater.limits.setPoint_degC;
      const target = Math.max(lo, Math.min(hi, Math.round(pv0 + 10)));
      await heater.set(target);
      assert.equal((await heater.read()).setPoint_degC.value, target);
      await clock.sleep(settle_s);
      const r = await heater.read();
      assert.ok(Math.abs(r.processValue_degC.value - target) <= tolerance_degC, `process value ${r.processValue_degC.value} degC, set point ${target} degC`);
      const out = r.output_fraction.value;
      assert.ok(Number.isNaN(out) || (out >= 0 && out <= 1), `output fraction ${out}`);
    },
  },
  {
    name: "stop(false) makes the heater safe",
    async run({ heater }) {
      await heater.set(Math.min(heater.limits.setPoint_degC[1], 150));
      await heater.stop(false);
      const r = await heater.read();
      assert.equal(r.setPoint_degC.value, heater.limits.safeSetPoint_degC);
      assert.ok(Number.isNaN(r.output_fraction.value) || r.output_fraction.value === 0, `output after stop(false): ${r.output_fraction.value}`);
    },
  },
];

/** The Spectrometer checks. */
export const spectrometerConformance: readonly ConformanceCheck<SpectrometerHarness>[] = [
  {
    name: "references() match the wavelength grid; absorbance has a light reference, PL none",
    async run({ spectrometer: s }) {
      const refs = await s.references();
      const acq = await s.acquire({ frames: 60 });
      assert.equal(refs.dark_counts.length, acq.wavelengths_nm.length);
      if (s.measures === "absorbance") assert.equal(refs.light_counts?.length, acq.wavelengths_nm.length);
      else assert.equal(refs.light_counts, undefined);
    },
  },
  {
    name: "acquire() delivers the frames asked for, one value per wavelength, finite, on an increasing grid",
    async run({ spectrometer: s, clock }) {
      const before = clock.now();
      const acq = await s.acquire({ frames: 60 });
      assert.equal(acq.kind, s.measures);
      assert.ok(acq.frames.length >= 60, `${acq.frames.length} frames, asked for 60`);
      const g = acq.wavelengths_nm;
      for (let i = 1; i < g.length; i++) assert.ok(g[i] > g[i - 1], `grid increases at pixel ${i}`);
      for (const f of acq.frames) {
        assert.equal(f.length, g.length);
        assert.ok(f.every(Number.isFinite), "every count is finite");
      }
      assert.ok(acq.startedAt_s >= before, "acquisition starts after the call");
      assert.ok(clock.now() > before, "an acquisition takes time");
      assert.ok((await s.read()).acquisitions.value >= 1);
    },
  },
  {
    name: "a second acquire() while one runs is refused, and stop() aborts a running one",
    async run({ spectrometer: s }) {
      const first = s.acquire({ frames: 60 });
      await rejectsWith(s.acquire({ frames: 60 }), DeviceError, "second acquire()");
      await first;
      const running = s.acquire({ frames: 60 });
      const settled = running.then(
        () => "done",
        (e: unknown) => e,
      );
      await s.stop(false);
      const result = await settled;
      assert.ok(result instanceof DeviceError, `a stopped acquisition rejects with a DeviceError (got ${String(result)})`);
      assert.equal((await s.read()).busy.value, false);
    },
  },
];
