/**
 * TensorFlow.js backend selection: tfjs-node ("tensorflow", native) when it loads, else
 * the WASM backend (XNNPack, SIMD), else the plain-JavaScript cpu backend.
 * `SDFL_TF_BACKEND=wasm|cpu|tensorflow` forces a choice (falling back if it fails).
 *
 * Only the twin's large-batch prediction uses TensorFlow.js; training runs its own
 * float64 kernels (see enn/kernels.ts and benchmarks/notes/twin.md for why).
 */
export type TfCore = typeof import("@tensorflow/tfjs-core");
export type BackendName = "tensorflow" | "wasm" | "cpu";

export interface BackendInfo {
  name: BackendName;
  /** Why a preferred backend was not used, if one was skipped. */
  notes: string[];
}

let pending: Promise<BackendInfo> | undefined;
let tfModule: TfCore | undefined;
let info: BackendInfo | undefined;

/** Initialise TensorFlow.js once (later calls return the same result) and report the backend. */
export function initBackend(env: NodeJS.ProcessEnv = process.env): Promise<BackendInfo> {
  pending ??= choose(env);
  return pending;
}

/** The initialised TensorFlow.js module and backend, or undefined before {@link initBackend} finished. */
export function readyTf(): { tf: TfCore; info: BackendInfo } | undefined {
  return tfModule && info ? { tf: tfModule, info } : undefined;
}

async function choose(env: NodeJS.ProcessEnv): Promise<BackendInfo> {
  const notes: string[] = [];
  const forced = env.SDFL_TF_BACKEND as BackendName | undefined;
  const order: BackendName[] = ["tensorflow", "wasm", "cpu"];
  const tries = forced && order.includes(forced) ? [forced, ...order.filter((b) => b !== forced)] : order;
  const tf = await import("@tensorflow/tfjs-core");
  for (const name of tries) {
    try {
      await register(name);
      if (!(await tf.setBackend(name))) throw new Error("setBackend returned false");
      await tf.ready();
      tfModule = tf;
      info = { name, notes };
      return info;
    } catch (e) {
      notes.push(`${name}: ${firstLine(e)}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could be initialised (${notes.join("; ")})`);
}

async function register(name: BackendName): Promise<void> {
  // Variable specifiers: tfjs-node is an optional dependency that may be absent.
  const spec = { tensorflow: "@tensorflow/tfjs-node", wasm: "@tensorflow/tfjs-backend-wasm", cpu: "@tensorflow/tfjs-backend-cpu" }[name];
  await import(spec);
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split("\n")[0];
}
