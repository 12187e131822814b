import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { affineFormOf, evaluateExpression, parseExpression, variablesOf, type Expr } from "../../../src/bo/problem/expression.js";

const parsed = (text: string): Expr => {
  const r = parseExpression(text);
  if (!r.ok) throw new Error(`${r.message} at ${r.column}`);
  return r.expr;
};

describe("problem expressions", () => {
  it("evaluate with the usual precedence: unary minus, ^ (right-associative), * /, + -", () => {
    expect(evaluateExpression(parsed("1 + 2 * 3"), {})).toBe(7);
    expect(evaluateExpression(parsed("(1 + 2) * 3"), {})).toBe(9);
    expect(evaluateExpression(parsed("2 ^ 3 ^ 2"), {})).toBe(512);
    expect(evaluateExpression(parsed("10^-2"), {})).toBeCloseTo(0.01, 15);
    expect(evaluateExpression(parsed("-a / 4 + max(a, 3, 1.5e1)"), { a: 8 })).toBe(13);
    expect(evaluateExpression(parsed("log10(x) + ln(exp(2)) + sqrt(16) + abs(-1) + pow(2, 3) + min(3, 1)"), { x: 100 })).toBeCloseTo(18, 12);
  });

  it("report what is wrong and the 1-based column", () => {
    expect(parseExpression("1 + * 2")).toMatchObject({ ok: false, column: 5 });
    expect(parseExpression("a $ b")).toMatchObject({ ok: false, message: 'unexpected character "$"', column: 3 });
    expect(parseExpression("(a + b")).toMatchObject({ ok: false, message: 'expected ")"' });
    expect(parseExpression("foo(1)")).toMatchObject({ ok: false, column: 1 });
    expect(parseExpression("pow(1)")).toMatchObject({ ok: false });
    expect(parseExpression("")).toMatchObject({ ok: false, message: "the expression is empty" });
    expect(parseExpression("a b")).toMatchObject({ ok: false, column: 3 });
  });

  it("list the variables in order of first use", () => {
    expect(variablesOf(parsed("b * (a + b) - c / a"))).toEqual(["b", "a", "c"]);
  });

  it("the affine form of a linear expression evaluates like the expression (property)", () => {
    const e = parsed("1.5 * (a + b - 2 * c) / 3 + 4 - (a - 10) * 2 + -(c)");
    const r = affineFormOf(e);
    if (!r.ok) throw new Error(r.message);
    fc.assert(
      fc.property(
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        (a, b, c) => {
          const vars = { a, b, c };
          const viaForm = r.form.constant + Object.entries(r.form.coef).reduce((s, [n, k]) => s + k * vars[n as "a"], 0);
          expect(viaForm).toBeCloseTo(evaluateExpression(e, vars), 6);
        },
      ),
    );
  });

  it("refuse non-linear forms with the reason", () => {
    expect(affineFormOf(parsed("a * b"))).toMatchObject({ ok: false, message: "a product of two inputs is not linear" });
    expect(affineFormOf(parsed("1 / a"))).toMatchObject({ ok: false, message: "dividing by an input is not linear" });
    expect(affineFormOf(parsed("a ^ 2"))).toMatchObject({ ok: false });
    expect(affineFormOf(parsed("exp(a)"))).toMatchObject({ ok: false });
    expect(affineFormOf(parsed("2 ^ 3 * a + exp(0)"))).toEqual({ ok: true, form: { constant: 1, coef: { a: 8 } } });
  });
});
