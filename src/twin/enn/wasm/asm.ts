/**
 * A minimal WebAssembly binary encoder: just enough to emit the few SIMD kernels of
 * simdKernels.ts (functions of i32/f64/v128 locals over one imported memory).
 */
export type Bytes = number[] | Bytes[];

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/** Signed LEB128 (32-bit). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
}

const simd = (code: number, ...imm: number[]): number[] => [0xfd, ...uleb(code), ...imm];

/** The instructions used (opcodes from the WebAssembly core and SIMD specifications). */
export const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  i32: (v: number) => [0x41, ...sleb(v)],
  add: [0x6a],
  mul: [0x6c],
  and: [0x71],
  shl: [0x74],
  ltS: [0x48],
  gtS: [0x4a],
  geS: [0x4e],
  f64load: [0x2b, 3, 0],
  f64store: [0x39, 3, 0],
  f64add: [0xa0],
  f64mul: [0xa2],
  f64max: [0xa5],
  f64zero: [0x44, 0, 0, 0, 0, 0, 0, 0, 0],
  vload: simd(0, 4, 0),
  vstore: simd(11, 4, 0),
  vzero: simd(12, ...new Array(16).fill(0)),
  vsplat: simd(20),
  lane: (k: number) => simd(33, k),
  vadd: simd(240),
  vmul: simd(242),
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  end: [0x0b],
  br: (d: number) => [0x0c, d],
  brIf: (d: number) => [0x0d, d],
  select: [0x1b],
};

export interface WasmFunction {
  name: string;
  params: number[];
  /** [count, type] groups. */
  locals: [number, number][];
  body: Bytes;
}

/** A module importing memory `env.mem` and exporting the given functions (no results). */
export function encodeModule(funcs: WasmFunction[]): Uint8Array {
  const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
  const sec = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
  const str = (s: string): number[] => [...uleb(s.length), ...Array.from(Buffer.from(s))];
  const types = funcs.map((f) => [0x60, ...vec(f.params.map((t) => [t])), 0]);
  const imports = [[...str("env"), ...str("mem"), 0x02, 0x00, ...uleb(1)]];
  const exportsSec = funcs.map((f, i) => [...str(f.name), 0x00, ...uleb(i)]);
  const codes = funcs.map((f) => {
    const body = [...vec(f.locals.map(([c, t]) => [...uleb(c), t])), ...((f.body as unknown[]).flat(Infinity as 1) as number[]), 0x0b];
    return [...uleb(body.length), ...body];
  });
  return new Uint8Array([
    0,
    0x61,
    0x73,
    0x6d,
    1,
    0,
    0,
    0,
    ...sec(1, vec(types)),
    ...sec(2, vec(imports)),
    ...sec(3, vec(funcs.map((_, i) => uleb(i)))),
    ...sec(7, vec(exportsSec)),
    ...sec(10, vec(codes)),
  ]);
}
