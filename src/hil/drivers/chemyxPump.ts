/**
 * Chemyx Fusion syringe pump over a serial line (RS-232 or USB), ASCII commands:
 * `set units 2` (uL/min), `set diameter X` (mm), `set rate X`, `set volume X`, `start`,
 * `stop`, `pump status` (0 stopped, 1 running, 2 paused, 3 delayed, 4 stalled),
 * `dispensed volume`. Multi-channel units prefix the channel number ("1 set rate 100").
 *
 * Every setting's echo is checked: an echo that differs from what was sent means the
 * pump clamped it, and that is an error naming both values. Garbled or missing replies
 * are retried a bounded number of times, then reported as a DeviceError naming the pump
 * and the command. The syringe is tracked: dispensed volume = what was dispensed before
 * this driver started (given by the caller, e.g. from the campaign store) + what the
 * pump reports.
 */
import { BoundsError, DeviceError, SyringeEmptyError } from "../../core/errors.js";
import type { Clock } from "../clock.js";
import { checkRange } from "../limits.js";
import type { CheckResult, PumpLimits, PumpReadings, PumpStatus, SetOptions, SyringePump } from "../protocols.js";
import type { SerialLine } from "./serialLine.js";

/** Settings of one Chemyx pump channel. */
export interface ChemyxPumpOptions {
  /** Device name in logs and errors, e.g. "pump:CuI". */
  name: string;
  line: SerialLine;
  clock: Clock;
  /** Channel number of a multi-channel unit (prefixed to every command); none for a single pump. */
  channel?: number;
  /** Syringe inner diameter, mm. */
  diameter_mm: number;
  /** Syringe capacity, uL. */
  syringeVolume_uL: number;
  /** Allowed infusion rates, uL/min. */
  rate_uL_min: readonly [number, number];
  /** Extra tries after a missing or garbled reply (default 2). */
  retries?: number;
  /** Volume already dispensed from the loaded syringe before this driver started, uL. */
  dispensedBefore_uL?: number;
  /** Called with every command sent and every reply (journaling). */
  onTraffic?: (entry: { device: string; command: string; reply: string[]; ok: boolean }) => void;
}

const STATUS: Record<string, PumpStatus> = { "0": "stopped", "1": "running", "2": "paused", "3": "running", "4": "stalled" };
const NUMBER = String.raw`(-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)`;

/** A parser returns the value, or `garbled` when a reply line cannot be the answer. */
type Parse<T> = (line: string) => T | "garbled";

export class ChemyxPump implements SyringePump {
  readonly kind = "syringe-pump" as const;
  readonly name: string;
  readonly limits: PumpLimits;
  private readonly retries: number;
  private configured = false;
  private rate = 0;
  /** Volume dispensed by finished runs (since the syringe was loaded), uL. */
  private dispensedBase_uL: number;
  /** True while a run started by this driver may be adding to the pump's dispensed counter. */
  private runActive = false;

  constructor(private readonly o: ChemyxPumpOptions) {
    this.name = o.name;
    this.limits = { rate_uL_min: o.rate_uL_min, syringeVolume_uL: o.syringeVolume_uL };
    this.retries = o.retries ?? 2;
    this.dispensedBase_uL = o.dispensedBefore_uL ?? 0;
  }

  check(rate_uL_min: number): CheckResult {
    return checkRange(`${this.name} rate`, rate_uL_min, "uL/min", this.limits.rate_uL_min);
  }

