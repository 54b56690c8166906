import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Modules that import each other in a circle run in an order nobody chose (a value read before its module ran is
// undefined) and cannot be understood one at a time. The app keeps its graph acyclic; this test walks the
// value imports (`import type` is erased and cannot form a runtime cycle) with the TypeScript parser.

const ROOT = resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this spelling
    }
  }
  return null;
}

/** Value imports and re-exports of one file, resolved to files. */
export function valueImports(path: string): string[] {
  const sf = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, false, path.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out: string[] = [];
  for (const st of sf.statements) {
    let spec: ts.Expression | undefined;
    if (ts.isImportDeclaration(st) && !st.importClause?.isTypeOnly) {
      const named = st.importClause?.namedBindings;
      const onlyTypes = !st.importClause?.name && named && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
      if (!onlyTypes) spec = st.moduleSpecifier;
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && !st.isTypeOnly) spec = st.moduleSpecifier;
    if (spec && ts.isStringLiteral(spec)) {
      const target = resolveImport(path, spec.text);
      if (target) out.push(target);
    }
  }
  return out;
}

/** Strongly connected components with more than one file (or a file importing itself), by Tarjan's algorithm. */
export function importCycles(files: string[], importsOf: (f: string) => string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of importsOf(v)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || importsOf(v).includes(v)) cycles.push(scc.sort());
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return cycles;
}

describe('import graph', () => {
  it('finds a planted cycle (the check can fail)', () => {
    const graph: Record<string, string[]> = { a: ['b'], b: ['c'], c: ['a'], d: ['a'], e: [] };
    expect(importCycles(Object.keys(graph), (f) => graph[f])).toEqual([['a', 'b', 'c']]);
  });

  const cache = new Map<string, string[]>();
  const importsOf = (f: string) => cache.get(f) ?? (cache.set(f, valueImports(f)), cache.get(f)!);
  const cyclesFrom = (dir: string) => {
    const files = sourceFiles(join(ROOT, dir));
    expect(files.length).toBeGreaterThan(10);
    return importCycles(files, importsOf).map((c) => c.map((f) => relative(ROOT, f)));
  };

  it('renderer/ has no import cycles', () => {
    // Walked through shared/ too (a renderer module can close a circle through it); cycles inside shared/ alone are
    // the next test's.
    expect(cyclesFrom('renderer/src').filter((c) => c.some((f) => f.startsWith('renderer/')))).toEqual([]);
  });

  it('shared/ and electron/ have no import cycles', () => {
    expect([...cyclesFrom('shared'), ...cyclesFrom('electron')]).toEqual([]);
  });
});
