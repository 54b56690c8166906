import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { annotationFromJson, annotationToJson } from '../../../shared/formats/annotation-file';
import { fileWith } from './helpers/crash-docs';
import { testServices } from '../test-services';

const SAMPLE = resolve(import.meta.dirname, '../../../build/sample/sample-neurons.tif');

/** The real main services with (a copy of) the bundled sample open; its Save As dialog answers only when the test says so. */
async function sampleOpen() {
  const folder = mkdtempSync(join(tmpdir(), 'ramify-sample-'));
  const samplePath = join(folder, 'sample-neurons.tif');
  copyFileSync(SAMPLE, samplePath);
  const asked: Array<(path: string | null) => void> = [];
  const s = testServices(mkdtempSync(join(tmpdir(), 'ramify-settings-')), {
    samplePath,
    dialogs: { showSaveTracing: () => new Promise<string | null>((answer) => asked.push(answer)) },
  });
  const opened = await s.handlers['image:openSample']();
  if (!opened.ok) throw new Error(opened.error.message);
  const { handle } = opened.value;
  const annotations = await s.handlers['annotation:open']({ handle, width: 1024, height: 1024 });
  if (!annotations.ok) throw new Error(annotations.error.message);
  return { s, handle, asked, folder };
}

describe('saving the bundled sample asks where once, however many saves arrive while the dialog is open', () => {
  it('two saves during one Save As dialog: one dialog, both land in the chosen file, the later tracing last', async () => {
    const { s, handle, asked, folder } = await sampleOpen();
    const first = s.handlers['annotation:save']({ handle, file: annotationToJson(fileWith(2)) });
    const second = s.handlers['annotation:save']({ handle, file: annotationToJson(fileWith(4)) });
    await expect.poll(() => asked.length).toBe(1);
    const target = join(folder, 'mine');
    asked[0](target);
    const [a, b] = await Promise.all([first, second]);
    expect(a.ok && b.ok).toBe(true);
    expect(asked).toHaveLength(1);
    const written = annotationFromJson(JSON.parse(readFileSync(`${target}.ramify.json`, 'utf8')));
    expect(written.document.neurons[0].branches[0].nodes).toHaveLength(4);
    // Later saves go to the same file without asking.
    expect((await s.handlers['annotation:save']({ handle, file: annotationToJson(fileWith(5)) })).ok).toBe(true);
    expect(asked).toHaveLength(1);
  });

  it('a cancelled dialog cancels every save that waited for it, writes nothing, and the next save asks again', async () => {
    const { s, handle, asked, folder } = await sampleOpen();
    const first = s.handlers['annotation:save']({ handle, file: annotationToJson(fileWith(2)) });
    const second = s.handlers['annotation:save']({ handle, file: annotationToJson(fileWith(3)) });
    await expect.poll(() => asked.length).toBe(1);
    asked[0](null);
    for (const r of await Promise.all([first, second])) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('cancelled');
    }
    expect(existsSync(join(folder, 'sample-neurons.ramify.json'))).toBe(false);
    const third = s.handlers['annotation:save']({ handle, file: annotationToJson(fileWith(3)) });
    await expect.poll(() => asked.length).toBe(2);
    asked[1](join(folder, 'later.ramify.json'));
    expect((await third).ok).toBe(true);
    expect(existsSync(join(folder, 'later.ramify.json'))).toBe(true);
  });
});
