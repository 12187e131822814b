import { SdflError } from "../core/errors.js";
import type { Proposal, Strategy } from "../bo/strategy.js";
import type { SearchSpace } from "../bo/problem/space.js";

/**
 * A fault of the strategy's code (a user module, or a built-in): it threw, did not
 * answer in time, or proposed something that is not a valid condition. The message
 * names the module, so a user's bug is never reported as one of sdfl.
 */
export class StrategyFault extends SdflError {}

/** Default ask() time limit, seconds: generous (a GP fit on thousands of points takes minutes). */
export const DEFAULT_ASK_TIMEOUT_S = 1800;

/** Who wrote the strategy, for messages: "your strategy module FILE" or "built-in strategy NAME". */
export function strategyCulprit(name: string, module: string | null | undefined): string {
  return module ? `your strategy module ${module}` : `built-in strategy ${name}`;
}

const HINT_USER = "fix the strategy module, then continue the campaign with `sdfl campaign --resume`";

/**
 * Wrap a strategy so that its faults are reported as such before they reach the store:
 * thrown errors and rejected promises of ask/tell, an ask that does not settle within
 * `askTimeoutS` seconds, and proposals that are not values of the space (a condition
 * per proposal with every input a finite number inside its bounds).
 */
export function guardStrategy(strategy: Strategy, o: { culprit: string; space: SearchSpace; askTimeoutS: number }): Strategy {
  const fault = (what: string): StrategyFault => new StrategyFault(`${o.culprit}: ${what}`, HINT_USER);
  const call = async <T>(name: string, f: () => Promise<T>, timeoutS?: number): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const work = Promise.resolve().then(f);
      if (timeoutS === undefined) return await work;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(fault(`${name}() did not answer within ${timeoutS} s`)), timeoutS * 1000);
      });
      return await Promise.race([work, timeout]);
    } catch (e) {
      if (e instanceof StrategyFault) throw e;
      throw fault(`${name}() failed: ${(e as Error)?.message ?? String(e)}`);
    } finally {
      if (timer) clearTimeout(timer);
    }
  };
  return {
    get name() {
      return strategy.name;
    },
    async ask(n, pending, options) {
      const out = await call("ask", () => strategy.ask(n, pending, options), o.askTimeoutS);
      checkProposals(out, n, o.space, fault);
      return out;
    },
    tell: (results) => call("tell", () => strategy.tell(results)),
    // The recommendation (issue 12) passes through when the strategy makes one.
    ...(strategy.recommend ? { recommend: () => call("recommend", () => strategy.recommend!(), o.askTimeoutS) } : {}),
    dispose: () => strategy.dispose?.(),
  } as Strategy;
}

/** ask()'s answer must be a list of at least one proposal, each a complete, finite, in-bounds condition. */
function checkProposals(out: unknown, n: number, space: SearchSpace, fault: (what: string) => Error): asserts out is Proposal[] {
  if (!Array.isArray(out)) throw fault(`ask(${n}) returned ${describe(out)}, expected a list of proposals`);
  if (out.length === 0) throw fault(`ask(${n}) returned no proposal`);
  out.forEach((p: unknown, k) => {
    const where = out.length > 1 ? `proposal ${k}: ` : "";
    if (!p || typeof p !== "object") throw fault(`ask() returned ${where}${describe(p)}, expected { condition: {...} }`);
    const c = (p as { condition?: unknown }).condition;
    if (!c || typeof c !== "object") throw fault(`ask() returned ${where}no condition (got ${describe(c)})`);
    for (const input of space.inputs) {
      const v = (c as Record<string, unknown>)[input.name];
      if (v === undefined) throw fault(`ask() returned ${where}a condition without ${input.name}`);
      if (typeof v !== "number") throw fault(`ask() returned ${where}${input.name} = ${describe(v)}; it must be a number in ${input.unit}`);
      if (!Number.isFinite(v)) throw fault(`ask() returned ${v} for ${input.name}`);
      const [lo, hi] = input.bounds;
      if (v < lo || v > hi) throw fault(`ask() returned ${where}${input.name} = ${v} ${input.unit}, outside its bounds ${lo} to ${hi} ${input.unit}`);
    }
    const fit = (p as { fit?: unknown }).fit;
    if (fit !== undefined) {
      const f = fit as { surrogate?: unknown; seconds?: unknown; meta?: unknown; warnings?: unknown };
      const ok =
        !!f && typeof f === "object" && typeof f.surrogate === "string" && typeof f.seconds === "number" && Number.isFinite(f.seconds) && f.seconds >= 0;
      if (!ok || (f.meta !== undefined && (typeof f.meta !== "object" || f.meta === null)) || (f.warnings !== undefined && !Array.isArray(f.warnings)))
        throw fault(
          `ask() returned ${where}fit = ${describe(fit)}; a fit must be { surrogate: "name", seconds: >= 0, meta: {...}, warnings: [...] } or left out`,
        );
    }
  });
}

function describe(v: unknown): string {
  if (typeof v === "string") return `"${v.length > 30 ? v.slice(0, 30) + "..." : v}" (a string)`;
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === "object") return "an object";
  return `${String(v)} (a ${typeof v})`;
}
