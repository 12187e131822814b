import { afterEach, describe, expect, it } from "vitest";
import { describeHeaterConformance } from "./conformance.js";
import { F4TEmulator } from "./emulators/f4tEmulator.js";
import { WatlowF4T } from "../../src/hil/drivers/watlowF4T.js";
import { floatToWords, wordsToFloat } from "../../src/hil/drivers/float32Words.js";
import { WallClock } from "../../src/hil/clock.js";
import { BoundsError } from "../../src/core/errors.js";
import type { WordOrder } from "../../src/hil/drivers/float32Words.js";
import { ptyPair } from "./emulators/serialTransports.js";
import { socatMissing } from "./socat.js";

// Lab time 200x real time; the plate's time constant is 30 s of lab time (0.15 s real).
const SCALE = 200;

async function rig(o: { wordOrder?: WordOrder; initial_degC?: number } = {}) {
  const clock = new WallClock(SCALE);
  const emulator = await new F4TEmulator(() => clock.now(), { tau_s: 30, initial_degC: o.initial_degC ?? 140, wordOrder: o.wordOrder }).start();
  const heater = await WatlowF4T.connect(
    { kind: "tcp", host: "127.0.0.1", port: emulator.port },
    { name: "heater:plate", clock, limits: { setPoint_degC: [20, 200], safeSetPoint_degC: 25 }, wordOrder: o.wordOrder, timeout_ms: 150, retries: 1 },
  );
  return {
    clock,
    emulator,
    heater,
    close: async () => {
      await heater.close();
      await emulator.close();
    },
  };
}

describeHeaterConformance("WatlowF4T over Modbus TCP (loopback emulator)", async () => {
  const r = await rig();
  return { heater: r.heater, clock: r.clock, settle_s: 300, tolerance_degC: 0.5, close: r.close };
});

describe("float32 over two registers", () => {
  it("round-trips in both word orders and low-first puts the low word first", () => {
    for (const order of ["low-first", "high-first"] as const)
      for (const v of [25, 150.5, -3.25, 1e6]) expect(wordsToFloat(floatToWords(v, order), order)).toBe(Math.fround(v));
    const [a, b] = floatToWords(150, "low-first");
    expect(floatToWords(150, "high-first")).toEqual([b, a]);
  });
});

describe("WatlowF4T", () => {
  const open: { close: () => Promise<void> }[] = [];
  afterEach(async () => {
    for (const h of open.splice(0)) await h.close();
  });
  const make = async (...a: Parameters<typeof rig>) => {
    const h = await rig(...a);
    open.push(h);
    return h;
  };

  it("writes the set point to register 2782 with function code 16 (two words) and reads it back; high-first word order works too", async () => {
    for (const order of ["low-first", "high-first"] as const) {
      const { heater, emulator } = await make({ wordOrder: order });
      await heater.set(150);
      expect(emulator.writes.map((w) => w[0])).toEqual([2782, 2783]);
      expect(emulator.setPoint()).toBe(150);
      expect((await heater.read()).setPoint_degC.value).toBe(150);
    }
  });

  it("a set point out of limits is refused with value, unit and range and never sent", async () => {
    const { heater, emulator } = await make();
    const e = await heater.set(260).catch((x) => x);
    expect(e).toBeInstanceOf(BoundsError);
    expect(e.message).toMatch(/260 degC is outside the allowed range 20 to 200 degC/);
    expect(emulator.writes).toEqual([]);
  });

  it("no answer: retried, then a DeviceError naming the heater, the register and the address", async () => {
    const { heater, emulator } = await make();
    emulator.faults.silent = true;
    await expect(heater.read()).rejects.toThrow(/heater:plate: read set point \(register 2782\) at 127\.0\.0\.1:\d+ failed 2 times: Timed out/);
  });

  it("an implausible process value (open thermocouple) is a DeviceError, not a reading", async () => {
    const { heater, emulator } = await make();
    emulator.faults.processValueOverride = 9999;
    await expect(heater.read()).rejects.toThrow(/heater:plate: read process value .* implausible process value 9999 degC/);
  });

  it("a controller that is not there is a DeviceError naming the address", async () => {
    const { emulator } = await make();
    const port = emulator.port;
    await emulator.close();
    await expect(
      WatlowF4T.connect(
        { kind: "tcp", host: "127.0.0.1", port },
        { name: "heater:plate", clock: new WallClock(), limits: { setPoint_degC: [20, 200], safeSetPoint_degC: 25 } },
      ),
    ).rejects.toThrow(/heater:plate: cannot connect to the controller at 127\.0\.0\.1:\d+ \(Modbus TCP\)/);
  });
});

describe.skipIf(socatMissing() !== undefined)("WatlowF4T over Modbus RTU on a socat pseudo-terminal pair", () => {
  it("writes, reads back and follows the plate", async () => {
    const pair = await ptyPair();
    const clock = new WallClock(SCALE);
    const emulator = await new F4TEmulator(() => clock.now(), { tau_s: 30, initial_degC: 100 }).startRtu(pair.far, 19200);
    const heater = await WatlowF4T.connect(
      { kind: "rtu", path: pair.near, baudRate: 19200 },
      { name: "heater:plate", clock, limits: { setPoint_degC: [20, 200], safeSetPoint_degC: 25 }, timeout_ms: 500 },
    );
    try {
      await heater.set(130);
      expect(emulator.setPoint()).toBe(130);
      await clock.sleep(300);
      expect(Math.abs((await heater.read()).processValue_degC.value - 130)).toBeLessThan(0.5);
      await heater.stop(false);
      expect(emulator.setPoint()).toBe(25);
    } finally {
      await heater.close();
      await emulator.close();
      await pair.close();
    }
  });
});
