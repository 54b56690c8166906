import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { getFileMatchers } from 'app-builder-lib/out/fileMatcher';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_WORKERS, STRIP_WORKER_BUILT } from '../../../electron/services/strip-worker-build';

/**
 * What electron-builder packages: its configuration (checked with electron-builder's own schema validation) and a
 * production `electron-vite build` (written to a scratch folder so out/ and the E2E build are left alone): every
 * file the app loads at run time is there and inside electron-builder's `files` set. Packaging itself needs a
 * download of Electron and is never run here (`npm run dist` on a machine with internet).
 */
const ROOT = resolve(__dirname, '../../..');
const run = promisify(execFile);
let out: string;

beforeAll(async () => {
  out = await mkdtemp(join(ROOT, '.tmp-build-'));
  await run(process.execPath, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', out], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
}, 300_000);

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

const allFiles = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? allFiles(join(dir, e.name)) : [join(dir, e.name)]));

/** Relative paths a bundle loads at run time, as written in it. */
function runtimeReferences(): string[] {
  const main = readFileSync(join(out, 'main/index.js'), 'utf8');
  const refs = new Set<string>();
  for (const m of main.matchAll(/["'`](\.\.\/(?:preload|renderer)\/[\w.-]+)["'`]/g)) refs.add(join('main', m[1]));
  for (const w of Object.values(NODE_WORKERS)) if (main.includes(w.built)) refs.add(join('main', w.built));
  const html = readFileSync(join(out, 'renderer/index.html'), 'utf8');
  for (const m of html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+)"/g)) refs.add(join('renderer', m[1]));
  for (const f of allFiles(join(out, 'renderer/assets')).filter((f) => f.endsWith('.js'))) {
    for (const m of readFileSync(f, 'utf8').matchAll(/["'`/](assets\/[\w.-]+\.(?:js|css|wasm))["'`]/g)) refs.add(join('renderer', m[1]));
    for (const m of readFileSync(f, 'utf8').matchAll(/new URL\(["'`]\.?\/?([\w.-]+\.(?:js|wasm))["'`]/g)) refs.add(join('renderer/assets', m[1]));
  }
  return [...refs].map((r) => join(out, r).replace(/\/main\/\.\.\//, '/'));
}

describe('electron-builder configuration', () => {
  it('passes electron-builder’s own validation and names the targets, id, icons and file association', async () => {
    const config = await getConfig(ROOT, null, null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(config.appId).toBe('org.ramify.desktop');
    expect(config.productName).toBe('Ramify');
    expect(config.win?.target).toBe('nsis');
    expect(config.mac?.target).toBe('dmg');
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.fileAssociations).toMatchObject([{ ext: 'ramify.json', role: 'Editor' }]);
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.dist).toBe('electron-vite build && electron-builder');
  });

  it('the icons are real images of the sizes each platform needs', () => {
    const png = readFileSync(join(ROOT, 'build/icon.png'));
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024]);
    const icns = readFileSync(join(ROOT, 'build/icon.icns'));
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const types: string[] = [];
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) types.push(icns.subarray(at, at + 4).toString('latin1'));
    expect(types).toEqual(['ic07', 'ic08', 'ic09', 'ic10']);
    const ico = readFileSync(join(ROOT, 'build/icon.ico'));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const sizes = Array.from({ length: ico.readUInt16LE(4) }, (_, k) => ico[6 + 16 * k] || 256);
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256]);
    for (const s of [16, 32, 48, 64, 128, 256, 512]) expect(existsSync(join(ROOT, `build/icons/${s}x${s}.png`))).toBe(true);
    expect(readFileSync(join(ROOT, 'build/icons/icon.svg'), 'utf8')).toMatch(/^<svg /);
  });

  it('the bundled sample is where main looks for it in a packaged app', async () => {
    const config = await getConfig(ROOT, null, null);
    expect(config.extraResources).toEqual([{ from: 'build/sample', to: 'sample', filter: ['sample-neurons.tif'] }]);
    expect(existsSync(join(ROOT, 'build/sample/sample-neurons.tif'))).toBe(true);
    expect(readFileSync(join(ROOT, 'electron/main.ts'), 'utf8')).toContain("join(process.resourcesPath ?? '', 'sample', 'sample-neurons.tif')");
  });
});

describe('the production build', () => {
  it('has every file the app loads at run time, all inside electron-builder’s files set', async () => {
    const refs = runtimeReferences();
    const names = refs.map((r) => relative(out, r));
    expect(names).toEqual(expect.arrayContaining(['preload/index.cjs', 'renderer/index.html', ...Object.values(NODE_WORKERS).map((w) => `main/${w.built}`)]));
    // The renderer's three workers (image decoding, strip decoding, tracing).
    expect(names.filter((n) => /^renderer\/assets\/(image|strip|trace)\.worker-[\w-]+\.js$/.test(n)).map((n) => n.split('/')[2].split('.')[0]).sort()).toEqual(['image', 'strip', 'trace']);
    for (const r of refs) expect({ file: relative(out, r), exists: existsSync(r) }).toEqual({ file: relative(out, r), exists: true });

    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('out/main/index.js');
    const config = await getConfig(ROOT, null, null);
    const matchers = getFileMatchers(config, 'files', ROOT, { macroExpander: (p) => p, customBuildOptions: {}, globalOutDir: join(ROOT, 'dist'), defaultSrc: ROOT })!;
    expect(matchers).toHaveLength(1);
    const included = matchers[0].createFilter();
    // As packaged, the build is out/…: test each built file under that name.
    for (const f of [...allFiles(out), join(out, 'main/index.js')]) {
      const asPackaged = join(ROOT, 'out', relative(out, f));
      expect({ file: relative(ROOT, asPackaged), included: included(asPackaged, statSync(f)) }).toEqual({ file: relative(ROOT, asPackaged), included: true });
    }
    expect(included(join(ROOT, 'package.json'), statSync(join(ROOT, 'package.json')))).toBe(true);
    expect(included(join(ROOT, 'tests/fixtures/neuronj/neurites.tif'), statSync(join(ROOT, 'tests/fixtures/neuronj/neurites.tif')))).toBe(false);
  });

  it('the main process strip-decode worker starts from its built file and answers', async () => {
    const code = await readFile(join(out, 'main', STRIP_WORKER_BUILT), 'utf8');
    const w = new Worker(code, { eval: true });
    try {
      const reply = await new Promise<{ id: number; error?: unknown }>((ok, fail) => {
        w.once('message', ok);
        w.once('error', fail);
        w.postMessage({ id: 7, job: { kind: 'no-such-job' } });
      });
      expect(reply.id).toBe(7);
      expect(reply.error).toBeTruthy();
    } finally {
      await w.terminate();
    }
  });

  it('leaves the window.__ramify test handle out of the renderer (only `--mode e2e` builds have it)', () => {
    const renderer = allFiles(join(out, 'renderer')).filter((f) => /\.(js|html)$/.test(f));
    expect(renderer.length).toBeGreaterThan(3);
    for (const f of renderer) expect({ file: relative(out, f), handle: readFileSync(f, 'utf8').includes('__ramify') }).toEqual({ file: relative(out, f), handle: false });
    expect(dirname(renderer[0])).toContain(join(out, 'renderer'));
  });
});
