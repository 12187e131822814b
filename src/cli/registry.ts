import type { Command } from "./command.js";

/**
 * A subcommand as `sdfl --help` lists it, before its module is loaded. The command
 * modules import TF.js, jsdom, d3 and SQLite; loading them only for the command that
 * runs keeps `sdfl --help` fast (benchmarks/cli-startup.ts measures it).
 */
export interface CommandEntry {
  path: string[];
  summary: string;
  /** Imports the command's module. */
  load(): Promise<Command>;
}

type Group = () => Promise<Command[]>;
const twin: Group = async () => (await import("./commands/twin.js")).twinCommands;
const explain: Group = async () => (await import("./commands/explain.js")).explainCommands;
const sim: Group = async () => (await import("./commands/sim.js")).simCommands;
const campaign: Group = async () => (await import("./commands/campaign.js")).campaignCommands;
const bench: Group = async () => (await import("./commands/bench.js")).benchCommands;
const report: Group = async () => (await import("./commands/report.js")).reportCommands;
const serve: Group = async () => (await import("./commands/serve.js")).serveCommands;
const problem: Group = async () => (await import("./commands/problem.js")).problemCommands;
const askTell: Group = async () => (await import("./commands/askTell.js")).askTellCommands;
const lab: Group = async () => (await import("./commands/lab.js")).labCommands;
const worker: Group = async () => (await import("./commands/worker.js")).workerCommands;

/** Every command group's loader; {@link allCommands} loads them all. Add a new group here and its commands to {@link COMMAND_INDEX}. */
const GROUPS: Group[] = [twin, explain, sim, campaign, bench, report, serve, problem, askTell, lab, worker];

const entry = (group: Group, path: string[], summary: string): CommandEntry => ({
  path,
  summary,
  async load() {
    const c = (await group()).find((k) => k.path.join(" ") === path.join(" "));
    if (!c) throw new Error(`command "${path.join(" ")}" is listed in the registry but its module does not define it`);
    return c;
  },
});

/** Every subcommand with its summary (kept equal to the modules' own by test/cli/registry.test.ts). */
export const COMMAND_INDEX: CommandEntry[] = [
  entry(twin, ["twin", "train"], "train an ensemble neural network (ENN) twin on a data set and save it"),
  entry(twin, ["twin", "predict"], "predict Abs300nm, PLA and the PLQY proxy (mean and std over members) for a CSV of conditions"),
  entry(twin, ["twin", "evaluate"], "accuracy report of a saved twin on a data set: R^2, calibration, parity plot"),
  entry(explain, ["twin", "explain"], "explain a twin: SHAP importance of each input, response surfaces, HTML page"),
  entry(sim, ["sim", "run"], "One simulated experiment at a condition (optionally writing raw spectra files)"),
  entry(sim, ["sim", "flow-sweep"], "PL/Abs300 against total flow at constant reaction time (paper Fig. 4A-B)"),
  entry(sim, ["sim", "time-sweep"], "Optical features against reaction time at 720 uL/min (paper Fig. 4C-D)"),
  entry(sim, ["sim", "stability"], "Features over 30 simulated minutes at one condition (paper Fig. 3A)"),
  entry(sim, ["sim", "cross-contamination"], "A reference condition repeated between random ones (paper Fig. 3B)"),
  entry(sim, ["sim", "process"], "Process a spectra folder (original protocol) into Abs300, PL area, PL peak and PLQY"),
  entry(campaign, ["campaign"], "run (or --resume) an optimization campaign on a lab, journaled in a SQLite store"),
  entry(campaign, ["campaign", "export"], "write a stored campaign as inputs.csv/outputs.csv (published layout) or experiments.csv, and its plots"),
  entry(bench, ["bench"], "benchmark optimization strategies offline against a noisy oracle (twin or test function)"),
  entry(bench, ["bench", "merge"], "join the results of `sdfl bench --shard i/N` shares into one results.json, summary and figure"),
  entry(report, ["report"], "write a self-contained HTML report of a campaign (plots, SHAP, surfaces, every experiment)"),
  entry(serve, ["serve"], "live dashboard of a campaign store in the browser (follows running campaigns)"),
  entry(problem, ["problem", "show"], "print an optimization problem (inputs, constraints, set points, outcomes, objective) as JSON"),
  entry(askTell, ["suggest"], "propose the next K conditions for experiments you run yourself, journaled as pending in a store"),
  entry(askTell, ["observe"], "record measured outcomes (a CSV) for pending suggestions of an ask/tell campaign"),
  entry(lab, ["lab", "init"], "write a lab configuration template (every field at its default; docs/hil.md explains each)"),
  entry(lab, ["lab", "check"], "connect to every device of a lab configuration and read it, moving nothing"),
  entry(lab, ["lab", "dry-run"], "print the plan of one experiment with its limits, syringe volumes and durations, touching no device"),
  entry(lab, ["lab", "refill"], "record in the store's device log that syringes were refilled (their dispensed volume starts again at 0)"),
  entry(worker, ["worker"], "run benchmark jobs from a queue (`sdfl bench --queue`) on this machine until stopped"),
];

/** Every subcommand, all modules loaded (tests, and the fallback for a command missing from the index). */
export async function allCommands(): Promise<Command[]> {
  return (await Promise.all(GROUPS.map((g) => g()))).flat();
}
