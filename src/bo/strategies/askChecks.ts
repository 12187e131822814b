import { UsageError } from "../../core/errors.js";

/** ask(n) needs an integer n >= 1. */
export function checkAskCount(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`ask(n): n = ${n} must be an integer >= 1`, "ask for at least one proposal");
}
