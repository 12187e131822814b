/**
 * Wiring of the live labs of `sdfl campaign`: `--lab hil --config lab.json` (sdfl drives
 * the devices) and `--lab folder --folder DIR` (the original automation drives them;
 * sdfl writes FR.csv and reads the spectra). Both journal into the campaign store's
 * device log, and both stop safely on SIGINT/SIGTERM (a second Ctrl-C does not skip it).
 */
import { dirname } from "node:path";
import type { InitPlan } from "../bo/campaign/runner.js";
import { UsageError } from "../core/errors.js";
import { WallClock } from "../hil/clock.js";
import { connectLab } from "../hil/connectLab.js";
import type { DeviceLab } from "../hil/deviceLab.js";
import type { DeviceLog, DeviceLogEntry } from "../hil/deviceLog.js";
import { DropFolder } from "../hil/drivers/dropFolder.js";
import { FolderLab } from "../hil/folderLab.js";
import { loadLabConfig } from "../hil/labConfig.js";
import { dispensedFromLog } from "../hil/syringeAccount.js";
import type { CampaignStore } from "../store/campaignStore.js";
import type { CommandIO } from "./command.js";

/** Lab names of live labs. */
export const LIVE_LABS = ["hil", "folder"] as const;

/** A device log that buffers entries until the campaign exists, then writes to the store. */
export class DeferredDeviceLog implements DeviceLog {
  private target?: DeviceLog;
  private readonly buffer: DeviceLogEntry[] = [];
  record(e: DeviceLogEntry): void {
    if (this.target) this.target.record(e);
    else this.buffer.push(e);
  }
  attach(target: DeviceLog): void {
    this.target = target;
    for (const e of this.buffer.splice(0)) target.record(e);
  }
}

/** A live lab with what the campaign command needs around it. */
export interface LiveLab {
  lab: DeviceLab | FolderLab;
  log: DeferredDeviceLog;
  /** Initial data of folder mode (FR.csv rows with spectra). */
  init?: InitPlan;
}

/** Syringe entries of every campaign in the store (one store, one rig). */
export function syringeEntries(store: CampaignStore): DeviceLogEntry[] {
  return store
    .campaigns()
    .flatMap((c) => store.deviceLog(c.id).entries("syringe"))
    .sort((a, b) => a.id - b.id);
}

/** Build the live lab of a campaign; `campaignId` is known on --resume. */
export async function buildLiveLab(
  s: { lab: string; labConfig?: string | null; folder?: string | null; init: string },
  store: CampaignStore,
  campaignId: number | undefined,
  io: CommandIO,
): Promise<LiveLab> {
  const log = new DeferredDeviceLog();
  if (campaignId !== undefined) log.attach(store.deviceLog(campaignId));
  if (s.lab === "hil") {
    if (!s.labConfig)
      throw new UsageError("--lab hil needs a lab configuration", "pass --config lab.json (write a template with `sdfl lab init --out lab.json`)");
    const config = loadLabConfig(s.labConfig);
    const volumes = Object.fromEntries(Object.entries(config.pumps).map(([k, p]) => [k, p.syringeVolume_uL]));
    const dispensed = dispensedFromLog(syringeEntries(store), volumes);
    io.progress(`connecting to the lab of ${s.labConfig} (${Object.keys(config.pumps).length} pumps, heater, spectra folder)`);
    const lab = await connectLab(config, { configDir: dirname(s.labConfig), log, dispensed, onWarning: (w) => io.err(`warning: ${w}\n`) });
    return { lab, log };
  }
  if (!s.folder)
    throw new UsageError(
      "--lab folder needs the spectra folder",
      "pass --folder DIR (the folder holding FR.csv, Abs<k>.csv, PL<k>.csv and the reference files)",
    );
  const folder = new DropFolder({ dir: s.folder, clock: new WallClock(), poll_s: 1, stable_s: 2, timeout_s: 24 * 3600, name: "folder" });
  const consumed = new Set<number>();
  if (campaignId !== undefined) {
    for (const e of store.deviceLog(campaignId).entries("reading")) {
      const row = (e.data as { row?: unknown } | undefined)?.row;
      if (typeof row === "number") consumed.add(row);
    }
  }
  const lab = new FolderLab({ folder, log, consumedRows: consumed });
  let init: InitPlan | undefined;
  if (s.init === "folder") {
    const rows = lab.initialData();
    if (rows.length === 0 && campaignId === undefined) {
      throw new UsageError(
        `${s.folder}: FR.csv has no rows with spectra yet, so there are no initial data`,
        "measure a few conditions first, or pass --init lhs:N to have sdfl choose them",
      );
    }
    init = { kind: "dataset", label: `FR.csv rows with spectra in ${s.folder}`, rows };
  }
  return { lab, log, init };
}

/**
 * SIGINT/SIGTERM while a live lab runs: abort the campaign and make the lab safe at once.
 * Further signals only repeat that the lab is being made safe; they never cut it short.
 * Returns the function that removes the handlers.
 */
export function installSafetySignals(live: LiveLab, abort: AbortController, io: CommandIO): () => void {
  let count = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    count++;
    if (count === 1) {
      io.progress(`${sig}: stopping every pump and putting the heater at its safe set point; the unfinished experiment is re-run by --resume`);
      abort.abort();
      if ("safeStop" in live.lab) void live.lab.safeStop(`${sig} received`);
    } else {
      io.progress(`${sig} again: still making the lab safe (pumps, heater); sdfl exits as soon as that is done`);
    }
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return () => {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  };
}
