/**
 * A small arithmetic expression language for problem files: numbers, names, + - * / ^,
 * parentheses and a few functions (exp, ln, log10, sqrt, abs, min, max, pow). Used for
 * linear constraints, derived set points and objective formulas. Parsing never throws
 * on its own: errors are returned with the 1-based column so the loader can name the
 * field and position.
 */

/** A parsed expression tree. */
export type Expr =
  | { kind: "num"; value: number }
  | { kind: "var"; name: string }
  | { kind: "neg"; arg: Expr }
  | { kind: "bin"; op: "+" | "-" | "*" | "/" | "^"; left: Expr; right: Expr }
  | { kind: "call"; fn: string; args: Expr[] };

/** Functions an expression may call, with their arity (-1: one or more). */
const FUNCTIONS: Record<string, { arity: number; f: (...a: number[]) => number }> = {
  exp: { arity: 1, f: Math.exp },
  ln: { arity: 1, f: Math.log },
  log10: { arity: 1, f: Math.log10 },
  sqrt: { arity: 1, f: Math.sqrt },
  abs: { arity: 1, f: Math.abs },
  pow: { arity: 2, f: Math.pow },
  min: { arity: -1, f: Math.min },
  max: { arity: -1, f: Math.max },
};

/** Parse result: the tree, or what is wrong and at which 1-based column. */
export type ParseResult = { ok: true; expr: Expr } | { ok: false; message: string; column: number };

type Token = { t: "num"; v: number; at: number } | { t: "id"; v: string; at: number } | { t: "op"; v: string; at: number } | { t: "end"; at: number };

function tokenize(text: string): Token[] | { message: string; column: number } {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (num) {
      out.push({ t: "num", v: Number(num[0]), at: i });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (id) {
      out.push({ t: "id", v: id[0], at: i });
      i += id[0].length;
      continue;
    }
    if ("+-*/^(),".includes(ch)) {
      out.push({ t: "op", v: ch, at: i });
      i++;
      continue;
    }
    return { message: `unexpected character "${ch}"`, column: i + 1 };
  }
  out.push({ t: "end", at: text.length });
  return out;
}

class ParseFailure extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
  }
}

/** Parse `text`; precedence: unary minus, ^ (right-associative), * /, + -. */
export function parseExpression(text: string): ParseResult {
  const tokens = tokenize(text);
  if (!Array.isArray(tokens)) return { ok: false, ...tokens };
  let p = 0;
  const peek = () => tokens[p];
  const fail = (msg: string, tok: Token = peek()): never => {
    throw new ParseFailure(msg, tok.at + 1);
  };
  const isOp = (v: string) => peek().t === "op" && (peek() as { v: string }).v === v;
  const expectOp = (v: string) => {
    if (!isOp(v)) fail(`expected "${v}"`);
    p++;
  };
  const sum = (): Expr => {
    let left = product();
    while (isOp("+") || isOp("-")) {
      const op = (tokens[p++] as { v: "+" | "-" }).v;
      left = { kind: "bin", op, left, right: product() };
    }
    return left;
  };
  const product = (): Expr => {
    let left = unary();
    while (isOp("*") || isOp("/")) {
      const op = (tokens[p++] as { v: "*" | "/" }).v;
      left = { kind: "bin", op, left, right: unary() };
    }
    return left;
  };
  const unary = (): Expr => {
    if (isOp("-")) {
      p++;
      return { kind: "neg", arg: unary() };
    }
    if (isOp("+")) {
      p++;
      return unary();
    }
    return power();
  };
  const power = (): Expr => {
    const base = atom();
    if (isOp("^")) {
      p++;
      return { kind: "bin", op: "^", left: base, right: unary() };
    }
    return base;
  };
  const atom = (): Expr => {
    const tok = peek();
    if (tok.t === "num") {
      p++;
      return { kind: "num", value: tok.v };
    }
    if (tok.t === "id") {
      p++;
      if (!isOp("(")) return { kind: "var", name: tok.v };
      const fn = FUNCTIONS[tok.v];
      if (!fn) fail(`unknown function "${tok.v}" (known: ${Object.keys(FUNCTIONS).join(", ")})`, tok);
      p++;
      const args: Expr[] = [sum()];
      while (isOp(",")) {
        p++;
        args.push(sum());
      }
      expectOp(")");
      if ((fn.arity >= 0 && args.length !== fn.arity) || args.length < 1) fail(`${tok.v}() takes ${fn.arity} argument(s), got ${args.length}`, tok);
      return { kind: "call", fn: tok.v, args };
    }
    if (isOp("(")) {
      p++;
      const e = sum();
      expectOp(")");
      return e;
    }
    return fail(tok.t === "end" ? "the expression ends too early" : `unexpected "${(tok as { v: string }).v}"`);
  };
  try {
    if (peek().t === "end") return { ok: false, message: "the expression is empty", column: 1 };
    const expr = sum();
    if (peek().t !== "end") fail(`unexpected "${(peek() as { v: string }).v}" after a complete expression`);
    return { ok: true, expr };
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, message: e.message, column: e.column };
    throw e;
  }
}

