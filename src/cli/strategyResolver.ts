import { existsSync } from "node:fs";
import { basename, extname, resolve } from "node:path";
import { SdflError, UsageError } from "../core/errors.js";
import type { Strategy, StrategyContext, StrategyFactory } from "../bo/strategy.js";
import type { StrategyRef } from "../bo/bench/settings.js";
import { loadStrategyModule } from "../bo/strategies/loadStrategyModule.js";
import { builtinStrategyFactory, checkBuiltinStrategyName, type BuiltinStrategyOptions } from "./builtinStrategies.js";

/** True when a `--strategy` value names a JavaScript module file rather than a built-in strategy. */
export function isModulePath(value: string): boolean {
  return /\.(m|c)?js$/i.test(value.trim()) || value.includes("/") || value.includes("\\");
}

/** `--strategy a,b` and module files -> strategy references. */
export function parseStrategyRefs(list: string | undefined, modules: readonly string[], cwd: string): StrategyRef[] {
  const names = (list ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) checkBuiltinStrategyName(n);
  const refs: StrategyRef[] = names.map((name) => ({ name: checkBuiltinStrategyName(name) }));
  for (const m of modules) {
    const file = resolve(cwd, m);
    if (!existsSync(file))
      throw new UsageError(
        `--strategy-module ${m}: file not found (${file})`,
        "give the path of a JavaScript module whose default export is a strategy factory",
      );
    refs.push({ name: basename(file, extname(file)), module: file });
  }
  if (refs.length === 0) throw new UsageError("no strategy given", "pass --strategy NAMES and/or --strategy FILE.mjs");
  const seen = new Set<string>();
  for (const r of refs) {
    if (seen.has(r.name)) throw new UsageError(`strategy "${r.name}" given twice`, "each strategy name must be unique in one benchmark");
    seen.add(r.name);
  }
  return refs;
}

/** The factory behind a reference: a built-in, or the default export of a user module. */
async function resolveStrategyFactory(ref: StrategyRef, o: BuiltinStrategyOptions = {}): Promise<StrategyFactory> {
  return ref.module ? loadStrategyModule(ref.module) : builtinStrategyFactory(ref.name, o);
}

/** Create a strategy and check it has the ask/tell protocol. */
export async function createStrategy(ref: StrategyRef, ctx: StrategyContext, o: BuiltinStrategyOptions = {}): Promise<Strategy> {
  const s = await (await resolveStrategyFactory(ref, o))(ctx);
  if (!s || typeof s.ask !== "function" || typeof s.tell !== "function") {
    throw new SdflError(
      `strategy "${ref.name}" does not have ask() and tell()`,
      "a strategy factory must return an object with name, ask(n, pending, options) and tell(observations)",
    );
  }
  return s;
}
