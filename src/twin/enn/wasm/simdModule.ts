import { encodeModule, F64, I32, V128, op, type Bytes } from "./asm.js";

/**
 * WebAssembly SIMD (f64x2) kernels of the cascade network, encoded at start-up:
 *
 *   dense(C, ld, n, f, W, B, w, O, ldo, relu)   O[i][u] = act(B[u] + sum_j W[u][j] C[i][j])
 *   axpy4(dst, len, g0..g3, p0..p3)             dst[j] += g0 p0[j] + g1 p1[j] + g2 p2[j] + g3 p3[j]
 *   axpy1(dst, len, g0, p0)                     dst[j] += g0 p0[j]
 *
 * Pointers are byte offsets into the imported memory, sizes are element counts (float64).
 */
const G = op.get;
const S = op.set;

function denseFunction(): Bytes {
  const [C, ld, n, f, W, B, w, O, ldo, relu] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [i, u, jb, crow, orow, w0, w1, w2, w3, fb, fpair] = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
  const [a0, a1, a2, a3, c, s] = [21, 22, 23, 24, 25, 26];
  const acc = [a0, a1, a2, a3];
  const wp = [w0, w1, w2, w3];
  const fma = (a: number, wk: number): Bytes => [G(a), G(wk), G(jb), op.add, op.vload, G(c), op.vmul, op.vadd, S(a)];
  const finish = (a: number, wk: number, k: number): Bytes => [
    G(a),
    op.lane(0),
    G(a),
    op.lane(1),
    op.f64add,
    G(B),
    G(u),
    op.i32(k),
    op.add,
    op.i32(3),
    op.shl,
    op.add,
    op.f64load,
    op.f64add,
    S(s),
    G(fpair),
    G(fb),
    op.ltS,
    op.if,
    G(s),
    G(wk),
    G(fpair),
    op.add,
    op.f64load,
    G(crow),
    G(fpair),
    op.add,
    op.f64load,
    op.f64mul,
    op.f64add,
    S(s),
    op.end,
    G(orow),
    G(u),
    op.i32(k),
    op.add,
    op.i32(3),
    op.shl,
    op.add,
    G(s),
    op.f64zero,
    op.f64max,
    G(s),
    G(relu),
    op.select,
    op.f64store,
  ];
  const jLoop = (body: Bytes): Bytes => [
    op.i32(0),
    S(jb),
    op.block,
    op.loop,
    G(jb),
    G(fpair),
    op.geS,
    op.brIf(1),
    body,
    G(jb),
    op.i32(16),
    op.add,
    S(jb),
    op.br(0),
    op.end,
    op.end,
  ];
  return [
    G(f),
    op.i32(3),
    op.shl,
    S(fb),
    G(f),
    op.i32(-2),
    op.and,
    op.i32(3),
    op.shl,
    S(fpair),
    op.i32(0),
    S(i),
    op.block,
    op.loop,
    G(i),
    G(n),
    op.geS,
    op.brIf(1),
    G(C),
    G(i),
    G(ld),
    op.mul,
    op.i32(3),
    op.shl,
    op.add,
    S(crow),
    G(O),
    G(i),
    G(ldo),
    op.mul,
    op.i32(3),
    op.shl,
    op.add,
    S(orow),
    op.i32(0),
    S(u),
    op.block,
    op.loop, // four units at a time
    G(u),
    op.i32(4),
    op.add,
    G(w),
    op.gtS,
    op.brIf(1),
    G(W),
    G(u),
    G(fb),
    op.mul,
    op.add,
    S(w0),
    G(w0),
    G(fb),
    op.add,
    S(w1),
    G(w1),
    G(fb),
    op.add,
    S(w2),
    G(w2),
    G(fb),
    op.add,
    S(w3),
    acc.map((a) => [op.vzero, S(a)]),
    jLoop([G(crow), G(jb), op.add, op.vload, S(c), acc.map((a, k) => fma(a, wp[k]))]),
    acc.map((a, k) => finish(a, wp[k], k)),
    G(u),
    op.i32(4),
    op.add,
    S(u),
    op.br(0),
    op.end,
    op.end,
    op.block,
    op.loop, // remaining units
    G(u),
    G(w),
    op.geS,
    op.brIf(1),
    G(W),
    G(u),
    G(fb),
    op.mul,
    op.add,
    S(w0),
    op.vzero,
    S(a0),
    jLoop([G(crow), G(jb), op.add, op.vload, S(c), fma(a0, w0)]),
    finish(a0, w0, 0),
    G(u),
    op.i32(1),
    op.add,
    S(u),
    op.br(0),
    op.end,
    op.end,
    G(i),
    op.i32(1),
    op.add,
    S(i),
    op.br(0),
    op.end,
    op.end,
  ];
}

/** axpyK with K sources: params dst, len, g[K] (f64), p[K] (i32). */
function axpyFunction(K: number): { params: number[]; locals: [number, number][]; body: Bytes } {
  const dst = 0,
    len = 1;
  const g = Array.from({ length: K }, (_, k) => 2 + k);
  const p = Array.from({ length: K }, (_, k) => 2 + K + k);
  const jb = 2 + 2 * K,
    lb = jb + 1,
    fullb = jb + 2;
  const gv = Array.from({ length: K }, (_, k) => fullb + 1 + k);
  const term = (k: number): Bytes => [G(p[k]), G(jb), op.add, op.vload, G(gv[k]), op.vmul, op.vadd];
  const scalarTerm = (k: number): Bytes => [G(p[k]), G(lb), op.add, op.f64load, G(g[k]), op.f64mul, op.f64add];
  return {
    params: [I32, I32, ...g.map(() => F64), ...p.map(() => I32)],
    locals: [
      [3, I32],
      [K, V128],
    ],
    body: [
      G(len),
      op.i32(-2),
      op.and,
      op.i32(3),
      op.shl,
      S(lb),
      G(len),
      op.i32(3),
      op.shl,
      S(fullb),
      g.map((gk, k) => [G(gk), op.vsplat, S(gv[k])]),
      op.i32(0),
      S(jb),
      op.block,
      op.loop,
      G(jb),
      G(lb),
      op.geS,
      op.brIf(1),
      G(dst),
      G(jb),
      op.add, // address for the store
      G(dst),
      G(jb),
      op.add,
      op.vload,
      g.map((_, k) => term(k)),
      op.vstore,
      G(jb),
      op.i32(16),
      op.add,
      S(jb),
      op.br(0),
      op.end,
      op.end,
      G(lb),
      G(fullb),
      op.ltS,
      op.if,
      G(dst),
      G(lb),
      op.add,
      G(dst),
      G(lb),
      op.add,
      op.f64load,
      g.map((_, k) => scalarTerm(k)),
      op.f64store,
      op.end,
    ],
  };
}

/** The encoded module (memory imported as env.mem). */
export function simdModuleBytes(): Uint8Array {
  const a4 = axpyFunction(4);
  const a1 = axpyFunction(1);
  return encodeModule([
    {
      name: "dense",
      params: new Array(10).fill(I32),
      locals: [
        [11, I32],
        [5, V128],
        [1, F64],
      ],
      body: denseFunction(),
    },
    { name: "axpy4", params: a4.params, locals: a4.locals, body: a4.body },
    { name: "axpy1", params: a1.params, locals: a1.locals, body: a1.body },
  ]);
}
