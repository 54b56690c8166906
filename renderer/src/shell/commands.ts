import type { MenuCommand } from '../../../shared/ipc/contract';
import { api } from '../api';
import { camera, reportError } from '../image/image-session';
import { closeImage, openImage, openProjectDialog, resolveUnsaved, save, saveAndClose, stepImage } from '../controller/document-controller';
import { docStore } from '../stores/doc-store';
import { viewer, type Tool } from '../stores/viewer-store';
import { selectionCommands, VERTICES_VISIBLE_SCALE } from '../tools/edit-tool';
import { outlineTool } from '../tools/soma-tool';
import { traceTool } from '../tools/trace-tool';
import { ensureLiveWire } from '../tracing/live-wire-session';
import { exportSwc, importTracing } from '../persistence/annotation-session';
import { projectStore } from '../project/project-store';
import { exportReport } from '../results/results-store';
import { toggleChanges } from '../review/history-store';
import { isAsking } from './ask';
import { closeCover, cover, uncoverForImage } from './cover';
import { traceStore } from '../tracing/trace-store';
import { nextToReview } from '../review/review-queue';
import { armPin, cancelPin } from '../review/comment-actions';
import { stepDoubt } from '../tracing/doubt-review';
import { stepNeuronReview } from '../tracing/neuron-review';

/** One registry for every command: keyboard handling, the shortcut help and menu events all read it. */
export interface Command {
  id: string;
  /** Heading in the shortcut help. */
  group: string;
  label: string;
  /** Keys as shown to the user; the first also drives the handler when `key` matches. */
  keys: string[];
  /** KeyboardEvent.key values (without modifiers) that run the command in the renderer. */
  match?: (e: KeyboardEvent) => boolean;
  run: () => void;
}

const plain = (...keys: string[]) => (e: KeyboardEvent) => !e.ctrlKey && !e.metaKey && !e.altKey && keys.includes(e.key);
const mod = (...keys: string[]) => (e: KeyboardEvent) => (e.ctrlKey || e.metaKey) && !e.altKey && keys.includes(e.key.toLowerCase());

export async function openWithDialog(): Promise<void> {
  const r = await api()['image:openDialog']();
  if (!r.ok) return reportError(r.error.message);
  if (r.value) await openImage(r.value);
}

const setTool = (tool: Tool) => () => {
  void traceTool.cancelIfIdle();
  outlineTool.cancel();
  traceStore.set({ pick: null });
  viewer.set({ tool: viewer.get().tool === tool && tool !== 'navigate' ? 'navigate' : tool });
  if (tool === 'trace') void ensureLiveWire().catch(() => undefined);
};
const tool = () => viewer.get().tool;
const shift = (key: string) => (e: KeyboardEvent) => e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey && e.key.toLowerCase() === key;

