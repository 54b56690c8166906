/**
 * A bench page in Debian's Chromium (headless, via playwright-core): the renderer's code measured where the app runs
 * it, beside the Node figures. The entry is bundled with esbuild as `/page.js` (an ES module; the page and its module
 * workers load the same bundle); `workers` bundles more entries, served under the URLs the code asks for (e.g.
 * `new URL('./strip.worker.ts', import.meta.url)`); any other file of `dir` is served by its name.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

export interface BenchPage {
  /** Chromium's version. */
  version: string;
  page: Page;
  close: () => Promise<void>;
}

/** The page, loaded and ready (`ready` is a global the entry defines), or a string that says why it cannot run. */
export async function openBenchPage(dir: string, entry: string, ready: string, workers: Record<string, string> = {}): Promise<BenchPage | string> {
  if (!existsSync(CHROMIUM)) return `not measured (${CHROMIUM} not installed)`;
  try {
    const require = createRequire(import.meta.url);
    const esbuild = require('esbuild') as typeof import('esbuild');
    const { chromium } = await import('playwright-core');
    const bundles: Record<string, string> = { '/page.js': entry, ...workers };
    const served = new Map<string, string>();
    for (const [url, source] of Object.entries(bundles)) {
      const outfile = join(dir, `bundle-${served.size}.js`);
      await esbuild.build({ entryPoints: [source], bundle: true, format: 'esm', outfile, logLevel: 'error' });
      served.set(url, outfile);
    }
    const server = createServer((req, res) => {
      const url = req.url ?? '/';
      if (url === '/') return void res.end('<!doctype html><script type="module" src="/page.js"></script>');
      const file = served.get(url) ?? join(dir, url.slice(1));
      if (!/^\/[\w.+-]+$/.test(url) || !existsSync(file)) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'application/octet-stream' }).end(readFileSync(file));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction((name) => name in globalThis, ready);
    return {
      version: browser.version(),
      page,
      close: async () => {
        await browser.close();
        server.close();
      },
    };
  } catch (e) {
    return `not measured (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`;
  }
}
