import { resolve } from "node:path";
import type { Command } from "../command.js";
import { loadProblemFile } from "../../bo/problem/parseProblem.js";
import type { Problem } from "../../bo/problem/problem.js";
import { PAPER_PROBLEM } from "../../twin/space.js";

/** The problem of a command: `--problem FILE` when given, else the built-in paper problem. */
export function problemOf(opt: unknown, cwd: string): Problem {
  return typeof opt === "string" && opt !== "" ? loadProblemFile(resolve(cwd, opt)) : PAPER_PROBLEM;
}

const problemShow: Command = {
  path: ["problem", "show"],
  summary: "print an optimization problem (inputs, constraints, set points, outcomes, objective) as JSON",
  details: `
Without --problem: the built-in problem (the published Cs3Cu2I5 droplet-flow setup).
With --problem FILE: the file, validated (errors name the field) and normalised. Save
the built-in one as a starting point for your own: sdfl problem show > problem.json
The format is described in docs/problem.md.`,
  options: {
    problem: { type: "string", arg: "FILE", description: "a problem file (JSON) to validate and print" },
  },
  async run(opts, io) {
    const problem = problemOf(opts.problem, io.cwd);
    io.out(JSON.stringify(problem.definition, null, 2) + "\n");
    return 0;
  },
};

/** The `sdfl problem` subcommands. */
export const problemCommands: Command[] = [problemShow];
