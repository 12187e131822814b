import { existsSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { stringOpt, type Command } from "../command.js";
import { UsageError } from "../../core/errors.js";
import { defaultLabConfig, loadLabConfig, reactorMapOf } from "../../hil/labConfig.js";
import { checkLab } from "../../hil/labCheck.js";
import { dryRun, formatDryRun } from "../../hil/dryRun.js";
import { planExperiment } from "../../hil/plan.js";
import { mapInputs } from "../../hil/reactorMap.js";
import { dispensedFromLog } from "../../hil/syringeAccount.js";
import { CampaignStore } from "../../store/campaignStore.js";
import { abs } from "../campaignSetup.js";
import { setPointsOf } from "../../bo/problem/problem.js";
import { PAPER_PROBLEM } from "../../twin/space.js";
import { syringeEntries } from "../liveLab.js";

const labInit: Command = {
  path: ["lab", "init"],
  summary: "write a lab configuration template (every field at its default; docs/hil.md explains each)",
  options: {
    out: { type: "string", arg: "FILE", default: "lab.json", description: "where to write the configuration" },
    force: { type: "boolean", description: "overwrite an existing file" },
  },
  async run(opts, io) {
    const out = abs(io.cwd, String(opts.out));
    if (existsSync(out) && !opts.force) throw new UsageError(`${out} exists; not overwriting it`, "pass --force to overwrite, or choose another --out");
    writeFileSync(out, JSON.stringify(defaultLabConfig(), null, 2) + "\n");
    if (opts.json) io.out(JSON.stringify({ config: out }) + "\n");
    else io.out(`wrote ${out}\nnext: edit the pump ports, syringes, heater address and spectra folder, then run \`sdfl lab check --config ${out}\`\n`);
    return 0;
  },
};

const labCheck: Command = {
  path: ["lab", "check"],
  summary: "connect to every device of a lab configuration and read it, moving nothing",
  options: { config: { type: "string", arg: "FILE", description: "the lab configuration (required)" } },
  async run(opts, io) {
    const file = abs(io.cwd, stringOpt(opts, "config", "lab check"));
    const config = loadLabConfig(file);
    io.progress(`checking ${Object.keys(config.pumps).length} pumps, the heater and the spectra folder of ${file}`);
    const rows = await checkLab(config, dirname(file));
    const ok = rows.every((r) => r.ok);
    if (opts.json) io.out(JSON.stringify({ config: file, ok, devices: rows }) + "\n");
    else {
      const w = [Math.max(...rows.map((r) => r.device.length)), Math.max(...rows.map((r) => r.where.length))];
      for (const r of rows) io.out(`${r.ok ? "ok  " : "FAIL"}  ${r.device.padEnd(w[0])}  ${r.where.padEnd(w[1])}  ${r.detail}\n`);
      io.out(ok ? "every device answered; nothing was moved\n" : "some devices did not answer (see FAIL above); nothing was moved\n");
    }
    return ok ? 0 : 1;
  },
};

/** "T=150,CuI=100,..." to numbers; every input the map reads must be there. */
function parseInputs(text: string, needed: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z_][\w]*)\s*=\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$/.exec(part);
    if (!m) throw new UsageError(`--condition part "${part}" is not NAME=NUMBER`, `write it as ${needed.map((n) => `${n}=...`).join(",")}`);
    const name = needed.find((n) => n.toLowerCase() === m[1].toLowerCase());
    if (!name) throw new UsageError(`--condition: unknown input "${m[1]}"`, `the lab configuration's map reads ${needed.join(", ")}`);
    out[name] = Number(m[2]);
  }
  const missing = needed.filter((n) => out[n] === undefined);
  if (missing.length) throw new UsageError(`--condition lacks ${missing.join(", ")}`, `write it as ${needed.map((n) => `${n}=...`).join(",")}`);
  return out;
}

