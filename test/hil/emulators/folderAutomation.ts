/**
 * Plays the original lab's LabVIEW automation in folder mode: watches FR.csv, and for
 * every new row k "runs" the condition (the simulator's steady state at it) and writes
 * Abs<k>.csv / PL<k>.csv slowly, some time later.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SpectraFeeder } from "./spectraFeeder.js";
import { writePair } from "./spectraWriter.js";

export class FolderAutomation {
  private running = true;
  private loop?: Promise<void>;
  done = 0;

  private constructor(
    readonly dir: string,
    readonly feeder: SpectraFeeder,
    private rowState: { T: number; rates: Record<string, number> },
  ) {}

  /** Write the references and `initial` measured rows (FR.csv + spectra), like a lab with history. */
  static async create(dir: string, initial: number[][]): Promise<FolderAutomation> {
    const holder = { T: 150, rates: {} as Record<string, number> };
    const feeder = await SpectraFeeder.create(dir, () => ({ plate_degC: holder.T, rates: holder.rates }));
    const a = new FolderAutomation(dir, feeder, holder);
    const { appendFileSync } = await import("node:fs");
    for (const row of initial) {
      appendFileSync(join(dir, "FR.csv"), row.join(",") + "\n");
      await a.measure(row, a.rows().length);
    }
    return a;
  }

  rows(): number[][] {
    const f = join(this.dir, "FR.csv");
    if (!existsSync(f)) return [];
    return readFileSync(f, "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => l.split(",").map(Number));
  }

  private async measure(row: number[], k: number): Promise<void> {
    this.rowState.T = row[0];
    this.rowState.rates = { CuI: row[1], ZnI2: row[2], CsOA: row[3], ODE: row[4], PFO: row[5] };
    this.feeder.k = k;
    await this.feeder.writeOne();
    this.done = k;
  }

  /** Poll FR.csv every `poll_ms`; answer each new row after `delay_ms`, writing in chunks. */
  start(poll_ms = 20, delay_ms = 100): void {
    this.loop = (async () => {
      while (this.running) {
        const rows = this.rows();
        if (rows.length > this.done) {
          await new Promise((r) => setTimeout(r, delay_ms));
          await this.measure(rows[this.done], this.done + 1);
        }
        await new Promise((r) => setTimeout(r, poll_ms));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await this.feeder.stop();
  }
}

export { writePair };
