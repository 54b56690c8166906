import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { mergePlateWavelengths } from '../../electron/services/merge-wavelengths';
import { encodeTiff } from '../../shared/formats/tiff/encode';

/**
 * Merge wavelengths… on a plate as an ImageXpress saves one at 20×: 2048² 16-bit, two wavelengths per site,
 * uncompressed, MetaSeries descriptions. Beside it, the same merge done with tifffile (read both files, write one
 * OME-TIFF), when Python has it.
 */
export async function bench(): Promise<void> {
  const SITES = 12;
  const SIZE = 2048;
  const root = await mkdtemp(join(tmpdir(), 'ramify-merge-bench-'));
  try {
    const plate = join(root, 'plate', 'TimePoint_1');
    await mkdir(plate, { recursive: true });
    let seed = 7;
    const noise = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 20) & 0x3ff;
    for (let s = 1; s <= SITES; s++) {
      for (const [w, illum] of [[1, 'FITC'], [2, 'DAPI']] as const) {
        const plane = new Uint16Array(SIZE * SIZE);
        for (let i = 0; i < plane.length; i++) plane[i] = 200 + noise();
        const description = `<MetaData><PlaneInfo><prop id="spatial-calibration-state" type="bool" value="on"/><prop id="spatial-calibration-x" type="float" value="0.65"/><prop id="spatial-calibration-y" type="float" value="0.65"/><prop id="spatial-calibration-units" type="string" value="um"/><prop id="_IllumSetting_" type="string" value="${illum}"/></PlaneInfo></MetaData>`;
        await writeFile(join(plate, `Plate1_A01_s${s}_w${w}.tif`), encodeTiff({ width: SIZE, height: SIZE, planes: [plane], bitsPerSample: 16, sampleFormat: 'uint', compression: 'none', imagejDescription: description }));
      }
    }
    const runs: number[] = [];
    for (let r = 0; r < 2; r++) {
      const t = performance.now();
      const o = await mergePlateWavelengths(join(root, 'plate'), join(root, `merged${r}`));
      runs.push(performance.now() - t);
      if (o.merged.length !== SITES) throw new Error(`merged ${o.merged.length} of ${SITES} sites`);
    }
    const mb = (SITES * 2 * SIZE * SIZE * 2) / 2 ** 20;
    console.log(`merge wavelengths: ${SITES} sites × 2 wavelengths, ${SIZE}² 16-bit (${mb.toFixed(0)} MiB read, as much written): ${runs.map((x) => x.toFixed(0)).join(' / ')} ms, ${(Math.min(...runs) / SITES).toFixed(0)} ms a site`);
    const py = `
import glob, os, sys, time, tifffile
plate, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
t = time.perf_counter()
for s in range(1, ${SITES} + 1):
    planes = [tifffile.imread(os.path.join(plate, f'Plate1_A01_s{s}_w{w}.tif')) for w in (1, 2)]
    tifffile.imwrite(os.path.join(out, f'Plate1_A01_s{s}.ome.tif'), planes, ome=True, metadata={'axes': 'CYX', 'PhysicalSizeX': 0.65, 'PhysicalSizeY': 0.65, 'Channel': {'Name': ['FITC', 'DAPI']}})
print(round((time.perf_counter() - t) * 1000))
`;
    const peer = spawnSync('python3', ['-c', py, plate, join(root, 'peer')], { encoding: 'utf8' });
    if (peer.status === 0) console.log(`  the same merge with tifffile (Python): ${peer.stdout.trim()} ms, ${(Number(peer.stdout) / SITES).toFixed(0)} ms a site`);
    else console.log(`  tifffile peer not run (${(peer.stderr || 'python3 missing').trim().split('\n').at(-1)})`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
