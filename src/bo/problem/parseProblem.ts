import { readFileSync, existsSync } from "node:fs";
import { DataError, SdflError } from "../../core/errors.js";
import { affineFormOf, parseExpression, variablesOf, type Expr } from "./expression.js";
import type { DerivedSetPoint, FixedInput, Goal, ObjectiveSpec, OutcomeSpec, Problem, ProblemDefinition } from "./problem.js";
import type { InputSpec, LinearConstraint } from "./space.js";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Validate a problem definition (parsed JSON) and build the {@link Problem}. Every
 * error is a {@link DataError} naming the file and the field, e.g.
 * `problem.json: inputs[2].bounds: low 90 must be below high 80`.
 */
export function parseProblem(json: unknown, file = "problem"): Problem {
  const fail = (field: string, message: string, hint?: string): never => {
    throw new DataError({ file }, `${field}: ${message}`, hint ?? "see docs/problem.md for the problem file format");
  };
  const obj = (v: unknown, field: string): Record<string, unknown> => {
    if (!v || typeof v !== "object" || Array.isArray(v)) fail(field, `must be an object, got ${describe(v)}`);
    return v as Record<string, unknown>;
  };
  const str = (v: unknown, field: string): string => {
    if (typeof v !== "string" || v.trim() === "") fail(field, `must be a non-empty string, got ${describe(v)}`);
    return (v as string).trim();
  };
  const optStr = (v: unknown, field: string): string | undefined =>
    v === undefined ? undefined : typeof v === "string" ? v : fail(field, `must be a string, got ${describe(v)}`);
  const num = (v: unknown, field: string): number => {
    if (typeof v !== "number" || !Number.isFinite(v)) fail(field, `must be a finite number, got ${describe(v)}`);
    return v as number;
  };
  const arr = (v: unknown, field: string): unknown[] => {
    if (!Array.isArray(v)) fail(field, `must be a list, got ${describe(v)}`);
    return v as unknown[];
  };
  const known = (o: Record<string, unknown>, field: string, keys: string[]) => {
    for (const k of Object.keys(o)) if (!keys.includes(k)) fail(`${field}.${k}`, `is not a known field (known: ${keys.join(", ")})`);
  };

  const root = obj(json, "(top level)");
  known(root, "problem", ["name", "description", "inputs", "constraints", "derived", "outcomes", "objective", "columns"]);
  const name = str(root.name, "name");
  const description = optStr(root.description, "description");
  const names = new Set<string>();
  const claim = (n: string, field: string) => {
    if (!NAME.test(n)) fail(field, `"${n}" is not a usable name (letters, digits and _, not starting with a digit)`);
    if (names.has(n)) fail(field, `the name "${n}" is used twice (inputs, set points and outcomes share one namespace)`);
    names.add(n);
  };

  const free: InputSpec[] = [];
  const fixed: FixedInput[] = [];
  const defInputs: ProblemDefinition["inputs"] = [];
  const inputsRaw = arr(root.inputs, "inputs");
  if (inputsRaw.length === 0) fail("inputs", "must list at least one input");
  inputsRaw.forEach((raw, i) => {
    const f = `inputs[${i}]`;
    const o = obj(raw, f);
    known(o, f, ["name", "unit", "bounds", "resolution", "levels", "fixed", "description"]);
    const n = str(o.name, `${f}.name`);
    claim(n, `${f}.name`);
    const unit = typeof o.unit === "string" ? o.unit : fail(`${f}.unit`, `must be a string (use "" for a dimensionless input), got ${describe(o.unit)}`);
    const desc = optStr(o.description, `${f}.description`);
    if (o.fixed !== undefined) {
      const value = num(o.fixed, `${f}.fixed`);
      for (const k of ["bounds", "levels", "resolution"]) if (o[k] !== undefined) fail(`${f}.${k}`, `a fixed input has no ${k}`, `remove ${k} or fixed`);
      fixed.push({ name: n, unit, value, ...(desc !== undefined ? { description: desc } : {}) });
      defInputs.push({ name: n, unit, fixed: value, ...(desc !== undefined ? { description: desc } : {}) });
      return;
    }
    let bounds: [number, number] | undefined;
    let levels: number[] | undefined;
    if (o.levels !== undefined) {
      levels = arr(o.levels, `${f}.levels`).map((v, j) => num(v, `${f}.levels[${j}]`));
      if (levels.length < 2) fail(`${f}.levels`, "must list at least two levels (use fixed for one value)");
      levels = [...levels].sort((a, b) => a - b);
      if (levels.some((v, j) => j > 0 && v === levels![j - 1])) fail(`${f}.levels`, "lists a level twice");
    }
    if (o.bounds !== undefined) {
      const b = arr(o.bounds, `${f}.bounds`);
      if (b.length !== 2) fail(`${f}.bounds`, `must be [low, high], got ${b.length} value(s)`);
      bounds = [num(b[0], `${f}.bounds[0]`), num(b[1], `${f}.bounds[1]`)];
    } else if (levels) bounds = [levels[0], levels[levels.length - 1]];
    else fail(`${f}.bounds`, "is missing", "give bounds [low, high], levels [...] or a fixed value");
    const [lo, hi] = bounds!;
    if (!(lo < hi)) fail(`${f}.bounds`, `low ${lo} must be below high ${hi} ${unit}`.trim(), "swap them, or make the input fixed");
    if (levels && (levels[0] < lo || levels[levels.length - 1] > hi)) fail(`${f}.levels`, `every level must lie in the bounds ${lo} to ${hi} ${unit}`.trim());
    let resolution: number | undefined;
    if (o.resolution !== undefined) {
      resolution = num(o.resolution, `${f}.resolution`);
      if (!(resolution > 0 && resolution < hi - lo)) fail(`${f}.resolution`, `must be > 0 and smaller than the range ${hi - lo} ${unit}, got ${resolution}`);
    }
    const spec: InputSpec = {
      name: n,
      unit,
      bounds: [lo, hi],
      ...(desc !== undefined ? { description: desc } : {}),
      ...(resolution !== undefined ? { resolution } : {}),
      ...(levels ? { levels } : {}),
    };
    free.push(spec);
    defInputs.push({
      name: n,
      unit,
      bounds: [lo, hi],
      ...(resolution !== undefined ? { resolution } : {}),
      ...(levels ? { levels } : {}),
      ...(desc !== undefined ? { description: desc } : {}),
    });
  });
  if (free.length === 0) fail("inputs", "every input is fixed: there is nothing to optimize");
  const freeNames = free.map((s) => s.name);
  const fixedValues = Object.fromEntries(fixed.map((x) => [x.name, x.value]));

  const parse = (text: string, field: string, allowed: readonly string[]): Expr => {
    const r = parseExpression(text);
    if (!r.ok) fail(field, `${r.message} at character ${r.column} of "${text}"`);
    const expr = (r as { expr: Expr }).expr;
    for (const v of variablesOf(expr)) if (!allowed.includes(v)) fail(field, `"${v}" is not defined here (allowed: ${allowed.join(", ") || "numbers only"})`);
    return expr;
  };

  const constraints: LinearConstraint[] = [];
  const defConstraints: NonNullable<ProblemDefinition["constraints"]> = [];
  (root.constraints === undefined ? [] : arr(root.constraints, "constraints")).forEach((raw, i) => {
    const f = `constraints[${i}]`;
    const o = obj(raw, f);
    known(o, f, ["name", "expression"]);
    const text = str(o.expression, `${f}.expression`);
    const label = optStr(o.name, `${f}.name`) ?? text;
    constraints.push(linearConstraint(text, label, `${f}.expression`, [...freeNames, ...Object.keys(fixedValues)], fixedValues, fail, parse));
    defConstraints.push({ ...(o.name !== undefined ? { name: label } : {}), expression: text });
  });

  const derived: DerivedSetPoint[] = [];
  (root.derived === undefined ? [] : arr(root.derived, "derived")).forEach((raw, i) => {
    const f = `derived[${i}]`;
    const o = obj(raw, f);
    known(o, f, ["name", "unit", "expression"]);
    const n = str(o.name, `${f}.name`);
    const unit = typeof o.unit === "string" ? o.unit : fail(`${f}.unit`, `must be a string, got ${describe(o.unit)}`);
    const expression = str(o.expression, `${f}.expression`);
    const expr = parse(expression, `${f}.expression`, [...freeNames, ...Object.keys(fixedValues), ...derived.map((d) => d.name)]);
    claim(n, `${f}.name`);
    derived.push({ name: n, unit, expression, expr });
  });

  const outcomes: OutcomeSpec[] = [];
  const outcomesRaw = arr(root.outcomes, "outcomes");
  if (outcomesRaw.length === 0) fail("outcomes", "must list at least one measured outcome");
  outcomesRaw.forEach((raw, i) => {
    const f = `outcomes[${i}]`;
    const o = obj(raw, f);
    known(o, f, ["name", "unit", "description", "optional"]);
    const n = str(o.name, `${f}.name`);
    claim(n, `${f}.name`);
    const unit = typeof o.unit === "string" ? o.unit : fail(`${f}.unit`, `must be a string (use "" for a dimensionless outcome), got ${describe(o.unit)}`);
    if (o.optional !== undefined && typeof o.optional !== "boolean") fail(`${f}.optional`, `must be true or false, got ${describe(o.optional)}`);
    const desc = optStr(o.description, `${f}.description`);
    outcomes.push({ name: n, unit, ...(desc !== undefined ? { description: desc } : {}), ...(o.optional === true ? { optional: true } : {}) });
  });

  const ob = obj(root.objective, "objective");
  known(ob, "objective", ["name", "unit", "outcome", "formula", "goal"]);
  if ((ob.outcome === undefined) === (ob.formula === undefined))
    fail("objective", "give exactly one of outcome (a name) or formula (an expression of outcomes)");
  const goal =
    ob.goal === "maximize" || ob.goal === "minimize" ? (ob.goal as Goal) : fail("objective.goal", `must be "maximize" or "minimize", got ${describe(ob.goal)}`);
  let objective: ObjectiveSpec;
  const required = outcomes.filter((o) => !o.optional).map((o) => o.name);
  if (ob.outcome !== undefined) {
    const on = str(ob.outcome, "objective.outcome");
    const spec = outcomes.find((o) => o.name === on);
    if (!spec) fail("objective.outcome", `"${on}" is not one of the outcomes (${outcomes.map((o) => o.name).join(", ")})`);
    if (spec!.optional) fail("objective.outcome", `"${on}" is optional; the objective must always be measured`);
    objective = {
      name: optStr(ob.name, "objective.name") ?? on,
      unit: optStr(ob.unit, "objective.unit") ?? spec!.unit,
      goal,
      formula: on,
      expr: { kind: "var", name: on },
    };
  } else {
    const formula = str(ob.formula, "objective.formula");
    const expr = parse(formula, "objective.formula", [...required, ...freeNames, ...Object.keys(fixedValues), ...derived.map((d) => d.name)]);
    const on = ob.name === undefined ? "objective" : str(ob.name, "objective.name");
    if (on !== "objective" && names.has(on) && !outcomes.some((o) => o.name === on)) fail("objective.name", `"${on}" is already an input or set point`);
    objective = { name: on, unit: optStr(ob.unit, "objective.unit") ?? "", goal, formula, expr };
  }

  const columns: Record<string, string> = {};
  if (root.columns !== undefined) {
    const c = obj(root.columns, "columns");
    for (const [k, v] of Object.entries(c)) {
      if (![...freeNames, ...Object.keys(fixedValues), ...outcomes.map((o) => o.name)].includes(k))
        fail(`columns.${k}`, `"${k}" is not an input or outcome of the problem`);
      columns[k] = str(v, `columns.${k}`);
    }
  }

  const definition: ProblemDefinition = {
    name,
    ...(description !== undefined ? { description } : {}),
    inputs: defInputs,
    ...(defConstraints.length ? { constraints: defConstraints } : {}),
    ...(derived.length ? { derived: derived.map((d) => ({ name: d.name, unit: d.unit, expression: d.expression })) } : {}),
    outcomes: outcomes.map((o) => ({ ...o })),
    objective: {
      name: objective.name,
      ...(objective.unit ? { unit: objective.unit } : {}),
      ...(ob.outcome !== undefined ? { outcome: objective.formula } : { formula: objective.formula }),
      goal,
    },
    ...(Object.keys(columns).length ? { columns } : {}),
  };
  return {
    name,
    ...(description !== undefined ? { description } : {}),
    space: { inputs: free, constraints },
    fixed,
    derived,
    outcomes,
    objective,
    columns,
    definition,
  };
}

