/**
 * Chaos test of device-mode campaigns: runs `sdfl campaign --lab hil` against the
 * emulated rig (five Chemyx pump emulators on socat pseudo-terminals, the F4T emulator on
 * Modbus TCP, a simulator-fed file-drop spectrometer), kills it at random moments
 * (SIGKILL like a power cut, or SIGTERM like an operator), resumes it each time, and
 * checks at the end that no experiment was lost or repeated and that every device was
 * left safe (at once after each SIGTERM that came after the run had connected to the
 * devices; after each SIGKILL, before the resumed run sent any set point).
 *
 *     node dist/benchmarks/hil-chaos.js [--quick] [--kills N] [--seed S]
 *
 * Prints one JSON object and writes benchmarks/results/hil-chaos.json (hil-chaos.quick.json).
 * Needs socat (Debian package).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Rng } from "../src/core/rng.js";
import { CampaignStore } from "../src/store/campaignStore.js";
import { startRig } from "../test/hil/emulators/rig.js";

const quick = process.argv.includes("--quick");
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const kills = arg("--kills", quick ? 3 : 20);
const seed = arg("--seed", 1);
const init = quick ? 2 : 3;
const budget = quick ? 2 : 8;
const ROOT = resolve(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "sdfl.js");
const rng = new Rng(seed);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Syringes large enough for every restart's worst-case reservation: this benchmark is about crashes, not refills.
const rig = await startRig(mkdtempSync(join(tmpdir(), "sdfl-chaos-")), {
  timeScale: 200,
  configure: (c) => Object.values(c.pumps).forEach((p) => (p.syringeVolume_uL = 1_000_000)),
});
const store = join(rig.dir, "chaos.sqlite");
const campaignStatus = (): "none" | "running" | "finished" => {
  if (!existsSync(store)) return "none";
  const s = CampaignStore.open(store);
  try {
    const c = s.campaigns();
    return c.length === 0 ? "none" : c[0].status === "finished" ? "finished" : "running";
  } finally {
    s.close();
  }
};
/** How many times a run has connected to the rig so far (from the device log). */
const connections = (): number => {
  if (campaignStatus() === "none") return 0;
  const s = CampaignStore.open(store);
  try {
    return s
      .deviceLog(1)
      .entries("event")
      .filter((e) => e.message.startsWith("connected;")).length;
  } finally {
    s.close();
  }
};
const safeNow = (): boolean => Object.values(rig.pumps).every((p) => !p.running) && rig.heater.setPoint() === rig.config.heater.safeSetPoint_degC;

