/**
 * From a lab configuration to a connected DeviceLab: one serial line per port (channels
 * of a multi-channel pump share it), the Chemyx pumps, the F4T heater, the file-drop
 * spectrometers, a watchdog on every device, and every command and reply journaled.
 * The lab starts from a safe state: every pump is stopped before the first experiment.
 */
import { isAbsolute, resolve } from "node:path";
import { WallClock } from "./clock.js";
import type { DeviceLog, DeviceLogEntry } from "./deviceLog.js";
import { DeviceLab } from "./deviceLab.js";
import { ChemyxPump } from "./drivers/chemyxPump.js";
import { DropFolder } from "./drivers/dropFolder.js";
import { FileDropSpectrometer } from "./drivers/fileDropSpectrometer.js";
import { openSerialLine } from "./drivers/openSerial.js";
import type { SerialLine } from "./drivers/serialLine.js";
import { WatlowF4T } from "./drivers/watlowF4T.js";
import { reactorMapOf, type LabConfig } from "./labConfig.js";
import type { ReactorDevices } from "./orchestration.js";
import type { SyringePump } from "./protocols.js";
import { withWatchdog } from "./safety.js";

/** Options of {@link connectLab}. */
export interface ConnectOptions {
  /** Folder the configuration's relative paths are relative to. */
  configDir: string;
  log?: DeviceLog;
  /** Volume already dispensed from each loaded syringe (from the device log), uL. */
  dispensed?: Readonly<Record<string, number>>;
  onWarning?: (message: string) => void;
}

/** The file-drop folder of a configuration, as an absolute path. */
export function spectraFolder(config: LabConfig, configDir: string): string {
  return isAbsolute(config.spectrometer.folder) ? config.spectrometer.folder : resolve(configDir, config.spectrometer.folder);
}

/** Open every device of `config` and return the lab (devices stopped). */
/**
 * Connect pump `key` of a lab configuration. Pumps on one serial port (a multi-channel unit)
 * share its line: `lines` holds the lines opened so far, keyed by port, for the caller to close.
 */
export async function connectPump(
  key: string,
  p: LabConfig["pumps"][string],
  lines: Map<string, SerialLine>,
  clock: WallClock,
  extra: Pick<ConstructorParameters<typeof ChemyxPump>[0], "dispensedBefore_uL" | "onTraffic"> = {},
): Promise<ChemyxPump> {
  const name = `pump:${key}`;
  let line = lines.get(p.port);
  if (!line) {
    line = await openSerialLine(name, { path: p.port, baudRate: p.baudRate, terminator: p.terminator, timeout_ms: p.timeout_ms });
    lines.set(p.port, line);
  }
  return new ChemyxPump({
    name,
    line,
    clock,
    channel: p.channel ?? undefined,
    diameter_mm: p.diameter_mm,
    syringeVolume_uL: p.syringeVolume_uL,
    rate_uL_min: p.rate_uL_min,
    retries: p.retries,
    ...extra,
  });
}

/** Connect the heater of a lab configuration (Modbus TCP or RTU) with its limits and register map. */
export function connectHeater(
  h: LabConfig["heater"],
  clock: WallClock,
  onTraffic?: (entry: { device: string; command: string; reply: string[]; ok: boolean }) => void,
): Promise<WatlowF4T> {
  return WatlowF4T.connect(h.transport === "tcp" ? { kind: "tcp", host: h.host, port: h.port } : { kind: "rtu", path: h.path, baudRate: h.baudRate }, {
    name: "heater:plate",
    clock,
    limits: { setPoint_degC: h.setPoint_degC, safeSetPoint_degC: h.safeSetPoint_degC },
    registers: h.registers,
    wordOrder: h.wordOrder,
    retries: h.retries,
    unitId: h.unitId,
    timeout_ms: h.timeout_ms,
    ...(onTraffic ? { onTraffic } : {}),
  });
}

export async function connectLab(config: LabConfig, o: ConnectOptions): Promise<DeviceLab> {
  const clock = new WallClock(config.timeScale);
  const traffic = (e: { device: string; command: string; reply: string[]; ok: boolean }): void =>
    o.log?.record({ t_s: clock.now(), device: e.device, kind: "command", message: e.command, data: { reply: e.reply, ok: e.ok } } satisfies DeviceLogEntry);
  const lines = new Map<string, SerialLine>();
  let heater: WatlowF4T | undefined;
  const release = async (): Promise<void> => {
    for (const l of lines.values()) await l.close();
    await heater?.close();
  };
  try {
    const pumps: Record<string, SyringePump> = {};
    for (const [k, p] of Object.entries(config.pumps)) {
      const pump = await connectPump(k, p, lines, clock, { dispensedBefore_uL: o.dispensed?.[k] ?? 0, onTraffic: traffic });
      pumps[k] = withWatchdog(pump, config.safety.watchdog_s, config.timeScale);
    }
    const h = config.heater;
    heater = await connectHeater(h, clock, traffic);
    const s = config.spectrometer;
    const folder = new DropFolder({
      dir: spectraFolder(config, o.configDir),
      clock,
      poll_s: s.poll_s,
      stable_s: s.stable_s,
      timeout_s: s.timeout_s,
      retries: s.retries,
    });
    const devices: ReactorDevices = {
      pumps,
      heater: withWatchdog(heater, config.safety.watchdog_s, config.timeScale),
      absSpectrometer: new FileDropSpectrometer(folder, "absorbance"),
      plSpectrometer: new FileDropSpectrometer(folder, "photoluminescence"),
    };
    o.log?.record({ t_s: clock.now(), device: "lab", kind: "event", message: "connected; stopping every pump before the first experiment (safe start)" });
    for (const p of Object.values(pumps)) await p.stop(false);
    return new DeviceLab({
      name: `hil:${config.name}`,
      clock,
      devices,
      map: reactorMapOf(config),
      rules: {
        residence: config.residence,
        temperature: { tolerance_degC: h.tolerance_degC, hold_s: h.hold_s, poll_s: h.poll_s, timeout_s: h.timeout_s },
        heaterRamp_degC_min: h.ramp_degC_min,
        acquire_s: s.acquire_s,
      },
      totalFlow_uL_min: config.limits.totalFlow_uL_min,
      syringeMargin: config.safety.syringeMargin,
      monitor_s: config.safety.monitor_s,
      log: o.log,
      onWarning: o.onWarning,
      release,
    });
  } catch (e) {
    await release();
    throw e;
  }
}
