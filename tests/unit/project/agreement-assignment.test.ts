import { describe, expect, it } from 'vitest';
import { agreementFileOf, assignAgreement, isAgreementTracer, nameAgreementFile, parseShare } from '../../../shared/project/agreement';
import { seededRandom, shuffled } from '../../../shared/project/blinding';
import { addImages, emptyProject, setStatus } from '../../../shared/project/project';
import { parseProject, serializeProject } from '../../../shared/project/schema';

const NOW = '2026-11-30T12:00:00.000Z';
const twenty = () =>
  addImages(emptyProject('p', NOW), Array.from({ length: 20 }, (_, i) => ({ path: `c/${String(i).padStart(2, '0')}.tif`, width: 8, height: 8, calibration: null })), NOW);

describe('agreement assignment', () => {
  it('picks round(share × images) by a seeded shuffle, in project order, and records it in the project file', () => {
    const p = assignAgreement(twenty(), { share: 0.1, tracers: ['Ana', 'Ben'], seed: 42, now: NOW });
    const ids = p.images.map((i) => i.id);
    // The pick is the first 2 of the project's images shuffled with seed 42, listed in project order.
    const expected = shuffled(ids, seededRandom(42)).slice(0, 2).sort();
    expect(p.agreement).toEqual({ share: 0.1, seed: 42, tracers: ['Ana', 'Ben'], assigned: NOW, imageIds: expected, files: {} });
    expect(assignAgreement(twenty(), { share: 0.1, tracers: ['Ana', 'Ben'], seed: 42, now: NOW }).agreement!.imageIds).toEqual(expected);
    expect(parseProject(serializeProject(p)).agreement).toEqual(p.agreement);
  });

  it('never picks excluded images; at least one image; named images instead of a share', () => {
    let p = twenty();
    for (const img of p.images.slice(1)) p = setStatus(p, img.id, 'excluded', NOW, 'out of focus');
    expect(assignAgreement(p, { share: 0.01, tracers: ['Ana', 'Ben'], seed: 1, now: NOW }).agreement!.imageIds).toEqual([p.images[0].id]);
    const named = assignAgreement(twenty(), { share: 1, tracers: ['Ana', 'Ben'], seed: 0, now: NOW, imageIds: ['img-0007', 'img-0003'] });
    expect(named.agreement!.imageIds).toEqual(['img-0003', 'img-0007']);
    expect(named.agreement!.share).toBe(0.1);
  });

  it('needs two different tracers and a share in (0, 100 %]', () => {
    expect(() => assignAgreement(twenty(), { share: 0.1, tracers: ['Ana', ' Ana '], seed: 1, now: NOW })).toThrow(/two different tracers/);
    expect(() => assignAgreement(twenty(), { share: 0, tracers: ['Ana', 'Ben'], seed: 1, now: NOW })).toThrow(/between 0 and 100/);
    expect(parseShare('10%')).toBe(0.1);
    expect(parseShare('25 %')).toBe(0.25);
    expect(parseShare('0.3')).toBe(0.3);
    expect(parseShare('30')).toBe(0.3);
    expect(() => parseShare('ten')).toThrow(/percentage/);
  });

  it('each tracer gets a random file name of their own; only assigned tracers of assigned images do', () => {
    let p = assignAgreement(twenty(), { share: 1, tracers: ['Ana', 'Ben'], seed: 3, now: NOW, imageIds: ['img-0002'] });
    expect(isAgreementTracer(p, 'img-0002', 'Ana')).toBe(true);
    expect(isAgreementTracer(p, 'img-0002', 'Cleo')).toBe(false);
    expect(isAgreementTracer(p, 'img-0003', 'Ana')).toBe(false);
    p = nameAgreementFile(p, 'img-0002', 'Ana', seededRandom(1), NOW);
    p = nameAgreementFile(p, 'img-0002', 'Ben', seededRandom(1), NOW);
    const [a, b] = [agreementFileOf(p, 'img-0002', 'Ana'), agreementFileOf(p, 'img-0002', 'Ben')];
    expect(a).toMatch(/^annotations\/agreement\/[a-z2-9]{10}\.ramify\.json$/);
    // The same random stream gave the same first name: the second tracer got another one.
    expect(b).not.toBe(a);
    expect(nameAgreementFile(p, 'img-0002', 'Ana', seededRandom(9), NOW)).toBe(p);
    expect(() => nameAgreementFile(p, 'img-0003', 'Ana', seededRandom(1), NOW)).toThrow(/not assigned/);
    // Once a tracer has a file, the assignment stays.
    expect(() => assignAgreement(p, { share: 0.5, tracers: ['Ana', 'Ben'], seed: 1, now: NOW })).toThrow(/already has an agreement assignment/);
    expect(parseProject(serializeProject(p)).agreement!.files).toEqual({ 'img-0002': { Ana: a, Ben: b } });
  });
});
