import type { CommentAnchor, CommentReply, ReviewComment } from '../formats/annotation/types';
import { hitTest } from '../model/hit-test';
import { findNode } from '../model/queries';
import type { AnnotationDocument } from '../model/document';

/**
 * Comments of a file's review, pinned to the image or not, with replies and resolve/reopen. They live in the review,
 * not in the undoable document: an undo never takes back what a reviewer wrote. The list only grows (a comment is
 * resolved, never deleted), so a comment's index is a stable address for the session. Pure: callers pass ids and
 * times.
 */

/** Who writes or resolves, and when. */
export interface CommentAuthor {
  author: string;
  role?: CommentReply['role'];
  at: string;
}

/**
 * Where a click at `point` pins a comment: on the node within `tolerancePx` (it then follows the node), else on the
 * point itself.
 */
export function anchorAt(doc: AnnotationDocument, point: { x: number; y: number }, tolerancePx: number): CommentAnchor {
  const hit = hitTest(doc, point, tolerancePx);
  return hit?.kind === 'node' ? { x: hit.point.x, y: hit.point.y, nodeId: hit.nodeId } : { x: point.x, y: point.y };
}

/** Where the comment shows: on its node while the node exists, else where it was last; null when not pinned. */
export function anchorPoint(comment: ReviewComment, doc: AnnotationDocument): { x: number; y: number } | null {
  if (!comment.anchor) return null;
  const { nodeId } = comment.anchor;
  const node = nodeId === undefined ? undefined : findNode(doc, nodeId)?.node;
  return node ? { x: node.x, y: node.y } : { x: comment.anchor.x, y: comment.anchor.y };
}

/**
 * The comments with each node-pinned anchor moved to its node's position, so a comment keeps the node's last place
 * when the node is deleted. Returns the same array when nothing moved.
 */
export function followNodes(comments: ReviewComment[], doc: AnnotationDocument): ReviewComment[] {
  let changed = false;
  const next = comments.map((c) => {
    const p = c.anchor?.nodeId === undefined ? null : anchorPoint(c, doc);
    if (!p || !c.anchor || (p.x === c.anchor.x && p.y === c.anchor.y)) return c;
    changed = true;
    return { ...c, anchor: { ...c.anchor, x: p.x, y: p.y } };
  });
  return changed ? next : comments;
}

export function addComment(comments: ReviewComment[], id: string, text: string, who: CommentAuthor, anchor?: CommentAnchor): ReviewComment[] {
  const comment: ReviewComment = { id, author: who.author, ...(who.role ? { role: who.role } : {}), text, at: who.at, ...(anchor ? { anchor } : {}) };
  return [...comments, comment];
}

function update(comments: ReviewComment[], index: number, change: (c: ReviewComment) => ReviewComment): ReviewComment[] {
  if (!comments[index]) throw new RangeError(`No comment #${index + 1}.`);
  return comments.map((c, i) => (i === index ? change(c) : c));
}

export function addReply(comments: ReviewComment[], index: number, text: string, who: CommentAuthor): ReviewComment[] {
  const reply: CommentReply = { author: who.author, ...(who.role ? { role: who.role } : {}), text, at: who.at };
  return update(comments, index, (c) => ({ ...c, replies: [...(c.replies ?? []), reply] }));
}

/** Resolves or reopens; the stamp says who did it last. */
export function setResolved(comments: ReviewComment[], index: number, resolved: boolean, who: CommentAuthor): ReviewComment[] {
  return update(comments, index, (c) => ({ ...c, resolved, resolvedBy: who.author, resolvedAt: who.at }));
}

/** Comments still asking for something. */
export const openComments = (comments: readonly ReviewComment[]): number => comments.filter((c) => !c.resolved).length;