/** Read and validate a problem file (JSON). */
export function loadProblemFile(file: string): Problem {
  if (!existsSync(file))
    throw new SdflError(
      `problem file not found: ${file}`,
      "give the path of a problem JSON file (see docs/problem.md), or leave --problem out for the built-in problem",
    );
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new DataError({ file }, `not valid JSON: ${(e as Error).message}`, "see docs/problem.md for the problem file format");
  }
  return parseProblem(json, file);
}

function linearConstraint(
  text: string,
  label: string,
  field: string,
  allowed: readonly string[],
  fixedValues: Record<string, number>,
  fail: (field: string, message: string, hint?: string) => never,
  parse: (text: string, field: string, allowed: readonly string[]) => Expr,
): LinearConstraint {
  const parts = text.split(/(<=|>=)/).map((s) => s.trim());
  if (parts.length !== 3 && parts.length !== 5) fail(field, `"${text}" must compare with <= or >=, e.g. "1.5 * (A + B) >= 576" or "100 <= A + B <= 200"`);
  if (parts.length === 5 && parts[1] !== parts[3]) fail(field, `"${text}": a two-sided constraint uses the same comparison twice, e.g. "100 <= A + B <= 200"`);
  const affine = (t: string) => {
    const r = affineFormOf(parse(t, field, allowed));
    if (!r.ok) fail(field, `"${t}" is not linear: ${r.message}`, "constraints must be linear in the inputs (sums of constants times inputs)");
    const form = (r as { form: { constant: number; coef: Record<string, number> } }).form;
    // Fixed inputs are constants of the constraint.
    let constant = form.constant;
    const coef: Record<string, number> = {};
    for (const [n, c] of Object.entries(form.coef)) {
      if (n in fixedValues) constant += c * fixedValues[n];
      else if (c !== 0) coef[n] = c;
    }
    return { constant, coef };
  };
  if (parts.length === 3) {
    const left = affine(parts[0]);
    const right = affine(parts[2]);
    const coef: Record<string, number> = { ...left.coef };
    for (const [n, c] of Object.entries(right.coef)) coef[n] = (coef[n] ?? 0) - c;
    for (const n of Object.keys(coef)) if (coef[n] === 0) delete coef[n];
    if (Object.keys(coef).length === 0) fail(field, `"${text}" does not involve any free input`);
    // coef . x + left.constant (>= or <=) right.constant: keep the numbers on the right-hand side.
    const bound = right.constant - left.constant;
    return parts[1] === ">=" ? { label, text, coef, constant: 0, min: bound } : { label, text, coef, constant: 0, max: bound };
  }
  const [a, , mid, , b] = parts;
  const lo = affine(a);
  const hi = affine(b);
  const m = affine(mid);
  if (Object.keys(lo.coef).length || Object.keys(hi.coef).length) fail(field, `"${text}": in a two-sided constraint both ends must be numbers`);
  if (Object.keys(m.coef).length === 0) fail(field, `"${text}" does not involve any free input`);
  const [min, max] = parts[1] === "<=" ? [lo.constant, hi.constant] : [hi.constant, lo.constant];
  if (!(min <= max)) fail(field, `"${text}" can never hold (${min} > ${max})`);
  return { label, text, coef: m.coef, constant: m.constant, min, max };
}

function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  return JSON.stringify(v);
}
