import { mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { assertFiniteResult } from "../../core/finite.js";
import { checkOutputFolder, FORCE_OPTION, forced } from "../outputs.js";
import { UsageError } from "../../core/errors.js";
import { intOpt, numberOpt, type Command, type CommandIO, type OptionSpec, type ParsedOptions } from "../command.js";
import { crossContamination, flowSweep, stability, timeSweep, type SweepResult } from "../../sim/characterization.js";
import { parseCondition } from "../../sim/conditionParse.js";
import { parseNoiseSpec } from "../../sim/noise.js";
import { panelsSvg, type PlotPanel } from "../../report/svg/panelPlot.js";
import { SimulatedLab } from "../../sim/simulatedLab.js";
import { processAbsorbance, processPhotoluminescence } from "../../hil/spectra/pipeline.js";
import { readSpectraFolder, writeSpectraFolder } from "../../hil/spectra/folder.js";
import { plqyProxy } from "../../twin/plqy.js";
import { existsSync } from "node:fs";
import { findDataRoot, resolveTwinPath } from "../../twin/dataPaths.js";
import { DEFAULT_CHEMISTRY, defaultTwin } from "../campaignSetup.js";

/** Options shared by the simulator subcommands. */
const SIM_OPTIONS: Record<string, OptionSpec> = {
  twin: {
    type: "string",
    arg: "FILE",
    description: `truth model: a twin file or a published twin name (default: the same twin as \`sdfl campaign\`, twins/${DEFAULT_CHEMISTRY}.json in this folder, trained once from the ${DEFAULT_CHEMISTRY} LHS data on first use)`,
  },
  seed: { type: "string", arg: "N", description: "seed of every random draw", default: "0" },
  noise: {
    type: "string",
    arg: "SPEC",
    description: 'noise: "measured" (paper RSDs + drift), "none", R (relative std on the objective), "features:R"',
    default: "measured",
  },
  out: { type: "string", arg: "DIR", description: "folder for the JSON result and the SVG plot", default: "sim-results" },
  force: FORCE_OPTION,
};

const DEFAULT_CONDITION = "T=160,CuI=100,ZnI2=100,CsOA=40,ODE=250";

/**
 * The truth twin of a simulator command: --twin when given, else the campaign's default
 * (`defaultTwin` of the campaign's default chemistry: twins/chem3.json in the working
 * folder, trained once on first use, with progress), so `sdfl sim ...` and `sdfl campaign`
 * simulate the same reactor. Absolute path.
 */
async function simTwinFile(opts: ParsedOptions, io: CommandIO, cmd: string): Promise<string> {
  if (typeof opts.twin === "string") {
    const file = resolveTwinPath(opts.twin, io.env, io.cwd);
    if (!existsSync(file)) throw new UsageError(`sdfl ${cmd}: twin file not found: ${file}`, "pass --twin FILE or a published twin name such as chem1");
    return file;
  }
  const d = await defaultTwin(DEFAULT_CHEMISTRY, io.env, io.cwd, (l) => io.progress(l));
  io.progress(d.note ? `note: ${d.note}` : `sdfl ${cmd}: truth twin ${d.file} (the campaign's default; --twin to choose another)`);
  return d.file;
}

/** How titles name a twin: "chem1 (published)" for a shipped twin, else its path relative to the working folder when inside it. */
function twinLabel(file: string, io: CommandIO): string {
  const published = join(findDataRoot(io.env, io.cwd), "twins");
  if (dirname(file) === published) return `${basename(file, ".json")} (published)`;
  const rel = relative(io.cwd, file);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : basename(file);
}

/** A simulated lab on the command's twin; also returns the twin file it used. */
async function openLab(opts: ParsedOptions, io: CommandIO, cmd: string, mode: "physics" | "steady"): Promise<{ lab: SimulatedLab; twin: string }> {
  const seed = intOpt(opts, "seed", cmd, 0, 0, 2 ** 32 - 1);
  const noise = parseNoiseSpec(String(opts.noise ?? "measured"));
  const twin = await simTwinFile(opts, io, cmd);
  return { lab: await SimulatedLab.fromTwin(twin, { mode, noise, seed }), twin };
}

/** Before any work: <out>/<name>.json and .svg must not exist (unless --force), --spectra must be a new folder. */
function checkSimOutputs(io: CommandIO, opts: ParsedOptions, name: string): void {
  const dir = resolve(io.cwd, String(opts.out ?? "sim-results"));
  checkOutputFolder(dir, "--out", { force: forced(opts), files: [`${name}.json`, `${name}.svg`] });
  if (typeof opts.spectra === "string") checkOutputFolder(resolve(io.cwd, opts.spectra), "--spectra", { force: forced(opts) });
}

/** Write <out>/<name>.json and, when given, <out>/<name>.svg; print JSON or a summary. */
function emit(io: CommandIO, opts: ParsedOptions, name: string, result: object, svg: string | undefined, summary: string, twin?: string): void {
  const dir = resolve(io.cwd, String(opts.out ?? "sim-results"));
  assertFiniteResult(result, `${join(dir, name)}.json`);
  mkdirSync(dir, { recursive: true });
  // Every result names the twin it was simulated with.
  const json = JSON.stringify({ ...(twin ? { twin: twinLabel(twin, io), twinFile: twin } : {}), ...result }, null, 2);
  writeFileSync(join(dir, `${name}.json`), json + "\n");
  if (svg) writeFileSync(join(dir, `${name}.svg`), svg);
  if (opts.json) io.out(json + "\n");
  else io.out(`${summary}\nwrote ${join(dir, name)}.json${svg ? ` and ${name}.svg` : ""}\n`);
}

function sweepPanels(r: SweepResult, xLabel: string, marker: { x: number; label: string }, held: string): PlotPanel[] {
  const x = r.points.map((p) => p.x);
  return [
    {
      title: `PL area / Abs300 (${held})`,
      xLabel,
      yLabel: "PLA / Abs300 (counts nm)",
      vlines: [marker],
      series: [
        { name: "simulated", x, y: r.points.map((p) => p.plPerAbs), yErr: r.points.map((p) => p.plPerAbsStd), style: "points" },
        { name: "noise-free", x, y: r.points.map((p) => p.plPerAbsTrue) },
      ],
    },
    {
      title: `Abs300 (${held})`,
      xLabel,
      yLabel: "Abs300 (absorbance, a.u.)",
      vlines: [marker],
      series: [{ name: "Abs300", x, y: r.points.map((p) => p.abs300), yErr: r.points.map((p) => p.abs300Std) }],
    },
    {
      title: `PL area (${held})`,
      xLabel,
      yLabel: "PLA (counts nm)",
      vlines: [marker],
      series: [{ name: "PLA", x, y: r.points.map((p) => p.pla), yErr: r.points.map((p) => p.plaStd) }],
    },
  ];
}

const flowSweepCmd: Command = {
  path: ["sim", "flow-sweep"],
  summary: "PL/Abs300 against total flow at constant reaction time (paper Fig. 4A-B)",
  details:
    "The droplet chemistry is held at --condition; the heated volume scales with the flow so the reaction time stays --time. The plateau starts near the critical flow (576 uL/min).",
  options: {
    ...SIM_OPTIONS,
    condition: { type: "string", arg: "COND", description: "droplet chemistry", default: DEFAULT_CONDITION },
    time: { type: "string", arg: "S", description: "reaction time held constant, s", default: "50" },
    replicates: { type: "string", arg: "N", description: "noisy replicates per flow", default: "5" },
  },
  async run(opts, io) {
    checkSimOutputs(io, opts, "flow-sweep");
    const { lab, twin } = await openLab(opts, io, "sim flow-sweep", "steady");
    io.progress(`sim flow-sweep: total flows at reaction time ${String(opts.time)} s, ${String(opts.replicates)} noisy replicates each`);
    const r = flowSweep(lab, {
      reference: parseCondition(String(opts.condition)),
      reactionTime_s: numberOpt(opts, "time", "sim flow-sweep", 50, 1, 600),
      replicates: intOpt(opts, "replicates", "sim flow-sweep", 5, 1, 1000),
      seed: intOpt(opts, "seed", "sim flow-sweep", 0),
    });
    const crit = lab.params.regimes.criticalTotalFlow_uL_min;
    emit(
      io,
      opts,
      "flow-sweep",
      r,
      await panelsSvg(
        `Flow sweep at reaction time ${numberOpt(opts, "time", "sim flow-sweep", 50, 1, 600)} s, twin ${twinLabel(twin, io)}`,
        sweepPanels(
          r,
          "total flow (uL/min)",
          { x: crit, label: `critical ${crit} uL/min` },
          `reaction time ${numberOpt(opts, "time", "sim flow-sweep", 50, 1, 600)} s`,
        ),
      ),
      `flow sweep: PL/Abs300 plateau starts at ${r.plateauStart} uL/min (critical flow ${crit} uL/min)`,
      twin,
    );
    return 0;
  },
};

const timeSweepCmd: Command = {
  path: ["sim", "time-sweep"],
  summary: "Optical features against reaction time at 720 uL/min (paper Fig. 4C-D)",
  options: {
    ...SIM_OPTIONS,
    condition: { type: "string", arg: "COND", description: "droplet chemistry", default: DEFAULT_CONDITION },
    flow: { type: "string", arg: "Q", description: "total flow held constant, uL/min", default: "720" },
    replicates: { type: "string", arg: "N", description: "noisy replicates per time", default: "5" },
  },
  async run(opts, io) {
    checkSimOutputs(io, opts, "time-sweep");
    const { lab, twin } = await openLab(opts, io, "sim time-sweep", "steady");
    io.progress(`sim time-sweep: reaction times at total flow ${String(opts.flow)} uL/min, ${String(opts.replicates)} noisy replicates each`);
    const r = timeSweep(lab, {
      reference: parseCondition(String(opts.condition)),
      totalFlow_uL_min: numberOpt(opts, "flow", "sim time-sweep", 720, 1, 5000),
      replicates: intOpt(opts, "replicates", "sim time-sweep", 5, 1, 1000),
      seed: intOpt(opts, "seed", "sim time-sweep", 0),
    });
    const t = lab.params.regimes.completionTime_s;
    emit(
      io,
      opts,
      "time-sweep",
      r,
      await panelsSvg(
        `Reaction-time sweep at total flow ${numberOpt(opts, "flow", "sim time-sweep", 720, 1, 5000)} uL/min, twin ${twinLabel(twin, io)}`,
        sweepPanels(
          r,
          "reaction time (s)",
          { x: t, label: `completion ${t} s` },
          `total flow ${numberOpt(opts, "flow", "sim time-sweep", 720, 1, 5000)} uL/min`,
        ),
      ),
      `time sweep: PL area reaches 99 % of its plateau at ${r.plateauStart} s`,
      twin,
    );
    return 0;
  },
};

const stabilityCmd: Command = {
  path: ["sim", "stability"],
  summary: "Features over 30 simulated minutes at one condition (paper Fig. 3A)",
  options: {
    ...SIM_OPTIONS,
    condition: { type: "string", arg: "COND", description: "condition", default: DEFAULT_CONDITION },
    minutes: { type: "string", arg: "MIN", description: "lab time to record", default: "30" },
    interval: { type: "string", arg: "S", description: "seconds between acquisitions", default: "20" },
  },
  async run(opts, io) {
    checkSimOutputs(io, opts, "stability");
    const { lab, twin } = await openLab(opts, io, "sim stability", "physics");
    io.progress(
      `sim stability: ${String(opts.minutes)} simulated minutes of pumps, heater and spectrometers, one acquisition every ${String(opts.interval)} s`,
    );
    const r = await stability(lab, parseCondition(String(opts.condition)), {
      duration_s: 60 * numberOpt(opts, "minutes", "sim stability", 30, 1, 24 * 60),
      interval_s: numberOpt(opts, "interval", "sim stability", 20, 16, 3600),
    });
    await lab.close();
    const x = r.samples.map((s) => s.t_s / 60);
    const mark = { x: (2 * r.tau_s) / 60, label: "2 tau" };
    const pct = (v: number): string => (100 * v).toFixed(1) + " %";
    const rsd = (v: number, paper: string) => `RSD after 2 tau ${pct(v)} (paper ${paper})`;
    // One quantity per axis, each with its unit and its RSD on the figure.
    const panels: PlotPanel[] = [
      {
        title: `Abs300: ${rsd(r.rsdAfter2Tau.abs300, "3.1 %")}`,
        xLabel: "time since flows started (min)",
        yLabel: "Abs300 (absorbance, a.u.)",
        vlines: [mark],
        series: [{ name: "Abs300", x, y: r.samples.map((s) => s.abs300) }],
      },
      {
        title: `PL area: ${rsd(r.rsdAfter2Tau.pla, "4.2 %")}`,
        xLabel: "time since flows started (min)",
        yLabel: "PLA (counts nm)",
        vlines: [mark],
        series: [{ name: "PL area", x, y: r.samples.map((s) => s.pla) }],
      },
      {
        title: `PL peak at 446 nm: ${rsd(r.rsdAfter2Tau.peak446, "5.2 %")}`,
        xLabel: "time since flows started (min)",
        yLabel: "PL peak (counts)",
        vlines: [mark],
        series: [{ name: "peak 446", x, y: r.samples.map((s) => s.peak446) }],
      },
    ];
    emit(
      io,
      opts,
      "stability",
      r,
      await panelsSvg(`Stability at one condition, twin ${twinLabel(twin, io)}`, panels),
      `stability after 2 tau (${r.rsdAfter2Tau.samples} samples): RSD Abs300 ${pct(r.rsdAfter2Tau.abs300)} (paper 3.1 %), PL peak ${pct(r.rsdAfter2Tau.peak446)} (5.2 %), PL area ${pct(r.rsdAfter2Tau.pla)} (4.2 %)`,
      twin,
    );
    return 0;
  },
};

const crossCmd: Command = {
  path: ["sim", "cross-contamination"],
  summary: "A reference condition repeated between random ones (paper Fig. 3B)",
  options: {
    ...SIM_OPTIONS,
    condition: { type: "string", arg: "COND", description: "reference condition", default: DEFAULT_CONDITION },
    random: { type: "string", arg: "N", description: "random conditions between the references", default: "6" },
  },
  async run(opts, io) {
    checkSimOutputs(io, opts, "cross-contamination");
    const { lab, twin } = await openLab(opts, io, "sim cross-contamination", "physics");
    io.progress(`sim cross-contamination: the reference condition between ${String(opts.random)} random ones, simulated devices`);
    const r = await crossContamination(lab, parseCondition(String(opts.condition)), {
      randomConditions: intOpt(opts, "random", "sim cross-contamination", 6, 1, 200),
      seed: intOpt(opts, "seed", "sim cross-contamination", 0),
    });
    await lab.close();
    const ref = r.runs.map((u, i) => [i + 1, u] as const).filter(([, u]) => u.isReference);
    const rnd = r.runs.map((u, i) => [i + 1, u] as const).filter(([, u]) => !u.isReference);
    const pct = (v: number): string => (100 * v).toFixed(1) + " %";
    const panel = (title: string, unit: string, get: (m: (typeof r.runs)[number]["measurement"]) => number, rsd?: { v: number; paper: string }): PlotPanel => {
      const refs = ref.map(([, u]) => get(u.measurement));
      const mean = refs.reduce((a, b) => a + b, 0) / refs.length;
      const sd = Math.sqrt(refs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, refs.length - 1));
      return {
        title: rsd ? `${title}: reference RSD ${pct(rsd.v)} (paper ${rsd.paper})` : `${title}: reference RSD ${pct(sd / mean)}`,
        xLabel: "experiment number",
        yLabel: `${title} (${unit})`,
        hband: { y0: mean - sd, y1: mean + sd, label: "reference mean +- 1 SD" },
        series: [
          { name: "reference", x: ref.map(([i]) => i), y: ref.map(([, u]) => get(u.measurement)), style: "points" },
          { name: "random", x: rnd.map(([i]) => i), y: rnd.map(([, u]) => get(u.measurement)), style: "points" },
        ],
      };
    };
    emit(
      io,
      opts,
      "cross-contamination",
      r,
      await panelsSvg(`Cross-contamination: reference between random conditions, twin ${twinLabel(twin, io)}`, [
        panel("Abs300", "absorbance, a.u.", (m) => m.outcomes.abs300, { v: r.rsdReference.abs300, paper: "3.7 %" }),
        panel("PL area", "counts nm", (m) => m.outcomes.pla, { v: r.rsdReference.pla, paper: "3.4 %" }),
        panel("PLQY proxy", "PLA / Abs300, relative", (m) => m.objective),
      ]),
      `reference repeated ${r.rsdReference.samples} times: RSD Abs300 ${pct(r.rsdReference.abs300)} (paper 3.7 %), PL peak ${pct(r.rsdReference.peak446)} (4.2 %), PL area ${pct(r.rsdReference.pla)} (3.4 %)`,
      twin,
    );
    return 0;
  },
};

