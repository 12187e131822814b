import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { SdflError } from "../../core/errors.js";
import type { StrategyFactory } from "../strategy.js";

/**
 * Load a user strategy: an ES module (.js/.mjs) whose default export is a
 * {@link StrategyFactory} `(ctx) => Strategy | Promise<Strategy>`. Errors name the file
 * and say what the module must export.
 */
export async function loadStrategyModule(path: string): Promise<StrategyFactory> {
  const file = resolve(path);
  const hint = "the module's default export must be a function (ctx) => Strategy with ask(n, pending, options) and tell(observations)";
  if (!existsSync(file)) throw new SdflError(`strategy module ${file} not found`, "check the path of the strategy module");
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (e) {
    throw new SdflError(`strategy module ${file} could not be loaded: ${(e as Error).message}`, "compile TypeScript strategies to JavaScript first; " + hint);
  }
  if (typeof mod.default !== "function") throw new SdflError(`strategy module ${file} has no default-exported function`, hint);
  const factory = mod.default as StrategyFactory;
  return async (ctx) => {
    const s = await factory(ctx);
    if (!s || typeof s.ask !== "function" || typeof s.tell !== "function" || typeof s.name !== "string") {
      throw new SdflError(`strategy module ${file}: the factory did not return a strategy (name, ask, tell)`, hint);
    }
    return s;
  };
}