  /** Send a command and parse its one-line answer, with bounded retries. */
  private async ask<T>(command: string, parse: Parse<T>): Promise<T> {
    const full = this.o.channel === undefined ? command : `${this.o.channel} ${command}`;
    let last = "no answer";
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      const r = await this.o.line.request(full, (lines): { ok: T } | { garbled: string } | undefined => {
        for (const l of lines) {
          const v = parse(l);
          if (v !== "garbled") return { ok: v };
        }
        return lines.length > 0 ? { garbled: lines.join(" | ") } : undefined;
      });
      const ok = r.value !== undefined && "ok" in r.value;
      this.o.onTraffic?.({ device: this.name, command: full, reply: r.lines, ok });
      if (r.value && "ok" in r.value) return r.value.ok;
      last = r.value && "garbled" in r.value ? `a garbled reply "${r.value.garbled}"` : `no answer within ${this.o.line.options.timeout_ms} ms`;
    }
    throw new DeviceError(
      this.name,
      `"${full}" on ${this.o.line.path} got ${last} (${this.retries + 1} tries)`,
      "check the cable, baud rate, terminator and channel in the lab configuration, and that the pump is on",
    );
  }

  /** Write a setting and check its echo (`key = value`); a different value means the pump clamped it. */
  private async setting(key: string, value: number): Promise<void> {
    const re = new RegExp(String.raw`^(?:\d+\s+)?${key}\s*=\s*${NUMBER}`, "i");
    const echoed = await this.ask(`set ${key} ${fmt(value)}`, (l) => {
      const m = re.exec(l);
      return m ? Number(m[1]) : "garbled";
    });
    if (Math.abs(echoed - value) > Math.max(1e-3, 1e-4 * Math.abs(value))) {
      throw new DeviceError(
        this.name,
        `sent ${key} ${fmt(value)} but the pump set ${key} ${fmt(echoed)} (it clamped the value)`,
        `check the syringe diameter and the pump's limits (read limit parameter); ${key} must be within what this syringe allows`,
      );
    }
  }

  private async status(): Promise<PumpStatus> {
    return this.ask("pump status", (l) => {
      const m = /^(?:pump status\s*=\s*)?([0-4])$/i.exec(l);
      return m ? STATUS[m[1]] : "garbled";
    });
  }

  private async pumpDispensed(): Promise<number> {
    return this.ask("dispensed volume", (l) => {
      const m = new RegExp(String.raw`^(?:dispensed volume\s*=\s*)?${NUMBER}\s*(?:ul|µl)?$`, "i").exec(l);
      return m ? Number(m[1]) : "garbled";
    });
  }

  /**
   * Send a bare command (start, stop): any reply or a prompt ends the wait, silence is
   * fine too (after the timeout); the state is verified by `pump status`.
   */
  private async bare(command: string): Promise<void> {
    const full = this.o.channel === undefined ? command : `${this.o.channel} ${command}`;
    const r = await this.o.line.request(full, (lines, prompted) => (lines.length > 0 || prompted ? true : undefined));
    this.o.onTraffic?.({ device: this.name, command: full, reply: r.lines, ok: true });
  }

  /** Units (uL/min) and syringe diameter, once per connection. */
  async configure(): Promise<void> {
    if (this.configured) return;
    await this.ask("set units 2", (l) => (/^(?:\d+\s+)?units\s*=\s*2$/i.test(l) ? 2 : "garbled"));
    await this.setting("diameter", this.o.diameter_mm);
    this.configured = true;
  }

  private async expectStatus(want: PumpStatus, command: string): Promise<void> {
    let s: PumpStatus = "stopped";
    for (let i = 0; i < 5; i++) {
      s = await this.status();
      if (s === want) return;
      if (s === "stalled") break;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new DeviceError(
      this.name,
      `after "${command}" the pump reports ${s}, expected ${want}`,
      "check the syringe, the tubing (a blockage stalls the pump) and the pump's display",
    );
  }

  async set(rate_uL_min: number, options: SetOptions = {}): Promise<void> {
    const c = this.check(rate_uL_min);
    if (!c.ok) throw new BoundsError(c.violation.field, rate_uL_min, "uL/min", c.violation.bounds);
    options.signal?.throwIfAborted();
    if (rate_uL_min === 0) return this.stop();
    await this.configure();
    if (this.runActive) await this.stop();
    const remaining = this.limits.syringeVolume_uL - this.dispensedBase_uL;
    if (remaining <= 0) throw new SyringeEmptyError(this.name, Math.max(0, remaining));
    await this.setting("rate", rate_uL_min);
    // Infuse at most what is left: the pump stops by itself instead of running dry.
    await this.setting("volume", Math.floor(remaining * 100) / 100);
    options.signal?.throwIfAborted();
    await this.bare("start");
    this.runActive = true;
    this.rate = rate_uL_min;
    await this.expectStatus("running", "start");
  }

  /** Stop infusing (the safe state either way) and add the run's volume to the syringe's account. */
  async stop(_success = true): Promise<void> {
    await this.bare("stop");
    this.rate = 0;
    if (this.runActive) {
      this.dispensedBase_uL += await this.pumpDispensed();
      this.runActive = false;
    }
    await this.expectStatus("stopped", "stop");
  }

  async read(): Promise<PumpReadings> {
    const status = await this.status();
    const current = this.runActive ? await this.pumpDispensed() : 0;
    const t = this.o.clock.now();
    const dispensed = this.dispensedBase_uL + current;
    const remaining = this.limits.syringeVolume_uL - dispensed;
    const s: PumpStatus = status === "stopped" && remaining <= 1e-6 ? "empty" : status;
    return {
      rate_uL_min: { value: s === "running" ? this.rate : 0, timestamp_s: t },
      dispensed_uL: { value: dispensed, timestamp_s: t },
      remaining_uL: { value: remaining, timestamp_s: t },
      status: { value: s, timestamp_s: t },
    };
  }

  /** A new full syringe was loaded: the dispensed account starts again at 0. */
  syringeLoaded(): void {
    this.dispensedBase_uL = 0;
  }
}

/** Numbers as the pump reads them: up to 4 decimals, no exponent. */
function fmt(v: number): string {
  return String(Math.round(v * 1e4) / 1e4);
}
