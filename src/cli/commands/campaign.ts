import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { givenOptions, intOpt, numberOpt, type Command, type CommandIO, type ParsedOptions } from "../command.js";
import { SdflError, UsageError } from "../../core/errors.js";
import type { Strategy } from "../../bo/strategy.js";
import { parseNoiseSpec } from "../../sim/noise.js";
import { checkOutputFolder, forced } from "../outputs.js";
import { lockCampaign } from "../campaignLock.js";
import { DEFAULT_ASK_TIMEOUT_S, guardStrategy, StrategyFault, strategyCulprit } from "../guardedStrategy.js";
import { assertFiniteResult } from "../../core/finite.js";
import { checkedLab } from "../checkedLab.js";
import { CampaignStore } from "../../store/campaignStore.js";
import { exportProblemCsv, exportPublishedCsv } from "../../store/exportCsv.js";
import { runCampaign, type CampaignProgress } from "../../bo/campaign/runner.js";
import { writeCampaignPlots } from "../../report/campaignPlots.js";
import { deriveSeed } from "../../bo/campaign/seeds.js";
import { parseInitSpec } from "../../bo/campaign/initSpec.js";
import type { Problem } from "../../bo/problem/problem.js";
import { satisfiesConstraints } from "../../bo/problem/space.js";
import { PAPER_PROBLEM } from "../../twin/space.js";
import { parseColumnMap } from "../../bo/problem/problemCsv.js";
import { writeStoreReport } from "../../report/storeReport.js";
import { loadTwin } from "../../twin/loadTwin.js";
import type { Twin } from "../../twin/twin.js";
import { isProblemTwinFile } from "../../twin/generic/anyTwin.js";
import type { ProblemTwin } from "../../twin/generic/problemTwin.js";
import { readProblemTwin } from "../../twin/generic/problemTwinFile.js";
import { whyNotTwinProblem } from "../../sim/problemTwinLab.js";
import { resolveTwinPath } from "../../twin/dataPaths.js";
import { OracleModuleFault } from "../../bo/oracles/oracleModule.js";
import { buildCampaignLab, CAMPAIGN_LABS, campaignLabHint, isModuleFile, problemOfLabModule, withFaultInjection } from "../labs.js";
import { createStrategy, isModulePath, parseStrategyRefs } from "../strategyResolver.js";
import { BUILTIN_STRATEGY_NAMES, DEFAULT_STRATEGY } from "../builtinStrategies.js";
import { buildLiveLab, installSafetySignals, LIVE_LABS, type LiveLab } from "../liveLab.js";
import {
  abs,
  checkSettings,
  defaultOutDir,
  defaultTwin,
  initPlan,
  checkStrategyFitsProblem,
  isCsvFile,
  resolveData,
  type CampaignSettings,
} from "../campaignSetup.js";
import { problemOf } from "./problem.js";
import { campaignProblem, notThePaperProblem } from "../../store/campaignProblem.js";
import { campaignExport } from "./campaignExport.js";
import { DASHBOARD_OPTIONS } from "./serve.js";
import type { Dashboard } from "../../report/dashboard/server.js";
import { parseNoiseLevel } from "../../bo/noiseLevel.js";

const DEFAULTS = {
  lab: "sim",
  data: "chem3",
  budget: 16,
  strategy: DEFAULT_STRATEGY,
  seed: 1,
  store: "campaign.sqlite",
  init: "published",
  testFunctionInit: "lhs:20",
  noise: "measured",
  simMode: "physics",
};

