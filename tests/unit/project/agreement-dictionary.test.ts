import { describe, expect, it } from 'vitest';
import { AGREEMENT_HEADER, AGREEMENT_ICC_HEADER } from '../../../shared/project/agreement-tables';
import { dataDictionary } from '../../../shared/project/export-tables';

describe('agreement tables in the data dictionary', () => {
  it('documents every column of agreement.csv and agreement-icc.csv, only when the project has an assignment', () => {
    const dict = dataDictionary(['condition'], false, true);
    const documented = (file: string) => new Set(dict.filter((d) => d.file === file).map((d) => d.name));
    // agreement.csv starts with neurons.csv's identity columns (documented there) and adds its own.
    const identity = new Set(dict.filter((d) => d.file.startsWith('neurons.csv')).map((d) => d.name));
    expect(AGREEMENT_HEADER.filter((c) => !documented('agreement.csv').has(c) && !identity.has(c))).toEqual([]);
    expect(AGREEMENT_ICC_HEADER.filter((c) => !documented('agreement-icc.csv').has(c) && !documented('agreement.csv').has(c))).toEqual([]);
    expect(dataDictionary(['condition']).some((d) => d.file.startsWith('agreement'))).toBe(false);
  });
});
