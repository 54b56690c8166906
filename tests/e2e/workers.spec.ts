import { readFileSync } from 'node:fs';
import type { Page, Worker } from '@playwright/test';
import type { AnnotationDocument } from '../../shared/model/document';
import { chooseAutoTool, clickImage, debug, expect, SAMPLE, test, waitForImage } from './harness';

const truth = JSON.parse(readFileSync(SAMPLE.replace('.tif', '.truth.json'), 'utf8')) as { document: AnnotationDocument };
const neuron = truth.document.neurons[0];
const soma = neuron.soma as { x: number; y: number };
const b102 = neuron.branches.find((b) => b.id === 102)!.nodes;

/** The file a worker runs starts with `name` ('trace.worker': not the automatic tracer's 'autotrace.worker'). */
const runs = (w: Worker, name: string) => (new URL(w.url()).pathname.split('/').pop() ?? '').startsWith(name);

async function workerNamed(page: Page, name: string): Promise<Worker> {
  await expect.poll(() => page.workers().some((w) => runs(w, name))).toBe(true);
  return page.workers().find((w) => runs(w, name))!;
}

/** The worker stops answering and dies of an uncaught error, as a crash inside it would. */
async function crash(worker: Worker): Promise<void> {
  await worker.evaluate(() => {
    (self as unknown as { onmessage: unknown }).onmessage = null;
    setTimeout(() => {
      throw new Error('simulated crash');
    }, 0);
  });
}

test('a crashed tracing worker is reported, restarted, and tracing goes on', async ({ app }) => {
  const { page } = app;
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  await page.keyboard.press('s');
  await clickImage(page, soma.x, soma.y);
  await page.keyboard.press('t');
  await expect.poll(() => debug(page, (d) => d.tracing().status)).toBe('ready');

  await crash(await workerNamed(page, 'trace.worker'));
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The tracing worker stopped: ');
  await expect(alert).toContainText('simulated crash');
  await expect(alert).toContainText('restarted');
  await alert.getByRole('button', { name: 'Dismiss' }).click();

  // Every later click settles: the worker is started again and the branch is traced.
  await clickImage(page, b102[0].x, b102[0].y);
  await clickImage(page, b102[30].x, b102[30].y);
  await page.keyboard.press('Enter');
  await debug(page, (d) => d.idle());
  const doc = await debug(page, (d) => d.doc());
  expect(doc.neurons[0].branches).toHaveLength(1);
  expect(doc.neurons[0].branches[0].nodes.length).toBeGreaterThan(2);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a crashed image worker is reported, restarted, and the image drawn again with the tracing kept', async ({ app }) => {
  const { page } = app;
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  await page.keyboard.press('s');
  await clickImage(page, soma.x, soma.y);
  const serial = await debug(page, (d) => d.renderSerial());

  await crash(await workerNamed(page, 'image.worker'));
  await expect(page.getByRole('alert')).toContainText('The image worker stopped: ');
  await expect(page.getByRole('alert')).toContainText('simulated crash');
  // Decoded again in a new worker and redrawn; the soma is still there.
  await expect.poll(() => debug(page, (d) => d.renderSerial())).toBeGreaterThan(serial);
  expect((await debug(page, (d) => d.doc())).neurons[0].soma).not.toBeNull();
  // The new worker answers: reading a pixel value works.
  const box = (await page.getByTestId('viewer-canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect(page.getByTestId('status-value')).toContainText(/value|c1/);
});

test("the automatic tracer's worker is started once an image has opened, before the Auto tool is chosen; the tool's first click is traced in it", async ({ app }) => {
  const { page } = app;
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  await expect(page.getByRole('button', { name: 'Auto', description: /trace its whole tree/ })).toHaveAttribute('aria-pressed', 'false');
  // Its code loads while the technician looks at the image: the first click then waits only for the trace.
  const worker = await workerNamed(page, 'autotrace.worker');
  await chooseAutoTool(page);
  await clickImage(page, soma.x, soma.y);
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons.length, { timeout: 30_000 }).toBe(1);
  expect(page.workers().filter((w) => runs(w, 'autotrace.worker'))).toEqual([worker]);
  await expect(page.getByRole('alert')).toHaveCount(0);
});
