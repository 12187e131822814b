import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, copyFileSync, openSync, writeSync, closeSync, statSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { CampaignStore } from "../../src/store/campaignStore.js";
import { findDataRoot } from "../../src/twin/dataPaths.js";
import { captureIO } from "../report/fixtures.js";

// Issue 13: no wrong answer with exit 0, no silently lost result, the culprit named.
const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin", "sdfl.js");
const chem1 = join(findDataRoot(), "twins/chem1.json");
const fast = ["--lab", "branin-reactor5d", "--init", "lhs:4", "--strategy", "random", "--quiet"];

async function sdfl(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIO();
  io.cwd = cwd;
  const code = await main(args, io);
  expect(io.stderr).not.toMatch(/internal error|\n\s+at .*:\d+:\d+/);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

function strategyModule(dir: string, name: string, ask: string): string {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, `export default function create() {\n  return { name: "${name}", async ask() { ${ask} }, async tell() {} };\n}\n`);
  return file;
}
const GOOD_ASK = "return [{ condition: { T: 150, CuI: 100, ZnI2: 100, CsOA: 50, ODE: 250 } }];";

describe("outputs are checked before any work and never replaced unasked", () => {
  it("twin predict: --out equal to --input, an existing --out, a folder as --out; --force replaces", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sdfl-out-"));
    const input = join(dir, "in.csv");
    writeFileSync(input, "T,CuI,ZnI2,CsOA,ODE\n150,100,100,50,250\n");
    const same = await sdfl(["twin", "predict", "--twin", chem1, "--input", input, "--out", input], dir);
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/also an input of this command/);
    expect(readFileSync(input, "utf8")).toMatch(/^T,CuI/);
    const out = join(dir, "p.csv");
    expect((await sdfl(["twin", "predict", "--twin", chem1, "--input", input, "--out", out], dir)).code).toBe(0);
    const again = await sdfl(["twin", "predict", "--twin", chem1, "--input", input, "--out", out], dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists.*\n.*--force/);
    expect((await sdfl(["twin", "predict", "--twin", chem1, "--input", input, "--out", out, "--force"], dir)).code).toBe(0);
    expect((await sdfl(["twin", "predict", "--twin", chem1, "--input", input, "--out", dir], dir)).stderr).toMatch(/is a folder; a file name is needed/);
    const underFile = await sdfl(["twin", "predict", "--twin", chem1, "--input", input, "--out", join(input, "x.csv")], dir);
    expect(underFile.stderr).toMatch(/is a file, not a folder/);
  });

  it("bench --out that is a file, and campaign export into the campaign's own data folder, are refused before any run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sdfl-out-"));
    const file = join(dir, "taken");
    writeFileSync(file, "x");
    const t0 = Date.now();
    const b = await sdfl(["bench", "--oracle", "branin", "--quick", "--out", file], dir);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/is a file; a folder is needed/);
    expect(Date.now() - t0).toBeLessThan(5000);
    // A campaign started from a copy of a data set; export into that folder would replace its inputs.
    const data = join(dir, "data");
    mkdirSync(data);
    for (const f of ["inputs.csv", "outputs.csv"]) copyFileSync(join(findDataRoot(), "lhs/chem1", f), join(data, f));
    const store = join(dir, "c.sqlite");
    // A campaign whose initial data came from that folder (as `--init published --data DIR` records it).
    const st = CampaignStore.open(store, { create: true });
    st.createCampaign({ lab: "sim:chem1", strategy: "random", dataSource: data, seed: 1, settings: { data } });
    st.close();
    const before = readFileSync(join(data, "inputs.csv"), "utf8");
    const e = await sdfl(["campaign", "export", "--store", store, "--out", data, "--force"], dir);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/also an input/);
    expect(readFileSync(join(data, "inputs.csv"), "utf8")).toBe(before);
  });
});

