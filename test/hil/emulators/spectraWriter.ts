/**
 * Plays the instrument software of the original lab: writes the reference files once,
 * then Abs<k>.csv / PL<k>.csv pairs, optionally slowly (in chunks) as a real writer does.
 */
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { matrixText, writeSpectraFolder } from "../../../src/hil/spectra/folder.js";
import type { RawAcquisition, SpectrumReferences } from "../../../src/hil/protocols.js";

export const GRID = Float64Array.from({ length: 200 }, (_, i) => 250 + 3.8 * i);

/** Flat frames with a mark (so tests can tell pairs apart): every count = 1000 + k. */
export function flatAcquisition(kind: RawAcquisition["kind"], k: number, frames = 60): RawAcquisition {
  return {
    kind,
    wavelengths_nm: GRID,
    frames: Array.from({ length: frames }, () => new Float64Array(GRID.length).fill(1000 + k)),
    startedAt_s: 0,
    frameTime_s: 0.1,
  };
}

/** Write the wavelength and reference files of the original layout. */
export function writeReferences(
  dir: string,
  refs?: { abs: SpectrumReferences; pl: SpectrumReferences },
  grids?: { abs: Float64Array; pl: Float64Array },
): void {
  mkdirSync(dir, { recursive: true });
  const ga = grids?.abs ?? GRID;
  const gp = grids?.pl ?? GRID;
  const r = refs ?? {
    abs: { dark_counts: new Float64Array(ga.length).fill(100), light_counts: new Float64Array(ga.length).fill(20000) },
    pl: { dark_counts: new Float64Array(gp.length).fill(100) },
  };
  writeSpectraFolder(dir, r, []);
  writeFileSync(join(dir, "Wavelength_Abs.csv"), Array.from(ga).join("\n") + "\n");
  writeFileSync(join(dir, "Wavelength_PL.csv"), Array.from(gp).join("\n") + "\n");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Write one file in `chunks` pieces `gap_ms` apart (a slow writer), or at once. */
export async function writeSlowly(file: string, text: string, chunks = 1, gap_ms = 0): Promise<void> {
  const n = Math.ceil(text.length / chunks);
  writeFileSync(file, text.slice(0, n));
  for (let i = 1; i < chunks; i++) {
    await sleep(gap_ms);
    appendFileSync(file, text.slice(i * n, (i + 1) * n));
  }
}

/** Write the pair k (Abs first, then PL), each file in `chunks` pieces. */
export async function writePair(dir: string, k: number, abs: RawAcquisition, pl: RawAcquisition, chunks = 1, gap_ms = 0): Promise<void> {
  await writeSlowly(join(dir, `Abs${k}.csv`), matrixText(abs), chunks, gap_ms);
  await writeSlowly(join(dir, `PL${k}.csv`), matrixText(pl), chunks, gap_ms);
}

/** A free-running instrument: writes a new pair every `period_ms` until stopped. */
export function freeRunning(dir: string, period_ms: number, firstIndex = 1): { stop: () => Promise<void> } {
  let k = firstIndex;
  let running = true;
  const loop = (async () => {
    while (running) {
      await writePair(dir, k, flatAcquisition("absorbance", k), flatAcquisition("photoluminescence", k), 2, 5);
      k++;
      await sleep(period_ms);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}
