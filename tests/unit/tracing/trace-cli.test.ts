import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/ramify';
import { TraceHandler } from '../../../renderer/src/workers/trace-handler';
import type { TraceReply, TraceRequest } from '../../../renderer/src/workers/trace-protocol';
import { parseNdf } from '../../../shared/formats/ndf';
import { encodeTiff } from '../../../shared/formats/tiff/encode';
import { decodeImage } from '../../../shared/image/decode';
import { meanDistanceToPolyline } from '../../../shared/tracing/path-metrics';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(['trace', ...args], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

const neurites = fileURLToPath(new URL('../../fixtures/neuronj/neurites.tif', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ramify-trace-'));
const flatTif = join(dir, 'flat.tif');
// 20×20, two channels: channel 1 flat (no signal), channel 2 with a bright column 12.
const ch2 = new Uint16Array(400).fill(50);
for (let y = 0; y < 20; y++) ch2[12 + 20 * y] = 5000;
writeFileSync(flatTif, encodeTiff({ width: 20, height: 20, planes: [new Uint16Array(400).fill(300), ch2], bitsPerSample: 16, sampleFormat: 'uint', compression: 'none', imagejDescription: 'ImageJ=1.54f\nimages=2\nchannels=2\nmode=composite\n' }));

type Pt = [number, number];

describe('ramify trace', () => {
  it('on a flat image keeps the clicks exactly (no ridge to snap to) and stores the smoothed path between them', async () => {
    const r = await cli([flatTif, '--from', '0.2,0.9', '--to', '10.7,5.1', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.paths.length).toBe(1);
    expect(out.paths[0].from).toEqual([0.2, 0.9]);
    const pts: Pt[] = out.paths[0].points;
    expect(pts[0]).toEqual([0.2, 0.9]);
    expect(pts.at(-1)).toEqual([10.7, 5.1]);
    // No ridge to centre on: the live-wire staircase between the clicks (5 diagonal then 5 straight steps, its corner
    // pixel (5.5, 5.5) 2.30 px from the straight line) is smoothed, never moved farther out.
    const [ax, ay] = [0.2, 0.9];
    const [bx, by] = [10.7, 5.1];
    for (const [x, y] of pts) expect(Math.abs((bx - ax) * (y - ay) - (by - ay) * (x - ax)) / Math.hypot(bx - ax, by - ay)).toBeLessThan(2.3);
    expect(out.paths[0].length_px).toBeGreaterThanOrEqual(11.29);
    expect(out.timings.searchMs.length).toBe(1);
    expect(out.timings.costImageMs).toBeGreaterThan(0);
  });

  it('uses 1-based --channel: channel 2 puts the branch on the centre of the bright column (x = 12.5), two nodes', async () => {
    const r = await cli([flatTif, '--from', '13.4,1.5', '--to', '11.8,18.5', '--channel', '2', '--json']);
    const pts: Pt[] = JSON.parse(r.stdout).paths[0].points;
    // Snapping moves each click across the column onto its centre line and keeps its position along it.
    expect(pts.length).toBe(2);
    expect(pts[0][0]).toBeCloseTo(12.5, 6);
    expect(pts[0][1]).toBeCloseTo(1.5, 6);
    expect(pts[1][0]).toBeCloseTo(12.5, 6);
    expect(pts[1][1]).toBeCloseTo(18.5, 6);
  });

  it('a click beside the image lands on its edge: no node outside the image, snapped or not, ridge or none', async () => {
    // Channel 2's column runs off the top and bottom edges: a click 6 px above the image keeps its position along the
    // column no farther than the edge (it was carried to y = -6 along the column's line).
    const column = JSON.parse((await cli([flatTif, '--from', '12.9,-6', '--to', '12.9,40', '--channel', '2', '--json'])).stdout).paths[0].points as Pt[];
    expect(column[0][0]).toBeCloseTo(12.5, 6);
    expect(column[0][1]).toBe(0);
    expect(column.at(-1)![0]).toBeCloseTo(12.5, 6);
    expect(column.at(-1)![1]).toBe(20);
    // No ridge (channel 1 is flat): the click is kept where it was, and now that is the nearest point of the image.
    for (const snap of [[], ['--no-snap']]) {
      const r = await cli([flatTif, '--from', '-5,3.5', '--to', '30,12.25', ...snap, '--json']);
      expect(r.code).toBe(0);
      const pts: Pt[] = JSON.parse(r.stdout).paths[0].points;
      expect(pts[0]).toEqual([0, 3.5]);
      expect(pts.at(-1)).toEqual([20, 12.25]);
      for (const [x, y] of pts) expect(x >= 0 && x <= 20 && y >= 0 && y <= 20).toBe(true);
    }
  });

  it('--no-snap uses the clicks exactly; a straight click (sX,Y) 0.9 px beside the column is pulled onto its centre between them', async () => {
    const r = await cli([flatTif, '--path', '13.4,0.5 s13.4,19.5', '--channel', '2', '--no-snap', '--json']);
    const out = JSON.parse(r.stdout);
    expect(out.paths[0].clicks).toEqual([{ x: 13.4, y: 0.5 }, { x: 13.4, y: 19.5, straight: true }]);
    const pts: Pt[] = out.paths[0].points;
    expect(pts[0]).toEqual([13.4, 0.5]);
    expect(pts.at(-1)).toEqual([13.4, 19.5]);
    // More than 3 px from the anchors the stored line runs on the column centre (x = 12.5) to 0.1 px.
    const inner = pts.filter(([, y]) => y > 4 && y < 16);
    expect(inner.length).toBeGreaterThan(0);
    for (const [x] of inner) expect(Math.abs(x - 12.5)).toBeLessThan(0.1);
  });

  it('traces several branches on NeuronJ neurites.tif, as long as and within 1 px of NeuronJ\'s own tracings', async () => {
    const r = await cli([neurites, '--from', '138.5,328.5', '--to', '450.5,81.5', '--from', '450.5,81.5', '--to', '612.5,68.5', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const ndf = parseNdf(readFileSync(fileURLToPath(new URL('../../fixtures/neuronj/neurites.ndf', import.meta.url)), 'utf8'));
    for (const [i, t] of ndf.tracings.slice(0, 2).entries()) {
      const line: Pt[] = t.points.map((p) => [p.x + 0.5, p.y + 0.5]);
      const pts: Pt[] = out.paths[i].points;
      // Snapped clicks stay within the 3 px snapping radius of the clicks (NeuronJ's end vertices).
      expect(Math.hypot(pts[0][0] - line[0][0], pts[0][1] - line[0][1])).toBeLessThan(3);
      expect(Math.hypot(pts.at(-1)![0] - line.at(-1)![0], pts.at(-1)![1] - line.at(-1)![1])).toBeLessThan(3);
      expect(meanDistanceToPolyline(pts, line)).toBeLessThan(1);
    }
    // NeuronJ's polylines for these tracings are 416.9 and 168.6 px long (smoothed centre lines, as ours).
    expect(out.paths[0].length_px).toBeGreaterThan(416.9 * 0.98);
    expect(out.paths[0].length_px).toBeLessThan(416.9 * 1.03);
    expect(out.paths[1].length_px).toBeGreaterThan(168.6 * 0.98);
    expect(out.paths[1].length_px).toBeLessThan(168.6 * 1.03);
    expect(out.timings.searchMs.length).toBe(2);
  });

  it('returns exactly the nodes the app\'s tracing worker stores for the same clicks (live-wire and Shift+click)', async () => {
    const clicks: Array<[number, number, boolean]> = [[138.5, 328.5, false], [230, 262, false], [300, 205, true], [450.5, 81.5, false]];
    const r = await cli([neurites, '--path', clicks.map(([x, y, s]) => `${s ? 's' : ''}${x},${y}`).join(' '), '--json']);
    const cliNodes: Pt[] = JSON.parse(r.stdout).paths[0].points;
    // The app: the worker's own handler, driven by the message sequence trace-tool.ts sends (begin: snap, anchor;
    // each click: segment, then anchor at its last node), nodes concatenated as the document receives them.
    const image = decodeImage(new Uint8Array(readFileSync(neurites)));
    const worker = new TraceHandler();
    const ask = <R extends TraceRequest>(req: R) => worker.handle(req).value as Extract<TraceReply, { type: R['type'] }>['value'];
    ask({ type: 'setPlane', data: image.planes[0], width: image.info.width, height: image.info.height, scale: 2 });
    const origin = ask({ type: 'snap', x: clicks[0][0], y: clicks[0][1] });
    ask({ type: 'anchor', x: origin[0], y: origin[1] });
    const appNodes: Pt[] = [origin];
    for (const [x, y, straight] of clicks.slice(1)) {
      const { points } = ask({ type: 'segment', x, y, snap: true, straight });
      expect(points[0]).toEqual(appNodes.at(-1));
      appNodes.push(...points.slice(1));
      ask({ type: 'anchor', x: points.at(-1)![0], y: points.at(-1)![1] });
    }
    expect(cliNodes.length).toBeGreaterThan(20);
    expect(cliNodes).toEqual(appNodes);
  });

  it('prints a readable summary without --json', async () => {
    const r = await cli([flatTif, '--from', '0,0', '--to', '3,0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^path 1: \(0, 0\) → \(3, 0\), 2 clicks: \d+ nodes, 3(\.\d+)? px long\ncost image \d+ ms \(σ = 1\.41, 2\.00, 2\.83 px\); tracing [\d.]+ ms\n$/);
  });

  it('uses 1-based --slice on a stack: slice 2 holds the bright row y = 7, slice 1 nothing', async () => {
    // 20×20, 2 slices: slice 1 flat, slice 2 with a bright row 7.
    const row = new Uint16Array(400).fill(50);
    for (let x = 0; x < 20; x++) row[x + 20 * 7] = 5000;
    const stack = join(dir, 'stack.tif');
    writeFileSync(stack, encodeTiff({ width: 20, height: 20, planes: [new Uint16Array(400).fill(50), row], bitsPerSample: 16, sampleFormat: 'uint', compression: 'none', imagejDescription: 'ImageJ=1.54f\nimages=2\nslices=2\n' }));
    const on2 = JSON.parse((await cli([stack, '--from', '1.5,8.4', '--to', '18.5,6.8', '--slice', '2', '--json'])).stdout).paths[0].points as Pt[];
    expect(on2[0][1]).toBeCloseTo(7.5, 6);
    expect(on2.at(-1)![1]).toBeCloseTo(7.5, 6);
    const on1 = JSON.parse((await cli([stack, '--from', '1.5,8.4', '--to', '18.5,6.8', '--json'])).stdout).paths[0].points as Pt[];
    expect(on1[0]).toEqual([1.5, 8.4]);
    const out = await cli([stack, '--from', '1,2', '--to', '2,3', '--slice', '3']);
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(`ramify trace: --slice 3 is out of range: ${stack} has 2 slices.\n`);
  });

  it('exits 1 with usage on bad arguments', async () => {
    for (const args of [[], [flatTif], [flatTif, '--from', '1,2'], [flatTif, '--from', '1', '--to', '2,3'], [flatTif, '--from', '1,2', '--to', '2,3', '--channel', '0'], [flatTif, '--from', '1,2', '--to', '2,3', '--slice', '0'], [flatTif, '--from', '1,2', '--to', '2,3', '--scale', '-1'], [flatTif, '--from', '1,2', '--to', '2,3', '--bogus', 'x'], [flatTif, '--path', '1,2'], [flatTif, '--path', '1,2 x,3']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(/Usage: ramify trace/);
    }
    const ch = await cli([flatTif, '--from', '1,2', '--to', '2,3', '--channel', '3']);
    expect(ch.code).toBe(1);
    expect(ch.stderr).toBe(`ramify trace: --channel 3 is out of range: ${flatTif} has 2 channels.\n`);
  });

  it('exits 2 with one line on an unreadable image', async () => {
    const missing = await cli([join(dir, 'nope.tif'), '--from', '1,2', '--to', '2,3']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`ramify trace: cannot read ${join(dir, 'nope.tif')}: no such file\n`);
    const junk = join(dir, 'junk.tif');
    writeFileSync(junk, 'not an image at all');
    const bad = await cli([junk, '--from', '1,2', '--to', '2,3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n').length).toBe(2);
  });

  it('prints help with exit 0', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1-based as in ImageJ/);
  });
});
