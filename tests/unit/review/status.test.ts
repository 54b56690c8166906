import { describe, expect, it } from 'vitest';
import { parseAnnotation, serializeAnnotation } from '../../../shared/formats/annotation-file';
import { buildExportTables } from '../../../shared/project/export-tables';
import { createProject, setStatus } from '../../../shared/project/project';
import { parseProject, serializeProject } from '../../../shared/project/schema';
import { applyImageAction, applyNeuronAction, neuronState } from '../../../shared/review/review';
import { availableActions, normalizeState, reconcileStates, REVIEW_ACTIONS, REVIEW_STATES, transition, type ReviewAction, type ReviewState, type Role } from '../../../shared/review/status';
import { annotationFor, CAL_ONE, yAndLineDocument } from '../../fixtures/project/make-project';

/**
 * Every allowed step, written out by hand from the workflow (issue 11's list): state → action → new state, and who may
 * take it. Anything not listed must be refused.
 */
const ALLOWED: Array<[ReviewState, ReviewAction, ReviewState, Role[]]> = [
  ['to-do', 'start', 'in-progress', ['tracer', 'reviewer']],
  ['to-do', 'submit', 'ready-for-review', ['tracer', 'reviewer']],
  ['in-progress', 'submit', 'ready-for-review', ['tracer', 'reviewer']],
  ['changes-requested', 'submit', 'ready-for-review', ['tracer', 'reviewer']],
  ['ready-for-review', 'reopen', 'in-progress', ['tracer', 'reviewer']],
  ['ready-for-review', 'approve', 'approved', ['reviewer']],
  ['ready-for-review', 'request-changes', 'changes-requested', ['reviewer']],
  ['approved', 'request-changes', 'changes-requested', ['reviewer']],
  ['to-do', 'exclude', 'excluded', ['tracer', 'reviewer']],
  ['in-progress', 'exclude', 'excluded', ['tracer', 'reviewer']],
  ['ready-for-review', 'exclude', 'excluded', ['tracer', 'reviewer']],
  ['changes-requested', 'exclude', 'excluded', ['tracer', 'reviewer']],
  ['approved', 'exclude', 'excluded', ['tracer', 'reviewer']],
  ['excluded', 'include', 'in-progress', ['tracer', 'reviewer']],
];

describe('the tracing and review state machine', () => {
  it('allows exactly the listed transitions, for the listed roles', () => {
    let checked = 0;
    for (const from of REVIEW_STATES)
      for (const action of REVIEW_ACTIONS)
        for (const role of ['tracer', 'reviewer'] as const) {
          const rule = ALLOWED.find(([f, a]) => f === from && a === action);
          const ctx = { role, reason: 'out of focus', traced: true };
          if (rule && rule[3].includes(role)) expect(transition(from, action, ctx), `${from} ${action} ${role}`).toBe(rule[2]);
          else expect(() => transition(from, action, ctx), `${from} ${action} ${role}`).toThrow();
          checked++;
        }
    expect(checked).toBe(6 * 7 * 2);
  });

  it('says why a step is refused', () => {
    expect(() => transition('ready-for-review', 'approve', { role: 'tracer' })).toThrow('Only a reviewer can approve; set your role in Settings.');
    expect(() => transition('in-progress', 'approve', { role: 'reviewer' })).toThrow('Cannot approve a tracing that is in progress.');
    expect(() => transition('in-progress', 'exclude', { role: 'tracer', reason: '  ' })).toThrow('Say why it is excluded.');
  });

  it('an excluded image with nothing traced goes back to to-do', () => {
    expect(transition('excluded', 'include', { role: 'tracer', traced: false })).toBe('to-do');
  });

  it('offers the buttons a role may press', () => {
    expect(availableActions('ready-for-review', 'tracer')).toEqual(['reopen', 'exclude']);
    expect(availableActions('ready-for-review', 'reviewer')).toEqual(['reopen', 'approve', 'request-changes', 'exclude']);
    expect(availableActions('approved', 'tracer')).toEqual(['exclude']);
    expect(availableActions('excluded', 'reviewer')).toEqual(['include']);
  });

  it("reads earlier builds' statuses as the one list, and reconciles a project and a file that disagree", () => {
    expect(['not-started', 'done', 'needs-review', 'rejected', 'approved', 'in-progress'].map(normalizeState)).toEqual([
      'to-do',
      'ready-for-review',
      'changes-requested',
      'changes-requested',
      'approved',
      'in-progress',
    ]);
    // The case from the field: project "done", file "in progress".
    expect(reconcileStates('ready-for-review', 'in-progress')).toBe('ready-for-review');
    expect(reconcileStates('in-progress', 'excluded')).toBe('excluded');
    const old = annotationFor(yAndLineDocument(CAL_ONE));
    const text = serializeAnnotation(old).replace('"status": "in-progress"', '"status": "done"');
    expect(parseAnnotation(text).review.status).toBe('ready-for-review');
    const project = JSON.parse(serializeProject(createProject('P', [{ path: 'a.tif', width: 1, height: 1, calibration: null }], null, '2026-01-01T00:00:00Z')));
    project.images[0].status = 'not-started';
    expect(parseProject(JSON.stringify(project)).images[0].status).toBe('to-do');
  });
});

