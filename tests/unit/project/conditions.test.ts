import { describe, expect, it } from 'vitest';
import { assignConditions, parseConditionSpec } from '../../../shared/project/conditions';
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
    expect(() => assignConditions(PATHS, { kind: 'csv', file: 'm.csv', text: 'name,group\na,b\n' })).toThrow("m.csv: the header needs columns 'file' and 'condition' (found: name, group).");
  });
});

describe('parseCsv', () => {
  it('reads quotes, embedded newlines, CRLF/LF, semicolons and a missing final newline', () => {
    expect(parseCsv('a,"b ""q""","c\nd"\r\n1,,3')).toEqual([['a', 'b "q"', 'c\nd'], ['1', '', '3']]);
    expect(parseCsv('file;condition\nx.tif;A\n')).toEqual([['file', 'condition'], ['x.tif', 'A']]);
    expect(() => parseCsv('a,b\n"x,y\n')).toThrow('CSV line 2: a quoted field is never closed.');
  });
});
