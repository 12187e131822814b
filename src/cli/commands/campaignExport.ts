import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { checkOutputFolder, FORCE_OPTION, forced } from "../outputs.js";
import { intOpt, stringOpt, type Command } from "../command.js";
import { UsageError } from "../../core/errors.js";
import { CampaignStore } from "../../store/campaignStore.js";
import { exportProblemCsv, exportPublishedCsv } from "../../store/exportCsv.js";
import { deviceLogCsv } from "../../store/deviceLog.js";
import { writeCampaignPlots } from "../../report/campaignPlots.js";
import { isCsvFile } from "../campaignSetup.js";
import { campaignProblem, notThePaperProblem } from "../../store/campaignProblem.js";

/** `sdfl campaign export`: a stored campaign's data as published-layout CSV (or one experiments.csv for another problem), plus its plots. */
export const campaignExport: Command = {
  path: ["campaign", "export"],
  summary: "write a stored campaign as inputs.csv/outputs.csv (published layout) or experiments.csv, and its plots",
  details: `
The paper's problem: inputs.csv has the eight published columns (T, CuI, ZnI2, CsOA, ODE,
PFO, # res. t, washing), outputs.csv Abs300nm and PLA; row i of one belongs to row i of the
other. Any other problem (sdfl campaign --lab FILE.mjs, --problem, sdfl suggest): one
experiments.csv with the experiment number, phase, the problem's inputs, set points,
outcomes and objective, named as in the problem (it reads back with --data). Only finished
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
      const problem = campaignProblem(info.settings);
      const paper = notThePaperProblem(problem, { allowFixed: true }) === undefined;
      checkOutputFolder(out, "--out", {
        force: forced(opts),
        files: [...(paper ? ["inputs.csv", "outputs.csv"] : ["experiments.csv"]), ...(opts.plots ? ["best-so-far.svg", "parameters.svg"] : [])],
        inputs: [storeFile, ...(data ? (isCsvFile(data) ? [data] : [join(data, "inputs.csv"), join(data, "outputs.csv")]) : [])],
      });
      const rows = store.experiments(info.id);
      const onlyLab = opts["only-lab"] === true;
      const csv = paper ? exportPublishedCsv(rows, out, { onlyLab }) : exportProblemCsv(rows, problem, out, { onlyLab });
      const files = "inputs" in csv ? { inputs: csv.inputs, outputs: csv.outputs } : { experiments: csv.experiments };
      const plots = opts.plots ? await writeCampaignPlots(rows, out, problem) : undefined;
      if (opts["device-log"]) {
        const file = join(out, "device-log.csv");
        writeFileSync(file, deviceLogCsv(store.deviceLog(id).entries()));
        io.progress(`device log -> ${file}`);
      }
      if (opts.json) io.out(JSON.stringify({ campaign: id, rows: csv.rows, ...files, ...(plots ?? {}) }) + "\n");
      else
        io.out(
          `campaign ${id}: ${csv.rows} experiments -> ${Object.values(files).join(", ")}${plots ? `\nplots: ${plots.bestSoFar}, ${plots.parameters}` : ""}\n`,
        );
      return 0;
    } finally {
      store.close();
    }
  },
};
