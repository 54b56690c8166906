import { describe, expect, it } from 'vitest';
import { assignConditions, parseConditionSpec, wellInName } from '../../../shared/project/conditions';
import { parseCsv } from '../../../shared/project/csv-parse';

const PATHS = ['DRUG/a.tif', 'DRUG/sub/b.tif', 'VEH/c.tif', 'top.tif', 'x/VEH_12.png', 'x/KET_3.jpg', 'y/KET_3.jpg'];

describe('condition assignment', () => {
  it('by first-level subfolder; images in the root are unmatched', () => {
    const a = assignConditions(PATHS, parseConditionSpec('subfolder'));
    expect(PATHS.map((p) => a.metadata.get(p)!.condition)).toEqual(['DRUG', 'DRUG', 'VEH', '', 'x', 'x', 'y']);
    expect(a.conditions).toEqual(['DRUG', 'VEH', 'x', 'y']);
    expect(a.unmatched).toEqual([{ path: 'top.tif', reason: 'lies directly in the project folder, not in a condition subfolder' }]);
    expect(a.columns).toEqual(['condition']);
  });

  it('by a file-name regex with one capture group', () => {
    const a = assignConditions(PATHS, parseConditionSpec('regex:^([A-Z]+)_\\d+'));
    expect(PATHS.map((p) => a.metadata.get(p)!.condition)).toEqual(['', '', '', '', 'VEH', 'KET', 'KET']);
    expect(a.conditions).toEqual(['VEH', 'KET']);
    expect(a.unmatched.map((u) => u.path)).toEqual(['DRUG/a.tif', 'DRUG/sub/b.tif', 'VEH/c.tif', 'top.tif']);
    expect(a.unmatched[0].reason).toBe('file name does not match /^([A-Z]+)_\\d+/');
  });

  it('rejects patterns without a capture group or that do not compile', () => {
    expect(() => parseConditionSpec('regex:^[A-Z]+_')).toThrow(/needs one capture group/);
    expect(() => parseConditionSpec('regex:(')).toThrow(/Invalid condition pattern/);
    expect(() => parseConditionSpec('folders:2')).toThrow(/Unknown condition source 'folders:2'/);
  });

  it('by CSV: path or unique file name, extra metadata columns, unmatched and unused rows reported', () => {
    const text = [
      '\ufefffile,Condition,DIV,"plate, well"',
      'DRUG/a.tif,DRUG,14,"P1, A1"',
      'b.tif,DRUG,14,P1 A2',
      'KET_3.jpg,KET,7,x',
      'y/KET_3.jpg,KET,7,"say ""hi"""',
      'missing.tif,VEH,1,',
      'DRUG/a.tif,VEH,1,',
      'top.tif,,3,',
      '',
    ].join('\r\n');
    const a = assignConditions(PATHS, { kind: 'csv', file: 'map.csv', text });
    expect(a.columns).toEqual(['condition', 'DIV', 'plate, well']);
    expect(Object.fromEntries([...a.metadata].map(([p, m]) => [p, m]))).toEqual({
      'DRUG/a.tif': { condition: 'DRUG', DIV: '14', 'plate, well': 'P1, A1' },
      'DRUG/sub/b.tif': { condition: 'DRUG', DIV: '14', 'plate, well': 'P1 A2' },
      'VEH/c.tif': { condition: '', DIV: '', 'plate, well': '' },
      'top.tif': { condition: '', DIV: '3', 'plate, well': '' },
      'x/VEH_12.png': { condition: '', DIV: '', 'plate, well': '' },
      'x/KET_3.jpg': { condition: '', DIV: '', 'plate, well': '' },
      'y/KET_3.jpg': { condition: 'KET', DIV: '7', 'plate, well': 'say "hi"' },
    });
    expect(a.unmatched).toEqual([
      { path: 'VEH/c.tif', reason: 'not listed in map.csv' },
      { path: 'top.tif', reason: 'empty condition in map.csv line 8' },
      { path: 'x/VEH_12.png', reason: 'not listed in map.csv' },
      { path: 'x/KET_3.jpg', reason: 'not listed in map.csv' },
    ]);
    expect(a.warnings).toEqual([
      "map.csv line 4: 'KET_3.jpg' names 2 images (x/KET_3.jpg, y/KET_3.jpg); give the relative path instead.",
      "map.csv line 6: 'missing.tif' matches no image in the project.",
      "map.csv line 7: 'DRUG/a.tif' was already assigned on line 2; row ignored.",
    ]);
  });

  it('CSV without the required columns names what it found', () => {
    expect(() => assignConditions(PATHS, { kind: 'csv', file: 'm.csv', text: 'name,group\na,b\n' })).toThrow(
      "m.csv: the header needs columns 'file' and 'condition', or 'well' and 'condition' for a plate map (found: name, group).",
    );
  });

  it('by a plate map (well, condition, …): every site of a well, its column written A1 or A01; the well kept as a column', () => {
    const plate = ['TimePoint_1/Plate1_A01_s1.tif', 'TimePoint_1/Plate1_A01_s2.tif', 'TimePoint_1/Plate1_A02_s1.tif', 'Plate1_B12_s1.tif', 'Plate1_C03_s1.tif', 'overview.tif', 'Plate1_D01_s1.tif'];
    const text = ['Well,condition,dose', 'A1,vehicle,0', 'a02,ketamine,10', 'B12,ketamine,1', 'A01,DMT,1', 'Z,vehicle,0', 'H07,DMT,10', ',,', 'D01,,3'].join('\n');
    const a = assignConditions(plate, { kind: 'csv', file: 'plate-map.csv', text });
    expect(a.columns).toEqual(['condition', 'well', 'dose']);
    expect(plate.map((p) => a.metadata.get(p))).toEqual([
      { condition: 'vehicle', well: 'A01', dose: '0' },
      { condition: 'vehicle', well: 'A01', dose: '0' },
      { condition: 'ketamine', well: 'A02', dose: '10' },
      { condition: 'ketamine', well: 'B12', dose: '1' },
      { condition: '', well: 'C03', dose: '' },
      { condition: '', well: '', dose: '' },
      { condition: '', well: 'D01', dose: '3' },
    ]);
    expect(a.conditions).toEqual(['vehicle', 'ketamine']);
    expect(a.unmatched).toEqual([
      { path: 'Plate1_C03_s1.tif', reason: 'well C03 is not in plate-map.csv' },
      { path: 'overview.tif', reason: 'its name holds no well (as Plate1_A01_s1.tif does)' },
      { path: 'Plate1_D01_s1.tif', reason: 'empty condition in plate-map.csv line 9' },
    ]);
    expect(a.warnings).toEqual([
      'plate-map.csv line 5: well A01 was already given on line 2; row ignored.',
      "plate-map.csv line 6: 'Z' is not a well (a row letter and a column: A01); row ignored.",
      'plate-map.csv line 7: no image of well H07 in the project.',
    ]);
    // A CSV with both columns maps by file; its 'well' is then a column like any other.
    const both = assignConditions(plate, { kind: 'csv', file: 'm.csv', text: 'file,well,condition\nPlate1_B12_s1.tif,B12,KET\n' });
    expect(both.metadata.get('Plate1_B12_s1.tif')).toEqual({ condition: 'KET', well: 'B12' });
  });

  it('reads the well of a plate reader’s file names', () => {
    expect(['Plate1_A01_s1_w1.tif', 'A01_s2.tif', 'ket_b3.tif', 'Plate2_AF48_s1.tif', 'Plate1_A01_w2F3A1C4E.tif', 'veh_01.tif', 'Plate1.tif', 'cell_A0.tif'].map((n) => wellInName(n)?.name ?? null)).toEqual([
      'A01', 'A01', 'B03', 'AF48', 'A01', null, null, null,
    ]);
  });
});

describe('parseCsv', () => {
  it('reads quotes, embedded newlines, CRLF/LF, semicolons and a missing final newline', () => {
    expect(parseCsv('a,"b ""q""","c\nd"\r\n1,,3')).toEqual([['a', 'b "q"', 'c\nd'], ['1', '', '3']]);
    expect(parseCsv('file;condition\nx.tif;A\n')).toEqual([['file', 'condition'], ['x.tif', 'A']]);
    expect(() => parseCsv('a,b\n"x,y\n')).toThrow('CSV line 2: a quoted field is never closed.');
  });
});
