import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeSpectrometerConformance } from "./conformance.js";
import { flatAcquisition, freeRunning, writePair, writeReferences } from "./emulators/spectraWriter.js";
import { DropFolder } from "../../src/hil/drivers/dropFolder.js";
import { FileDropSpectrometer } from "../../src/hil/drivers/fileDropSpectrometer.js";
import { WallClock } from "../../src/hil/clock.js";
import { matrixText } from "../../src/hil/spectra/folder.js";

// Lab time 100x real: poll 0.5 s = 5 ms, stable 2 s = 20 ms real.
const SCALE = 100;
const fresh = (): string => mkdtempSync(join(tmpdir(), "sdfl-drop-"));
const folder = (dir: string, o: { timeout_s?: number; retries?: number } = {}) =>
  new DropFolder({ dir, clock: new WallClock(SCALE), poll_s: 0.5, stable_s: 2, timeout_s: o.timeout_s ?? 60, retries: o.retries ?? 2 });
const marker = (a: { frames: Float64Array[] }) => a.frames[0][0] - 1000;

for (const kind of ["absorbance", "photoluminescence"] as const) {
  describeSpectrometerConformance(`FileDropSpectrometer (${kind}) on a free-running writer`, async () => {
    const dir = fresh();
    writeReferences(dir);
    const writer = freeRunning(dir, 40);
    const f = folder(dir);
    return { spectrometer: new FileDropSpectrometer(f, kind), clock: f.clock, close: writer.stop };
  });
}

describe("FileDropSpectrometer", () => {
  it("stale pairs never count: acquire() returns the first pair written after the call, and PL takes the same pair", async () => {
    const dir = fresh();
    writeReferences(dir);
    for (const k of [1, 2]) await writePair(dir, k, flatAcquisition("absorbance", k), flatAcquisition("photoluminescence", k));
    const f = folder(dir);
    const abs = new FileDropSpectrometer(f, "absorbance");
    const pl = new FileDropSpectrometer(f, "photoluminescence");
    const got = abs.acquire();
    setTimeout(() => void writePair(dir, 3, flatAcquisition("absorbance", 3), flatAcquisition("photoluminescence", 3)), 30);
    expect(marker(await got)).toBe(3);
    expect(marker(await pl.acquire())).toBe(3);
  });

  it("a file written slowly is read only once it has stopped growing", async () => {
    const dir = fresh();
    writeReferences(dir);
    const f = folder(dir);
    const got = new FileDropSpectrometer(f, "absorbance").acquire();
    // 6 chunks 10 ms apart (1 s of lab time each, less than stable_s = 2 s).
    void writePair(dir, 1, flatAcquisition("absorbance", 1, 80), flatAcquisition("photoluminescence", 1, 80), 6, 10);
    const a = await got;
    expect(a.frames.length).toBe(80);
    expect(a.frames.every((fr) => fr.length === 200)).toBe(true);
  });

  it("a spectrum that stays truncated ends in a DeviceError after the retries", async () => {
    const dir = fresh();
    writeReferences(dir);
    const f = folder(dir, { retries: 2 });
    const text = matrixText(flatAcquisition("absorbance", 1));
    writeFileSync(join(dir, "Abs1.csv"), text.slice(0, Math.floor(text.length / 2)));
    writeFileSync(join(dir, "PL1.csv"), matrixText(flatAcquisition("photoluminescence", 1)));
    await expect(f.waitForPair({ index: 1 })).rejects.toThrow(/spectrometer:folder: spectrum 1 stayed truncated or malformed after 3 reads: .*Abs1\.csv/);
  });

  it("a malformed file that gets fixed (rewritten) is read after a retry", async () => {
    const dir = fresh();
    writeReferences(dir);
    const f = folder(dir, { retries: 5 });
    writeFileSync(join(dir, "Abs1.csv"), "1,2\n1,oops\n");
    writeFileSync(join(dir, "PL1.csv"), matrixText(flatAcquisition("photoluminescence", 1)));
    setTimeout(() => writeFileSync(join(dir, "Abs1.csv"), matrixText(flatAcquisition("absorbance", 1))), 50);
    expect(marker((await f.waitForPair({ index: 1 })).abs)).toBe(1);
  });

  it("a spectrum that never appears times out with a message naming the folder and the files", async () => {
    const dir = fresh();
    writeReferences(dir);
    const f = folder(dir, { timeout_s: 10 });
    const t0 = Date.now();
    await expect(new FileDropSpectrometer(f, "photoluminescence").acquire()).rejects.toThrow(
      new RegExp(`spectrometer:folder: waited 10 s for a new Abs<k>.csv / PL<k>.csv pair \\(k > 0\\) in ${dir}; none appeared`),
    );
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it("references come from DR_Abs, LR and DR_PL; a missing reference file is named", async () => {
    const dir = fresh();
    writeReferences(dir);
    const f = folder(dir);
    const r = await new FileDropSpectrometer(f, "absorbance").references();
    expect(r.dark_counts[0]).toBe(100);
    expect(r.light_counts![0]).toBe(20000);
    expect(() => folder(fresh()).references("absorbance")).toThrow(/DR_Abs\*\.csv is missing/);
  });
});
