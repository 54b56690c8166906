import { create } from 'zustand';
import type { CommentAnchor, ReviewComment } from '../../../shared/formats/annotation/types';
import { addComment, addReply, anchorAt, anchorPoint, followNodes, setResolved, type CommentAuthor } from '../../../shared/review/comments';
import { save } from '../controller/document-controller';
import { setReview } from '../persistence/annotation-session';
import { fileStore, useFile } from '../persistence/file-store';
import { settingsStore } from '../settings/settings-store';
import { docStore, useDoc } from '../stores/doc-store';
import { viewer, useViewer } from '../stores/viewer-store';
import { HIT_TOLERANCE_SCREEN_PX } from '../tools/trace-tool';

// Comments pinned to the image: placing one (the C key or "Pin a comment", then a click; or a right-click anywhere),
// the thread's replies and resolve/reopen, and the jump from the list to the pin. Like review actions, every change
// saves the file at once: what a reviewer wrote is never left waiting for Ctrl+S.

export interface CommentUiState {
  /** The next left click on the image pins a comment. */
  armed: boolean;
  /** A pin placed, its text being typed. */
  pending: CommentAnchor | null;
  /** Index of the comment highlighted on the canvas and in the list. */
  selected: number | null;
}

export const useCommentUi = create<CommentUiState>(() => ({ armed: false, pending: null, selected: null }));
export const commentUi = { get: useCommentUi.getState, set: useCommentUi.setState };

/** On screen, the marker's bubble sits this far above its point, so it never covers the node it is about. */
export const MARKER_OFFSET_PX = 20;
export const MARKER_RADIUS_PX = 10;

function who(): CommentAuthor {
  const { userName, role } = settingsStore.get().settings;
  return { author: userName, role, at: new Date().toISOString() };
}

const comments = (): ReviewComment[] => fileStore.get().review?.comments ?? [];

async function commit(next: ReviewComment[]): Promise<boolean> {
  setReview({ comments: next });
  return save();
}

/** The C key and the panel's "Pin a comment" button: toggles waiting for the click that places the pin. */
export function armPin(): void {
  if (!viewer.get().info) return;
  commentUi.set((s) => ({ armed: !s.armed, pending: null }));
}

/** Starts a comment at an image point (on the node under it, if any); the composer opens there. */
export function pinAt(x: number, y: number): void {
  const tolerance = HIT_TOLERANCE_SCREEN_PX / viewer.get().camera.scale;
  commentUi.set({ armed: false, pending: anchorAt(docStore.doc(), { x, y }, tolerance), selected: null });
}

/** Esc: drops a pin being placed; false when there was none. */
export function cancelPin(): boolean {
  const { armed, pending } = commentUi.get();
  if (!armed && !pending) return false;
  commentUi.set({ armed: false, pending: null });
  return true;
}

/** Saves the pending pin with its text. */
export async function submitPin(text: string): Promise<boolean> {
  const anchor = commentUi.get().pending;
  if (!anchor || !text.trim()) return false;
  const next = addComment(comments(), crypto.randomUUID(), text.trim(), who(), anchor);
  commentUi.set({ pending: null, selected: next.length - 1 });
  return commit(next);
}

/** A comment on the whole file (no pin). */
export async function addFileComment(text: string): Promise<boolean> {
  return commit(addComment(comments(), crypto.randomUUID(), text.trim(), who()));
}

export async function reply(index: number, text: string): Promise<boolean> {
  if (!text.trim()) return false;
  return commit(addReply(comments(), index, text.trim(), who()));
}

export async function resolve(index: number, resolved: boolean): Promise<boolean> {
  return commit(setResolved(comments(), index, resolved, who()));
}

/** Highlights a comment and, when it is pinned, centres the view on it (at 100 % or closer). */
export function focusComment(index: number): void {
  commentUi.set({ selected: index, pending: null });
  const c = comments()[index];
  const p = c && anchorPoint(c, docStore.doc());
  if (!p) return;
  const { camera, viewport } = viewer.get();
  const scale = Math.max(camera.scale, 1);
  viewer.set({ camera: { scale, x: viewport.width / 2 - p.x * scale, y: viewport.height / 2 - p.y * scale } });
}

/**
 * A left click on the canvas at screen (sx, sy), image point p: places an armed pin, or selects the comment whose
 * marker is under it. True when the click was the comments' (the tool must not see it).
 */
export function commentClick(sx: number, sy: number, p: { x: number; y: number }): boolean {
  if (commentUi.get().armed) {
    pinAt(p.x, p.y);
    return true;
  }
  const { camera } = viewer.get();
  const doc = docStore.doc();
  const hit = comments().findIndex((c) => {
    const q = anchorPoint(c, doc);
    return q !== null && Math.hypot(q.x * camera.scale + camera.x - sx, q.y * camera.scale + camera.y - MARKER_OFFSET_PX - sy) <= MARKER_RADIUS_PX;
  });
  if (hit === -1) return false;
  commentUi.set({ selected: hit, pending: null });
  return true;
}

/**
 * Keeps node-pinned comments on their nodes' current positions as the document changes, so a deleted node's comment
 * stays where the node last was. Not a change of its own: it is saved with the edit that moved the node.
 */
export function startCommentFollow(): () => void {
  const offDoc = useDoc.subscribe((s, prev) => {
    if (s.history.present === prev.history.present) return;
    const review = fileStore.get().review;
    if (!review) return;
    const followed = followNodes(review.comments, s.history.present);
    if (followed !== review.comments) useFile.setState({ review: { ...review, comments: followed } });
  });
  // Another image: nothing of the last one's comments stays selected or half-written.
  const offImage = useViewer.subscribe((s, prev) => (s.file?.handle !== prev.file?.handle ? commentUi.set({ armed: false, pending: null, selected: null }) : undefined));
  return () => {
    offDoc();
    offImage();
  };
}
