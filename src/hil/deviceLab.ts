/**
 * DeviceLab: a live lab behind src/bo's `Lab` interface. Each experiment is planned
 * (plan.ts), checked like a dry run (every limit and syringe volume; refused before any
 * command is sent), journaled, executed on the devices, processed with the original
 * pipeline and returned as a measurement. Any error stops everything (pumps stopped,
 * heater at its safe set point) before it is rethrown.
 */
import type { Lab, Measurement } from "../bo/lab.js";
import { objectiveOf, setPointsOf, type Problem } from "../bo/problem/problem.js";
import type { Condition } from "../bo/problem/space.js";
import { PAPER_PROBLEM } from "../twin/space.js";
import type { Clock } from "./clock.js";
import type { DeviceLog } from "./deviceLog.js";
import { dryRun, refuseIfUnsafe, type DryRunResult } from "./dryRun.js";
import { executePlan, type ReactorDevices } from "./orchestration.js";
import { planExperiment, type ExperimentPlan, type PlanRules } from "./plan.js";
import type { PumpLimits, SpectrumReferences } from "./protocols.js";
import type { ReactorMap } from "./reactorMap.js";
import { stopAll, type SafeStopReport } from "./safety.js";
import { processAbsorbance, processPhotoluminescence } from "./spectra/pipeline.js";

/** Everything a DeviceLab needs. */
export interface DeviceLabOptions {
  name: string;
  clock: Clock;
  devices: ReactorDevices;
  map: ReactorMap;
  rules: PlanRules;
  totalFlow_uL_min: readonly [number, number];
  syringeMargin: number;
  /** Check the pumps this often during waits, s. */
  monitor_s: number;
  log?: DeviceLog;
  /** The optimization problem: its derived set points feed the map, its objective is computed from the outcomes (default: the paper's). */
  problem?: Problem;
  /** Warnings ahead of time (a syringe running low). */
  onWarning?: (message: string) => void;
  /** Release connections (serial ports, Modbus) after the devices are safe. */
  release?: () => Promise<void>;
}

export class DeviceLab implements Lab {
  readonly name: string;
  private refs?: { abs: SpectrumReferences; pl: SpectrumReferences };
  private closed = false;
  private stopping?: Promise<SafeStopReport>;

  constructor(readonly o: DeviceLabOptions) {
    this.name = o.name;
  }

  get devices(): ReactorDevices {
    return this.o.devices;
  }

  /** The plan of one experiment (no device touched; the heater is read only for the time estimate when `plate_degC` is given). */
  plan(condition: Readonly<Record<string, number>>, plate_degC?: number): ExperimentPlan {
    return planExperiment(condition, this.o.map, this.o.rules, plate_degC, setPointsOf(this.problem, condition));
  }

  get problem(): Problem {
    return this.o.problem ?? PAPER_PROBLEM;
  }

  /** Dry-run a condition against the devices' limits and the syringes' current contents (pumps are read, nothing is sent). */
  async dryRun(condition: Readonly<Record<string, number>>): Promise<DryRunResult> {
    let plate: number | undefined;
    try {
      plate = (await this.o.devices.heater.read()).processValue_degC.value;
    } catch {
      plate = undefined;
    }
    const pumps: Record<string, { limits: PumpLimits; remaining_uL: number }> = {};
    for (const [k, p] of Object.entries(this.o.devices.pumps)) pumps[k] = { limits: p.limits, remaining_uL: (await p.read()).remaining_uL.value };
    return dryRun(this.plan(condition, plate), {
      pumps,
      heater: this.o.devices.heater.limits,
      totalFlow_uL_min: this.o.totalFlow_uL_min,
      syringeMargin: this.o.syringeMargin,
    });
  }

  async run(condition: Condition, signal?: AbortSignal): Promise<Measurement> {
    if (this.closed) throw new Error("DeviceLab is closed");
    const { clock, devices: d, log } = this.o;
    const check = await this.dryRun(condition);
    log?.record({
      t_s: clock.now(),
      device: "lab",
      kind: "event",
      message: "experiment planned",
      data: { condition, total_s: check.total_s, refusals: check.refusals.map((e) => e.message), warnings: check.warnings },
    });
    refuseIfUnsafe(check);
    for (const w of check.warnings) this.o.onWarning?.(w);
    for (const v of check.volumes)
      log?.record({
        t_s: clock.now(),
        device: `pump:${v.pump}`,
        kind: "syringe",
        message: `reserving ${v.need_uL.toFixed(0)} uL of ${v.remaining_uL.toFixed(0)} uL`,
        data: v,
      });
    try {
      this.refs ??= { abs: await d.absSpectrometer.references({ signal }), pl: await d.plSpectrometer.references({ signal }) };
      const rec = await executePlan(d, clock, check.plan, { signal, log, monitor_s: this.o.monitor_s });
      const a = processAbsorbance(rec.abs, this.refs.abs);
      const p = processPhotoluminescence(rec.pl, this.refs.pl);
      const syringes: Record<string, number> = {};
      for (const [k, pump] of Object.entries(d.pumps)) syringes[k] = (await pump.read()).dispensed_uL.value;
      log?.record({ t_s: clock.now(), device: "lab", kind: "syringe", message: "dispensed volumes after the experiment", data: syringes });
      const outcomes = { abs300: a.abs300, pla: p.pla, peak446: p.peak446 };
      return {
        condition: { ...condition },
        setPoints: setPointsOf(this.problem, condition),
        outcomes,
        objective: objectiveOf(this.problem, outcomes, condition),
        startedAt: rec.startedAt_s,
        finishedAt: rec.finishedAt_s,
        meta: {
          lab: this.name,
          plate_degC: rec.plate_degC,
          heatWait_s: rec.heatWait_s,
          tau_s: check.plan.tau_s,
          totalFlow_uL_min: check.plan.totalFlow_uL_min,
          rates: check.plan.rates,
          dispensed_uL: syringes,
        },
      };
    } catch (e) {
      const report = await this.safeStop(`error: ${(e as Error).message}`);
      if (!report.ok) (e as Error).message += `\n  and the lab could not be made fully safe: ${report.failures.join("; ")}`;
      await this.recordDispensed("dispensed volumes after a stop");
      throw e;
    }
  }

  /** Journal what each pump reports as dispensed (best effort: a dead pump keeps its worst-case reservation). */
  private async recordDispensed(message: string): Promise<void> {
    const volumes: Record<string, number> = {};
    for (const [k, pump] of Object.entries(this.o.devices.pumps)) {
      try {
        volumes[k] = (await pump.read()).dispensed_uL.value;
      } catch {
        // keep the reservation for this pump
      }
    }
    if (Object.keys(volumes).length > 0) this.o.log?.record({ t_s: this.o.clock.now(), device: "lab", kind: "syringe", message, data: volumes });
  }

  /** Stop every pump and put the heater at its safe set point; concurrent calls share one stop. */
  safeStop(reason: string): Promise<SafeStopReport> {
    this.stopping ??= stopAll(this.o.devices, reason, { clock: this.o.clock, log: this.o.log }).finally(() => {
      this.stopping = undefined;
    });
    return this.stopping;
  }

  /** Make the lab safe and release the connections; idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.safeStop("campaign closed");
    await this.o.release?.();
  }
}
