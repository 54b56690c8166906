import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { connect, debug, waitForImage } from '../e2e/harness';

export interface PhaseResult {
  name: string;
  /** ms between consecutive requestAnimationFrame callbacks. */
  intervals: number[];
  /** Main-thread task time during the phase, ms (Chrome's TaskDuration). */
  taskMs: number;
  /** CPU time of every Chromium process (renderer, GPU/raster, browser) during the phase, ms: unlike wall time, it
   * does not grow when other work shares the cores. */
  cpuMs: number;
  /** Frames after which the camera had moved: proof the input reached the viewer. */
  moved: number;
}

/** utime + stime of the descendants of `root`, ms (Linux /proc; USER_HZ = 100). */
function treeCpuMs(root: number): number {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const f = readFileSync(`/proc/${d}/stat`, 'utf8');
      const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(d), { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) });
    } catch {
      // the process ended while we read
    }
  }
  let total = 0;
  const inTree = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = stats.get(p)?.ppid ?? 0, hops++) if (p === root) return true;
    return false;
  };
  for (const [pid, s] of stats) if (pid !== root && inTree(pid)) total += s.ticks;
  return total * 10;
}

type Step = { kind: 'wheel'; dy: number } | { kind: 'move'; dx: number; dy: number } | { kind: 'idle' };

/**
 * Runs `steps` in the page, one input event per animation frame (a mouse or trackpad sends at least that many),
 * and returns the intervals between frames. Events go to the viewer element as the browser would deliver them.
 */
async function runFrames(page: Page, steps: Step[]): Promise<{ intervals: number[]; moved: number }> {
  return page.evaluate(async (steps) => {
    const el = document.querySelector('[data-testid="viewer-canvas"]') as HTMLElement;
    const r = el.getBoundingClientRect();
    let x = r.left + r.width / 2;
    let y = r.top + r.height / 2;
    const pointer = (type: string, buttons: number) =>
      el.dispatchEvent(new PointerEvent(type, { clientX: x, clientY: y, pointerId: 1, pointerType: 'mouse', isPrimary: true, button: 0, buttons, bubbles: true, cancelable: true }));
    const dragging = steps.some((s) => s.kind === 'move');
    if (dragging) {
      window.dispatchEvent(new KeyboardEvent('keydown', { code: 'Space', key: ' ', bubbles: true }));
      await new Promise((res) => requestAnimationFrame(res));
      pointer('pointerdown', 1);
    }
    const times: number[] = [];
    const cam = () => JSON.stringify((window as unknown as { __ramify: { camera(): unknown } }).__ramify.camera());
    let last = cam();
    let moved = 0;
    await new Promise<void>((resolve) => {
      let i = 0;
      const frame = (t: number) => {
        times.push(t);
        const now = cam();
        if (now !== last) moved++;
        last = now;
        if (i === steps.length) return resolve();
        const s = steps[i++];
        if (s.kind === 'wheel') el.dispatchEvent(new WheelEvent('wheel', { deltaY: s.dy, deltaMode: 0, clientX: x, clientY: y, bubbles: true, cancelable: true }));
        else if (s.kind === 'move') {
          x += s.dx;
          y += s.dy;
          pointer('pointermove', 1);
        }
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    if (dragging) {
      pointer('pointerup', 0);
      window.dispatchEvent(new KeyboardEvent('keyup', { code: 'Space', key: ' ', bubbles: true }));
    }
    return { intervals: times.slice(1).map((t, i) => t - times[i]), moved };
  }, steps);
}

const zoomInOut = (frames: number, dy: number): Step[] => Array.from({ length: frames }, (_, i) => ({ kind: 'wheel', dy: i < frames / 2 ? -dy : dy }));
// A circle of drags: ends where it started, covers all directions.
const dragCircle = (frames: number, px: number): Step[] =>
  Array.from({ length: frames }, (_, i) => ({ kind: 'move', dx: Math.round(px * Math.cos((2 * Math.PI * i) / frames)), dy: Math.round(px * Math.sin((2 * Math.PI * i) / frames)) }));

/** Opens `image` and imports `swc` in the built renderer, then times scripted zoom and pan phases. */
export async function scriptedNavigation(chromiumPath: string, image: string, swc: string, expectedNodes: number): Promise<PhaseResult[]> {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  const settingsDir = mkdtempSync(join(tmpdir(), 'ramify-canvas-bench-settings-'));
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 })).newPage();
    // tsx compiles this file with esbuild's keepNames: functions sent to the page call its __name helper.
    await page.addInitScript('globalThis.__name = (f) => f');
    const app = await connect(page as never, settingsDir);
    await app.start();
    await waitForImage(page as never, 'sample-neurons.tif');
    app.dialogAnswers.push(image);
    await app.services.menuActions.open();
    await waitForImage(page as never, basename(image));
    app.dialogAnswers.push(swc);
    app.services.menuActions.command('file:importTracing');
    for (let t = 0; ; t++) {
      const n = await debug(page as never, (d) => d.doc().neurons.reduce((s, n) => s + n.branches.reduce((t, b) => t + b.nodes.length, 0), 0));
      if (n === expectedNodes) break;
      if (t > 600) throw new Error(`import gave ${n} nodes, expected ${expectedNodes}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // Chromium is a child of this process: its whole tree, without this process itself.
    const pid = process.pid;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const taskMs = async () => ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
    const results: PhaseResult[] = [];
    const phase = async (name: string, steps: Step[]) => {
      await runFrames(page, Array.from({ length: 20 }, () => ({ kind: 'idle' }))); // settle
      const t0 = await taskMs();
      const c0 = treeCpuMs(pid);
      const { intervals, moved } = await runFrames(page, steps);
      results.push({ name, intervals, taskMs: (await taskMs()) - t0, cpuMs: treeCpuMs(pid) - c0, moved });
    };
    await phase('wheel zoom in and out, from fit', zoomInOut(120, 12));
    await phase('Space-drag at fit', dragCircle(120, 8));
    await page.keyboard.press('1');
    await phase('wheel zoom in and out, from 100 %', zoomInOut(120, 12));
    await phase('Space-drag at 100 %', dragCircle(120, 8));
    return results;
  } finally {
    await browser.close();
    rmSync(settingsDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
}
