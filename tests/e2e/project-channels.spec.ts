import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProjectFromFolder, saveProject } from '../../electron/services/project-service';
import { decodeImage } from '../../shared/image/decode';
import { mergeChannels } from '../../shared/image/merge-channels';
import { parseProject, PROJECT_FILE_NAME } from '../../shared/project/schema';
import { chooseAutoTool, debug, expect, FIXTURES, openByDialog, ROOT, SAMPLE, test, waitForImage, type Harness } from './harness';
import { openProjectFolder } from './experiment';

/**
 * A folder of two copies of the bundled sample (channel 2 stains the nuclei), `${stem}_01.tif` and `${stem}_02.tif`,
 * in one subfolder. Each project of a test gets its own stem: opened after another, its first image is then told from
 * the other's by name, and the Auto tool is chosen on it rather than on the image it replaces.
 */
function sampleFolder(prefix: string, stem = 'veh'): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(folder, 'vehicle'));
  for (const name of [`${stem}_01.tif`, `${stem}_02.tif`]) copyFileSync(SAMPLE, join(folder, 'vehicle', name));
  return folder;
}

/** Project ▸ Open project… on `folder` (two copies of the sample), its first image (`first`) open with the Auto tool. */
async function openWithAutoTool(app: Harness, folder: string, first: string): Promise<void> {
  await openProjectFolder(app, folder, 2);
  await waitForImage(app.page, first);
  await chooseAutoTool(app.page);
}

const tracingOf = (folder: string) => parseProject(readFileSync(join(folder, PROJECT_FILE_NAME), 'utf8')).tracing;

test('a project keeps how its images are traced (channels, nuclear stain, detail): chosen before it was made, changed in the panels, there again when reopened; a project that never chose starts on channel 1 at 5 µm', async ({ app }) => {
  const { page } = app;
  const chosen = sampleFolder('ramify-channels-');
  // A project made elsewhere (the CLI's project init) that never chose its channels.
  const older = sampleFolder('ramify-channels-older-', 'old');
  await saveProject(older, (await createProjectFromFolder(older, { conditions: 'subfolder' })).project);
  const tracing = page.getByLabel('Tracing channel');
  const cellBodies = page.getByRole('region', { name: 'Automatic tracing' }).getByLabel('Cell bodies');
  const detail = page.getByLabel('Shortest branch kept');
  const batch = page.getByRole('button', { name: 'Auto-trace all images' });
  /** The Tracing panel's channel, the Auto panel's Cell bodies and detail, as their controls' values. */
  const expectPanels = async (channel: string, nucleus: string, minBranch: string) => {
    await expect(tracing).toHaveValue(channel);
    await expect(cellBodies).toHaveValue(nucleus);
    await expect(detail).toHaveValue(minBranch);
  };

  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  await chooseAutoTool(page);
  await cellBodies.selectOption({ label: 'on the nuclei of channel 2' });
  app.dialogAnswers.push(chosen);
  await page.getByRole('button', { name: 'Project ▾' }).click();
  await page.getByRole('menuitem', { name: 'New project from folder…' }).click();
  await page.getByRole('button', { name: 'Create project' }).click();
  await waitForImage(page, 'veh_01.tif');
  await chooseAutoTool(page);
  // The new project took the choice made before it existed.
  await expect.poll(() => tracingOf(chosen)).toEqual({ channel: 0, nucleusChannel: 1, minBranchUm: 5 });
  await expect(cellBodies).toHaveValue('1');

  // Tracing channel 2 cannot be the nuclear stain as well: that choice ends, and the project records both.
  await tracing.selectOption({ label: '2' });
  await expect(cellBodies).toHaveValue('');
  await expect(cellBodies.locator('option')).toHaveText(['any compact blob', 'on the nuclei of channel 1']);
  await expect.poll(() => tracingOf(chosen)).toEqual({ channel: 1, nucleusChannel: null, minBranchUm: 5 });
  await cellBodies.selectOption({ label: 'on the nuclei of channel 1' });
  await expect.poll(() => tracingOf(chosen)).toEqual({ channel: 1, nucleusChannel: 0, minBranchUm: 5 });
  // The detail slider, once it rests.
  await detail.fill('8');
  await expect.poll(() => tracingOf(chosen)).toEqual({ channel: 1, nucleusChannel: 0, minBranchUm: 8 });
  await expect(batch).toHaveAttribute('title', 'Trace every image without annotations automatically: channel 2 (cell bodies on the nuclei of channel 1), shortest branch 8 µm. They are marked for review');

  // The other project never chose: channel 1, any compact blob; opening it does not make the choice for it.
  await openWithAutoTool(app, older, 'old_01.tif');
  await expectPanels('0', '', '5');
  expect(tracingOf(older)).toBeUndefined();
  expect(tracingOf(chosen)).toEqual({ channel: 1, nucleusChannel: 0, minBranchUm: 8 });

  // A project whose channel traced is past these images' last (its other images have three): the last is shown, and
  // is not offered as the nuclear stain.
  const wider = sampleFolder('ramify-channels-wider-', 'wide');
  const { project } = await createProjectFromFolder(wider, { conditions: 'subfolder' });
  await saveProject(wider, { ...project, tracing: { channel: 2, nucleusChannel: null, minBranchUm: 5 } });
  await openWithAutoTool(app, wider, 'wide_01.tif');
  await expect(tracing).toHaveValue('1');
  await expect(cellBodies.locator('option')).toHaveText(['any compact blob', 'on the nuclei of channel 1']);
  expect(tracingOf(wider)).toEqual({ channel: 2, nucleusChannel: null, minBranchUm: 5 });

  // Reopened, the first project shows its channels again.
  await openWithAutoTool(app, chosen, 'veh_01.tif');
  await expectPanels('1', '0', '8');
  await expect(batch).toHaveAttribute('title', /channel 2 \(cell bodies on the nuclei of channel 1\), shortest branch 8 µm/);
  await page.screenshot({ path: 'test-results/project-channels.png' });
  expect(tracingOf(chosen)).toEqual({ channel: 1, nucleusChannel: 0, minBranchUm: 8 });
  rmSync(chosen, { recursive: true, force: true });
  rmSync(older, { recursive: true, force: true });
  rmSync(wider, { recursive: true, force: true });
});