const runCmd: Command = {
  path: ["sim", "run"],
  summary: "One simulated experiment at a condition (optionally writing raw spectra files)",
  details:
    "Physics mode: virtual pumps, heater and spectrometers on a virtual clock, raw spectra through the original pipeline. --spectra DIR writes the original folder protocol (Abs1.csv, PL1.csv, Wavelength_*, DR_*, LR.csv, FR.csv).",
  options: {
    ...SIM_OPTIONS,
    condition: { type: "string", arg: "COND", description: `condition, e.g. ${DEFAULT_CONDITION}` },
    spectra: { type: "string", arg: "DIR", description: "write the raw spectra in the original folder protocol" },
    mode: { type: "string", arg: "MODE", description: "physics or steady", default: "physics" },
  },
  async run(opts, io) {
    checkSimOutputs(io, opts, "run");
    if (typeof opts.condition !== "string") throw new UsageError("sdfl sim run: --condition is required", `e.g. --condition ${DEFAULT_CONDITION}`);
    const condition = parseCondition(opts.condition);
    const mode = String(opts.mode);
    if (mode !== "physics" && mode !== "steady") throw new UsageError(`sdfl sim run: --mode must be physics or steady, got "${mode}"`);
    if (opts.spectra && mode !== "physics") throw new UsageError("sdfl sim run: --spectra needs --mode physics");
    const { lab, twin } = await openLab(opts, io, "sim run", mode);
    const truth = lab.trueFeatures([condition]);
    let svg: string | undefined;
    let m;
    if (mode === "physics") {
      const r = await lab.runWithSpectra(condition);
      m = r.measurement;
      if (opts.spectra)
        writeSpectraFolder(resolve(io.cwd, String(opts.spectra)), r.refs, [{ index: 1, abs: r.abs, pl: r.pl, condition, pfo_uL_min: m.setPoints!.PFO }]);
      const a = processAbsorbance(r.abs, r.refs.abs);
      const p = processPhotoluminescence(r.pl, r.refs.pl);
      const grid = Array.from(r.abs.wavelengths_nm);
      svg = await panelsSvg(`Processed spectra, twin ${twinLabel(twin, io)}`, [
        {
          title: "Absorbance",
          xLabel: "wavelength (nm)",
          yLabel: "absorbance (a.u.)",
          yFit: "data",
          series: [{ name: "absorbance", x: grid, y: Array.from(a.absorbance) }],
          vlines: [{ x: 300, label: "300 nm" }],
        },
        {
          title: "Photoluminescence",
          xLabel: "wavelength (nm)",
          yLabel: "PL (counts, dark-corrected)",
          yFit: "data",
          series: [{ name: "PL", x: Array.from(r.pl.wavelengths_nm), y: Array.from(p.spectrum) }],
          vlines: [{ x: 446, label: "446 nm" }],
        },
      ]);
    } else {
      m = await lab.run(condition);
    }
    await lab.close();
    const result = {
      measurement: m,
      truth: { abs300: truth.abs300[0], pla: truth.pla[0], peak446: truth.peak446[0], plqy: truth.plqy[0] },
      spectra: opts.spectra ?? null,
    };
    emit(
      io,
      opts,
      "run",
      result,
      svg,
      `Abs300 ${m.outcomes.abs300.toFixed(4)}  PLA ${m.outcomes.pla.toFixed(0)}  PLQY ${m.objective.toFixed(4)} (noise-free ${truth.plqy[0].toFixed(4)})${opts.spectra ? `\nspectra in ${opts.spectra}` : ""}`,
      twin,
    );
    return 0;
  },
};

