/**
 * `sdfl lab check`: connect to every device of a configuration and read it, without
 * sending a single set point, start or stop. Each device is checked on its own so one
 * failure does not hide the others.
 */
import { existsSync } from "node:fs";
import { WallClock } from "./clock.js";
import { connectHeater, connectPump, spectraFolder } from "./connectLab.js";
import { DropFolder } from "./drivers/dropFolder.js";
import type { SerialLine } from "./drivers/serialLine.js";
import type { LabConfig } from "./labConfig.js";

/** One row of the check table. */
export interface CheckRow {
  device: string;
  where: string;
  ok: boolean;
  detail: string;
}

/** Read every device; never moves anything. */
export async function checkLab(config: LabConfig, configDir: string): Promise<CheckRow[]> {
  const clock = new WallClock(config.timeScale);
  const rows: CheckRow[] = [];
  const lines = new Map<string, SerialLine>();
  try {
    for (const [k, p] of Object.entries(config.pumps)) {
      const device = `pump:${k}`;
      const where = `${p.port}${p.channel ? ` channel ${p.channel}` : ""} @ ${p.baudRate}`;
      try {
        const pump = await connectPump(k, p, lines, clock);
        const r = await pump.read();
        rows.push({ device, where, ok: true, detail: `status ${r.status.value}` });
      } catch (e) {
        rows.push({ device, where, ok: false, detail: (e as Error).message });
      }
    }
  } finally {
    for (const l of lines.values()) await l.close();
  }
  const h = config.heater;
  const where = h.transport === "tcp" ? `${h.host}:${h.port} unit ${h.unitId}` : `${h.path} @ ${h.baudRate} unit ${h.unitId}`;
  try {
    const heater = await connectHeater(h, clock);
    try {
      const r = await heater.read();
      rows.push({
        device: "heater:plate",
        where,
        ok: true,
        detail: `set point ${r.setPoint_degC.value.toFixed(1)} degC, plate ${r.processValue_degC.value.toFixed(1)} degC`,
      });
    } finally {
      await heater.close();
    }
  } catch (e) {
    rows.push({ device: "heater:plate", where, ok: false, detail: (e as Error).message });
  }
  const dir = spectraFolder(config, configDir);
  try {
    if (!existsSync(dir)) throw new Error(`${dir} does not exist`);
    const f = new DropFolder({ dir, clock });
    const a = f.references("absorbance");
    const p = f.references("photoluminescence");
    const ga = f.grid("absorbance");
    const gp = f.grid("photoluminescence");
    if (a.dark_counts.length !== ga.length || a.light_counts?.length !== ga.length || p.dark_counts.length !== gp.length)
      throw new Error("reference files and wavelength files have different lengths");
    rows.push({
      device: "spectrometers",
      where: dir,
      ok: true,
      detail: `${ga.length} + ${gp.length} pixels, references read, latest spectra index ${f.highestIndex()}`,
    });
  } catch (e) {
    rows.push({ device: "spectrometers", where: dir, ok: false, detail: (e as Error).message });
  }
  return rows;
}
