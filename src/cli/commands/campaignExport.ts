import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { checkOutputFolder, FORCE_OPTION, forced } from "../outputs.js";
import { intOpt, stringOpt, type Command } from "../command.js";
import { UsageError } from "../../core/errors.js";
import { CampaignStore } from "../../store/campaignStore.js";
import { exportPublishedCsv } from "../../store/exportCsv.js";
import { deviceLogCsv } from "../../store/deviceLog.js";
import { writeCampaignPlots } from "../../report/campaignPlots.js";
import { PAPER_PROBLEM } from "../../twin/space.js";

/** `sdfl campaign export`: a stored campaign's data as published-layout CSV, plus its plots. */
export const campaignExport: Command = {
  path: ["campaign", "export"],
  summary: "write a stored campaign as inputs.csv/outputs.csv (published layout) and its plots",
  details: `
inputs.csv has the eight published columns (T, CuI, ZnI2, CsOA, ODE, PFO, # res. t, washing),
outputs.csv Abs300nm and PLA; row i of one belongs to row i of the other. Only finished
experiments are written, in campaign order; --only-lab leaves out rows copied from a data set.
example: sdfl campaign export --store campaign.sqlite --out chem3-run1`,
  options: {
    store: { type: "string", arg: "FILE", default: "campaign.sqlite", description: "campaign store" },
    campaign: { type: "string", arg: "ID", description: "campaign id (default: the latest)" },
    out: { type: "string", arg: "DIR", description: "output folder (required)" },
    "only-lab": { type: "boolean", description: "only experiments measured on the lab" },
    plots: { type: "boolean", description: "also write best-so-far.svg and parameters.svg" },
    "device-log": { type: "boolean", description: "also write device-log.csv (every command, reply, reading and safety event of a live lab)" },
    force: FORCE_OPTION,
  },
  async run(opts, io) {
    const cmd = "campaign export";
    const out = resolve(io.cwd, stringOpt(opts, "out", cmd));
    const storeFile = resolve(io.cwd, String(opts.store));
    // Export only reads: it never creates a store, and never writes into one.
    const store = CampaignStore.open(storeFile, { readonly: true });
    try {
      const all = store.campaigns();
      if (all.length === 0) throw new UsageError(`${store.file} holds no campaigns`);
      const id = intOpt(opts, "campaign", cmd, all[all.length - 1].id, 1);
      const info = store.campaign(id);
      const data = typeof info.settings.data === "string" ? info.settings.data : undefined;
      checkOutputFolder(out, "--out", {
        force: forced(opts),
        files: ["inputs.csv", "outputs.csv", ...(opts.plots ? ["best-so-far.svg", "parameters.svg"] : [])],
        inputs: [storeFile, ...(data ? [join(data, "inputs.csv"), join(data, "outputs.csv")] : [])],
      });
      const rows = store.experiments(info.id);
      const csv = exportPublishedCsv(rows, out, { onlyLab: opts["only-lab"] === true });
      const plots = opts.plots ? await writeCampaignPlots(rows, out, PAPER_PROBLEM) : undefined;
      if (opts["device-log"]) {
        const file = join(out, "device-log.csv");
        writeFileSync(file, deviceLogCsv(store.deviceLog(id).entries()));
        io.progress(`device log -> ${file}`);
      }
      if (opts.json) io.out(JSON.stringify({ campaign: id, rows: csv.rows, inputs: csv.inputs, outputs: csv.outputs, ...(plots ?? {}) }) + "\n");
      else
        io.out(`campaign ${id}: ${csv.rows} experiments -> ${csv.inputs}, ${csv.outputs}${plots ? `\nplots: ${plots.bestSoFar}, ${plots.parameters}` : ""}\n`);
      return 0;
    } finally {
      store.close();
    }
  },
};
