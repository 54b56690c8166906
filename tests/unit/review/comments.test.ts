import { describe, expect, it } from 'vitest';
import { createHistory, dispatch, undo } from '../../../shared/actions/history';
import { annotationToJson, parseAnnotation, serializeAnnotation } from '../../../shared/formats/annotation-file';
import { addComment, addReply, anchorAt, anchorPoint, followNodes, openComments, setResolved } from '../../../shared/review/comments';
import { annotationFor, CAL_ONE, yAndLineDocument } from '../../fixtures/project/make-project';

// yAndLineDocument: the Y's branch point is node 4 at (10, 54); its tips are nodes 6 (40, 94) and 8 (-20, 94).
const doc = yAndLineDocument(CAL_ONE);
const pia = { author: 'Dr. Pia', role: 'reviewer' as const, at: '2026-03-01T10:00:00.000Z' };
const tina = { author: 'Tina', role: 'tracer' as const, at: '2026-03-01T11:00:00.000Z' };

describe('comments pinned to the image', () => {
  it('a click within the tolerance of a node pins the comment on the node, elsewhere on the point', () => {
    expect(anchorAt(doc, { x: 12, y: 55 }, 4)).toEqual({ x: 10, y: 54, nodeId: 4 });
    expect(anchorAt(doc, { x: 30, y: 30 }, 4)).toEqual({ x: 30, y: 30 });
  });

  it('a node comment follows its node, keeps the last place when the node is deleted, and comes back with an undo', () => {
    const comments = addComment([], 'c1', 'Is this a branch point?', pia, { x: 10, y: 54, nodeId: 4 });
    let h = dispatch(createHistory(doc), { type: 'moveNode', nodeId: 4, x: 12, y: 60 });
    let followed = followNodes(comments, h.present);
    expect(followed[0].anchor).toEqual({ x: 12, y: 60, nodeId: 4 });
    expect(followNodes(followed, h.present)).toBe(followed);
    h = dispatch(h, { type: 'deleteNode', nodeId: 4 });
    followed = followNodes(followed, h.present);
    expect(anchorPoint(followed[0], h.present)).toEqual({ x: 12, y: 60 });
    // The comment is not part of the undoable document: an undo brings the node back, the comment is still there.
    h = undo(h);
    expect(anchorPoint(followed[0], h.present)).toEqual({ x: 12, y: 60 });
    h = undo(h);
    expect(anchorPoint(followNodes(followed, h.present)[0], h.present)).toEqual({ x: 10, y: 54 });
  });

  it('replies, resolve and reopen, stamped with who and when; open count', () => {
    let c = addComment([], 'c1', 'Missing branch at the top', pia, { x: 30, y: 30 });
    c = addComment(c, 'c2', 'Looks good overall', pia);
    c = addReply(c, 0, 'Added it', tina);
    c = setResolved(c, 0, true, tina);
    expect(c[0]).toEqual({
      id: 'c1',
      author: 'Dr. Pia',
      role: 'reviewer',
      text: 'Missing branch at the top',
      at: pia.at,
      anchor: { x: 30, y: 30 },
      replies: [{ author: 'Tina', role: 'tracer', text: 'Added it', at: tina.at }],
      resolved: true,
      resolvedBy: 'Tina',
      resolvedAt: tina.at,
    });
    expect(openComments(c)).toBe(1);
    expect(setResolved(c, 0, false, pia)[0]).toMatchObject({ resolved: false, resolvedBy: 'Dr. Pia' });
    expect(() => addReply(c, 5, 'x', tina)).toThrow('No comment #6.');
  });

  it('round trip through the file keeps every field; a comment of an earlier build is written as it was', () => {
    let comments = addComment([{ author: 'AB', text: 'old note', at: '2025-01-01T00:00:00Z' }], 'c1', 'Check this tip', pia, { x: 40, y: 94, nodeId: 6 });
    comments = setResolved(addReply(comments, 1, 'Fixed', tina), 1, true, tina);
    const file = { ...annotationFor(doc), review: { ...annotationFor(doc).review, comments } };
    const json = annotationToJson(file) as { review: { comments: unknown[] } };
    expect(json.review.comments[0]).toEqual({ author: 'AB', text: 'old note', at: '2025-01-01T00:00:00Z' });
    expect(parseAnnotation(serializeAnnotation(file)).review.comments).toEqual(comments);
    expect(json).toMatchObject({ version: 1 });
  });

  it('a bad pin in a file is refused with where and why', () => {
    const file = { ...annotationFor(doc), review: { ...annotationFor(doc).review, comments: addComment([], 'c1', 'x', pia, { x: 1, y: 1 }) } };
    const json = JSON.parse(serializeAnnotation(file));
    json.review.comments[0].anchor.x = 'left';
    expect(() => parseAnnotation(JSON.stringify(json))).toThrow(/review\.comments\[0\]\.anchor\.x/);
  });
});
