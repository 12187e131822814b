/**
 * The lab configuration: one JSON file describing the devices of a live lab (pump ports
 * and syringes, heater connection and limits, spectra folder, residence-time rule, the
 * map from the problem's inputs to devices, safety settings). Every field has a default
 * (`sdfl lab init` writes them all; docs/hil.md explains each); a wrong field is a
 * ConfigError naming the file, the field, the value and what is allowed. Unknown fields
 * are errors too, so a typo never silently falls back to a default.
 */
import { readFileSync } from "node:fs";
import { SdflError } from "../core/errors.js";
import type { WordOrder } from "./drivers/float32Words.js";
import { PAPER_REACTOR_MAP, type ReactorMap, type StreamSource } from "./reactorMap.js";

/** A mistake in the lab configuration. */
export class ConfigError extends SdflError {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    super(
      `${file}: field "${field}" = ${JSON.stringify(value) ?? "undefined"} is not valid; allowed: ${allowed}`,
      `fix "${field}" in ${file} (sdfl lab init writes a template with every field; docs/hil.md explains each)`,
    );
  }
}

/** One syringe pump (Chemyx Fusion channel). */
export interface PumpConfig {
  /** Serial port path, e.g. /dev/ttyUSB0 or /dev/serial/by-id/... */
  port: string;
  baudRate: number;
  /** "\r" or "\r\n". */
  terminator: string;
  /** Channel of a multi-channel unit, or null. */
  channel: number | null;
  diameter_mm: number;
  syringeVolume_uL: number;
  /** Allowed rates, uL/min. */
  rate_uL_min: [number, number];
  /** Per-command timeout, ms. */
  timeout_ms: number;
  retries: number;
}

/** The Watlow F4T heater controller. */
export interface HeaterConfig {
  transport: "tcp" | "rtu";
  host: string;
  port: number;
  /** Serial path for RTU. */
  path: string;
  baudRate: number;
  unitId: number;
  loop: number;
  registers: { setPoint: number; processValue: number };
  wordOrder: WordOrder;
  setPoint_degC: [number, number];
  safeSetPoint_degC: number;
  tolerance_degC: number;
  hold_s: number;
  poll_s: number;
  timeout_s: number;
  timeout_ms: number;
  retries: number;
  /** For time estimates: how fast the plate moves, degC/min. */
  ramp_degC_min: number;
}

/** The file-drop spectrometers (both read one folder). */
export interface SpectrometerConfig {
  folder: string;
  poll_s: number;
  stable_s: number;
  timeout_s: number;
  retries: number;
  /** For time estimates: one acquisition, s. */
  acquire_s: number;
}

/** The whole configuration. */
export interface LabConfig {
  name: string;
  /** Lab seconds per real second: 1 on hardware; > 1 only against emulators. */
  timeScale: number;
  map: {
    temperature: string;
    streams: ({ pump: string; input: string } | { pump: string; setPoint: string } | { pump: string; sumOf: string[]; factor: number })[];
  };
  pumps: Record<string, PumpConfig>;
  heater: HeaterConfig;
  spectrometer: SpectrometerConfig;
  residence: { volume_uL: number; times: number };
  limits: { totalFlow_uL_min: [number, number] };
  safety: {
    /** A device command that takes longer than this (lab s) is a fault: everything stops. */
    watchdog_s: number;
    /** Pumps are checked this often during waits, s. */
    monitor_s: number;
    /** Syringe volume margin on the estimated need of an experiment (0.5 = 50 % more). */
    syringeMargin: number;
  };
}

const BAUDS = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200];

function defaultPump(port: string, syringe_uL: number, diameter_mm: number): PumpConfig {
  return {
    port,
    baudRate: 9600,
    terminator: "\r",
    channel: null,
    diameter_mm,
    syringeVolume_uL: syringe_uL,
    rate_uL_min: [0, 1000],
    timeout_ms: 500,
    retries: 2,
  };
}