describe('review of a file: image and neurons', () => {
  const reviewer = { role: 'reviewer' as const, userName: 'Dr. PI', now: '2026-02-03T10:00:00.000Z', traced: true };
  const tracer = { role: 'tracer' as const, userName: 'Tech', now: '2026-02-02T09:00:00.000Z', traced: true };
  const file = annotationFor(yAndLineDocument(CAL_ONE));

  it('approving stamps the reviewer and approves the neurons; an excluded neuron stays excluded', () => {
    let r = applyNeuronAction(file.review, 9, 'exclude', { ...tracer, reason: 'cut at the edge' });
    expect(r.neurons).toEqual([{ neuronId: 9, status: 'excluded', reason: 'cut at the edge' }]);
    r = applyImageAction(r, 'submit', tracer);
    r = applyImageAction(r, 'approve', reviewer);
    expect(r).toMatchObject({ status: 'approved', reviewer: 'Dr. PI', reviewedAt: '2026-02-03T10:00:00.000Z' });
    expect(neuronState(r, 1)).toEqual({ status: 'approved', reason: '' });
    expect(neuronState(r, 9)).toEqual({ status: 'excluded', reason: 'cut at the edge' });
    // Including the neuron again: it follows its image.
    r = applyNeuronAction(r, 9, 'include', tracer);
    expect(r.neurons).toBeUndefined();
    // Round trip through the file keeps all of it.
    const back = parseAnnotation(serializeAnnotation({ ...file, review: applyNeuronAction(r, 9, 'exclude', { ...reviewer, reason: 'dim' }) })).review;
    expect(back).toMatchObject({ status: 'approved', reviewer: 'Dr. PI', neurons: [{ neuronId: 9, status: 'excluded', reason: 'dim' }] });
  });

  it('a tracer cannot approve', () => {
    expect(() => applyImageAction({ ...file.review, status: 'ready-for-review' }, 'approve', tracer)).toThrow('Only a reviewer');
  });

  it('the export has one status per neuron, equal to the file’s, with the reviewer; excluded neurons are left out', () => {
    let project = createProject('P', [{ path: 'A/a.tif', width: 100, height: 100, calibration: CAL_ONE }], null, '2026-01-01T00:00:00Z');
    // The project cache says something else (as an earlier build could leave it): the file's later state wins.
    project = setStatus(project, project.images[0].id, 'in-progress', '2026-01-01T00:00:00Z');
    let review = applyImageAction(file.review, 'submit', tracer);
    review = applyImageAction(review, 'approve', reviewer);
    review = applyNeuronAction(review, 9, 'exclude', { ...reviewer, reason: 'overlaps another cell' });
    const tables = buildExportTables(project, [{ image: project.images[0], document: file.document, tracer: 'Tech', review }], { appVersion: 't', now: '2026-02-04T00:00:00Z' });
    const [header, ...rows] = tables.files[0].text.trim().split('\r\n').map((l) => l.split(','));
    expect(header).not.toContain('image_status');
    const col = (row: string[], name: string) => row[header.indexOf(name)];
    expect(rows).toHaveLength(1);
    expect([col(rows[0], 'neuron_id'), col(rows[0], 'tracer'), col(rows[0], 'review_status'), col(rows[0], 'reviewer'), col(rows[0], 'reviewed_at')]).toEqual([
      '1',
      'Tech',
      'approved',
      'Dr. PI',
      '2026-02-03T10:00:00.000Z',
    ]);
    expect(tables.warnings).toContain('1 excluded neuron left out: A/a.tif line (overlaps another cell).');
  });
});

describe('neurons follow their image', () => {
  const reviewer = { role: 'reviewer' as const, userName: 'PI', now: '2026-02-03T10:00:00.000Z', traced: true };
  const tracer = { role: 'tracer' as const, userName: 'Tech', now: '2026-02-02T09:00:00.000Z', traced: true };
  it('changes requested on one neuron; the tracer hands the image back and the neuron follows it again', () => {
    let r = applyImageAction(annotationFor(yAndLineDocument(CAL_ONE)).review, 'submit', tracer);
    r = applyNeuronAction(r, 9, 'request-changes', reviewer);
    r = applyNeuronAction(r, 1, 'exclude', { ...reviewer, reason: 'two cells' });
    expect([neuronState(r, 1).status, neuronState(r, 9).status]).toEqual(['excluded', 'changes-requested']);
    r = applyImageAction(applyImageAction(r, 'reopen', tracer), 'submit', tracer);
    expect([neuronState(r, 1).status, neuronState(r, 9).status]).toEqual(['excluded', 'ready-for-review']);
  });
});
