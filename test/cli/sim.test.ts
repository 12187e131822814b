import { describe, expect, it } from "vitest";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simCommands } from "../../src/cli/commands/sim.js";
import { parseCommandArgs, type CommandIO } from "../../src/cli/command.js";
import { SdflError, UsageError } from "../../src/core/errors.js";
import { campaignCommands } from "../../src/cli/commands/campaign.js";
import { DEFAULT_CHEMISTRY } from "../../src/cli/campaignSetup.js";
import { resolveTwinPath } from "../../src/twin/dataPaths.js";

/**
 * Run an `sdfl sim ...` command in a fresh folder; returns exit code, stdout and the folder.
 * Physics checks run on the published chem1 twin (`--twin chem1` unless `args` name one):
 * the default twin is trained on first use, which the campaign tests already cover.
 */
async function sim(args: string[], prepare?: (dir: string) => void): Promise<{ code: number; out: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), "sdfl-sim-cli-"));
  prepare?.(dir);
  const cmd = simCommands.find((c) => c.path[1] === args[0])!;
  if (!prepare && args[0] !== "process" && !args.includes("--twin")) args = [...args, "--twin", "chem1"];
  let out = "";
  const io: CommandIO = {
    out: (t) => {
      out += t;
    },
    err: () => {},
    progress: () => {},
    cwd: dir,
    env: process.env,
  };
  const { opts, positionals } = parseCommandArgs(cmd, args.slice(1));
  const code = await cmd.run(opts, io, positionals);
  return { code, out, dir };
}

describe("sdfl sim", () => {
  it("flow-sweep writes JSON and SVG; the PL/Abs300 plateau starts near 576 uL/min", async () => {
    const r = await sim(["flow-sweep", "--json", "--replicates", "2"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.plateauStart).toBeGreaterThanOrEqual(525);
    expect(j.plateauStart).toBeLessThanOrEqual(600);
    expect(readFileSync(join(r.dir, "sim-results", "flow-sweep.svg"), "utf8")).toMatch(/^<svg/);
    expect(JSON.parse(readFileSync(join(r.dir, "sim-results", "flow-sweep.json"), "utf8")).points.length).toBe(j.points.length);
  });

  it("time-sweep plateaus by 40 s at 720 uL/min", async () => {
    const j = JSON.parse((await sim(["time-sweep", "--json", "--noise", "none"])).out);
    expect(j.plateauStart).toBeLessThanOrEqual(40);
    const at = (t: number) => j.points.find((p: { x: number }) => p.x === t).pla;
    expect(at(5)).toBeLessThan(0.5 * at(60));
    expect(at(45)).toBe(at(60));
  });

  it("run --spectra writes the folder protocol and process reads it back to the same features", async () => {
    const r = await sim(["run", "--condition", "T=150,CuI=90,ZnI2=110,CsOA=60,ODE=230", "--spectra", "spec", "--json", "--seed", "4"]);
    const m = JSON.parse(r.out).measurement;
    for (const f of ["Abs1.csv", "PL1.csv", "Wavelength_Abs.csv", "Wavelength_PL.csv", "DR_Abs.csv", "DR_PL.csv", "LR.csv", "FR.csv"])
      expect(existsSync(join(r.dir, "spec", f))).toBe(true);
    expect(readFileSync(join(r.dir, "spec", "FR.csv"), "utf8").trim()).toBe("150,90,110,60,230,245,2,0");
    const cmd = simCommands.find((c) => c.path[1] === "process")!;
    let out = "";
    const io: CommandIO = {
      out: (t) => {
        out += t;
      },
      err: () => {},
      progress: () => {},
      cwd: r.dir,
      env: process.env,
    };
    await cmd.run({ json: true, out: "p" }, io, ["spec"]);
    const e = JSON.parse(out).experiments[0];
    expect(e.abs300).toBeCloseTo(m.outcomes.abs300, 3);
    expect(e.pla / m.outcomes.pla).toBeCloseTo(1, 4);
    expect(e.condition).toEqual({ T: 150, CuI: 90, ZnI2: 110, CsOA: 60, ODE: 230 });
  });

  it("without --twin, sim uses the campaign's default truth twin (twins/<chem>.json here) and records it", async () => {
    const campaignData = campaignCommands.find((c) => c.path.join(" ") === "campaign")!.options!.data.default;
    expect(campaignData).toBe(DEFAULT_CHEMISTRY);
    // A twin already at the campaign's default place (a copy of the published one, to skip the training the campaign tests cover).
    const own = (dir: string) => {
      mkdirSync(join(dir, "twins"));
      copyFileSync(resolveTwinPath("chem1"), join(dir, "twins", `${DEFAULT_CHEMISTRY}.json`));
    };
    const r = await sim(["run", "--condition", "T=150,CuI=90,ZnI2=110,CsOA=60,ODE=230", "--mode", "steady", "--json"], own);
    const j = JSON.parse(r.out);
    expect(j.twinFile).toBe(join(r.dir, "twins", `${DEFAULT_CHEMISTRY}.json`));
    expect(j.twin).toBe(join("twins", `${DEFAULT_CHEMISTRY}.json`));
    const p = await sim(["run", "--condition", "T=150,CuI=90,ZnI2=110,CsOA=60,ODE=230", "--json"]);
    expect(JSON.parse(p.out).twin).toBe("chem1 (published)");
    expect(readFileSync(join(p.dir, "sim-results", "run.svg"), "utf8")).toContain("twin chem1 (published)");
  });

  it("bad inputs are typed errors that say what to do", async () => {
    await expect(sim(["run"])).rejects.toBeInstanceOf(UsageError);
    await expect(sim(["run", "--condition", "T=200,CuI=100,ZnI2=100,CsOA=40,ODE=250"])).rejects.toThrow(
      /T = 200 degC is outside the allowed range 120 to 180 degC/,
    );
    await expect(sim(["run", "--condition", "T=160,CuI=100,ZnI2=100,CsOA=40,ODE=250", "--twin", "nope.json"])).rejects.toThrow(/twin file not found/);
    await expect(sim(["run", "--condition", "T=160,CuI=100,ZnI2=100,CsOA=40,ODE=250", "--noise", "loud"])).rejects.toThrow(/noise "loud" is not understood/);
    await expect(sim(["process", "no-such-folder"])).rejects.toBeInstanceOf(SdflError);
  });
});