/** The template `sdfl lab init` writes: the paper's reactor with every field at its default. */
export function defaultLabConfig(): LabConfig {
  return {
    name: "sdfl-rig",
    timeScale: 1,
    map: {
      temperature: PAPER_REACTOR_MAP.temperature,
      streams: PAPER_REACTOR_MAP.streams.map((s) =>
        "input" in s.from
          ? { pump: s.pump, input: s.from.input }
          : "setPoint" in s.from
            ? { pump: s.pump, setPoint: s.from.setPoint }
            : { pump: s.pump, sumOf: [...s.from.sumOf], factor: s.from.factor },
      ),
    },
    pumps: {
      CuI: defaultPump("/dev/ttyUSB0", 50_000, 26.59),
      ZnI2: defaultPump("/dev/ttyUSB1", 50_000, 26.59),
      CsOA: defaultPump("/dev/ttyUSB2", 50_000, 26.59),
      ODE: defaultPump("/dev/ttyUSB3", 100_000, 34.9),
      PFO: defaultPump("/dev/ttyUSB4", 100_000, 34.9),
    },
    heater: {
      transport: "tcp",
      host: "192.168.0.50",
      port: 502,
      path: "/dev/ttyUSB5",
      baudRate: 9600,
      unitId: 1,
      loop: 1,
      registers: { setPoint: 2782, processValue: 2820 },
      wordOrder: "low-first",
      setPoint_degC: [20, 185],
      safeSetPoint_degC: 25,
      tolerance_degC: 0.5,
      hold_s: 20,
      poll_s: 2,
      timeout_s: 1800,
      timeout_ms: 1000,
      retries: 2,
      ramp_degC_min: 10,
    },
    spectrometer: { folder: "spectra", poll_s: 0.5, stable_s: 1, timeout_s: 600, retries: 3, acquire_s: 10 },
    residence: { volume_uL: 883, times: 2 },
    limits: { totalFlow_uL_min: [300, 1500] },
    safety: { watchdog_s: 30, monitor_s: 5, syringeMargin: 0.5 },
  };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

class Checker {
  constructor(readonly file: string) {}
  fail(field: string, value: unknown, allowed: string): never {
    throw new ConfigError(this.file, field, value, allowed);
  }
  /** Fields of `v` must be among those of `template`; missing ones take the template's value. */
  object(field: string, v: unknown, template: Obj): Obj {
    if (v === undefined) return template;
    if (!isObj(v)) this.fail(field, v, "an object");
    for (const k of Object.keys(v))
      if (!(k in template)) this.fail(`${field ? field + "." : ""}${k}`, v[k], `one of the fields ${Object.keys(template).join(", ")} (unknown field)`);
    return { ...template, ...v };
  }
  number(field: string, v: unknown, lo: number, hi: number, o: { integer?: boolean; exclusiveLow?: boolean } = {}): number {
    const ok = typeof v === "number" && Number.isFinite(v) && (o.exclusiveLow ? v > lo : v >= lo) && v <= hi && (!o.integer || Number.isInteger(v));
    if (!ok) this.fail(field, v, `${o.integer ? "an integer" : "a number"} ${o.exclusiveLow ? "above" : "from"} ${lo}${hi === Infinity ? "" : ` to ${hi}`}`);
    return v as number;
  }
  range(field: string, v: unknown, lo: number, hi: number): [number, number] {
    if (!Array.isArray(v) || v.length !== 2) this.fail(field, v, `[min, max] within ${lo} to ${hi}`);
    const a = this.number(`${field}[0]`, v[0], lo, hi);
    const b = this.number(`${field}[1]`, v[1], lo, hi);
    if (!(a < b)) this.fail(field, v, "[min, max] with min < max");
    return [a, b];
  }
  string(field: string, v: unknown): string {
    if (typeof v !== "string" || v.trim() === "") this.fail(field, v, "a non-empty string");
    return v;
  }
  oneOf<T>(field: string, v: unknown, allowed: readonly T[]): T {
    if (!allowed.includes(v as T)) this.fail(field, v, allowed.map((a) => JSON.stringify(a)).join(", "));
    return v as T;
  }
}

/** Validate a parsed configuration (`file` names it in errors); missing fields take their defaults. */
export function validateLabConfig(raw: unknown, file: string): LabConfig {
  const c = new Checker(file);
  const d = defaultLabConfig();
  const top = c.object("", raw, d as unknown as Obj);
  const name = c.string("name", top.name);
  const timeScale = c.number("timeScale", top.timeScale, 0, 1e6, { exclusiveLow: true });

  const m = c.object("map", top.map, d.map as unknown as Obj);
  const temperature = c.string("map.temperature", m.temperature);
  if (!Array.isArray(m.streams) || m.streams.length === 0)
    c.fail("map.streams", m.streams, "a non-empty list of {pump, input}, {pump, setPoint} or {pump, sumOf, factor}");
  const seen = new Set<string>();
  const streams = (m.streams as unknown[]).map((s, i) => {
    const f = `map.streams[${i}]`;
    if (!isObj(s)) return c.fail(f, s, "{pump, input}, {pump, setPoint} or {pump, sumOf, factor}");
    const pump = c.string(`${f}.pump`, s.pump);
    if (seen.has(pump)) c.fail(`${f}.pump`, pump, "each pump once");
    seen.add(pump);
    for (const k of Object.keys(s))
      if (!["pump", "input", "setPoint", "sumOf", "factor"].includes(k))
        c.fail(`${f}.${k}`, s[k], "fields pump, input, setPoint, sumOf, factor (unknown field)");
    if ("input" in s) return { pump, input: c.string(`${f}.input`, s.input) };
    if ("setPoint" in s) return { pump, setPoint: c.string(`${f}.setPoint`, s.setPoint) };
    if (!Array.isArray(s.sumOf) || s.sumOf.length === 0) c.fail(`${f}.sumOf`, s.sumOf, "a non-empty list of input names (or give input or setPoint instead)");
    return {
      pump,
      sumOf: (s.sumOf as unknown[]).map((n, j) => c.string(`${f}.sumOf[${j}]`, n)),
      factor: c.number(`${f}.factor`, s.factor, 0, 100, { exclusiveLow: true }),
    };
  });

  const pumpsValue: unknown = top.pumps === undefined ? d.pumps : top.pumps;
  const pumpsRaw: Obj = isObj(pumpsValue) ? pumpsValue : c.fail("pumps", pumpsValue, "an object with one entry per pump of map.streams");
  const pumps: Record<string, PumpConfig> = {};
  for (const s of streams) {
    const f = `pumps.${s.pump}`;
    if (!(s.pump in pumpsRaw)) c.fail(f, undefined, `a pump entry (map.streams names pump "${s.pump}")`);
    const template = (d.pumps[s.pump] ?? d.pumps.CuI) as unknown as Obj;
    const p = c.object(f, pumpsRaw[s.pump], template);
    const syringe = c.number(`${f}.syringeVolume_uL`, p.syringeVolume_uL, 0, 1e6, { exclusiveLow: true });
    pumps[s.pump] = {
      port: c.string(`${f}.port`, p.port),
      baudRate: c.oneOf(`${f}.baudRate`, p.baudRate, BAUDS),
      terminator: c.oneOf(`${f}.terminator`, p.terminator, ["\r", "\r\n"]),
      channel: p.channel === null ? null : c.number(`${f}.channel`, p.channel, 1, 16, { integer: true }),
      diameter_mm: c.number(`${f}.diameter_mm`, p.diameter_mm, 0, 100, { exclusiveLow: true }),
      syringeVolume_uL: syringe,
      rate_uL_min: c.range(`${f}.rate_uL_min`, p.rate_uL_min, 0, 1e6),
      timeout_ms: c.number(`${f}.timeout_ms`, p.timeout_ms, 1, 60_000),
      retries: c.number(`${f}.retries`, p.retries, 0, 10, { integer: true }),
    };
  }
  for (const k of Object.keys(pumpsRaw)) if (!seen.has(k)) c.fail(`pumps.${k}`, "(entry)", `only pumps named in map.streams: ${[...seen].join(", ")}`);

  const h = c.object("heater", top.heater, d.heater as unknown as Obj);
  const regs = c.object("heater.registers", h.registers, d.heater.registers as unknown as Obj);
  const setPoint_degC = c.range("heater.setPoint_degC", h.setPoint_degC, -50, 400);
  const heater: HeaterConfig = {
    transport: c.oneOf("heater.transport", h.transport, ["tcp", "rtu"] as const),
    host: c.string("heater.host", h.host),
    port: c.number("heater.port", h.port, 1, 65535, { integer: true }),
    path: c.string("heater.path", h.path),
    baudRate: c.oneOf("heater.baudRate", h.baudRate, BAUDS),
    unitId: c.number("heater.unitId", h.unitId, 0, 247, { integer: true }),
    loop: c.number("heater.loop", h.loop, 1, 4, { integer: true }),
    registers: {
      setPoint: c.number("heater.registers.setPoint", regs.setPoint, 0, 65534, { integer: true }),
      processValue: c.number("heater.registers.processValue", regs.processValue, 0, 65534, { integer: true }),
    },
    wordOrder: c.oneOf("heater.wordOrder", h.wordOrder, ["low-first", "high-first"] as const),
    setPoint_degC,
    safeSetPoint_degC: c.number("heater.safeSetPoint_degC", h.safeSetPoint_degC, setPoint_degC[0], setPoint_degC[1]),
    tolerance_degC: c.number("heater.tolerance_degC", h.tolerance_degC, 0, 50, { exclusiveLow: true }),
    hold_s: c.number("heater.hold_s", h.hold_s, 0, 86400),
    poll_s: c.number("heater.poll_s", h.poll_s, 0, 3600, { exclusiveLow: true }),
    timeout_s: c.number("heater.timeout_s", h.timeout_s, 0, 86400, { exclusiveLow: true }),
    timeout_ms: c.number("heater.timeout_ms", h.timeout_ms, 1, 60_000),
    retries: c.number("heater.retries", h.retries, 0, 10, { integer: true }),
    ramp_degC_min: c.number("heater.ramp_degC_min", h.ramp_degC_min, 0, 1000, { exclusiveLow: true }),
  };

  const sp = c.object("spectrometer", top.spectrometer, d.spectrometer as unknown as Obj);
  const spectrometer: SpectrometerConfig = {
    folder: c.string("spectrometer.folder", sp.folder),
    poll_s: c.number("spectrometer.poll_s", sp.poll_s, 0, 3600, { exclusiveLow: true }),
    stable_s: c.number("spectrometer.stable_s", sp.stable_s, 0, 3600, { exclusiveLow: true }),
    timeout_s: c.number("spectrometer.timeout_s", sp.timeout_s, 0, 86400, { exclusiveLow: true }),
    retries: c.number("spectrometer.retries", sp.retries, 0, 100, { integer: true }),
    acquire_s: c.number("spectrometer.acquire_s", sp.acquire_s, 0, 3600),
  };
  const r = c.object("residence", top.residence, d.residence as unknown as Obj);
  const l = c.object("limits", top.limits, d.limits as unknown as Obj);
  const sf = c.object("safety", top.safety, d.safety as unknown as Obj);
  return {
    name,
    timeScale,
    map: { temperature, streams },
    pumps,
    heater,
    spectrometer,
    residence: { volume_uL: c.number("residence.volume_uL", r.volume_uL, 0, 1e6, { exclusiveLow: true }), times: c.number("residence.times", r.times, 0, 100) },
    limits: { totalFlow_uL_min: c.range("limits.totalFlow_uL_min", l.totalFlow_uL_min, 0, 1e6) },
    safety: {
      watchdog_s: c.number("safety.watchdog_s", sf.watchdog_s, 0, 86400, { exclusiveLow: true }),
      monitor_s: c.number("safety.monitor_s", sf.monitor_s, 0, 86400, { exclusiveLow: true }),
      syringeMargin: c.number("safety.syringeMargin", sf.syringeMargin, 0, 10),
    },
  };
}

/** Read and validate a configuration file; JSON syntax errors name line and column. */
export function loadLabConfig(file: string): LabConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new SdflError(
      `${file}: cannot read the lab configuration (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      "write one with `sdfl lab init --out lab.json`",
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    let where = "";
    if (pos) {
      const before = text.slice(0, Number(pos[1]));
      where = `:${before.split("\n").length}:${before.length - before.lastIndexOf("\n")}`;
    }
    throw new SdflError(`${file}${where}: not valid JSON (${msg})`, "fix the syntax (JSON has no comments and no trailing commas)");
  }
  return validateLabConfig(raw, file);
}

/** The configuration's stream map as a {@link ReactorMap}. */
export function reactorMapOf(config: LabConfig): ReactorMap {
  return {
    temperature: config.map.temperature,
    streams: config.map.streams.map((s) => ({
      pump: s.pump,
      from: ("input" in s ? { input: s.input } : "setPoint" in s ? { setPoint: s.setPoint } : { sumOf: s.sumOf, factor: s.factor }) as StreamSource,
    })),
  };
}