describe("damaged twins never give an answer", () => {
  it("a weight given as the string NaN is refused by predict, evaluate and sim run, naming file, member, layer and index", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sdfl-twin-"));
    const j = JSON.parse(readFileSync(chem1, "utf8"));
    j.members[4].hidden[2].weight[1][0] = "NaN";
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify(j));
    const input = join(dir, "in.csv");
    writeFileSync(input, "T,CuI,ZnI2,CsOA,ODE\n150,100,100,50,250\n");
    const cases = [
      ["twin", "predict", "--twin", bad, "--input", input, "--out", join(dir, "p.csv")],
      ["twin", "evaluate", "--twin", bad, "--data", "chem1"],
      ["sim", "run", "--twin", bad, "--condition", "T=150,CuI=100,ZnI2=100,CsOA=50,ODE=250", "--mode", "steady", "--out", join(dir, "sim")],
    ];
    for (const args of cases) {
      const r = await sdfl(args, dir);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr).toContain(`${bad}: member 4: hidden layer 3: weight[1][0] = "NaN" (a string)`);
    }
    expect(existsSync(join(dir, "p.csv"))).toBe(false);
    expect(existsSync(join(dir, "sim"))).toBe(false);
  });
});

describe("campaigns: user strategy faults, resume safety, lock, store errors", () => {
  it("ask() returning NaN fails the campaign with the module named; resume after the fix finishes it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sdfl-strat-"));
    const store = join(dir, "c.sqlite");
    const mod = strategyModule(dir, "mine", "return [{ condition: { T: 150, CuI: 100, ZnI2: 100, CsOA: NaN, ODE: 250 } }];");
    const r = await sdfl(["campaign", ...fast, "--budget", "2", "--strategy-module", mod, "--store", store], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`your strategy module ${mod}: ask() returned NaN for CsOA`);
    let s = CampaignStore.open(store, { readonly: true });
    expect(s.campaign(1).status).toBe("failed");
    expect(s.note(1, "failure")).toMatch(/returned NaN for CsOA/);
    expect(s.experiments(1).filter((e) => e.phase !== "init")).toHaveLength(0); // nothing of the bad proposal reached the store
    s.close();
    // Each attempt loads the module from a new file (an ES module is loaded once per path in a process);
    // after a fault of the module, resuming with a changed module is accepted.
    const attempts: [string, RegExp][] = [
      [
        'return [{ condition: { T: "150", CuI: 100, ZnI2: 100, CsOA: 50, ODE: 250 } }];',
        /ask\(\) returned T = "150" \(a string\); it must be a number in degC/,
      ],
      ["return [{ condition: { T: 150, CuI: 100, ZnI2: 100, ODE: 250 } }];", /a condition without CsOA/],
      ["return [{ condition: { T: 190, CuI: 100, ZnI2: 100, CsOA: 50, ODE: 250 } }];", /T = 190 degC, outside its bounds 120 to 180 degC/],
      ['throw new Error("oops");', /ask\(\) failed: oops/],
    ];
    for (const [k, [ask, msg]] of attempts.entries()) {
      const m = strategyModule(dir, `mine${k}`, ask);
      const again = await sdfl(["campaign", "--resume", "--store", store, "--strategy-module", m], dir);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(msg);
      expect(again.stderr).toContain(`your strategy module ${m}`);
    }
    const fix = strategyModule(dir, "fixed", GOOD_ASK);
    const fixed = await sdfl(["campaign", "--resume", "--store", store, "--strategy-module", fix], dir);
    expect(fixed.code).toBe(0);
    s = CampaignStore.open(store, { readonly: true });
    expect(s.campaign(1).status).toBe("finished");
    s.close();
  });

  it("an ask() that never answers stops at --ask-timeout with exit 1 (child process: no silent exit 0)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sdfl-hang-"));
    const mod = strategyModule(dir, "hang", "return new Promise(() => {});");
    const r = await new Promise<{ code: number | null; err: string }>((res) => {
      const c = spawn(process.execPath, [
        BIN,
        "campaign",
        ...fast,
        "--budget",
        "1",
        "--strategy-module",
        mod,
        "--store",
        join(dir, "c.sqlite"),
        "--ask-timeout",
        "0.5",
      ]);
      let err = "";
      c.stderr.on("data", (d) => (err += d));
      c.on("close", (code) => res({ code, err }));
    });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/your strategy module .*hang\.mjs: ask\(\) did not answer within 0\.5 s/);
  });

  it("resume refuses a changed truth twin, changed flags and --campaign without --resume; --budget is honoured", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sdfl-resume-"));
    const store = join(dir, "c.sqlite");
    const twin = join(dir, "truth.json");
    copyFileSync(chem1, twin);
    const start = ["campaign", "--twin", twin, "--sim-mode", "steady", "--init", "lhs:4", "--budget", "3", "--strategy", "random", "--store", store, "--quiet"];
    expect((await sdfl(start, dir)).code).toBe(0);
    expect((await sdfl(["campaign", "--campaign", "1", "--store", store], dir)).stderr).toMatch(/--campaign 1 needs --resume/);
    // Make the finished campaign resumable again (as a failure would), then replace its truth twin by a different one.
    const st = CampaignStore.open(store);
    st.failCampaign(1, "test: stopped");
    st.close();
    const j = JSON.parse(readFileSync(twin, "utf8"));
    j.members[0].output.bias[0] += 0.01;
    writeFileSync(twin, JSON.stringify(j));
    const changed = await sdfl(["campaign", "--resume", "--store", store, "--budget", "4"], dir);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(
      /truth twin .*truth\.json is not the one campaign 1 started with \(sha256 [0-9a-f]{12}\.\.\. then, [0-9a-f]{12}\.\.\. now\)/,
    );
    const seed = await sdfl(["campaign", "--resume", "--store", store, "--seed", "7"], dir);
    expect(seed.code).toBe(2);
    expect(seed.stderr).toMatch(/--seed cannot change when resuming: campaign 1 runs with seed = 1/);
    const forced = await sdfl(["campaign", "--resume", "--store", store, "--budget", "4", "--force"], dir);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toMatch(/budget of campaign 1 changed from 3 to 4/);
    const f = CampaignStore.open(store, { readonly: true });
    expect(f.experiments(1).filter((e) => e.phase !== "init" && e.status === "done")).toHaveLength(4);
    f.close();
  }, 120_000);

  it("a campaign run by another live process is locked: the second runner is told pid, host and since", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sdfl-lock-"));
    const store = join(dir, "c.sqlite");
    expect((await sdfl(["campaign", ...fast, "--budget", "1", "--store", store], dir)).code).toBe(0);
    const holder = spawn("sleep", ["30"]);
    try {
      const s = CampaignStore.open(store);
      s.failCampaign(1, "test");
      s.setNote(1, "lock", JSON.stringify({ pid: holder.pid, host: hostname(), since: "2026-01-01T00:00:00.000Z" }));
      s.close();
      const r = await sdfl(["campaign", "--resume", "--store", store, "--budget", "2", "--out", join(dir, "o1")], dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`campaign 1 in ${store} is being run by process ${holder.pid} on ${hostname()} since 2026-01-01T00:00:00.000Z`);
    } finally {
      holder.kill();
    }
    await new Promise((r) => holder.on("exit", r));
    const taken = await sdfl(["campaign", "--resume", "--store", store, "--budget", "2", "--out", join(dir, "o2")], dir);
    expect(taken.code).toBe(0);
    expect(taken.stderr).toMatch(/which is gone; taking it over/);
  });

  it("store errors name path and cause; export never creates a store; an invalid flag leaves no store; a corrupt store gets nothing written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sdfl-store-"));
    const missing = join(dir, "nope", "c.sqlite");
    const r1 = await sdfl(["campaign", ...fast, "--budget", "1", "--store", missing], dir);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toContain(`${missing}: cannot create the campaign store: the folder ${join(dir, "nope")} does not exist`);
    const empty = join(dir, "empty.sqlite");
    writeFileSync(empty, "");
    const r2 = await sdfl(["campaign", "export", "--store", empty, "--out", join(dir, "e")], dir);
    expect(r2.stderr).toMatch(/an empty file, not a campaign store/);
    expect(statSync(empty).size).toBe(0);
    const r3 = await sdfl(["campaign", "export", "--store", join(dir, "x.sqlite"), "--out", join(dir, "e")], dir);
    expect(r3.stderr).toMatch(/campaign store not found/);
    expect(existsSync(join(dir, "x.sqlite"))).toBe(false);
    const r4 = await sdfl(["campaign", "--noise", "5", "--store", join(dir, "n.sqlite")], dir);
    expect(r4.code).toBe(2);
    expect(existsSync(join(dir, "n.sqlite"))).toBe(false);
    // Corrupt pages in a real store: refused by the integrity check, no new campaign written.
    const store = join(dir, "c.sqlite");
    expect((await sdfl(["campaign", ...fast, "--budget", "1", "--store", store], dir)).code).toBe(0);
    const size = statSync(store).size;
    expect(existsSync(`${store}-wal`) && statSync(`${store}-wal`).size > 0).toBe(false); // checkpointed at close: the pages are in the file
    const fd = openSync(store, "r+");
    writeSync(fd, Buffer.alloc(size - 4096, 0x5a), 0, size - 4096, 4096); // every page but the first (the schema) overwritten
    closeSync(fd);
    const r5 = await sdfl(["campaign", ...fast, "--budget", "1", "--store", store, "--out", join(dir, "o5")], dir);
    expect(r5.code).toBe(1);
    expect(r5.stderr).toContain(`${store}: the campaign store is corrupt`);
  });
});

