import { RamifyError } from '../result';

/**
 * Where the tracing of an image (or of one neuron) stands: the one state machine of tracing and review. The project
 * list, the review panel and the export all show this one status; nothing else says "done".
 *
 *   start            to-do → in-progress (the first save with a neuron)
 *   submit           to-do, in-progress, changes-requested → ready-for-review
 *   reopen           ready-for-review → in-progress
 *   approve          ready-for-review → approved                         (reviewer)
 *   request-changes  ready-for-review, approved → changes-requested     (reviewer)
 *   exclude          any other state → excluded (a reason is required)
 *   include          excluded → in-progress (to-do when nothing is traced)
 *
 * Approving and requesting changes are a reviewer's; everything else anyone may do.
 */
export const REVIEW_STATES = ['to-do', 'in-progress', 'ready-for-review', 'changes-requested', 'approved', 'excluded'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export const ROLES = ['tracer', 'reviewer'] as const;
export type Role = (typeof ROLES)[number];

export const REVIEW_ACTIONS = ['start', 'submit', 'reopen', 'approve', 'request-changes', 'exclude', 'include'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

/** What the user reads for each state (lists, panel, menus). */
export const STATE_LABELS: Record<ReviewState, string> = {
  'to-do': 'to do',
  'in-progress': 'in progress',
  'ready-for-review': 'ready for review',
  'changes-requested': 'changes requested',
  approved: 'approved',
  excluded: 'excluded',
};

/** Button text of each action. */
export const ACTION_LABELS: Record<ReviewAction, string> = {
  start: 'Start',
  submit: 'Ready for review',
  reopen: 'Back to tracing',
  approve: 'Approve',
  'request-changes': 'Request changes',
  exclude: 'Exclude…',
  include: 'Include again',
};

interface Rule {
  from: readonly ReviewState[];
  to: ReviewState;
  /** Only this role may take the step. */
  role?: Role;
}

const NOT_EXCLUDED = REVIEW_STATES.filter((s) => s !== 'excluded');

const RULES: Record<ReviewAction, Rule> = {
  start: { from: ['to-do'], to: 'in-progress' },
  submit: { from: ['to-do', 'in-progress', 'changes-requested'], to: 'ready-for-review' },
  reopen: { from: ['ready-for-review'], to: 'in-progress' },
  approve: { from: ['ready-for-review'], to: 'approved', role: 'reviewer' },
  'request-changes': { from: ['ready-for-review', 'approved'], to: 'changes-requested', role: 'reviewer' },
  exclude: { from: NOT_EXCLUDED, to: 'excluded' },
  include: { from: ['excluded'], to: 'in-progress' },
};

/** What changing the state needs to know. */
export interface TransitionContext {
  role: Role;
  /** Why the image or neuron is excluded (required by 'exclude'). */
  reason?: string;
  /** Whether anything is traced ('include' returns to to-do when nothing is). */
  traced?: boolean;
}

/** Why `action` is not allowed from `state` for `ctx`, or null when it is. */
export function refusal(state: ReviewState, action: ReviewAction, ctx: TransitionContext): string | null {
  const rule = RULES[action];
  if (!rule.from.includes(state)) return `Cannot ${ACTION_LABELS[action].replace('…', '').toLowerCase()} a tracing that is ${STATE_LABELS[state]}.`;
  if (rule.role && ctx.role !== rule.role) return `Only a reviewer can ${ACTION_LABELS[action].toLowerCase()}; set your role in Settings.`;
  if (action === 'exclude' && !ctx.reason?.trim()) return 'Say why it is excluded.';
  return null;
}

/** The state after `action`; throws RamifyError('invalid-transition') with the reason when it is not allowed. */
export function transition(state: ReviewState, action: ReviewAction, ctx: TransitionContext): ReviewState {
  const why = refusal(state, action, ctx);
  if (why) throw new RamifyError('invalid-transition', why);
  if (action === 'include' && ctx.traced === false) return 'to-do';
  return RULES[action].to;
}

/** The actions a user in `role` can take from `state` (those needing a reason included), in display order. */
export function availableActions(state: ReviewState, role: Role): ReviewAction[] {
  return REVIEW_ACTIONS.filter((a) => a !== 'start' && RULES[a].from.includes(state) && (!RULES[a].role || RULES[a].role === role));
}

/**
 * Statuses written by earlier builds, in the one list: a project's image status (not-started, done) and an annotation
 * file's review status (done = ready for review, needs-review was shown as "Needs changes", rejected).
 */
const LEGACY: Record<string, ReviewState> = {
  'not-started': 'to-do',
  done: 'ready-for-review',
  'needs-review': 'changes-requested',
  rejected: 'changes-requested',
};

/** Values a file or project may hold: the states and the legacy names. */
export const READABLE_STATES: readonly string[] = [...REVIEW_STATES, ...Object.keys(LEGACY)];

export function normalizeState(value: string): ReviewState {
  return (REVIEW_STATES as readonly string[]).includes(value) ? (value as ReviewState) : (LEGACY[value] ?? 'in-progress');
}

const RANK: Record<ReviewState, number> = { 'to-do': 0, 'in-progress': 1, 'changes-requested': 2, 'ready-for-review': 3, approved: 4, excluded: 5 };

/**
 * One status when a project and an annotation file of an earlier build disagree (e.g. the project's "done" and the
 * file's "in progress"): exclusion wins, else the further along. This build keeps the two equal.
 */
export function reconcileStates(a: ReviewState, b: ReviewState): ReviewState {
  return RANK[a] >= RANK[b] ? a : b;
}