const campaign: Command = {
  path: ["campaign"],
  summary: "run (or --resume) an optimization campaign on a lab, journaled in a SQLite store",
  details: `
Initial data (the published LHS set of --data, or --init lhs:N / sobol:N new points
measured on the lab), then --budget optimizer-chosen experiments, the last one pure
exploitation unless --no-final-exploit. Every proposal is written to the store before it
runs and every measurement before the next step; after a crash, the same command with
--resume continues without repeating or losing an experiment. At the end, the data
(published CSV layout; one experiments.csv for a problem that is not the paper's), plots
(best-so-far, parameters) and the HTML report go to --out.
Your own problem: --lab FILE.mjs runs an oracle module (default export { problem,
evaluate(conditions), optimum? }, as for bench --oracle) on its problem or on --problem
FILE; --data FILE.csv [--columns NAME=COLUMN,...] gives initial results from one CSV.
example: sdfl campaign --lab oracle.mjs --problem problem.json --data start.csv --columns T2=temp_C --strategy gp-ei --budget 10
In simulation: --twin my.json, a twin of your problem (sdfl twin train --problem), is the
lab (its mean outcomes, --noise relative on each outcome) on its problem or a --problem
that narrows it; default init lhs:20, or --data FILE.csv.
example: sdfl campaign --twin my.json --budget 10 --noise 0.04
With no options (npm start): simulated lab, Chem3 data, ${DEFAULTS.store} in the working folder.`,
  options: {
    lab: {
      type: "string",
      arg: "NAME|FILE",
      default: DEFAULTS.lab,
      description: `lab: ${[...CAMPAIGN_LABS, ...LIVE_LABS].join(", ")} (sim = the reactor simulator, hil = real devices, folder = the original folder protocol), or an oracle module FILE.mjs`,
    },
    problem: {
      type: "string",
      arg: "FILE",
      description: "problem file (JSON, docs/problem.md); default the lab's own: the built-in problem on the reactor labs, the module's with --lab FILE.mjs",
    },
    config: { type: "string", arg: "FILE", description: "--lab hil: the lab configuration (JSON; `sdfl lab init` writes a template)" },
    folder: { type: "string", arg: "DIR", description: "--lab folder: the folder of FR.csv and the Abs<k>/PL<k> spectra files" },
    data: {
      type: "string",
      arg: "DIR|CHEM|FILE.csv",
      default: DEFAULTS.data,
      description:
        "initial data: a data set (chem1, chem2, chem3 or a folder), or one CSV with a column per input and outcome (rows with missing values are refused by line)",
    },
    columns: {
      type: "string",
      arg: "MAP",
      description: 'CSV column names of --data FILE.csv by problem name, e.g. T=temp_C,CuI=cui_flow (adds to the problem file\'s "columns")',
    },
    twin: {
      type: "string",
      arg: "FILE",
      description:
        "truth twin of the simulated lab (default: the data's chemistry if a twin exists, else published chem1); a twin of your own problem (twin train --problem) runs the campaign on its problem",
    },
    "sim-mode": { type: "string", arg: "MODE", default: DEFAULTS.simMode, description: "simulator mode: physics (virtual devices) or steady (fast)" },
    noise: {
      type: "string",
      arg: "SPEC",
      default: DEFAULTS.noise,
      description:
        "lab noise: measured, none, or a relative std such as 0.04 (measured = 0.04 on a test function or oracle module, and on each outcome of a problem twin)",
    },
    init: {
      type: "string",
      arg: "SPEC",
      description: `initial data: published, lhs:N or sobol:N (default ${DEFAULTS.init} on the simulator or with --data FILE.csv, ${DEFAULTS.testFunctionInit} on a test function or oracle module)`,
    },
    budget: { type: "string", arg: "N", default: String(DEFAULTS.budget), description: "optimizer-chosen experiments" },
    strategy: {
      type: "string",
      arg: "NAME|FILE",
      default: DEFAULTS.strategy,
      description: `strategy (default ${DEFAULT_STRATEGY}: GP + upper confidence bound, linear-trend prior mean from 10 observations per input on, posterior-mean recommendation from a GP whose estimated noise grows with the level, both GPs with an additive kernel part where leave-one-out clearly prefers it; enn-ei = the paper's ENN + EI): ${BUILTIN_STRATEGY_NAMES.join(", ")}; or a JS module (.mjs/.js) whose default export is a StrategyFactory`,
    },
    "strategy-module": {
      type: "string",
      arg: "FILE",
      description: "your own strategy module (the same as --strategy FILE)",
    },
    seed: { type: "string", arg: "N", default: String(DEFAULTS.seed), description: "seed of the design, the lab noise and the strategy" },
    store: { type: "string", arg: "FILE", default: DEFAULTS.store, description: "SQLite campaign store (created if missing; one file holds many campaigns)" },
    "no-final-exploit": { type: "boolean", description: "the last experiment is a normal optimizer choice too" },
    "noise-sd": {
      type: "string",
      arg: "SPEC",
      description:
        "measurement noise the optimizer is told: 4% (relative to the reading) or 0.008 (objective units, e.g. PLQY); default: estimated from the data",
    },
    replicates: {
      type: "string",
      arg: "K",
      default: "0",
      description: "measure the final recommendation (posterior-mean maximiser) K more times after the budget, reported as mean +- sd",
    },
    resume: { type: "boolean", description: "continue the latest unfinished campaign of --store (settings come from the store)" },
    campaign: { type: "string", arg: "ID", description: "with --resume: which campaign" },
    out: { type: "string", arg: "DIR", description: "where CSV files and plots go (default <store>-results/campaign-<id>)" },
    dashboard: { type: "boolean", description: "serve the live dashboard while the campaign runs (prints its address and the stop token)" },
    ...DASHBOARD_OPTIONS,
    "ask-timeout": {
      type: "string",
      arg: "SECONDS",
      description: `stop the campaign (resumable) when the strategy's ask() takes longer (default ${DEFAULT_ASK_TIMEOUT_S})`,
    },
    force: {
      type: "boolean",
      description:
        "replace existing outputs; on --resume also accept a changed truth twin, strategy module or oracle module, or take over a lock held from another host",
    },
  },
  async run(opts, io) {
    const storeFile = abs(io.cwd, String(opts.store));
    if (!opts.resume && opts.campaign !== undefined)
      throw new UsageError(
        `--campaign ${String(opts.campaign)} needs --resume`,
        "continue a campaign with --resume --campaign ID, or start a new one without --campaign",
      );
    const askTimeoutS = numberOpt(opts, "ask-timeout", "campaign", DEFAULT_ASK_TIMEOUT_S, 0.001, 1e7);
    const prepared = opts.resume ? openForResume(storeFile, opts, io) : await prepareNew(opts, io);
    const { settings } = prepared;
    const problem = campaignProblem(settings);
    const paper = notThePaperProblem(problem, { allowFixed: true }) === undefined;
    let store: CampaignStore | undefined = prepared.store;
    let release: (() => void) | undefined;
    const storeExisted = existsSync(storeFile);
    try {
      // A live lab (hil, folder) keeps its device log in the store, so its store is opened first.
      const isLive = (LIVE_LABS as readonly string[]).includes(settings.lab);
      if (isLive && !store) store = CampaignStore.open(storeFile, { create: true });
      const live: LiveLab | undefined = isLive ? await buildLiveLab(settings, store!, prepared.id, io) : undefined;
      const lab = checkedLab(
        withFaultInjection(
          live?.lab ??
            (await buildCampaignLab(settings.lab, {
              twin: settings.twin ?? undefined,
              noise: settings.noise,
              seed: deriveSeed(settings.seed, "noise"),
              mode: settings.simMode,
              problem,
            })),
          io.env,
        ),
      );
      const culprit = strategyCulprit(settings.strategy, settings.strategyModule);
      let strategy: Strategy;
      try {
        const ref = settings.strategyModule ? { name: settings.strategy, module: settings.strategyModule } : { name: settings.strategy };
        strategy = guardStrategy(
          await createStrategy(
            ref,
            { space: problem.space, seed: deriveSeed(settings.seed, "strategy") },
            settings.noiseSd ? { noise: parseNoiseLevel(settings.noiseSd) } : {},
          ).catch(blameFactory(culprit)),
          {
            culprit,
            space: problem.space,
            askTimeoutS,
          },
        );
      } catch (e) {
        await lab.close();
        throw e;
      }
      const init = live?.init ?? initPlan(settings);
      let campaignId: number;
      try {
        if (prepared.id === undefined) {
          // New campaign: the store is created only now, after every argument, the lab and the strategy are known good
          // (a live lab opened it earlier, to journal its devices from the first command).
          store ??= CampaignStore.open(storeFile, { create: true });
          const out = typeof opts.out === "string" ? undefined : defaultOutDir(storeFile, Math.max(0, ...store.campaigns().map((c) => c.id)) + 1);
          if (out) checkOutputFolder(out, "--out", { force: forced(opts) });
          campaignId = store.createCampaign({
            lab: lab.name,
            strategy: strategy.name,
            dataSource: settings.init === "published" && settings.data ? settings.data : settings.init,
            seed: settings.seed,
            settings: settings as unknown as Record<string, unknown>,
          });
        } else campaignId = prepared.id;
        if (!store) throw new Error("a resumed campaign has its store open");
        release = lockCampaign(store, campaignId, { force: forced(opts), note: io.progress });
        if (prepared.id !== undefined) {
          if (store.campaign(campaignId).status === "failed") store.reopenCampaign(campaignId);
          if (prepared.changed) store.updateSettings(campaignId, settings as unknown as Record<string, unknown>);
        }
      } catch (e) {
        strategy.dispose?.();
        await lab.close();
        if (store && !storeExisted && store.campaigns().length === 0) removeStore(store);
        throw e;
      }
      const storeOpen = store;
      if (live && prepared.id === undefined) live.log.attach(storeOpen.deviceLog(campaignId));
      io.progress(
        `${prepared.id !== undefined ? "resuming" : "campaign"} ${campaignId} in ${storeFile}: lab ${lab.name}, strategy ${strategy.name}, budget ${settings.budget}, seed ${settings.seed}`,
      );
      const abort = new AbortController();
      const onSigint = () => {
        io.progress("interrupt: stopping; the unfinished experiment is re-run by --resume (Ctrl-C again to kill)");
        abort.abort();
      };
      // A live lab keeps its handlers until it is safe: a second Ctrl-C must not skip that.
      const removeSignals = live ? installSafetySignals(live, abort, io) : undefined;
      if (!live) process.once("SIGINT", onSigint);
      const t0 = Date.now();
      // The measured value's name: the PLQY proxy on the reactor, the function's value on a test-function lab, else the problem's objective.
      const objective = !paper || isModuleFile(settings.lab) ? problem.objective.name : settings.lab === "sim" ? "PLQY" : `${settings.lab} value`;
      let dashboard: Dashboard | undefined;
      try {
        if (opts.dashboard) {
          const { startDashboard } = await import("../../report/dashboard/server.js");
          dashboard = await startDashboard({
            store: storeFile,
            port: intOpt(opts, "port", "campaign", 8765, 0, 65535),
            host: String(opts.host),
            stop: {
              campaignId,
              request: () => {
                io.progress("stop requested from the dashboard: stopping as for Ctrl-C; the unfinished experiment is re-run by --resume");
                abort.abort();
              },
            },
          });
          // Not a progress line: --quiet must not hide the address or the token.
          io.err(`dashboard: ${dashboard.url}?campaign=${campaignId}\nstop token (the page's Stop button asks for it): ${dashboard.token}\n`);
        }
        const outcome = await runCampaign({
          journal: storeOpen.journal(campaignId),
          lab,
          strategy,
          problem,
          init,
          budget: settings.budget,
          finalExploit: settings.finalExploit,
          replicates: settings.replicates ?? 0,
          onProgress: (p) => io.progress(progressLine(p, objective, problem)),
          signal: abort.signal,
        }).catch((e) => {
          if (abort.signal.aborted) return undefined;
          // Any other stop fails the campaign with its reason; --resume continues it after a fix.
          storeOpen.failCampaign(campaignId, (e as Error)?.message ?? String(e));
          storeOpen.setNote(campaignId, "failure-kind", e instanceof StrategyFault ? "strategy" : e instanceof OracleModuleFault ? "oracle-module" : "other");
          throw e;
        });
        if (!outcome) {
          io.err(
            `campaign ${campaignId} interrupted; continue it with: sdfl campaign --resume --store ${storeFile}${prepared.id === undefined ? "" : ` --campaign ${campaignId}`}\n`,
          );
          return 130;
        }
        // A live lab is made safe before the (slow) export and report, not after them.
        if (live) await lab.close();
        const out = typeof opts.out === "string" ? abs(io.cwd, opts.out) : defaultOutDir(storeFile, campaignId);
        // The published two-file layout for the reactor problem, else one experiments.csv with the problem's own columns.
        const csv = paper ? exportPublishedCsv(outcome.experiments, join(out, "data")) : exportProblemCsv(outcome.experiments, problem, join(out, "data"));
        const plots = await writeCampaignPlots(
          outcome.experiments,
          out,
          problem,
          objective === "PLQY" || objective === problem.objective.name ? undefined : objective,
        );
        const report = await writeReportSafely(storeFile, out, campaignId, settings.twin, io);
        const best = outcome.best;
        const summary = {
          campaign: campaignId,
          store: storeFile,
          out,
          seconds: (Date.now() - t0) / 1000,
          experiments: outcome.experiments.filter((e) => e.status === "done").length,
          optimizerExperiments: outcome.experiments.filter((e) => e.phase !== "init" && e.status === "done").length,
          // "experiment" is the 1-based number shown on screen, in the report and on the dashboard (the store's idx + 1).
          best: {
            experiment: best.index + 1,
            phase: best.phase,
            condition: best.measurement!.condition,
            objective: best.measurement!.objective,
            ...(paper ? { plqy: best.measurement!.objective } : {}),
          },
          ...(outcome.recommendation ? { recommendation: outcome.recommendation } : {}),
          ...(outcome.replicates ? { replicates: outcome.replicates } : {}),
          files: {
            ...("inputs" in csv ? { inputs: csv.inputs, outputs: csv.outputs } : { experiments: csv.experiments }),
            bestSoFar: plots.bestSoFar,
            parameters: plots.parameters,
            summary: join(out, "summary.json"),
            ...(report ? { report } : {}),
          },
        };
        assertFiniteResult(summary, summary.files.summary);
        mkdirSync(out, { recursive: true });
        writeFileSync(summary.files.summary, JSON.stringify({ settings, ...summary }, null, 1) + "\n");
        if (opts.json) io.out(JSON.stringify(summary) + "\n");
        else {
          io.out(`campaign ${campaignId} finished\n`);
          const rec = outcome.recommendation;
          if (rec) {
            io.out(
              `recommended: ${fmtCondition(rec.condition, problem)}, predicted ${objective} ${fmtValue(rec.mean)} (${Math.round(100 * rec.level)} % interval ${fmtValue(rec.lower)} to ${fmtValue(rec.upper)}; the model's posterior-mean ${problem.objective.goal === "minimize" ? "minimum" : "maximum"} after ${rec.observations} experiments)\n`,
            );
            const r = outcome.replicates;
            if (r && r.values.length > 0)
              io.out(
                `  measured ${r.values.length} replicate(s): ${objective} ${fmtValue(r.mean)}${r.values.length > 1 ? ` +- ${fmtValue(r.sd)} (sd)` : ""}\n`,
              );
          }
          io.out(
            `best single reading: ${objective} ${fmtValue(best.measurement!.objective)} at experiment ${best.index + 1} (${best.phase}) ${fmtCondition(best.measurement!.condition, problem)}${rec ? " (one noisy reading; the recommendation above is the model's estimate)" : ""}\n`,
          );
          io.out(
            `store:  ${storeFile}\ndata:   ${"inputs" in csv ? `${csv.inputs}, outputs.csv beside it` : csv.experiments}\nplots:  ${plots.bestSoFar}\n        ${plots.parameters}\nsummary: ${summary.files.summary}\n${report ? `report: ${report}\n` : ""}`,
          );
        }
      } finally {
        await dashboard?.close();
        process.removeListener("SIGINT", onSigint);
        strategy.dispose?.();
        // For a live lab: the devices are safe before the signal handlers go.
        await lab.close();
        removeSignals?.();
      }
      return 0;
    } finally {
      release?.();
      store?.close();
    }
  },
};

