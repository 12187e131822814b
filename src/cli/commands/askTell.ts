import { existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { intOpt, stringOpt, type Command, type CommandIO, type ParsedOptions } from "../command.js";
import { DataError, UsageError } from "../../core/errors.js";
import { formatCsv } from "../../core/csv.js";
import { CampaignStore } from "../../store/campaignStore.js";
import { deriveSeed } from "../../bo/campaign/seeds.js";
import { bestOf, observationOf } from "../../bo/campaign/runner.js";
import type { ExperimentRecord, ProposalRecord } from "../../bo/campaign/journal.js";
import type { Measurement } from "../../bo/lab.js";
import { objectiveOf, realiseCondition, setPointsOf, type Problem } from "../../bo/problem/problem.js";
import { parseColumnMap, readProblemCsv } from "../../bo/problem/problemCsv.js";
import { sameExperiment } from "../../bo/strategies/resolution.js";
import { createStrategy, isModulePath, parseStrategyRefs } from "../strategyResolver.js";
import { BUILTIN_STRATEGY_NAMES, DEFAULT_STRATEGY } from "../builtinStrategies.js";
import { checkStrategyFitsProblem } from "../campaignSetup.js";
import { campaignProblem } from "../../store/campaignProblem.js";
import { predictionInfoAsObjective } from "../../bo/campaign/orientation.js";
import { problemOf } from "./problem.js";

/** The `lab` of a campaign whose experiments the user runs by hand (suggest / observe). */
export const ASK_TELL_LAB = "ask-tell";

/** What an ask/tell campaign stores as its settings. */
interface AskTellSettings {
  mode: "ask-tell";
  problem: Problem["definition"];
  strategy: string;
  strategyModule: string | null;
  seed: number;
  data: string | null;
  /** --columns of the first call: CSV names by problem name, used for templates and results. */
  columns: Record<string, string>;
}

const COMMON: Command["options"] = {
  store: { type: "string", arg: "FILE", description: "SQLite campaign store (suggest creates it; one file may hold many campaigns)" },
  campaign: { type: "string", arg: "ID", description: "which ask/tell campaign of the store (default: the latest)" },
  columns: { type: "string", arg: "MAP", description: "CSV column names by problem name, e.g. T=temp_C,CuI=cui_flow (overrides the problem file's columns)" },
};

const suggest: Command = {
  path: ["suggest"],
  summary: "propose the next K conditions for experiments you run yourself, journaled as pending in a store",
  details: `
The first call starts an ask/tell campaign in --store (with --problem, --strategy, --seed
and optional initial results --data FILE.csv); later calls continue it. Each call tells the
strategy every recorded result, asks for --n new conditions (different from the pending
ones), writes them to the store as pending BEFORE printing them, then prints them with
their ids. Run them, put the outcomes in a CSV (one row per experiment: the id or the
inputs, and one column per outcome) and record it with \`sdfl observe\`.
example: sdfl suggest --store lab.sqlite --problem problem.json --n 3 --out next.csv`,
  options: {
    ...COMMON,
    n: { type: "string", arg: "K", default: "1", description: "how many conditions to propose" },
    problem: { type: "string", arg: "FILE", description: "problem file (JSON, docs/problem.md) of a new campaign (default: the built-in problem)" },
    strategy: {
      type: "string",
      arg: "NAME|FILE",
      default: DEFAULT_STRATEGY,
      description: `strategy of a new campaign: ${BUILTIN_STRATEGY_NAMES.join(", ")}, or a strategy module (.mjs)`,
    },
    seed: { type: "string", arg: "N", default: "1", description: "seed of a new campaign's strategy" },
    data: { type: "string", arg: "FILE.csv", description: "results you already have (inputs and outcomes), recorded when the campaign starts" },
    out: { type: "string", arg: "FILE.csv", description: "also write the suggestions as a CSV template (id, inputs, empty outcome columns) to fill in" },
    pending: { type: "boolean", description: "only list the pending suggestions (ask for nothing new)" },
  },
  async run(opts, io) {
    const cmd = "suggest";
    const storeFile = resolve(io.cwd, stringOpt(opts, "store", cmd));
    const n = intOpt(opts, "n", cmd, 1, 1, 1000);
    const outFile = typeof opts.out === "string" ? resolve(io.cwd, opts.out) : undefined;
    if (outFile && existsSync(outFile))
      throw new UsageError(`--out ${outFile} exists; sdfl never overwrites a file`, "give a new file name or remove the old file");
    const columns = typeof opts.columns === "string" ? parseColumnMap(opts.columns) : {};
    const store = CampaignStore.open(storeFile, { create: true });
    try {
      const { id, settings, problem, created } = openOrCreate(store, opts, io, columns);
      const journal = store.journal(id);
      let rows = journal.experiments();
      const pending = rows.filter((r) => r.status === "proposed" || r.status === "running");
      let fresh: ExperimentRecord[] = [];
      if (!opts.pending) {
        const ref = settings.strategyModule ? { name: settings.strategy, module: settings.strategyModule } : { name: settings.strategy };
        const strategy = await createStrategy(ref, { space: problem.space, seed: deriveSeed(settings.seed, "strategy") });
        try {
          const done = rows.filter((r) => r.status === "done");
          await strategy.tell(done.map((r) => observationOf(problem, r)));
          io.progress(`campaign ${id}: ${done.length} result(s), ${pending.length} pending; asking ${strategy.name} for ${n}`);
          const proposals = await strategy.ask(
            n,
            pending.map((r) => r.condition),
          );
          if (proposals.length !== n) throw new UsageError(`strategy ${strategy.name} returned ${proposals.length} proposals for ${n}`);
          let next = Math.max(-1, ...rows.map((r) => r.index)) + 1;
          const records: ProposalRecord[] = proposals.map((p) => {
            const condition = realiseCondition(problem, p.condition);
            return {
              index: next++,
              phase: "optimizer",
              source: "lab",
              condition,
              setPoints: setPointsOf(problem, condition),
              // The model's prediction in the objective's own orientation (not negated for a minimize problem).
              info: { ...predictionInfoAsObjective(problem, JSON.parse(JSON.stringify(p.info ?? {})) as Record<string, unknown>), mode: "ask-tell" },
            };
          });
          // Journaled before anything is printed: a crash after this loses no suggestion (`suggest --pending` lists them).
          journal.propose(records);
          rows = journal.experiments();
          fresh = rows.filter((r) => records.some((x) => x.index === r.index));
        } finally {
          strategy.dispose?.();
        }
      }
      const shown = opts.pending ? pending : fresh;
      if (outFile) writeTemplate(outFile, problem, shown, { ...(settings.columns ?? {}), ...columns });
      if (opts.json) {
        io.out(
          JSON.stringify({
            campaign: id,
            store: storeFile,
            created,
            suggestions: shown.map((r) => ({ id: r.index + 1, condition: r.condition, setPoints: r.setPoints })),
            pending: rows.filter((r) => r.status === "proposed" || r.status === "running").map((r) => r.index + 1),
            ...(outFile ? { file: outFile } : {}),
          }) + "\n",
        );
      } else {
        io.out(table(problem, shown));
        if (outFile) io.out(`written to ${outFile}: fill in the outcome columns, then: sdfl observe --store ${storeFile} --results ${outFile}\n`);
      }
      return 0;
    } finally {
      store.close();
    }
  },
};

const observe: Command = {
  path: ["observe"],
  summary: "record measured outcomes (a CSV) for pending suggestions of an ask/tell campaign",
  details: `
Each row of --results is one finished experiment: an \`id\` column (as printed by suggest)
or the input values, and one column per outcome of the problem (named as in the problem,
or mapped with --columns / the problem's "columns"). Every row must match a pending
suggestion (at the inputs' resolution); a row that matches none, an id already observed,
or a missing value is an error naming the line, and then nothing is recorded. All rows
are recorded in one transaction.`,
  options: {
    ...COMMON,
    results: { type: "string", arg: "FILE.csv", description: "the measured outcomes, one row per experiment" },
  },
  async run(opts, io) {
    const cmd = "observe";
    const storeFile = resolve(io.cwd, stringOpt(opts, "store", cmd));
    const resultsFile = resolve(io.cwd, stringOpt(opts, "results", cmd));
    const columns = typeof opts.columns === "string" ? parseColumnMap(opts.columns) : {};
    const store = CampaignStore.open(storeFile);
    try {
      const id = findCampaign(store, opts);
      if (id === undefined) throw new UsageError(`${storeFile} holds no ask/tell campaign`, "start one with `sdfl suggest --store FILE`");
      const stored = store.campaign(id).settings as unknown as AskTellSettings;
      const problem = campaignProblem(stored);
      const journal = store.journal(id);
      const rows = journal.experiments();
      const results = readProblemCsv(resultsFile, problem, { columns: { ...(stored.columns ?? {}), ...columns }, outcomes: "required" });
      const pending = rows.filter((r) => r.status === "proposed" || r.status === "running");
      const taken = new Map<number, number>();
      const matched = results.map((row) => {
        const loc = { file: resultsFile, line: row.line };
        let rec: ExperimentRecord | undefined;
        if (row.id !== undefined) {
          const r = rows.find((x) => x.index === row.id! - 1);
          if (!r) throw new DataError(loc, `id ${row.id} is not a suggestion of campaign ${id}`, `pending ids: ${ids(pending)}`);
          if (r.status === "done") throw new DataError(loc, `id ${row.id} already has a result; sdfl never overwrites a result`, "remove the row");
          if (!sameExperiment(problem.space, r.condition, row.condition)) {
            throw new DataError(
              loc,
              `id ${row.id} was suggested at ${fmt(problem, r.condition)}, but the row says ${fmt(problem, row.condition)}`,
              "correct the id or the inputs",
            );
          }
          rec = r;
        } else {
          rec = pending.find((r) => sameExperiment(problem.space, r.condition, row.condition));
          if (!rec) {
            throw new DataError(
              loc,
              `the row (${fmt(problem, row.condition)}) matches no pending suggestion of campaign ${id}`,
              `pending: ${ids(pending)}; give an id column to be explicit`,
            );
          }
        }
        if (taken.has(rec.index))
          throw new DataError(
            loc,
            `a second result for suggestion ${rec.index + 1} (the first is on line ${taken.get(rec.index)})`,
            "keep one row per experiment",
          );
        taken.set(rec.index, row.line);
        const objective = objectiveOf(problem, row.outcomes, rec.condition);
        if (!Number.isFinite(objective))
          throw new DataError(loc, `the objective ${problem.objective.formula} is ${objective} for these outcomes`, "check the outcome values");
        const m: Measurement = {
          condition: rec.condition,
          setPoints: rec.setPoints,
          outcomes: row.outcomes,
          objective,
          startedAt: NaN,
          finishedAt: NaN,
          meta: { results: resultsFile, line: row.line },
        };
        return { index: rec.index, m };
      });
      journal.recordMeasurements(matched.map(({ index, m }) => ({ index, measurement: m })));
      const after = journal.experiments();
      const best = bestOf(
        after.filter((r) => r.status === "done"),
        problem,
      );
      const left = after.filter((r) => r.status === "proposed" || r.status === "running");
      if (opts.json) {
        io.out(
          JSON.stringify({
            campaign: id,
            recorded: matched.map((x) => x.index + 1),
            pending: left.map((r) => r.index + 1),
            best: best ? { id: best.index + 1, condition: best.measurement!.condition, objective: best.measurement!.objective } : null,
          }) + "\n",
        );
      } else {
        io.out(`recorded ${matched.length} result(s) in campaign ${id}; ${left.length} suggestion(s) still pending\n`);
        if (best)
          io.out(
            `best ${problem.objective.name} so far: ${best.measurement!.objective} (id ${best.index + 1}: ${fmt(problem, best.measurement!.condition)})\n`,
          );
      }
      return 0;
    } finally {
      store.close();
    }
  },
};

/** The `sdfl suggest` and `sdfl observe` commands. */
export const askTellCommands: Command[] = [suggest, observe];

function findCampaign(store: CampaignStore, opts: ParsedOptions): number | undefined {
  if (opts.campaign !== undefined) {
    const id = intOpt(opts, "campaign", "suggest", 0, 1);
    const c = store.campaign(id);
    if (c.lab !== ASK_TELL_LAB) throw new UsageError(`campaign ${id} of ${store.file} is run by a lab (${c.lab}), not an ask/tell campaign`);
    return id;
  }
  return store
    .campaigns()
    .filter((c) => c.lab === ASK_TELL_LAB && c.status === "running")
    .pop()?.id;
}

function openOrCreate(
  store: CampaignStore,
  opts: ParsedOptions,
  io: CommandIO,
  columns: Record<string, string>,
): { id: number; settings: AskTellSettings; problem: Problem; created: boolean } {
  const existing = findCampaign(store, opts);
  if (existing !== undefined) {
    const settings = store.campaign(existing).settings as unknown as AskTellSettings;
    const problem = campaignProblem(settings);
    if (typeof opts.problem === "string") {
      const given = problemOf(opts.problem, io.cwd);
      if (JSON.stringify(given.definition) !== JSON.stringify(problem.definition)) {
        throw new UsageError(
          `campaign ${existing} of ${store.file} is for problem "${problem.name}", not the one in ${opts.problem}`,
          "leave --problem out to continue it, or use a new --store",
        );
      }
    }
    if (typeof opts.data === "string")
      throw new UsageError(`--data only starts a campaign; campaign ${existing} exists`, "record further results with `sdfl observe --results FILE.csv`");
    return { id: existing, settings, problem, created: false };
  }
  const problem = problemOf(opts.problem, io.cwd);
  const strategyArg = String(opts.strategy);
  const [ref] = isModulePath(strategyArg) ? parseStrategyRefs(undefined, [strategyArg], io.cwd) : parseStrategyRefs(strategyArg, [], io.cwd);
  checkStrategyFitsProblem(ref, problem);
  const seed = intOpt(opts, "seed", "suggest", 1, 0, 2 ** 31 - 1);
  const data = typeof opts.data === "string" ? resolve(io.cwd, opts.data) : null;
  const initial = data ? readProblemCsv(data, problem, { columns, outcomes: "required" }) : [];
  const measurements = initial.map((row) => {
    const objective = objectiveOf(problem, row.outcomes, row.condition);
    if (!Number.isFinite(objective))
      throw new DataError({ file: data!, line: row.line }, `the objective ${problem.objective.formula} is ${objective} for these outcomes`);
    const m: Measurement = {
      condition: row.condition,
      setPoints: setPointsOf(problem, row.condition),
      outcomes: row.outcomes,
      objective,
      startedAt: NaN,
      finishedAt: NaN,
      meta: { data, line: row.line },
    };
    return m;
  });
  const settings: AskTellSettings = {
    mode: "ask-tell",
    problem: problem.definition,
    strategy: ref.name,
    strategyModule: ref.module ?? null,
    seed,
    data,
    columns,
  };
  const id = store.createCampaign({
    lab: ASK_TELL_LAB,
    strategy: ref.name,
    dataSource: data ?? "none",
    seed,
    settings: settings as unknown as Record<string, unknown>,
  });
  if (measurements.length) {
    store.journal(id).addDone(
      measurements.map((m, i) => ({
        proposal: { index: i, phase: "init" as const, source: "dataset" as const, condition: m.condition, setPoints: m.setPoints ?? {}, info: { from: data } },
        measurement: m,
      })),
    );
  }
  io.progress(
    `started ask/tell campaign ${id} in ${store.file}: problem ${problem.name}, strategy ${ref.name}${data ? `, ${measurements.length} result(s) from ${data}` : ""}`,
  );
  return { id, settings, problem, created: true };
}

function ids(rs: readonly ExperimentRecord[]): string {
  return rs.length ? rs.map((r) => r.index + 1).join(", ") : "none";
}

function fmt(problem: Problem, c: Readonly<Record<string, number>>): string {
  return problem.space.inputs.map((s) => `${s.name}=${c[s.name]}`).join(", ");
}

function table(problem: Problem, rs: readonly ExperimentRecord[]): string {
  if (rs.length === 0) return "no suggestions\n";
  const names = [
    "id",
    ...problem.space.inputs.map((s) => (s.unit ? `${s.name} (${s.unit})` : s.name)),
    ...problem.fixed.map((f) => f.name),
    ...problem.derived.map((d) => d.name),
  ];
  const lines = rs.map((r) => [
    String(r.index + 1),
    ...problem.space.inputs.map((s) => String(r.condition[s.name])),
    ...problem.fixed.map((f) => String(f.value)),
    ...problem.derived.map((d) => String(r.setPoints[d.name])),
  ]);
  const w = names.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  return (
    [names, ...lines]
      .map((l) =>
        l
          .map((c, i) => c.padEnd(w[i]))
          .join("  ")
          .trimEnd(),
      )
      .join("\n") + "\n"
  );
}

/** A CSV to fill in: id, the inputs (problem names, or mapped column names), empty outcome columns. */
function writeTemplate(file: string, problem: Problem, rs: readonly ExperimentRecord[], columns: Record<string, string>): void {
  const col = (n: string) => columns[n] ?? problem.columns[n] ?? n;
  const header = ["id", ...problem.space.inputs.map((s) => col(s.name)), ...problem.outcomes.map((o) => col(o.name))];
  const body = rs.map((r) => [r.index + 1, ...problem.space.inputs.map((s) => r.condition[s.name]), ...problem.outcomes.map(() => "")]);
  writeFileSync(file, formatCsv(header, body), { flag: "wx" });
}
