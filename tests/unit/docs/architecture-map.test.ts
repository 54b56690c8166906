import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The maps for newcomers name real files: when a module moves or a test is renamed, this fails and the map is fixed
// in the same change, so ARCHITECTURE.md and the breakage checklist cannot quietly rot.

const ROOT = resolve(import.meta.dirname, '../../..');
const read = (rel: string) => readFileSync(join(ROOT, rel), 'utf8');

/** Backticked tokens that name repository paths: `shared/model/`, `electron/main.ts`, `eslint.config.js`. */
export function backtickedPaths(markdown: string): string[] {
  const out = new Set<string>();
  for (const [, token] of markdown.matchAll(/`([^`\s]+)`/g)) {
    if (!/^[\w.-]+(\/[\w.-]+)*\/?$/.test(token) || token.startsWith('.')) continue;
    if (token.includes('/') || /\.(ts|tsx|mjs|js|md|json|yml)$/.test(token)) out.add(token);
  }
  return [...out];
}

/** Test references of the breakage checklist: `tests/…` › “test title”. */
export function testReferences(markdown: string): Array<{ file: string; title: string }> {
  return [...markdown.matchAll(/`(tests\/[^`]+)`\s*›\s*“([^”]+)”/g)].map(([, file, title]) => ({ file, title }));
}

/** Folders that builds and test runs make: named in the docs, absent from a fresh clone. */
const GENERATED = ['out/', 'dist/', 'test-results/'];
const missing = (paths: string[]) => paths.filter((p) => !GENERATED.some((g) => p.startsWith(g)) && !existsSync(join(ROOT, p)));

describe('the extractors', () => {
  it('find backticked paths and test references, and report a path that does not exist', () => {
    const sample = 'Main is `electron/main.ts`, stores in `renderer/src/stores/`, lint in `eslint.config.js`; not `window.api`, `npm run bench` or `ramify-file:`. Gone: `shared/nowhere/ghost.ts`. Built: `out/main/index.js`.';
    expect(backtickedPaths(sample)).toEqual(['electron/main.ts', 'renderer/src/stores/', 'eslint.config.js', 'shared/nowhere/ghost.ts', 'out/main/index.js']);
    expect(missing(backtickedPaths(sample))).toEqual(['shared/nowhere/ghost.ts']);
    const row = '| undo | `tests/unit/actions/history.test.ts` › “a new history has nothing to undo or redo” |';
    expect(testReferences(row)).toEqual([{ file: 'tests/unit/actions/history.test.ts', title: 'a new history has nothing to undo or redo' }]);
  });
});

describe('ARCHITECTURE.md', () => {
  const doc = read('ARCHITECTURE.md');

  it('names at least the three processes, the CLI and every top-level source folder', () => {
    const paths = backtickedPaths(doc);
    for (const p of ['electron/main.ts', 'electron/preload.ts', 'renderer/src/', 'electron/cli/', 'shared/model/', 'tests/']) expect(paths).toContain(p);
  });

  it('every path it names exists', () => {
    expect(missing(backtickedPaths(doc))).toEqual([]);
  });

  it('README.md links it and CONTRIBUTING.md', () => {
    const readme = read('README.md');
    expect(readme).toContain('](ARCHITECTURE.md)');
    expect(readme).toContain('](CONTRIBUTING.md)');
  });
});

describe('CONTRIBUTING.md', () => {
  it('every path it names exists', () => {
    expect(missing(backtickedPaths(read('CONTRIBUTING.md')))).toEqual([]);
  });
});

describe('docs/breakage-checklist.md', () => {
  const doc = read('docs/breakage-checklist.md');

  it('every test it names exists, in the file it names', () => {
    const refs = testReferences(doc);
    expect(refs.length).toBeGreaterThan(10);
    const broken = refs.filter(({ file, title }) => !existsSync(join(ROOT, file)) || !read(file).includes(title));
    expect(broken).toEqual([]);
  });

  it('every other path it names exists', () => {
    expect(missing(backtickedPaths(doc))).toEqual([]);
  });
});
