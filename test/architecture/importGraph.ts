import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** One import of a source file: the file it resolves to (relative to the root, e.g. "src/bo/lab.ts"). */
export interface ImportEdge {
  from: string;
  to: string;
  /** Type-only imports vanish at run time but still couple the layers. */
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith(".ts") && !p.endsWith(".d.ts") ? [p] : [];
  });
}

/**
 * Every relative import of every .ts file under `root/src` (static `import ... from`,
 * `export ... from`, and dynamic `import("...")`), resolved to the .ts file it names.
 */
export function importGraph(root: string): { files: string[]; edges: ImportEdge[] } {
  const files = sourceFiles(join(root, "src")).map((f) => relative(root, f));
  const edges: ImportEdge[] = [];
  const pattern = /(?:^|\n)\s*(import|export)\s+(type\s+)?[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
  for (const file of files) {
    const text = readFileSync(join(root, file), "utf8");
    for (const m of text.matchAll(pattern)) {
      const spec = m[3] ?? m[4];
      if (!spec.startsWith(".")) continue;
      const to = relative(root, resolve(root, dirname(file), spec.replace(/\.js$/, ".ts")));
      edges.push({ from: file, to, typeOnly: m[2] !== undefined });
    }
  }
  return { files, edges };
}

/** The top-level part of src a file belongs to: "bo", "twin", "cli", ... ("" for src/index.ts and other root files). */
export function layerOf(file: string): string {
  const parts = file.split("/");
  return parts.length > 2 ? parts[1] : "";
}

/** Every cycle of the file graph, each as a list of files (strongly connected components larger than one file). */
export function importCycles(files: readonly string[], edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const e of edges) next.get(e.from)?.push(e.to);
  // Tarjan's strongly connected components.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return out;
}