/** A strategy factory that throws is the strategy's fault, not sdfl's (sdfl's own load errors pass through). */
function blameFactory(culprit: string): (e: unknown) => never {
  return (e) => {
    if (e instanceof SdflError) throw e;
    throw new StrategyFault(`${culprit}: creating the strategy failed: ${(e as Error)?.message ?? String(e)}`, "fix the strategy module's factory");
  };
}

/** Delete a store this command created and left empty (nothing may be left behind by a refused start). */
function removeStore(store: CampaignStore): void {
  store.close();
  for (const f of [store.file, `${store.file}-wal`, `${store.file}-shm`]) rmSync(f, { force: true });
}

/** SHA-256 of a file's bytes (hex), the identity of a truth twin or strategy module in the store. */
function fileSha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** New campaign: settings from flags, every argument and output checked; nothing is created here except a default twin. */
async function prepareNew(opts: ParsedOptions, io: CommandIO): Promise<{ store?: CampaignStore; id?: number; settings: CampaignSettings; changed?: boolean }> {
  const cmd = "campaign";
  const budget = intOpt(opts, "budget", cmd, DEFAULTS.budget, 1, 100_000);
  const seed = intOpt(opts, "seed", cmd, DEFAULTS.seed, 0, 2 ** 31 - 1);
  const lab = String(opts.lab);
  const labs = [...CAMPAIGN_LABS, ...LIVE_LABS] as readonly string[];
  // An oracle module: its problem and evaluate() are the lab (a FunctionLab).
  const labModule = isModuleFile(lab) ? abs(io.cwd, lab.trim()) : undefined;
  if (labModule && !existsSync(labModule))
    throw new UsageError(
      `--lab ${lab}: oracle module not found (${labModule})`,
      "give the path of a .mjs file whose default export is { problem, evaluate(conditions), optimum? } (docs/problem.md)",
    );
  if (!labModule && !labs.includes(lab)) throw new UsageError(`--lab ${lab} is not a known lab`, `${campaignLabHint(lab)}; or ${LIVE_LABS.join(", ")}`);
  const dataArg = String(opts.data);
  const dataCsv = isCsvFile(dataArg);
  if (typeof opts.columns === "string" && !dataCsv)
    throw new UsageError("--columns maps the columns of a --data FILE.csv", "give --data FILE.csv too, or leave --columns out");
  // A twin of your own problem (sdfl twin train --problem) as the truth: the campaign runs on its problem.
  const twinArg = lab === "sim" && typeof opts.twin === "string" ? resolveTwinPath(opts.twin, io.env, io.cwd) : undefined;
  const truthTwin = twinArg && existsSync(twinArg) && isProblemTwinFile(twinArg) ? readProblemTwin(twinArg).twin : undefined;
  const problem = truthTwin ? problemOfTruthTwin(truthTwin, twinArg!, opts, io) : await campaignProblemOf(lab, labModule, opts, io);
  const simMode = String(opts["sim-mode"]);
  if (simMode !== "physics" && simMode !== "steady") throw new UsageError(`--sim-mode ${simMode}: use physics or steady`);
  const init =
    typeof opts.init === "string"
      ? opts.init
      : lab === "folder"
        ? "folder"
        : (lab === "sim" && !truthTwin) || lab === "hil" || dataCsv
          ? DEFAULTS.init
          : DEFAULTS.testFunctionInit;
  if (init === "folder" && lab !== "folder") throw new UsageError(`--init folder is only for --lab folder`, "use published, lhs:N or sobol:N");
  const spec = init === "folder" ? ({ kind: "lhs", count: 0 } as const) : parseInitSpec(init);
  if (spec.kind === "dataset" && truthTwin && !dataCsv)
    throw new UsageError(
      `--init ${init} with the twin of problem "${truthTwin.problem.name}" as truth: the published data were measured on the reactor`,
      "use --init lhs:N or sobol:N, or give initial results of your problem with --data FILE.csv",
    );
  if (spec.kind === "dataset" && lab !== "sim" && lab !== "hil" && !dataCsv) {
    throw new UsageError(
      `--init ${init} with --lab ${lab}: the published data were measured on the reactor, not on ${lab}`,
      "use --init lhs:N or sobol:N with a test-function lab, or give your own initial results with --data FILE.csv",
    );
  }
  try {
    parseNoiseSpec(String(opts.noise));
  } catch (e) {
    throw new UsageError(`--noise ${String(opts.noise)}: ${(e as Error).message}`, "use measured, none, or a relative std such as 0.04");
  }
  const storeFile = abs(io.cwd, String(opts.store));
  if (existsSync(storeFile)) CampaignStore.open(storeFile).close(); // a damaged or foreign store is refused before any work
  if (typeof opts.out === "string") checkOutputFolder(abs(io.cwd, opts.out), "--out", { force: forced(opts), inputs: [storeFile] });
  // Check the strategy before anything slow (a default twin may be trained below).
  const strategyArg = String(opts.strategy);
  const modules = typeof opts["strategy-module"] === "string" ? [opts["strategy-module"]] : isModulePath(strategyArg) ? [strategyArg] : [];
  const [ref] = modules.length ? parseStrategyRefs(undefined, modules, io.cwd) : parseStrategyRefs(strategyArg, [], io.cwd);
  checkStrategyFitsProblem(ref, problem);
  const data = spec.kind === "dataset" ? resolveData(dataArg, io.env, io.cwd) : null;
  let twin: string | null = null;
  if (lab === "sim") {
    if (typeof opts.twin === "string") twin = resolveTwinPath(opts.twin, io.env, io.cwd);
    else {
      const d = await defaultTwin(dataArg, io.env, io.cwd, (l) => io.progress(l));
      twin = d.file;
      if (d.note) io.progress(`note: ${d.note}`);
    }
  }
  const settings = checkSettings({
    lab: labModule ?? lab,
    ...(labModule || truthTwin || typeof opts.problem === "string" ? { problem: problem.definition } : {}),
    ...(typeof opts.columns === "string" ? { dataColumns: parseColumnMap(opts.columns) } : {}),
    simMode,
    twin,
    noise: String(opts.noise),
    data,
    init,
    budget,
    strategy: ref.name,
    strategyModule: ref.module ?? null,
    seed,
    finalExploit: opts["no-final-exploit"] !== true,
    labConfig: lab === "hil" ? liveFile(opts, "config", io.cwd) : null,
    folder: lab === "folder" ? liveFile(opts, "folder", io.cwd) : null,
    replicates: intOpt(opts, "replicates", cmd, 0, 0, 1000),
    ...(typeof opts["noise-sd"] === "string" ? { noiseSd: (parseNoiseLevel(opts["noise-sd"]), opts["noise-sd"]) } : {}),
  });
  settings.twinSha256 = settings.twin ? fileSha256(settings.twin) : null;
  settings.strategyModuleSha256 = settings.strategyModule ? fileSha256(settings.strategyModule) : null;
  if (labModule) settings.labModuleSha256 = fileSha256(labModule);
  // One CSV of initial results is read now, so a missing value, a missing column or a value out of bounds is refused (by
  // line) before anything is created; published rows must lie in a --problem that narrows the reactor's.
  if (spec.kind === "dataset" && (dataCsv || settings.problem)) {
    const plan = initPlan(settings);
    if (plan.kind === "dataset" && settings.problem && !dataCsv) checkRowsInProblem(plan.rows, problem, settings.data!);
  }
  return { settings };
}

