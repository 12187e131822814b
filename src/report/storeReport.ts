import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { TEST_FUNCTIONS } from "../bo/oracles/testFunctions.js";
import { bestSoFarSvg, parametersSvg } from "./campaignPlots.js";
import type { ExperimentRecord, FitRecord } from "../bo/campaign/journal.js";
import { campaignProblem, notThePaperProblem } from "../store/campaignProblem.js";
import { gpFitSection } from "./gpFitSection.js";
import { CampaignStore, type CampaignInfo } from "../store/campaignStore.js";
import { paperArray } from "../twin/space.js";
import type { Twin } from "../twin/twin.js";
import { paritySvg, type ParityGroup } from "./svg/parityPlot.js";
import { buildExplanation } from "./explanation.js";
import { DEFAULT_LEVELS } from "../twin/insight/responseSurface.js";
import { campaignReportHtml, reportFigures, type CampaignReportData, type ReportFigureId } from "./campaignReport.js";
import type { ReportExperiment } from "./experimentTable.js";

/** Options of {@link storeReportData}. */
export interface StoreReportOptions {
  /** Campaign id; default the newest campaign in the store. */
  campaignId?: number;
  /** Twin for SHAP and response surfaces; without one those figures say how to get them. */
  twin?: Twin;
  /** A parity plot SVG to show instead of the twin-vs-campaign parity made from `twin`. */
  paritySvg?: string;
  /** Why there is no parity plot, shown in its place (when neither `paritySvg` nor `twin`). */
  parityMissing?: string;
  /** Surface grid points per axis (default 30). */
  resolution?: number;
  progress?: (line: string) => void;
  /** The file `twin` was loaded from: when it is the campaign's own simulator truth, the parity plot says so. */
  twinFile?: string;
}

/**
 * The twin a campaign's simulated lab ran on (`settings.twin` written by `sdfl campaign`),
 * if the store names one; undefined for hardware campaigns or older stores.
 */
export function campaignTwinFile(storeFile: string, campaignId?: number): string | undefined {
  const store = CampaignStore.open(storeFile, { readonly: true });
  try {
    const all = store.campaigns();
    const info = campaignId !== undefined ? store.campaign(campaignId) : all[all.length - 1];
    const t = info?.settings.twin;
    return typeof t === "string" && t !== "" ? t : undefined;
  } finally {
    store.close();
  }
}

/** A store experiment as a report row. */
export function toReportExperiment(e: ExperimentRecord): ReportExperiment {
  const m = e.measurement;
  return {
    index: e.index,
    phase: e.phase,
    source: e.source,
    status: e.status,
    condition: { ...(m ? m.condition : e.condition) },
    pfo: (m?.setPoints ?? e.setPoints).PFO,
    ...(m ? { abs300: m.outcomes.abs300, pla: m.outcomes.pla, plqy: m.objective, values: { ...(m.setPoints ?? {}), ...m.outcomes } } : {}),
    ...(predictionOf(e) ? { predicted: predictionOf(e) } : {}),
    ...(e.error ? { error: e.error } : {}),
  };
}

/**
 * Read one campaign from a store and assemble the report data: campaign plots, and with
 * a twin, SHAP over the campaign's measured conditions (background: its initial-design
 * conditions) and the response surfaces.
 */