const processCmd: Command = {
  path: ["sim", "process"],
  summary: "Process a spectra folder (original protocol) into Abs300, PL area, PL peak and PLQY",
  args: "DIR",
  details: "DIR holds the original folder protocol (Abs<i>.csv, PL<i>.csv, Wavelength_*, DR_*, LR.csv, FR.csv), as `sdfl sim run --spectra DIR` writes it.",
  options: {
    out: { type: "string", arg: "DIR", description: "folder for process.json (the features of every experiment)", default: "sim-results" },
    force: FORCE_OPTION,
  },
  async run(opts, io, positionals) {
    checkSimOutputs(io, opts, "process");
    const dir = positionals[0];
    if (!dir) throw new UsageError("sdfl sim process: give the spectra folder", "sdfl sim process DIR");
    const folder = readSpectraFolder(resolve(io.cwd, dir));
    const rows = folder.experiments.map((e, i) => {
      const a = e.abs ? processAbsorbance(e.abs, folder.absRefs, `${dir}/Abs${e.index}.csv`).abs300 : null;
      const p = e.pl ? processPhotoluminescence(e.pl, folder.plRefs, `${dir}/PL${e.index}.csv`) : undefined;
      return {
        index: e.index,
        condition: folder.conditions[i]?.condition ?? null,
        abs300: a,
        // A missing spectrum file is reported as null (not measured), never as NaN.
        pla: p?.pla ?? null,
        peak446: p?.peak446 ?? null,
        plqy: p && a !== null ? plqyProxy(a, p.pla) : null,
      };
    });
    emit(
      io,
      opts,
      "process",
      { folder: dir, experiments: rows },
      undefined,
      rows.map((r) => `${r.index}: Abs300 ${fixed(r.abs300, 4)}  PLA ${fixed(r.pla, 0)}  peak ${fixed(r.peak446, 0)}  PLQY ${fixed(r.plqy, 4)}`).join("\n"),
    );
    return 0;
  },
};

/** The `sdfl sim` subcommands. */
export const simCommands: Command[] = [runCmd, flowSweepCmd, timeSweepCmd, stabilityCmd, crossCmd, processCmd];

/** A number to `digits` decimals, or "missing" for null (a spectrum file not in the folder). */
function fixed(v: number | null, digits: number): string {
  return v === null ? "missing" : v.toFixed(digits);
}
