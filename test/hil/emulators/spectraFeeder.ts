/**
 * A free-running spectrometer fed by the simulator: every period it looks at what the
 * emulated reactor is doing (plate temperature from the F4T emulator, flows from the
 * pump emulators), asks the simulator's steady state for the features, synthesizes raw
 * spectra and writes them as the next Abs<k>.csv / PL<k>.csv pair (written in chunks,
 * as a slow writer would).
 */
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { SimulatedLab } from "../../../src/sim/simulatedLab.js";
import { writeSpectraFolder } from "../../../src/hil/spectra/folder.js";
import { writePair } from "./spectraWriter.js";

export interface ReactorState {
  plate_degC: number;
  /** Actual pump rates, uL/min. */
  rates: Record<string, number>;
}

export class SpectraFeeder {
  private running = false;
  private loop?: Promise<void>;
  k = 1;

  private constructor(
    readonly dir: string,
    readonly lab: SimulatedLab,
    private readonly state: () => ReactorState,
  ) {}

  /** Load the published chem1 twin as truth and write the references into `dir`. */
  static async create(dir: string, state: () => ReactorState): Promise<SpectraFeeder> {
    const lab = await SimulatedLab.fromTwin("chem1", { mode: "steady", noise: "none", seed: 1 });
    const refs = lab.synth.references();
    writeSpectraFolder(dir, refs, []);
    const grid = Array.from(lab.synth.grid).join("\n") + "\n";
    writeFileSync(join(dir, "Wavelength_Abs.csv"), grid);
    writeFileSync(join(dir, "Wavelength_PL.csv"), grid);
    return new SpectraFeeder(dir, lab, state);
  }

  /** Write the next pair for the reactor's current state. */
  async writeOne(): Promise<void> {
    const s = this.state();
    const r = s.rates;
    const precursors = (r.CuI ?? 0) + (r.ZnI2 ?? 0) + (r.CsOA ?? 0) + (r.ODE ?? 0);
    const total = precursors + (r.PFO ?? 0);
    let target = { abs300: 0.001, pla: 0 };
    if (precursors > 0 && total > 0) {
      const f = this.lab.trueFeatures([{ T: s.plate_degC, CuI: r.CuI, ZnI2: r.ZnI2, CsOA: r.CsOA, ODE: r.ODE }]);
      target = { abs300: f.abs300[0], pla: f.pla[0] };
    }
    const cond = { totalFlow_uL_min: Math.max(total, 1), dropletFraction: total > 0 ? precursors / total : 0.5 };
    const abs = this.lab.synth.absorbance(target, cond);
    const pl = this.lab.synth.photoluminescence(target, cond);
    await writePair(this.dir, this.k++, abs, pl, 3, 2);
  }

  /** Write a pair every `period_ms` until stopped. */
  start(period_ms: number): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        await this.writeOne();
        await new Promise((res) => setTimeout(res, period_ms));
      }
    })();
  }

  /** Stop writing (start() resumes). */
  async halt(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Stop writing and release the simulator. */
  async stop(): Promise<void> {
    await this.halt();
    await this.lab.close();
  }
}