interface Run {
  kind: "SIGKILL" | "SIGTERM" | "finished";
  seconds: number;
  exit: number | null;
  safeAfter?: boolean;
  /** Whether this run had connected to the devices before it was killed (only then can it make them safe). */
  connected?: boolean;
}
const runs: Run[] = [];
const t0 = Date.now();
let killed = 0;
let finished = false;
let safeAtEnd = false;
try {
  while (!finished) {
    // A kill before the campaign row was written leaves nothing to resume: start afresh.
    // A kill after the campaign finished (during its report) leaves nothing to do.
    const status = campaignStatus();
    if (status === "finished") {
      const last = runs[runs.length - 1];
      last.safeAfter = safeNow();
      finished = true;
      process.stderr.write(`the campaign had finished before that kill${last.safeAfter ? " (devices safe)" : " (DEVICES NOT SAFE)"}\n`);
      break;
    }
    const first = status === "none";
    const args = first
      ? [
          "campaign",
          "--lab",
          "hil",
          "--config",
          rig.configFile,
          "--init",
          `lhs:${init}`,
          "--budget",
          String(budget),
          "--strategy",
          "random",
          "--seed",
          "5",
          "--store",
          store,
          "--quiet",
        ]
      : ["campaign", "--resume", "--store", store, "--quiet"];
    const start = Date.now();
    const connectedBefore = connections();
    const child = spawn(process.execPath, [BIN, ...args], { cwd: rig.dir, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    let kind: Run["kind"] = "finished";
    if (killed < kills) {
      // A random moment: from process start-up to well inside an experiment.
      const delay = 2000 + rng.uniform() * 6000;
      const t = await Promise.race([sleep(delay).then(() => "timer"), exited.then(() => "exit")]);
      if (t === "timer") {
        kind = rng.uniform() < 0.7 ? "SIGKILL" : "SIGTERM";
        child.kill(kind);
        killed++;
      }
    }
    const exit = await exited;
    const run: Run = { kind, seconds: (Date.now() - start) / 1000, exit };
    if (kind === "SIGTERM") {
      run.safeAfter = safeNow();
      run.connected = connections() > connectedBefore;
    }
    if (kind === "finished") {
      if (exit !== 0) throw new Error(`campaign exited ${exit}: ${stderr.slice(-500)}`);
      run.safeAfter = safeNow();
      finished = true;
    }
    runs.push(run);
    process.stderr.write(
      `run ${runs.length}: ${kind} after ${run.seconds.toFixed(1)} s${run.safeAfter === undefined ? "" : run.safeAfter ? " (devices safe)" : " (DEVICES NOT SAFE)"}\n`,
    );
  }
  safeAtEnd = safeNow();
} finally {
  await rig.close();
}

const s = CampaignStore.open(store);
const experiments = s.experiments(1);
const log = s.deviceLog(1).entries();
s.close();
const expected = init + budget;
const done = experiments.filter((e) => e.status === "done");
const indices = done.map((e) => e.index).sort((a, b) => a - b);
const lost = expected - new Set(indices).size;
const repeatedIndices = indices.length - new Set(indices).size;
// Every restart must stop the pumps before the first plan step of the resumed run.
const starts = log.flatMap((e, i) => (e.message.startsWith("connected; stopping every pump") ? [i] : []));
const pumpCount = Object.keys(rig.config.pumps).length;
const unsafeRestarts = starts.filter((i) => {
  const rest = log.slice(i + 1);
  const firstStep = rest.findIndex((e) => e.kind === "step");
  const before = firstStep < 0 ? rest : rest.slice(0, firstStep);
  const stopped = new Set(before.filter((e) => e.kind === "command" && /(^|\s)stop$/.test(e.message)).map((e) => e.device));
  return firstStep >= 0 && stopped.size < pumpCount;
}).length;
// Experiments the lab measured to the end (dispensed volumes read) vs recorded: a kill in
// the short window between the measurement and the store write re-measures that one.
const measuredByLab = log.filter((e) => e.kind === "syringe" && e.message === "dispensed volumes after the experiment").length;
const result = {
  quick,
  seed,
  kills: killed,
  sigkill: runs.filter((r) => r.kind === "SIGKILL").length,
  sigterm: runs.filter((r) => r.kind === "SIGTERM").length,
  resumes: runs.length - 1,
  experimentsExpected: expected,
  experimentsDone: done.length,
  lost,
  repeatedIndices,
  labMeasurements: measuredByLab,
  labExperimentsRunTwice: measuredByLab - done.length,
  sigtermAfterConnect: runs.filter((r) => r.kind === "SIGTERM" && r.connected).length,
  safeAfterSigterm: runs.filter((r) => r.kind === "SIGTERM" && r.connected && r.safeAfter).length,
  safeAtEnd,
  restarts: starts.length,
  restartsWithoutSafeStart: unsafeRestarts,
  deviceLogEntries: log.length,
  wall_s: (Date.now() - t0) / 1000,
  runs,
};
console.log(JSON.stringify(result, null, 1));
const dir = join(process.cwd(), "benchmarks", "results");
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, quick ? "hil-chaos.quick.json" : "hil-chaos.json"), JSON.stringify(result, null, 2) + "\n");
const ok = lost === 0 && repeatedIndices === 0 && result.safeAtEnd && result.safeAfterSigterm === result.sigtermAfterConnect && unsafeRestarts === 0;
if (!ok) {
  console.error("chaos check FAILED: see lost, repeatedIndices, safeAfterSigterm, safeAtEnd, restartsWithoutSafeStart");
  process.exitCode = 1;
}
