/** The Olson-lab fixture is a faithful copy of the deposited Prism file (provenance in tests/fixtures/SOURCES.md). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadDataset, root } from './r-reference';

const source = join(root, '../shared/data/olson-cameron2021/Fig_3d_Ibogalogs_LPC_B_43_spines_copy.pzfx');

it.skipIf(!existsSync(source) && process.env.CI !== 'true')('tests/fixtures/stats/olson-fig3d-spines.csv holds the values of Table0 of the Fig 3d Prism file', () => {
  const xml = readFileSync(source, 'utf8');
  const table = xml.slice(xml.indexOf('<Table ID="Table0"'), xml.indexOf('</Table>'));
  const columns = [...table.matchAll(/<YColumn[\s\S]*?<Title>([\s\S]*?)<\/Title>([\s\S]*?)<\/YColumn>/g)].map((m) => ({
    name: m[1].replace(/<[^>]+>/g, '').trim(),
    values: [...m[2].matchAll(/<d>(.*?)<\/d>/g)].map((d) => Number(d[1])),
  }));
  expect(loadDataset('olson-fig3d-spines').groups).toEqual(columns);
});