export const commands: Command[] = [
  { id: 'file:open', group: 'File', label: 'Open image…', keys: ['Ctrl+O'], match: (e) => mod('o')(e) && !e.shiftKey, run: () => void openWithDialog() },
  { id: 'file:save', group: 'File', label: 'Save the tracing', keys: ['Ctrl+S'], match: mod('s'), run: () => void save() },
  { id: 'file:saveAndClose', group: 'File', label: 'Save and close the window', keys: [], run: () => void saveAndClose() },
  { id: 'file:importTracing', group: 'File', label: 'Import a tracing (SWC, NeuronJ .ndf)', keys: ['Ctrl+I'], match: mod('i'), run: () => void importTracing() },
  { id: 'file:exportSwc', group: 'File', label: 'Export the tracing as SWC', keys: ['Ctrl+E'], match: (e) => mod('e')(e) && !e.shiftKey, run: () => void exportSwc() },
  { id: 'file:close', group: 'File', label: 'Close image', keys: ['Ctrl+W'], run: () => void closeImage() },
  { id: 'project:new', group: 'Project', label: 'New project from a folder of images', keys: ['Ctrl+Shift+N'], match: (e) => mod('n')(e) && e.shiftKey, run: () => void newProject() },
  { id: 'project:open', group: 'Project', label: 'Open a project', keys: ['Ctrl+Shift+O'], match: (e) => mod('o')(e) && e.shiftKey, run: () => void openProjectDialog() },
  { id: 'project:report', group: 'Project', label: 'Export the report (one HTML file)', keys: [], run: () => void (projectStore.get().view && exportReport()) },
  { id: 'project:export', group: 'Project', label: 'Export the project for statistics', keys: ['Ctrl+Shift+E'], match: (e) => mod('e')(e) && e.shiftKey, run: () => projectStore.get().view && projectStore.set({ dialog: 'export' }) },
  { id: 'image:next', group: 'Project', label: 'Next image', keys: ['PageDown'], match: plain('PageDown'), run: () => void stepImage(1) },
  { id: 'image:previous', group: 'Project', label: 'Previous image', keys: ['PageUp'], match: plain('PageUp'), run: () => void stepImage(-1) },
  // N alone is "New neuron" (tracers press it all day); the queue takes Shift+N.
  { id: 'review:next', group: 'Project', label: 'Next to review: the next image ready for review (or the next the list filter shows)', keys: ['Shift+N'], match: shift('n'), run: () => void nextToReview() },
  { id: 'edit:undo', group: 'Edit', label: 'Undo', keys: ['Ctrl+Z'], match: (e) => mod('z')(e) && !e.shiftKey, run: () => undoOrCancel() },
  { id: 'edit:redo', group: 'Edit', label: 'Redo', keys: ['Ctrl+Y', 'Ctrl+Shift+Z'], match: (e) => mod('y')(e) || (mod('z')(e) && e.shiftKey), run: () => docStore.redo() },
  { id: 'tool:navigate', group: 'Tools', label: 'Hand: pan and look', keys: ['H'], match: plain('h', 'H'), run: setTool('navigate') },
  { id: 'tool:soma', group: 'Tools', label: 'Soma: click the cell body centre', keys: ['S'], match: plain('s'), run: setTool('soma') },
  { id: 'tool:outline', group: 'Tools', label: 'Soma outline: click around the cell body, Enter to close', keys: ['O'], match: plain('o'), run: setTool('outline') },
  { id: 'tool:trace', group: 'Tools', label: 'Trace: click on the soma, a path or anywhere to start a path, click along the neurite', keys: ['T'], match: plain('t'), run: setTool('trace') },
  { id: 'tool:auto', group: 'Tools', label: 'Auto: click a soma to trace its whole tree (one undo step)', keys: ['A'], match: plain('a'), run: setTool('auto') },
  {
    id: 'tool:edit',
    group: 'Tools',
    label: `Edit: click a line to select its path; click a tip or branch-point marker (any vertex from ${VERTICES_VISIBLE_SCALE * 100} % zoom) to select the node and drag it; double-click a line to insert a node`,
    keys: ['E'],
    match: plain('e'),
    run: setTool('edit'),
  },
  { id: 'review:pin', group: 'Tools', label: 'Pin a comment: then click the image or a node where it belongs (or right-click there with any tool)', keys: ['C'], match: plain('c'), run: () => armPin() },
  { id: 'tool:calibrate', group: 'Tools', label: 'Calibrate by drawing a line of known length', keys: ['K'], match: plain('k'), run: setTool('calibrate') },
  { id: 'trace:finish', group: 'Tracing', label: 'End the path being traced (one undo step), or close the outline', keys: ['Enter', 'Double-click'], match: plain('Enter'), run: () => (tool() === 'outline' ? outlineTool.finish() : void traceTool.finish()) },
  {
    id: 'trace:back',
    group: 'Tracing',
    label: 'Remove the last anchor of the path being traced (trace tool) or the last vertex (outline tool); in other tools the same as Delete',
    keys: ['Backspace'],
    match: plain('Backspace'),
    run: () => (tool() === 'outline' ? outlineTool.backspace() : tool() === 'trace' ? void traceTool.backspace() : selectionCommands.delete()),
  },
  { id: 'trace:straight', group: 'Tracing', label: 'Straight segment instead of live-wire', keys: ['Shift+click'], run: () => undefined },
  { id: 'trace:snap', group: 'Tracing', label: 'Toggle snapping to the ridge', keys: ['G'], match: plain('g'), run: () => traceStore.set({ snap: !traceStore.get().snap }) },
  { id: 'auto:nextDoubt', group: 'Tracing', label: 'Next path the automatic tracer is unsure of (drawn dotted): select it and centre the view on the place in doubt (ringed in blue)', keys: ['U'], match: plain('u'), run: () => stepDoubt(1) },
  { id: 'auto:previousDoubt', group: 'Tracing', label: 'Previous uncertain path', keys: ['Shift+U'], match: shift('u'), run: () => stepDoubt(-1) },
  {
    id: 'auto:acceptNext',
    group: 'Tracing',
    label: 'Review the automatically traced neurons one by one: show the first awaiting review, then each of its uncertain paths in turn; then accept it and show the next neuron',
    keys: ['V'],
    match: plain('v'),
    run: () => stepNeuronReview(true),
  },
  { id: 'auto:passNeuron', group: 'Tracing', label: 'Show the next neuron awaiting review, leaving the one shown for later', keys: ['Shift+V'], match: shift('v'), run: () => stepNeuronReview(false) },
  { id: 'neuron:new', group: 'Tracing', label: 'New neuron (the next soma or path goes to it)', keys: ['N'], match: plain('n'), run: () => newNeuron() },
  {
    id: 'select:delete',
    group: 'Edit',
    label: 'Delete the selection: a node (its path closes over it, paths on it move to its neighbour), a path (with the paths that start on it) or a neuron',
    keys: ['Delete'],
    match: (e) => plain('Delete')(e) && !e.shiftKey,
    run: () => selectionCommands.delete(),
  },
  { id: 'select:deleteBranch', group: 'Edit', label: 'Delete the path holding the selected node, or the selected path, with the paths that start on it', keys: ['Shift+Delete'], match: (e) => e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey && e.key === 'Delete', run: () => selectionCommands.deleteBranch() },
  { id: 'select:split', group: 'Edit', label: 'Split the path in two at the selected node', keys: ['Y'], match: plain('y'), run: () => selectionCommands.split() },
  { id: 'select:join', group: 'Edit', label: 'Join the selected end node of a detached path to a node or soma (then click it)', keys: ['J'], match: plain('j'), run: () => selectionCommands.startJoin() },
  { id: 'select:reparent', group: 'Edit', label: 'Move the selected path to another start: a node or the soma (then click it)', keys: ['R'], match: plain('r'), run: () => selectionCommands.startReparent() },
  { id: 'label:dendrite', group: 'Edit', label: 'Label the selected path: dendrite', keys: ['Shift+D'], match: shift('d'), run: () => selectionCommands.setLabel('dendrite') },
  { id: 'label:apical', group: 'Edit', label: 'Label the selected path: apical', keys: ['Shift+A'], match: shift('a'), run: () => selectionCommands.setLabel('apical') },
  { id: 'label:axon', group: 'Edit', label: 'Label the selected path: axon', keys: ['Shift+X'], match: shift('x'), run: () => selectionCommands.setLabel('axon') },
  { id: 'view:zoomIn', group: 'View', label: 'Zoom in (to the centre)', keys: ['+', 'Ctrl+='], match: plain('+', '='), run: () => camera.zoom(Math.SQRT2) },
  { id: 'view:zoomOut', group: 'View', label: 'Zoom out', keys: ['-', 'Ctrl+-'], match: plain('-', '_'), run: () => camera.zoom(Math.SQRT1_2) },
  { id: 'view:fit', group: 'View', label: 'Fit image to window', keys: ['0', 'Ctrl+0'], match: plain('0'), run: () => camera.fit() },
  { id: 'view:changesSinceReview', group: 'View', label: 'Show what changed since the last review (added, removed)', keys: ['D'], match: plain('d'), run: () => toggleChanges() },
  { id: 'view:actualSize', group: 'View', label: 'Actual size (100 %)', keys: ['1', 'Ctrl+1'], match: plain('1'), run: () => camera.actualSize() },
  { id: 'help:shortcuts', group: 'Help', label: 'Keyboard shortcuts', keys: ['?', 'F1'], match: plain('?', 'F1'), run: () => viewer.set({ dialog: viewer.get().dialog === 'shortcuts' ? null : 'shortcuts' }) },
  { id: 'ui:escape', group: 'Help', label: 'Close a dialog, or the Results, Agreement or Gallery view over the image; else cancel the path being traced, the outline or the pick; else clear the selection; else the hand tool', keys: ['Esc'], match: plain('Escape'), run: () => escape() },
  { id: 'ui:leaveField', group: 'Help', label: 'In a text or number field: done typing, the keys go back to the canvas', keys: ['Enter', 'Esc'], run: () => leaveField() },
];