/** Initial rows outside the campaign's problem (bounds, fixed values, constraints) are refused, naming the first few. */
function checkRowsInProblem(rows: readonly { condition: Record<string, number> }[], problem: Problem, data: string): void {
  const outside = rows
    .map((r, i) => ({ i, c: r.condition }))
    .filter(({ c }) => {
      const inBox = problem.space.inputs.every(
        (s) => c[s.name] >= s.bounds[0] - 1e-9 * (s.bounds[1] - s.bounds[0]) && c[s.name] <= s.bounds[1] + 1e-9 * (s.bounds[1] - s.bounds[0]),
      );
      const fixed = problem.fixed.every((f) => Math.abs(c[f.name] - f.value) <= 1e-9 * Math.max(1, Math.abs(f.value)));
      return !inBox || !fixed || !satisfiesConstraints(problem.space, c);
    });
  if (outside.length)
    throw new UsageError(
      `--data ${data}: ${outside.length} of ${rows.length} initial rows lie outside problem "${problem.name}" (bounds, fixed inputs or constraints), e.g. row ${outside[0].i + 1}: ${JSON.stringify(outside[0].c)}`,
      "start from a design inside your problem (--init lhs:N or sobol:N), or give --data FILE.csv with rows inside it",
    );
}

/**
 * The problem of a campaign whose truth is a problem twin: the twin's own, or a --problem
 * that narrows it (bounds inside the twin's, constraints, fixed inputs; see {@link whyNotTwinProblem}).
 */