export async function storeReportData(storeFile: string, options: StoreReportOptions = {}): Promise<CampaignReportData> {
  const progress = options.progress ?? (() => {});
  const store = CampaignStore.open(storeFile, { readonly: true });
  let info: CampaignInfo;
  let experiments: ExperimentRecord[];
  let fits: FitRecord[];
  try {
    const all = store.campaigns();
    info = options.campaignId !== undefined ? store.campaign(options.campaignId) : (all[all.length - 1] ?? store.campaign(1));
    experiments = store.experiments(info.id);
    fits = store.fits(info.id);
  } finally {
    store.close();
  }
  progress(`report: campaign ${info.id} of ${storeFile}, ${experiments.length} experiments`);
  const svgs: Partial<Record<ReportFigureId, string>> = {};
  const missing: Partial<Record<ReportFigureId, string>> = {};
  const done = experiments.filter((e) => e.status === "done" && e.measurement);
  // A campaign on another problem (an oracle module, --problem, suggest/observe) shows that problem's names and units and no paper-only figures.
  const problem = campaignProblem(info.settings);
  const own = notThePaperProblem(problem, { allowFixed: true }) !== undefined;
  const testFunction = own ? undefined : testFunctionOf(info.lab);
  const objective = own ? problem.objective.name : testFunction ? `${testFunction} value` : "PLQY proxy";
  if (done.length > 0) {
    svgs["best-so-far"] = await bestSoFarSvg(experiments, problem, `Campaign ${info.id}: best ${objective} so far`, own ? undefined : objective);
    svgs.parameters = await parametersSvg(experiments, problem.space);
  } else {
    missing["best-so-far"] = missing.parameters = "The campaign has no measured experiment yet.";
  }
  const notes: string[] = [];
  const truthFile = typeof info.settings.twin === "string" ? info.settings.twin : undefined;
  const twinIsTruth = !!options.twinFile && !!truthFile && resolve(options.twinFile) === resolve(truthFile);
  if (options.paritySvg) svgs.parity = options.paritySvg;
  else if (options.twin && done.length > 0 && !own) svgs.parity = await campaignParitySvg(options.twin, done, twinIsTruth);
  else
    missing.parity =
      options.parityMissing ??
      (options.twin ? "The campaign has no measured experiment yet." : "No twin was given: pass --twin FILE to compare its predictions with the measurements.");
  if (options.twin && done.length > 0 && !own) {
    const points = done.map((e) => paperArray(e.measurement!.condition));
    const init = done.filter((e) => e.phase === "init").map((e) => paperArray(e.measurement!.condition));
    const background = init.length > 0 ? init : points;
    // Surfaces through the best measured condition (the others held there), then the 10/50/90 % levels;
    // measured conditions and the best one are drawn on every panel.
    const bestRun = done.reduce((a, e) => (e.measurement!.objective > a.measurement!.objective ? e : a));
    const optimum = { ...bestRun.measurement!.condition } as Record<string, number>;
    const b = await buildExplanation(
      options.twin,
      {
        background,
        points,
        surfaces: {
          resolution: options.resolution,
          levels: [{ label: `best condition (experiment ${bestRun.index + 1})`, fraction: NaN, values: optimum }, ...DEFAULT_LEVELS],
        },
        marks: { points: done.map((e) => ({ ...e.measurement!.condition }) as Record<string, number>), optimum },
      },
      progress,
    );
    svgs.shap = b.figures.beeswarm.PLQY;
    svgs.surfaces = b.figures.surfaces;
    svgs["surfaces-std"] = b.figures.surfacesStd;
    const p = b.explanation.outputs.PLQY;
    notes.push(
      `SHAP: ${b.explanation.definitions.PLQY}; ${points.length} measured conditions explained over ${background.length} background rows (${init.length > 0 ? "the initial design" : "all measured conditions"}). Ranking: ${p.ranking.map((n) => `${n} (${p.direction[n] > 0 ? "+" : p.direction[n] < 0 ? "-" : "0"})`).join(" > ")}.`,
    );
  } else {
    const why = options.twin ? "The campaign has no measured experiment yet." : "No twin was given: pass --twin FILE to add SHAP and response surfaces.";
    missing.shap = missing.surfaces = missing["surfaces-std"] = why;
  }
  if (own)
    notes.push(
      `Problem "${problem.name}" (${problem.space.inputs.map((s) => s.name).join(", ")} -> ${problem.objective.goal} ${problem.objective.name}) is not the paper's reactor problem: the twin parity, SHAP and response-surface figures explain the paper's ENN twin and are left out.`,
    );
  if (testFunction)
    notes.push(
      `A test-function campaign (${info.lab}): the measured value is the function's, not a PLQY, and there is no twin to explain, so no parity, SHAP or surface figures.`,
    );
  const titles: NonNullable<NonNullable<Parameters<typeof reportFigures>[2]>["titles"]> = {
    "best-so-far": {
      title: `Best ${objective} so far`,
      caption: `Best measured ${objective} (${problem.objective.goal === "minimize" ? "smallest" : "largest"}) after each experiment; the initial design (grey) is shown as dots only, since its order${own ? "" : " (e.g. the published LHS sorted by T)"} is no progress (paper Fig. 7A).`,
    },
  };
  if (twinIsTruth)
    titles.parity = {
      title: "Simulator truth model against the campaign's data (not a validation)",
      caption:
        "In simulation this twin is the lab: the optimizer's points are its own predictions plus measurement noise, and published initial data are what it was trained on. So the plot shows the noise and the training fit, not a validation. Validate a twin on held-out data with `sdfl twin evaluate`.",
    };
  const gp = await gpFitSection(fits, experiments, problem.space, objective);
  return {
    title: `sdfl campaign report: campaign ${info.id}`,
    objective: own && problem.objective.unit ? `${objective} (${problem.objective.unit})` : objective,
    ...(own
      ? {
          layout: {
            inputs: [...problem.space.inputs, ...problem.fixed].map((s) => ({ name: s.name, unit: s.unit })),
            // The objective has its own last column: an outcome that is the objective is not repeated.
            values: [...problem.derived, ...problem.outcomes].filter((v) => v.name !== problem.objective.name).map((v) => ({ name: v.name, unit: v.unit })),
            goal: problem.objective.goal,
          },
        }
      : {}),
    generatedAt: new Date().toISOString(),
    facts: {
      store: storeFile,
      campaign: String(info.id),
      status: info.status,
      lab: info.lab,
      strategy: info.strategy,
      "data source": info.dataSource,
      seed: String(info.seed),
      created: info.createdAt,
      ...(info.finishedAt ? { finished: info.finishedAt } : {}),
      ...(options.twin && !own ? { twin: options.twin.source } : {}),
      ...(own ? { problem: problem.name } : {}),
    },
    experiments: experiments.map(toReportExperiment),
    figures: reportFigures(svgs, missing, { omit: testFunction || own ? ["parity", "shap", "surfaces", "surfaces-std"] : [], titles }),
    notes,
    ...(gp ? { sections: [gp] } : {}),
  };
}