function undoOrCancel(): void {
  // Undo while tracing first drops the draft, so the anchor never points at a segment that no longer exists.
  traceStore.set({ draft: null, polygon: null, pick: null });
  docStore.undo();
}

async function newProject(): Promise<void> {
  if (await resolveUnsaved('creating a project')) projectStore.set({ dialog: 'new' });
}

function newNeuron(): void {
  const id = docStore.doc().nextId;
  docStore.dispatch({ type: 'addNeuron' });
  docStore.select({ kind: 'neuron', neuronId: id });
}

function escape(): void {
  const t = traceStore.get();
  if (closeCover()) return;
  if (cancelPin()) return;
  if (t.draft) return void traceTool.cancel();
  if (t.polygon) return outlineTool.cancel();
  if (t.pick) return traceStore.set({ pick: null });
  if (docStore.get().selection) return docStore.select(null);
  viewer.set({ tool: 'navigate' });
}

/** Navigation that is not a command but belongs in the shortcut help. */
export const gestures: Array<{ keys: string; label: string }> = [
  { keys: 'Wheel', label: 'Zoom to the cursor' },
  { keys: 'Space + drag, middle drag, or drag', label: 'Pan' },
  { keys: 'Shift + wheel', label: 'Scroll horizontally' },
  { keys: 'Alt + wheel / trackpad', label: 'Scroll' },
  { keys: 'Drop a file on the window', label: 'Open it' },
];