function problemOfTruthTwin(twin: ProblemTwin, file: string, opts: ParsedOptions, io: CommandIO): Problem {
  if (typeof opts.problem !== "string") return twin.problem;
  const given = problemOf(opts.problem, io.cwd);
  const why = whyNotTwinProblem(given, twin);
  if (why)
    throw new UsageError(
      `--problem ${opts.problem} with --twin ${file}: ${why}; the twin simulates problem "${twin.problem.name}" only (a narrower problem is fine)`,
      "leave --problem out to run the twin's own problem, or give one that keeps its inputs, outcomes and objective within its bounds",
    );
  return given;
}

/**
 * The problem of a new campaign: an oracle module's own (or --problem with the module's
 * inputs); on the other labs the built-in problem, or a --problem that keeps the reactor's
 * inputs, outcomes and objective within the reactor's bounds.
 */
async function campaignProblemOf(lab: string, labModule: string | undefined, opts: ParsedOptions, io: CommandIO): Promise<Problem> {
  const file = typeof opts.problem === "string" ? opts.problem : undefined;
  const given = file !== undefined ? problemOf(file, io.cwd) : undefined;
  if (labModule) return problemOfLabModule(labModule, given, `--problem ${file}`);
  if (!given) return PAPER_PROBLEM;
  const why = notThePaperProblem(given, { allowFixed: true });
  const wider = given.space.inputs.find((s) => {
    const paper = PAPER_PROBLEM.space.inputs.find((p) => p.name === s.name);
    return paper && (s.bounds[0] < paper.bounds[0] || s.bounds[1] > paper.bounds[1]);
  });
  if (why || wider)
    throw new UsageError(
      `--problem ${file} with --lab ${lab}: ${why ?? `the bounds of ${wider!.name} (${wider!.bounds.join(" to ")} ${wider!.unit}) reach beyond the reactor's`}; the ${lab} lab runs the reactor's problem (narrower bounds, constraints and fixed inputs are fine)`,
      "for another problem use --lab FILE.mjs (an oracle module), or `sdfl suggest` / `sdfl observe` for experiments you run yourself",
    );
  return given;
}

/** --config / --folder of a live lab, absolute; required for that lab. */
function liveFile(opts: ParsedOptions, flag: "config" | "folder", cwd: string): string {
  const v = opts[flag];
  if (typeof v !== "string") {
    throw new UsageError(
      flag === "config" ? "--lab hil needs --config lab.json" : "--lab folder needs --folder DIR",
      flag === "config"
        ? "write a template with `sdfl lab init --out lab.json`, then `sdfl lab check --config lab.json`"
        : "give the folder of FR.csv and the spectra files",
    );
  }
  return abs(cwd, v);
}

/** Flags whose stored value a resume must keep: [flag, settings key, value of the flag as stored]. */
const FIXED_ON_RESUME: [string, keyof CampaignSettings, (v: string | boolean, cwd: string) => unknown][] = [
  ["lab", "lab", (v) => v],
  ["sim-mode", "simMode", (v) => v],
  ["noise", "noise", (v) => v],
  ["init", "init", (v) => v],
  ["seed", "seed", (v) => Number(v)],
  ["no-final-exploit", "finalExploit", (v) => v !== true],
];

/**
 * --resume: the chosen or latest unfinished campaign of an existing store, with its
 * stored settings. Flags that would change what the campaign is are refused; --budget is
 * honoured (and stored); the truth twin and strategy module must be the same files as
 * at the start (SHA-256), else the resume is refused unless --force (or, for a module,
 * unless the campaign failed by a fault of that module, which the user has now fixed).
 */
function openForResume(
  storeFile: string,
  opts: ParsedOptions,
  io: CommandIO,
): { store: CampaignStore; id: number; settings: CampaignSettings; changed: boolean } {
  const given = givenOptions(opts);
  const store = CampaignStore.open(storeFile);
  try {
    const all = store.campaigns();
    const id = opts.campaign !== undefined ? intOpt(opts, "campaign", "campaign", 0, 1) : all.filter((c) => c.status !== "finished").pop()?.id;
    if (id === undefined)
      throw new UsageError(
        `${storeFile}: no unfinished campaign to resume`,
        all.length ? `campaigns ${all.map((c) => c.id).join(", ")} are finished; start a new one without --resume` : "start a campaign without --resume",
      );
    const c = store.campaign(id);
    if (c.status === "finished") throw new UsageError(`campaign ${id} in ${storeFile} is already finished`, "start a new campaign without --resume");
    const settings = upgradeSettings(c.settings);
    let changed = false;
    const failure = store.note(id, "failure");
    if (c.status === "failed" && failure) io.progress(`campaign ${id} failed before: ${failure}`);
    const labModule = isModuleFile(settings.lab);
    for (const [flag, key, asStored] of FIXED_ON_RESUME) {
      if (!given.has(flag)) continue;
      // An oracle module given again may sit at a new path: it is checked by content below.
      if (flag === "lab" && labModule && isModuleFile(String(opts.lab))) continue;
      const v = asStored(opts[flag] as string | boolean, io.cwd);
      if (v !== settings[key])
        throw new UsageError(
          `--${flag} cannot change when resuming: campaign ${id} runs with ${key} = ${JSON.stringify(settings[key])}`,
          "leave the flag out to resume with the stored settings, or start a new campaign without --resume",
        );
    }
    if (given.has("data") && settings.data !== null && resolveData(String(opts.data), io.env, io.cwd) !== settings.data)
      throw new UsageError(`--data cannot change when resuming: campaign ${id} started from ${settings.data}`, "leave --data out to resume");
    if (given.has("problem") && JSON.stringify(problemOf(opts.problem, io.cwd).definition) !== JSON.stringify(campaignProblem(settings).definition))
      throw new UsageError(
        `--problem ${String(opts.problem)} is not the problem campaign ${id} runs ("${campaignProblem(settings).name}", stored in the store)`,
        "leave --problem out to resume with the stored problem, or start a new campaign without --resume",
      );
    if (given.has("columns") && JSON.stringify(parseColumnMap(String(opts.columns))) !== JSON.stringify(settings.dataColumns ?? {}))
      throw new UsageError(`--columns cannot change when resuming campaign ${id}: its initial data are in the store`, "leave --columns out to resume");
    if (given.has("budget")) {
      const budget = intOpt(opts, "budget", "campaign", settings.budget, 1, 100_000);
      const done = store.experiments(id).filter((e) => e.phase !== "init" && e.status === "done").length;
      if (budget < done)
        throw new UsageError(`--budget ${budget} is below the ${done} optimizer experiments campaign ${id} has already done`, `give --budget ${done} or more`);
      if (budget !== settings.budget) {
        io.progress(`budget of campaign ${id} changed from ${settings.budget} to ${budget} (stored)`);
        settings.budget = budget;
        changed = true;
      }
    }
    const force = forced(opts);
    const strategyFailed = c.status === "failed" && store.note(id, "failure-kind") === "strategy";
    changed =
      checkFileOnResume(
        settings,
        "twin",
        "twinSha256",
        "truth twin",
        given.has("twin") ? resolveTwinPath(String(opts.twin), io.env, io.cwd) : undefined,
        force,
        id,
        io,
      ) || changed;
    // --strategy on resume: a module file may be given again (same content, or fixed after its fault); a name must match.
    const strategyArg = given.has("strategy") ? String(opts.strategy) : undefined;
    if (strategyArg !== undefined && !isModulePath(strategyArg) && strategyArg !== settings.strategy)
      throw new UsageError(
        `--strategy cannot change when resuming: campaign ${id} runs with strategy ${JSON.stringify(settings.strategy)}`,
        "leave the flag out to resume with the stored settings, or start a new campaign without --resume",
      );
    const moduleArg = given.has("strategy-module")
      ? String(opts["strategy-module"])
      : strategyArg !== undefined && isModulePath(strategyArg)
        ? strategyArg
        : undefined;
    const module = moduleArg !== undefined ? abs(io.cwd, moduleArg) : undefined;
    changed = checkFileOnResume(settings, "strategyModule", "strategyModuleSha256", "strategy module", module, force || strategyFailed, id, io) || changed;
    if (labModule) {
      const labArg = given.has("lab") ? abs(io.cwd, String(opts.lab).trim()) : undefined;
      // A campaign stopped by a fault of its oracle module may continue with the fixed module (the change is recorded).
      const moduleFailed = c.status === "failed" && store.note(id, "failure-kind") === "oracle-module";
      changed = checkFileOnResume(settings, "lab", "labModuleSha256", "oracle module", labArg, force || moduleFailed, id, io) || changed;
    }
    if (typeof opts.out === "string") checkOutputFolder(abs(io.cwd, opts.out), "--out", { force, inputs: [storeFile] });
    else checkOutputFolder(defaultOutDir(storeFile, id), "--out", { force });
    return { store, id, settings, changed };
  } catch (e) {
    store.close();
    throw e;
  }
}

/**
 * The twin, strategy module or oracle-module lab of a resumed campaign must be the file it started with:
 * same content (SHA-256). `given` (--twin/--strategy-module on resume) may point to the
 * same content at a new path. A changed file is refused unless `accept`. Stores written
 * before hashes were recorded are checked for presence only. Returns true when settings changed.
 */
function checkFileOnResume(
  s: CampaignSettings,
  key: "twin" | "strategyModule" | "lab",
  hashKey: "twinSha256" | "strategyModuleSha256" | "labModuleSha256",
  what: string,
  given: string | undefined,
  accept: boolean,
  id: number,
  io: CommandIO,
): boolean {
  const stored = s[key];
  if (stored === null && given === undefined) return false;
  if (stored === null) throw new UsageError(`campaign ${id} runs without a ${what}; leave that flag out to resume`);
  const file = given ?? stored;
  if (!existsSync(file))
    throw new SdflError(
      `the ${what} of campaign ${id}, ${file}, is missing`,
      `restore it, or pass ${key === "twin" ? "--twin" : key === "lab" ? "--lab" : "--strategy-module"} FILE with the same file at its new place${s[hashKey] ? ` (sha256 ${s[hashKey]!.slice(0, 12)}...)` : ""}`,
    );
  const now = fileSha256(file);
  const before = s[hashKey];
  if (before && now !== before) {
    if (!accept)
      throw new SdflError(
        `the ${what} ${file} is not the one campaign ${id} started with (sha256 ${before.slice(0, 12)}... then, ${now.slice(0, 12)}... now); one campaign must keep one ${what}`,
        `restore the original file, start a new campaign, or pass --force to continue with the changed ${what} (the store records the change)`,
      );
    io.progress(`note: continuing campaign ${id} with a changed ${what} ${file} (sha256 ${before.slice(0, 12)}... -> ${now.slice(0, 12)}...)`);
  }
  const changed = file !== stored || now !== before;
  s[key] = file;
  s[hashKey] = now;
  return changed;
}

/** Stored settings of an older sdfl (`policy` with the unprefixed ENN names) in today's terms. */
function upgradeSettings(stored: Record<string, unknown>): CampaignSettings {
  const s = { ...stored } as unknown as CampaignSettings & { policy?: string };
  if (s.strategy === undefined && typeof s.policy === "string") {
    s.strategy = s.strategyModule || s.policy === "random" || s.policy.startsWith("gp-") ? s.policy : `enn-${s.policy}`;
    delete s.policy;
  }
  return s;
}

/** A condition as "name value, ...", in the problem's input order, to each input's resolution (fmtValue without one). */
function fmtCondition(c: Record<string, number>, problem: Problem): string {
  return problem.space.inputs
    .map((s) => {
      const digits = s.resolution ? Math.max(0, Math.min(6, Math.ceil(-Math.log10(s.resolution)))) : undefined;
      const v = c[s.name];
      return `${s.name} ${digits !== undefined ? v.toFixed(digits) : fmtValue(v)}`;
    })
    .join(", ");
}

/** An objective value: 4 decimals for values of order one (the PLQY proxy), else 5 significant digits. */
function fmtValue(v: number): string {
  return Math.abs(v) < 10 ? v.toFixed(4) : String(Number(v.toPrecision(5)));
}

function progressLine(p: CampaignProgress, objective: string, problem: Problem): string {
  const best = p.best === undefined ? "" : `  best ${fmtValue(p.best)}`;
  if (p.kind !== "experiment-done") return `${p.message}${best}; ${p.optimizerDone} of ${p.budget} optimizer experiments done`;
  const tag =
    p.replicate !== undefined
      ? `replicate of the recommendation ${p.replicate}/${p.budget}`
      : p.phase === "init"
        ? `init ${p.optimizerDone}/${p.budget}`
        : `${p.phase === "exploit" ? "exploit " : ""}${p.optimizerDone}/${p.budget}`;
  const time = p.askSeconds !== undefined ? `ask ${p.askSeconds.toFixed(2)} s, run ${p.seconds!.toFixed(2)} s` : `run ${p.seconds!.toFixed(2)} s`;
  // "experiment N": the number the store (idx + 1), the report and the dashboard show.
  return `[${tag}] experiment ${p.index + 1}: ${fmtCondition(p.condition!, problem)} -> ${objective} ${fmtValue(p.objective!)}${best} (${time})`;
}

/** The `sdfl campaign` subcommands. */
export const campaignCommands: Command[] = [campaign, campaignExport];

/**
 * The campaign's HTML report (parity, SHAP, surfaces, progress, every experiment). A
 * failure here is reported and does not fail the finished campaign: its data are stored.
 */
async function writeReportSafely(storeFile: string, out: string, campaignId: number, twinFile: string | null, io: CommandIO): Promise<string | undefined> {
  let twin: Twin | undefined;
  try {
    // A twin of your own problem is not explained here (sdfl twin explain does that): the report has no paper-twin figures.
    const paperTwin = twinFile && !isProblemTwinFile(twinFile) ? twinFile : undefined;
    io.progress(`writing the campaign report${paperTwin ? " (SHAP and response surfaces of the truth twin)" : ""}`);
    twin = paperTwin ? await loadTwin(paperTwin) : undefined;
    return await writeStoreReport(storeFile, out, {
      campaignId,
      twin,
      ...(paperTwin ? { twinFile: paperTwin } : {}),
      progress: (l) => io.progress(l),
      ...(twin
        ? {}
        : {
            parityMissing: twinFile
              ? `the truth is a twin of your own problem: explain it with \`sdfl twin explain --twin ${twinFile}\``
              : "no twin: the campaign ran on a test-function lab",
          }),
    });
  } catch (e) {
    io.err(
      `warning: the report could not be written (${(e as Error).message}); the campaign's data are in ${storeFile}; try \`sdfl report --store ${storeFile}\`\n`,
    );
    return undefined;
  } finally {
    twin?.dispose();
  }
}