describe("training and CSV checks", () => {
  it("too few rows name the minimum; duplicate columns are an error; ragged and duplicate rows are warned with lines", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sdfl-train-"));
    const src = join(findDataRoot(), "lhs/chem1");
    const inLines = readFileSync(join(src, "inputs.csv"), "utf8").trim().split("\n");
    const outLines = readFileSync(join(src, "outputs.csv"), "utf8").trim().split("\n");
    const small = join(dir, "small");
    mkdirSync(small);
    writeFileSync(join(small, "inputs.csv"), inLines.slice(0, 4).join("\n") + "\n");
    writeFileSync(join(small, "outputs.csv"), outLines.slice(0, 4).join("\n") + "\n");
    const r = await sdfl(["twin", "train", "--data", small, "--out", join(dir, "t.json"), "--members", "2"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/3 data rows; training needs at least 10/);
    expect(existsSync(join(dir, "t.json"))).toBe(false);
    const dup = join(dir, "dup");
    mkdirSync(dup);
    writeFileSync(join(dup, "inputs.csv"), inLines[0].replace("PFO", "T") + "\n" + inLines.slice(1).join("\n") + "\n");
    writeFileSync(join(dup, "outputs.csv"), outLines.join("\n") + "\n");
    const d = await sdfl(["twin", "evaluate", "--twin", chem1, "--data", dup], dir);
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/inputs\.csv:1:\d+ \(column "T"\): column name "T" appears twice \(columns 1 and 6\)/);
    const warn = join(dir, "warn");
    mkdirSync(warn);
    writeFileSync(join(warn, "inputs.csv"), [...inLines, inLines[3], inLines[5] + ",extra"].join("\n") + "\n");
    writeFileSync(join(warn, "outputs.csv"), [...outLines, outLines[3], outLines[5]].join("\n") + "\n");
    const w = await sdfl(["twin", "evaluate", "--twin", chem1, "--data", warn], dir);
    expect(w.code).toBe(0);
    expect(w.stderr).toMatch(/inputs\.csv:63: 9 cells, but the header has 8 columns/);
    expect(w.stderr).toMatch(/inputs\.csv:62: the same condition as line 4 with the same results/);
  });
});

describe("a closed pipe never stops a campaign", () => {
  it("stderr and stdout closed after the first lines (| head -3): the campaign still finishes (child process)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sdfl-pipe-"));
    const store = join(dir, "c.sqlite");
    const code = await new Promise<number | null>((res) => {
      const c = spawn(process.execPath, [BIN, "campaign", ...fast.filter((a) => a !== "--quiet"), "--budget", "8", "--store", store], { cwd: dir });
      let lines = 0;
      c.stderr.on("data", (d: Buffer) => {
        lines += String(d).split("\n").length - 1;
        if (lines >= 3) {
          c.stderr.destroy();
          c.stdout.destroy();
        }
      });
      c.on("close", (code) => res(code));
    });
    expect(code).toBe(0);
    const s = CampaignStore.open(store, { readonly: true });
    expect(s.campaign(1).status).toBe("finished");
    expect(s.experiments(1).filter((e) => e.phase !== "init" && e.status === "done")).toHaveLength(8);
    s.close();
  });
});