/** Commands that leave the image alone: they run over a project view (Results, Agreement, Gallery). */
const OVER_VIEWS = new Set(['ui:escape', 'help:shortcuts', 'file:save', 'file:saveAndClose', 'project:new', 'project:open', 'project:export', 'project:report']);

/**
 * Whether a command may run with the image covered: over a modal dialog only Esc (and ? or F1 closing the shortcuts),
 * over a project view the commands that leave the image alone.
 */
function runsOverCover(id: string): boolean {
  const c = cover();
  if (c === 'dialog') return id === 'ui:escape' || (id === 'help:shortcuts' && viewer.get().dialog === 'shortcuts');
  return c === null || OVER_VIEWS.has(id);
}

/**
 * A menu command: an item clicked, or a key the menu registers (Ctrl+S among them) and that so arrives here rather than
 * as a key. Undo, redo, PageUp and PageDown are not registered (electron/menu.ts): they arrive as keys.
 */
export function runMenuCommand(command: MenuCommand): void {
  // Edit ▸ Undo chosen while typing in a field undoes the typing, as the key does (the menu does not take the key).
  const field = typingField(document.activeElement);
  if (field && (command === 'edit:undo' || command === 'edit:redo')) return void document.execCommand(command === 'edit:undo' ? 'undo' : 'redo');
  if (!runsOverCover(command) && !uncoverForImage()) return;
  commands.find((c) => c.id === command)?.run();
}

/** Inputs whose keys are typed text: shortcuts wait while one has focus. Checkboxes, colours, sliders do not type. */
const TYPING_INPUTS = new Set(['text', 'number', 'search', 'email', 'password', 'tel', 'url', 'date', 'time']);

function typingField(target: EventTarget | null): HTMLElement | null {
  if (!(target instanceof HTMLElement)) return null;
  if (target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable) return target;
  if (target instanceof HTMLInputElement && TYPING_INPUTS.has(target.type)) return target;
  return null;
}

/** Hands the keyboard back to the canvas: shortcuts go to the window again. */
function leaveField(): void {
  if (document.activeElement instanceof HTMLElement && document.activeElement !== document.body) document.activeElement.blur();
}

/**
 * A choice made with the mouse in a list, checkbox or radio keeps the keyboard on the canvas: a focused list would
 * otherwise take the next letter key as a search and change its value silently.
 */
export function handleChange(e: Event): void {
  const t = e.target;
  if (t instanceof HTMLSelectElement || (t instanceof HTMLInputElement && (t.type === 'checkbox' || t.type === 'radio'))) t.blur();
}

export function handleKeyDown(e: KeyboardEvent): void {
  if (isAsking()) return;
  const field = typingField(e.target);
  if (field) {
    // Typing goes to the field; Enter (not in multi-line text) or Esc ends typing and returns the keys to the canvas.
    if (e.key === 'Escape' || (e.key === 'Enter' && field.tagName !== 'TEXTAREA')) leaveField();
    // Esc in a dialog's field cancels the dialog, as it does in any dialog; the blur first keeps what a field saves on it.
    if (e.key === 'Escape' && cover() === 'dialog') closeCover();
    return;
  }
  const c = commands.find((c) => c.match?.(e));
  if (e.key === 'Backspace' && !c) return;
  // A key for the image pressed over a dialog or a project view does nothing (Enter still presses a dialog's button).
  if (!c || !runsOverCover(c.id)) return;
  e.preventDefault();
  c.run();
}