/**
 * Parity of the twin on the campaign: predicted PLQY (ensemble mean +- 1 std) against
 * the measured PLQY of every done experiment, one colour per phase (initial design,
 * optimizer, final exploitation). Drawn by the twin's parity plot (src/twin/parityPlot.ts).
 */
export async function campaignParitySvg(twin: Twin, done: readonly ExperimentRecord[], twinIsTruth = false): Promise<string> {
  const phases: { phase: ExperimentRecord["phase"]; name: string }[] = [
    { phase: "init", name: "initial design" },
    { phase: "optimizer", name: "optimizer" },
    { phase: "exploit", name: "final exploitation" },
  ];
  const groups: ParityGroup[] = [];
  for (const { phase, name } of phases) {
    const rows = done.filter((e) => e.phase === phase && e.measurement);
    if (rows.length === 0) continue;
    const p = twin.predict(rows.map((e) => paperArray(e.measurement!.condition)));
    groups.push({ name, measured: rows.map((e) => e.measurement!.objective), predicted: p.plqyMean, std: p.plqyStd });
  }
  return paritySvg(groups, {
    title: twinIsTruth ? "Simulator truth model against the campaign's data (not a validation)" : "Twin against the campaign's measurements",
    label: "PLQY proxy",
  });
}

/** Write `report.html` (self-contained) into `outDir`; returns its path. */
export async function writeStoreReport(storeFile: string, outDir: string, options: StoreReportOptions = {}): Promise<string> {
  const data = await storeReportData(storeFile, options);
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, "report.html");
  writeFileSync(file, campaignReportHtml(data));
  return file;
}

/** The test function a lab name stands for ("branin+noise0.04" -> "branin"), if any. */
function testFunctionOf(lab: string): string | undefined {
  const name = lab.split("+")[0].replace(/-reactor5d$/, "");
  return TEST_FUNCTIONS[name] ? name : undefined;
}

/** The model prediction a strategy stored with its proposal (mean, std, acquisition value), if any. */
function predictionOf(e: ExperimentRecord): ReportExperiment["predicted"] | undefined {
  const i = e.info ?? {};
  const f = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
  const mean = f(i.mean);
  if (mean === undefined) return undefined;
  const std = f(i.std);
  const acquisition = f(i.acquisitionValue);
  return { mean, ...(std !== undefined ? { std } : {}), ...(acquisition !== undefined ? { acquisition } : {}) };
}
