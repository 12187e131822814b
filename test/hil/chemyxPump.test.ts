import { afterEach, describe, expect, it } from "vitest";
import { describePumpConformance } from "./conformance.js";
import { ChemyxEmulator } from "./emulators/chemyxEmulator.js";
import { mockSerialPort, ptyPump } from "./emulators/serialTransports.js";
import { socatMissing } from "./socat.js";
import { ChemyxPump } from "../../src/hil/drivers/chemyxPump.js";
import { SerialLine } from "../../src/hil/drivers/serialLine.js";
import { openSerialLine } from "../../src/hil/drivers/openSerial.js";
import { WallClock } from "../../src/hil/clock.js";
import { BoundsError, DeviceError, SyringeEmptyError } from "../../src/core/errors.js";

// Lab time runs 30x faster than real time: a 60 s conformance wait takes 2 s, and even a
// 50 ms stall of a loaded machine (1.5 s of lab time) stays inside the suites' 5 % tolerance.
const SCALE = 30;

async function mockPump(faults = {}, o: Partial<ConstructorParameters<typeof ChemyxPump>[0]> = {}) {
  const clock = new WallClock(SCALE);
  const emulator = new ChemyxEmulator(() => clock.now(), faults);
  const port = await mockSerialPort(emulator);
  const line = new SerialLine("pump:CuI", port.path, port, { terminator: "\r", timeout_ms: 60 });
  const pump = new ChemyxPump({ name: "pump:CuI", line, clock, diameter_mm: 26.59, syringeVolume_uL: 50_000, rate_uL_min: [0, 500], retries: 1, ...o });
  return { clock, emulator, port, line, pump, close: () => line.close() };
}

describePumpConformance("ChemyxPump over @serialport/binding-mock", async () => {
  const h = await mockPump();
  return { pump: h.pump, clock: h.clock, close: h.close };
});

describe("ChemyxPump protocol", () => {
  const open: { close: () => Promise<void> }[] = [];
  afterEach(async () => {
    for (const h of open.splice(0)) await h.close();
  });
  const make = async (...a: Parameters<typeof mockPump>) => {
    const h = await mockPump(...a);
    open.push(h);
    return h;
  };

  it("configures units and diameter, sends rate and volume with the terminator, then starts and checks the status", async () => {
    const { pump, emulator } = await make();
    await pump.set(100);
    expect(emulator.received).toEqual(["set units 2", "set diameter 26.59", "set rate 100", "set volume 50000", "start", "pump status"]);
    expect(emulator.units).toBe(2);
    expect(emulator.running).toBe(true);
  });

  it("prefixes the channel of a multi-channel unit", async () => {
    const { pump, emulator } = await make({}, { channel: 2 });
    await pump.set(80);
    expect(emulator.received.every((c) => c.startsWith("2 "))).toBe(true);
  });

  it("a rate out of limits is refused with value, unit and range and never sent", async () => {
    const { pump, emulator } = await make();
    const e = await pump.set(900).catch((x) => x);
    expect(e).toBeInstanceOf(BoundsError);
    expect(e.message).toMatch(/900 uL\/min is outside the allowed range 0 to 500 uL\/min/);
    expect(emulator.received).toEqual([]);
  });

  it("an echo that differs from what was sent (the pump clamped it) is an error naming both values", async () => {
    const { pump } = await make({ maxRate: 90 });
    await expect(pump.set(100)).rejects.toThrow(/pump:CuI: sent rate 100 but the pump set rate 90 \(it clamped the value\)/);
  });

  it("no answer: retried, then a DeviceError naming the pump and the command", async () => {
    const { pump, emulator } = await make({ silent: true });
    const e = await pump.read().catch((x) => x);
    expect(e).toBeInstanceOf(DeviceError);
    expect(e.message).toMatch(/^pump:CuI: "pump status" on \/dev\/ttyMOCK\d+ got no answer within 60 ms \(2 tries\)/);
    expect(emulator.received).toEqual(["pump status", "pump status"]);
  });

  it("a garbled reply: retried, then a DeviceError quoting it", async () => {
    const { pump } = await make({ garbled: true });
    await expect(pump.set(100)).rejects.toThrow(/pump:CuI: "set units 2" .* got a garbled reply/);
  });

  it("a stalled pump reads as stalled with its rate 0", async () => {
    const { pump, clock } = await make({ stallAfter_s: 5 });
    await pump.set(100);
    await clock.sleep(10);
    const r = await pump.read();
    expect(r.status.value).toBe("stalled");
    expect(r.rate_uL_min.value).toBe(0);
  });

  it("tracks the syringe: the pump is told to infuse no more than is left, and an empty syringe refuses to start", async () => {
    const { pump, emulator, clock } = await make({}, { syringeVolume_uL: 1000, dispensedBefore_uL: 900 });
    await pump.set(500);
    expect(emulator.volume).toBe(100);
    await clock.sleep(20);
    const r = await pump.read();
    expect(r.dispensed_uL.value).toBeCloseTo(1000, 6);
    expect(r.status.value).toBe("empty");
    await pump.stop();
    await expect(pump.set(100)).rejects.toBeInstanceOf(SyringeEmptyError);
  });

  it("a port that disappears: the next command fails at once with a DeviceError naming the pump and the port", async () => {
    const { pump, port } = await make();
    await pump.set(100);
    await new Promise<void>((r) => port.close(() => r()));
    const t0 = Date.now();
    await expect(pump.read()).rejects.toThrow(/pump:CuI: cannot send "pump status" on \/dev\/ttyMOCK\d+: the serial port closed/);
    expect(Date.now() - t0).toBeLessThan(50);
  });
});

const noSocat = socatMissing();
if (noSocat) console.warn(`skipping the pseudo-terminal tests: ${noSocat}`);

describe.skipIf(noSocat !== undefined)("ChemyxPump over a real pseudo-terminal pair (socat)", () => {
  it("runs, reads and stops through the kernel's tty layer at 38400 baud with \\r\\n", async () => {
    const clock = new WallClock(SCALE);
    const emulator = new ChemyxEmulator(() => clock.now());
    const pty = await ptyPump(emulator, 38400);
    const line = await openSerialLine("pump:PFO", { path: pty.path, baudRate: 38400, terminator: "\r\n", timeout_ms: 500 });
    try {
      const pump = new ChemyxPump({ name: "pump:PFO", line, clock, diameter_mm: 32.57, syringeVolume_uL: 100_000, rate_uL_min: [0, 1000] });
      await pump.set(300);
      await clock.sleep(60);
      const r = await pump.read();
      expect(r.status.value).toBe("running");
      expect(r.dispensed_uL.value).toBeGreaterThan(285);
      expect(r.dispensed_uL.value).toBeLessThan(330);
      await pump.stop(false);
      expect((await pump.read()).status.value).toBe("stopped");
      expect(emulator.received.slice(0, 3)).toEqual(["set units 2", "set diameter 32.57", "set rate 300"]);
    } finally {
      await line.close();
      await pty.close();
    }
  });

  it("a port path that does not exist is a DeviceError naming the device and the path", async () => {
    await expect(openSerialLine("pump:CuI", { path: "/dev/ttyNOPE-sdfl", baudRate: 9600, terminator: "\r", timeout_ms: 100 })).rejects.toThrow(
      /pump:CuI: cannot open serial port \/dev\/ttyNOPE-sdfl/,
    );
  });
});
