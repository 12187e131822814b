import type { ParamLayout } from "../arch.js";
import { simdModuleBytes } from "./simdModule.js";

/** The part of the WebAssembly JS API used here (the project's TypeScript lib has no DOM types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}
const WASM = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

interface SimdExports {
  dense(C: number, ld: number, n: number, f: number, W: number, B: number, w: number, O: number, ldo: number, relu: number): void;
  axpy4(dst: number, len: number, g0: number, g1: number, g2: number, g3: number, p0: number, p1: number, p2: number, p3: number): void;
  axpy1(dst: number, len: number, g0: number, p0: number): void;
}

/**
 * The cascade kernels of kernels.ts on WebAssembly SIMD (f64x2, one instance and memory
 * per thread). Arrays passed in must be views into this instance's memory (from
 * {@link SimdKernels.arena}); pointers are their byte offsets. Same maths as the
 * JavaScript kernels; sums are grouped differently, so results differ in the last bits.
 */
export class SimdKernels {
  readonly name = "wasm-simd-f64";
  private readonly memory: WasmMemory;
  private readonly x: SimdExports;
  private rows = new Int32Array(64);

  private constructor(module: object) {
    this.memory = new WASM!.Memory({ initial: 16 });
    this.x = new WASM!.Instance(module, { env: { mem: this.memory } }).exports as unknown as SimdExports;
  }

  private static module?: object | null;

  /** The kernels, or undefined where WebAssembly SIMD is unavailable. */
  static create(): SimdKernels | undefined {
    if (SimdKernels.module === undefined) {
      try {
        if (!WASM) throw new Error("no WebAssembly");
        SimdKernels.module = new WASM.Module(simdModuleBytes());
      } catch {
        SimdKernels.module = null;
      }
    }
    return SimdKernels.module ? new SimdKernels(SimdKernels.module) : undefined;
  }

  /**
   * Fresh float64 arrays of the given lengths in this instance's memory (16-byte aligned).
   * Invalidates arrays from earlier calls.
   */
  arena(sizes: number[]): Float64Array[] {
    const padded = sizes.map((s) => s + (s & 1));
    const bytes = padded.reduce((a, b) => a + b, 0) * 8;
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / 65536));
    let off = 0;
    return sizes.map((s, k) => {
      const view = new Float64Array(this.memory.buffer, off, s);
      off += padded[k] * 8;
      view.fill(0);
      return view;
    });
  }

  /** As kernels.ts memberForward. */
  forward(L: ParamLayout, p: Float64Array, C: Float64Array, n: number, Y: Float64Array): void {
    const { widths, nOut } = L.arch;
    const P = p.byteOffset;
    for (let l = 0; l < widths.length; l++) {
      this.x.dense(C.byteOffset, L.total, n, L.fanIn[l], P + 8 * L.wOff[l], P + 8 * L.bOff[l], widths[l], C.byteOffset + 8 * L.fanIn[l], L.total, 1);
    }
    this.x.dense(C.byteOffset, L.total, n, L.total, P + 8 * L.outW, P + 8 * L.outB, nOut, Y.byteOffset, nOut, 0);
  }

  /** As kernels.ts memberBackward: adds d loss / d params into grad; G is scratch. */
  backward(L: ParamLayout, p: Float64Array, C: Float64Array, n: number, dY: Float64Array, G: Float64Array, grad: Float64Array): void {
    const { d, widths, nOut } = L.arch;
    const ld = L.total;
    const x = this.x;
    const Cb = C.byteOffset,
      Gb = G.byteOffset,
      Pb = p.byteOffset,
      gb = grad.byteOffset;
    G.fill(0, 0, n * ld);
    for (let i = 0; i < n; i++) {
      for (let o = 0; o < nOut; o++) {
        const g = dY[i * nOut + o];
        if (g === 0) continue;
        grad[L.outB + o] += g;
        const wr = L.outW + o * ld;
        x.axpy1(gb + 8 * wr, ld, g, Cb + 8 * i * ld);
        x.axpy1(Gb + 8 * (i * ld + d), ld - d, g, Pb + 8 * (wr + d));
      }
    }
    const need = Math.max(n, ...widths);
    if (this.rows.length < need) this.rows = new Int32Array(need);
    const idx = this.rows;
    for (let l = widths.length - 1; l >= 0; l--) {
      const f = L.fanIn[l];
      const w = widths[l];
      for (let i = 0; i < n; i++) {
        const h = i * ld + f;
        for (let u = 0; u < w; u++) if (C[h + u] <= 0) G[h + u] = 0;
      }
      // weight and bias gradients, four rows per pass
      for (let u = 0; u < w; u++) {
        let k = 0;
        let bsum = 0;
        for (let i = 0; i < n; i++) {
          const g = G[i * ld + f + u];
          if (g !== 0) {
            idx[k++] = i;
            bsum += g;
          }
        }
        if (k === 0) continue;
        grad[L.bOff[l] + u] += bsum;
        const dst = gb + 8 * (L.wOff[l] + u * f);
        let q = 0;
        for (; q + 4 <= k; q += 4) {
          const r0 = idx[q] * ld,
            r1 = idx[q + 1] * ld,
            r2 = idx[q + 2] * ld,
            r3 = idx[q + 3] * ld;
          x.axpy4(dst, f, G[r0 + f + u], G[r1 + f + u], G[r2 + f + u], G[r3 + f + u], Cb + 8 * r0, Cb + 8 * r1, Cb + 8 * r2, Cb + 8 * r3);
        }
        for (; q < k; q++) x.axpy1(dst, f, G[idx[q] * ld + f + u], Cb + 8 * idx[q] * ld);
      }
      if (l === 0) continue; // the inputs need no gradient
      // activation gradients of the earlier hidden columns, four units per pass
      const wOff = L.wOff[l];
      for (let i = 0; i < n; i++) {
        const ci = i * ld;
        let k = 0;
        for (let u = 0; u < w; u++) if (G[ci + f + u] !== 0) idx[k++] = u;
        const dst = Gb + 8 * (ci + d);
        let q = 0;
        for (; q + 4 <= k; q += 4) {
          const u0 = idx[q],
            u1 = idx[q + 1],
            u2 = idx[q + 2],
            u3 = idx[q + 3];
          x.axpy4(
            dst,
            f - d,
            G[ci + f + u0],
            G[ci + f + u1],
            G[ci + f + u2],
            G[ci + f + u3],
            Pb + 8 * (wOff + u0 * f + d),
            Pb + 8 * (wOff + u1 * f + d),
            Pb + 8 * (wOff + u2 * f + d),
            Pb + 8 * (wOff + u3 * f + d),
          );
        }
        for (; q < k; q++) x.axpy1(dst, f - d, G[ci + f + idx[q]], Pb + 8 * (wOff + idx[q] * f + d));
      }
    }
  }
}
