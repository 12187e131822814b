import { parseProblem } from "../bo/problem/parseProblem.js";
import type { Problem } from "../bo/problem/problem.js";
import { INPUT_NAMES, PAPER_PROBLEM } from "../twin/space.js";

/** The problem a campaign (or an ask/tell campaign) solves: its stored definition, or the built-in problem for older stores. */
export function campaignProblem(settings: { problem?: unknown }): Problem {
  return settings.problem ? parseProblem(settings.problem, "the campaign's stored problem") : PAPER_PROBLEM;
}

/**
 * Why a problem is not the paper's reactor problem (undefined when it is): the reactor labs
 * (sim, hil, folder), the ENN strategies and the published CSV layout need the five inputs
 * (free, or with `free`: fixed ones allowed), the outcomes abs300 and pla and the PLQY proxy
 * (maximised). Bounds, resolution, constraints and fixed values may differ.
 */
export function notThePaperProblem(problem: Problem, o: { allowFixed?: boolean } = {}): string | undefined {
  const names = [...problem.space.inputs.map((s) => s.name), ...(o.allowFixed ? problem.fixed.map((f) => f.name) : [])];
  if (names.length !== INPUT_NAMES.length || !INPUT_NAMES.every((n) => names.includes(n)))
    return `its inputs are ${names.join(", ")}, not the reactor's ${INPUT_NAMES.join(", ")}${o.allowFixed ? "" : " (all free)"}`;
  const outcomes = problem.outcomes.map((x) => x.name);
  if (!outcomes.includes("abs300") || !outcomes.includes("pla")) return `its outcomes are ${outcomes.join(", ")}, not the reactor's abs300 and pla`;
  const paper = PAPER_PROBLEM.objective;
  if (problem.objective.formula !== paper.formula || problem.objective.goal !== paper.goal)
    return `its objective is ${problem.objective.goal} ${problem.objective.formula}, not maximize ${paper.formula}`;
  return undefined;
}