/** Names the expression reads, in order of first appearance. */
export function variablesOf(e: Expr): string[] {
  const seen = new Set<string>();
  const walk = (x: Expr): void => {
    if (x.kind === "var") seen.add(x.name);
    else if (x.kind === "neg") walk(x.arg);
    else if (x.kind === "bin") {
      walk(x.left);
      walk(x.right);
    } else if (x.kind === "call") x.args.forEach(walk);
  };
  walk(e);
  return [...seen];
}

/** Value of the expression for the given variables (NaN where a name is missing). */
export function evaluateExpression(e: Expr, vars: Readonly<Record<string, number>>): number {
  switch (e.kind) {
    case "num":
      return e.value;
    case "var":
      return vars[e.name] ?? NaN;
    case "neg":
      return -evaluateExpression(e.arg, vars);
    case "call":
      return FUNCTIONS[e.fn].f(...e.args.map((a) => evaluateExpression(a, vars)));
    case "bin": {
      const a = evaluateExpression(e.left, vars);
      const b = evaluateExpression(e.right, vars);
      switch (e.op) {
        case "+":
          return a + b;
        case "-":
          return a - b;
        case "*":
          return a * b;
        case "/":
          return a / b;
        case "^":
          return Math.pow(a, b);
      }
    }
  }
}

/** An affine form: constant + sum of coef[name] * name. */
export interface AffineForm {
  constant: number;
  coef: Record<string, number>;
}

/**
 * The expression as an affine form of its variables, or a reason why it is not linear
 * (a product of two variables, a variable in a denominator, exponent or function).
 */
export function affineFormOf(e: Expr): { ok: true; form: AffineForm } | { ok: false; message: string } {
  try {
    return { ok: true, form: affine(e) };
  } catch (err) {
    if (err instanceof NotLinear) return { ok: false, message: err.message };
    throw err;
  }
}

class NotLinear extends Error {}

function affine(e: Expr): AffineForm {
  const isConst = (f: AffineForm) => Object.values(f.coef).every((c) => c === 0);
  const scale = (f: AffineForm, k: number): AffineForm => ({
    constant: f.constant * k,
    coef: Object.fromEntries(Object.entries(f.coef).map(([n, c]) => [n, c * k])),
  });
  const add = (a: AffineForm, b: AffineForm, sign: number): AffineForm => {
    const coef = { ...a.coef };
    for (const [n, c] of Object.entries(b.coef)) coef[n] = (coef[n] ?? 0) + sign * c;
    return { constant: a.constant + sign * b.constant, coef };
  };
  switch (e.kind) {
    case "num":
      return { constant: e.value, coef: {} };
    case "var":
      return { constant: 0, coef: { [e.name]: 1 } };
    case "neg":
      return scale(affine(e.arg), -1);
    case "call": {
      const args = e.args.map(affine);
      if (!args.every(isConst)) throw new NotLinear(`${e.fn}() of an input is not linear`);
      return { constant: FUNCTIONS[e.fn].f(...args.map((a) => a.constant)), coef: {} };
    }
    case "bin": {
      const a = affine(e.left);
      const b = affine(e.right);
      switch (e.op) {
        case "+":
          return add(a, b, 1);
        case "-":
          return add(a, b, -1);
        case "*":
          if (isConst(a)) return scale(b, a.constant);
          if (isConst(b)) return scale(a, b.constant);
          throw new NotLinear("a product of two inputs is not linear");
        case "/":
          if (!isConst(b)) throw new NotLinear("dividing by an input is not linear");
          return scale(a, 1 / b.constant);
        case "^":
          if (!isConst(a) || !isConst(b)) throw new NotLinear("a power of an input is not linear");
          return { constant: Math.pow(a.constant, b.constant), coef: {} };
      }
    }
  }
}