/**
 * The bundled sample as a plate's site merged (Merge wavelengths): an OME-TIFF of its nuclei named "DAPI" and its
 * dendrites named "FITC 488", DAPI first unless the file is listed in `fitcFirst`; `names` copies in `vehicle/`.
 */
function namedSiteFolder(prefix: string, names: string[], fitcFirst: string[] = []): string {
  const whole = decodeImage(readFileSync(SAMPLE));
  const [dendrites, nuclei] = whole.planes;
  const channel = (plane: (typeof whole.planes)[number], name: string, c: number) => ({ image: { ...whole, info: { ...whole.info, channels: 1, channelNames: [name] }, planes: [plane] }, file: `w${c + 1}.tif`, fallbackName: `w${c + 1}` });
  const folder = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(folder, 'vehicle'));
  for (const name of names) {
    const order: Array<[typeof dendrites, string]> = fitcFirst.includes(name) ? [[dendrites, 'FITC 488'], [nuclei, 'DAPI']] : [[nuclei, 'DAPI'], [dendrites, 'FITC 488']];
    writeFileSync(join(folder, 'vehicle', name), mergeChannels(order.map(([plane, n], c) => channel(plane, n, c)), name).bytes);
  }
  return folder;
}

test("an image whose channels are named (DAPI, FITC 488) is traced as the names say, said once; a project that never chose takes it as its choice; the technician's own choice outlasts the next image's names; a batch names the site whose DAPI it traced", async ({ app }) => {
  const { page } = app;
  const loose = namedSiteFolder('ramify-named-', ['site_01.ome.tif', 'site_02.ome.tif']);
  // Its second site imaged FITC first: the project's choice, made on the first, traces its DAPI.
  const plate = namedSiteFolder('ramify-named-plate-', ['A01_s1.ome.tif', 'A01_s2.ome.tif'], ['A01_s2.ome.tif']);
  await saveProject(plate, (await createProjectFromFolder(plate, { conditions: 'subfolder' })).project);
  const tracing = page.getByLabel('Tracing channel');
  const cellBodies = page.getByRole('region', { name: 'Automatic tracing' }).getByLabel('Cell bodies');
  const notice = page.getByTestId('notice').locator('span');
  const said = 'Channels chosen by their names: tracing follows channel 2 (FITC 488), cell bodies on the nuclei of channel 1 (DAPI). The Tracing and Automatic tracing panels choose others.';

  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  await chooseAutoTool(page);
  await expect(tracing).toHaveValue('0');
  await expect(cellBodies).toHaveValue('');

  // Opened on its own: the FITC channel is traced, the cell bodies found on the DAPI nuclei.
  await openByDialog(app, join(loose, 'vehicle', 'site_01.ome.tif'));
  await expect(notice).toHaveText(said);
  await expect(tracing).toHaveValue('1');
  await expect(tracing.locator('option')).toHaveText(['1 · DAPI', '2 · FITC 488']);
  // Shown as a microscope shows them: the nuclei blue, the FITC channel green.
  await expect(page.getByLabel('Colour of channel 1')).toHaveValue('blue');
  await expect(page.getByLabel('Colour of channel 2')).toHaveValue('green');
  await chooseAutoTool(page);
  await expect(cellBodies).toHaveValue('0');
  await expect(cellBodies.locator('option')).toHaveText(['any compact blob', 'on the nuclei of channel 1 (DAPI)']);
  await page.screenshot({ path: join(ROOT, 'test-results', 'named-channels.png') });

  // The technician's choice (blobs, no nuclear stain) holds for the next image, whatever its names say.
  await cellBodies.selectOption({ label: 'any compact blob' });
  await page.getByTestId('notice').getByRole('button', { name: 'Dismiss' }).click();
  await openByDialog(app, join(loose, 'vehicle', 'site_02.ome.tif'));
  await expect(tracing).toHaveValue('1');
  await chooseAutoTool(page);
  await expect(cellBodies).toHaveValue('');
  await expect(page.getByTestId('notice')).toHaveCount(0);
  // Chosen, the DAPI channel is traced; an image opened after names it so, and the notice says it each time.
  await tracing.selectOption({ label: '1 · DAPI' });
  await openByDialog(app, join(loose, 'vehicle', 'site_01.ome.tif'));
  await expect(tracing).toHaveValue('0');
  await expect(notice).toHaveText('Channel 1 of this image is named DAPI, a nuclear stain, and it is the channel traced: the Tracing panel chooses another.');
  // A plate's DAPI wavelength saved as a file of its own (the fixture plate): nothing else in it to trace.
  await openByDialog(app, join(FIXTURES, 'tiff/metaseries/plate/TimePoint_1/Plate1_A01_s1_w2A0B1C2D3-E4F5-4A6B-8C7D-9E0F1A2B3C4D.tif'));
  await expect(notice).toHaveText("This image holds only a nuclear stain (DAPI & Hoechst): its neurites are in another file, as a plate saves each wavelength apart. Merge wavelengths… in the New project dialog makes one image of each site's files.");

  // A project that never chose (made by the CLI): its first image's names choose, and the project keeps the choice.
  await openWithAutoTool(app, plate, 'A01_s1.ome.tif');
  await expect(notice).toContainText(said);
  await expect(cellBodies).toHaveValue('0');
  await expect.poll(() => tracingOf(plate)).toEqual({ channel: 1, nucleusChannel: 0, minBranchUm: 5 });
  // Detect traces the sample's four cells on the FITC channel, their bodies found on the DAPI nuclei.
  await page.getByRole('button', { name: 'Detect neurons' }).click();
  const traced = async () => (await debug(page, (d) => d.doc())).neurons;
  await expect.poll(async () => (await traced()).length, { timeout: 60_000 }).toBe(4);
  expect((await traced()).map((n) => [n.auto?.parameters.channel, n.auto?.parameters.nucleusChannel])).toEqual([[1, 0], [1, 0], [1, 0], [1, 0]]);
  // Auto-trace all images: the site imaged in the other order is traced on its DAPI, and the notice names it.
  await page.getByRole('button', { name: 'Auto-trace all images' }).click();
  await expect(notice).toHaveText(
    'Traced 1 image automatically; it awaits review. On it the channel traced is named a nuclear stain (vehicle/A01_s2.ome.tif): its trace is of nuclei (a site imaged in another order). Left alone: 1 image open with unsaved work.',
    { timeout: 60_000 },
  );
  await page.screenshot({ path: join(ROOT, 'test-results', 'named-channels-batch.png') });
  rmSync(loose, { recursive: true, force: true });
  rmSync(plate, { recursive: true, force: true });
});
