import { describe, expect, it } from 'vitest';
import { csvField, formatNumber, roundNumber, writeCsv } from '../../../shared/formats/csv';

describe('CSV writer', () => {
  it('prints numbers without float noise, with a dot and no thousands separators', () => {
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(1234567.25)).toBe('1234567.25');
    expect(formatNumber(2 / 3)).toBe('0.6666666667');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(42)).toBe('42');
    expect(formatNumber(1.5e-7)).toBe('1.5e-7');
    expect(formatNumber(NaN)).toBe('');
    expect(formatNumber(Infinity)).toBe('');
    expect(roundNumber(0.1 + 0.2)).toBe(0.3);
  });

  it('quotes only fields that need it (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(true)).toBe('true');
  });

  it('writes header and rows with CRLF', () => {
    expect(writeCsv(['name', 'length_um'], [['cell, 1', 10.5], ['c2', null]])).toBe('name,length_um\r\n"cell, 1",10.5\r\nc2,\r\n');
  });
});