const labDryRun: Command = {
  path: ["lab", "dry-run"],
  summary: "print the plan of one experiment with its limits, syringe volumes and durations, touching no device",
  details: `
Checks every fixed limit (heater set point, each pump's rate, total flow) and each syringe
(volume needed with the safety margin against what it holds: full syringes, or what the
device log of --store says is left), then prints each step with its estimated start and
duration. Exit code 1 when the experiment would be refused. The plate is assumed at the
heater's safe set point for the time estimate (use --plate to change that).`,
  options: {
    config: { type: "string", arg: "FILE", description: "the lab configuration (required)" },
    condition: { type: "string", arg: "T=..,CuI=..", description: "the condition, e.g. T=150,CuI=100,ZnI2=100,CsOA=50,ODE=250 (required)" },
    store: { type: "string", arg: "FILE", description: "campaign store whose device log tells the syringes' contents (default: full syringes)" },
    plate: { type: "string", arg: "DEGC", description: "plate temperature now, for the time estimate (default: the safe set point)" },
  },
  async run(opts, io) {
    const file = abs(io.cwd, stringOpt(opts, "config", "lab dry-run"));
    const config = loadLabConfig(file);
    const map = reactorMapOf(config);
    const condition = parseInputs(stringOpt(opts, "condition", "lab dry-run"), mapInputs(map));
    const volumes = Object.fromEntries(Object.entries(config.pumps).map(([k, p]) => [k, p.syringeVolume_uL]));
    let dispensed: Record<string, number> = {};
    if (typeof opts.store === "string") {
      const store = CampaignStore.open(abs(io.cwd, opts.store));
      try {
        dispensed = dispensedFromLog(syringeEntries(store), volumes);
      } finally {
        store.close();
      }
    }
    const plate = typeof opts.plate === "string" ? Number(opts.plate) : config.heater.safeSetPoint_degC;
    if (!Number.isFinite(plate)) throw new UsageError(`--plate ${opts.plate} is not a temperature in degC`);
    const h = config.heater;
    const plan = planExperiment(
      condition,
      map,
      {
        residence: config.residence,
        temperature: { tolerance_degC: h.tolerance_degC, hold_s: h.hold_s, poll_s: h.poll_s, timeout_s: h.timeout_s },
        heaterRamp_degC_min: h.ramp_degC_min,
        acquire_s: config.spectrometer.acquire_s,
      },
      plate,
      setPointsOf(PAPER_PROBLEM, condition),
    );
    const pumps = Object.fromEntries(
      Object.entries(config.pumps).map(([k, p]) => [
        k,
        { limits: { rate_uL_min: p.rate_uL_min, syringeVolume_uL: p.syringeVolume_uL }, remaining_uL: p.syringeVolume_uL - (dispensed[k] ?? 0) },
      ]),
    );
    const r = dryRun(plan, {
      pumps,
      heater: { setPoint_degC: h.setPoint_degC, safeSetPoint_degC: h.safeSetPoint_degC },
      totalFlow_uL_min: config.limits.totalFlow_uL_min,
      syringeMargin: config.safety.syringeMargin,
    });
    if (opts.json)
      io.out(
        JSON.stringify({
          ok: r.refusals.length === 0,
          plan: r.plan,
          steps: r.rows,
          total_s: r.total_s,
          syringes: r.volumes,
          warnings: r.warnings,
          refusals: r.refusals.map((e) => e.message),
        }) + "\n",
      );
    else io.out(formatDryRun(r));
    return r.refusals.length === 0 ? 0 : 1;
  },
};

const labRefill: Command = {
  path: ["lab", "refill"],
  summary: "record in the store's device log that syringes were refilled (their dispensed volume starts again at 0)",
  options: {
    store: { type: "string", arg: "FILE", description: "the campaign store (required)" },
    pump: { type: "string", arg: "NAME", multiple: true, description: "a pump that got a full syringe (repeat the flag; `all` for every pump)" },
    config: { type: "string", arg: "FILE", description: "the lab configuration (required with --pump all)" },
  },
  async run(opts, io) {
    const storeFile = abs(io.cwd, stringOpt(opts, "store", "lab refill"));
    let pumps = (opts.pump as string[] | undefined) ?? [];
    if (pumps.length === 0) throw new UsageError("sdfl lab refill: name the refilled pumps with --pump NAME (or --pump all --config lab.json)");
    if (pumps.includes("all")) pumps = Object.keys(loadLabConfig(abs(io.cwd, stringOpt(opts, "config", "lab refill"))).pumps);
    const store = CampaignStore.open(storeFile);
    try {
      const latest = store.campaigns().pop();
      if (!latest) throw new UsageError(`${storeFile} has no campaign yet`, "a new campaign starts with full syringes; no refill needs recording");
      const log = store.deviceLog(latest.id);
      for (const p of pumps)
        log.record({ t_s: NaN, device: `pump:${p}`, kind: "syringe", message: "syringe refilled (recorded by sdfl lab refill)", data: { refilled: p } });
      io.out(`recorded full syringes for ${pumps.join(", ")} in ${storeFile}\n`);
      return 0;
    } finally {
      store.close();
    }
  },
};

/** The `sdfl lab` subcommands. */
export const labCommands: Command[] = [labInit, labCheck, labDryRun, labRefill];
