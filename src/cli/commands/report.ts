import { resolve } from "node:path";
import { checkOutputFolder, FORCE_OPTION, forced } from "../outputs.js";
import { intOpt, stringOpt, type Command } from "../command.js";
import { loadTwin } from "../../twin/loadTwin.js";
import { isProblemTwinFile } from "../../twin/generic/anyTwin.js";
import { resolveTwinPath } from "../../twin/dataPaths.js";
import { existsSync } from "node:fs";
import { campaignTwinFile, writeStoreReport } from "../../report/storeReport.js";
import { CampaignStore } from "../../store/campaignStore.js";
import { defaultOutDir } from "../campaignSetup.js";

/** Id of the newest campaign of a store (the one `sdfl report` reports by default). */
function newestCampaignId(storeFile: string): number {
  const store = CampaignStore.open(storeFile, { readonly: true });
  try {
    const all = store.campaigns();
    return all.length ? all[all.length - 1].id : 1;
  } finally {
    store.close();
  }
}

const CMD = "report";

/** `sdfl report`: one self-contained HTML page for a campaign. */
export const reportCommand: Command = {
  path: ["report"],
  summary: "write a self-contained HTML report of a campaign (plots, SHAP, surfaces, every experiment)",
  details: `
Reads a campaign store (written by \`sdfl campaign\`) and writes DIR/report.html: the
best-so-far curve, the parameters chosen over time and every experiment in a table; with
a twin (--twin, else the twin the campaign's simulated lab used), also the twin's parity
plot against the campaign's measurements, the SHAP summary of its PLQY proxy over the
measured conditions (background: the initial design) and response surfaces over the top
three inputs. Every figure is inlined; the page needs no other file.
example: sdfl report                 (campaign.sqlite, newest campaign, beside the campaign's results)
         sdfl report --store runs.sqlite --campaign 2 --out report --twin chem1`,
  options: {
    store: { type: "string", arg: "FILE", description: "campaign store (SQLite file), as for `sdfl campaign`", default: "campaign.sqlite" },
    out: { type: "string", arg: "DIR", description: "output folder (created; default <store>-results/campaign-<id>, where `sdfl campaign` writes)" },
    twin: {
      type: "string",
      arg: "FILE",
      description: "twin for SHAP and response surfaces (file, or chem1; default: the twin the campaign's simulated lab used)",
    },
    campaign: { type: "string", arg: "ID", description: "campaign id (default: the newest in the store)" },
    resolution: { type: "string", arg: "N", description: "grid points per axis of each response surface", default: "30" },
    force: FORCE_OPTION,
  },
  async run(opts, io) {
    const storeFile = resolve(io.cwd, stringOpt(opts, "store", CMD));
    const resolution = intOpt(opts, "resolution", CMD, 30, 2, 400);
    const campaignId = opts.campaign === undefined ? undefined : intOpt(opts, "campaign", CMD, 1, 1);
    const outDir = typeof opts.out === "string" ? resolve(io.cwd, opts.out) : defaultOutDir(storeFile, campaignId ?? newestCampaignId(storeFile));
    CampaignStore.open(storeFile, { readonly: true }).close(); // the input first: a missing or damaged store is the first thing to hear about
    // The default folder is the campaign's own: its report.html is derived from the store and is regenerated there.
    checkOutputFolder(outDir, "--out", { force: forced(opts) || typeof opts.out !== "string", files: ["report.html"], inputs: [storeFile] });
    let twinFile = typeof opts.twin === "string" ? resolveTwinPath(opts.twin, io.env, io.cwd) : undefined;
    if (!twinFile) {
      const fromStore = campaignTwinFile(storeFile, campaignId);
      // A twin of your own problem is explained by `sdfl twin explain`, not by the paper-twin figures of this report.
      if (fromStore && existsSync(fromStore) && !isProblemTwinFile(fromStore)) {
        twinFile = fromStore;
        io.progress(`report: explaining the campaign's simulator twin ${fromStore}`);
      }
    }
    const twin = twinFile ? await loadTwin(twinFile) : undefined;
    try {
      const file = await writeStoreReport(storeFile, outDir, {
        campaignId,
        twin,
        resolution,
        progress: io.progress,
        ...(twinFile ? { twinFile } : {}),
      });
      if (opts.json) io.out(JSON.stringify({ report: file }) + "\n");
      else io.out(`wrote ${file}\n`);
      return 0;
    } finally {
      twin?.dispose();
    }
  },
};

/** The `sdfl report` subcommands. */
export const reportCommands: Command[] = [reportCommand];
