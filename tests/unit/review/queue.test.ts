import { describe, expect, it } from 'vitest';
import { filterCounts, matchesFilter, nextInQueue } from '../../../shared/review/queue';
import type { ReviewState } from '../../../shared/review/status';

// A project list in its (possibly blinded) order; ids are letters so the expected picks read off the list by eye.
const list: Array<{ id: string; status: ReviewState; toCheck?: boolean }> = [
  { id: 'a', status: 'approved' },
  { id: 'b', status: 'ready-for-review', toCheck: true },
  { id: 'c', status: 'in-progress' },
  { id: 'd', status: 'changes-requested', toCheck: true },
  { id: 'e', status: 'ready-for-review', toCheck: true },
  { id: 'f', status: 'to-do' },
  { id: 'g', status: 'excluded' },
];

describe('review queue', () => {
  it('counts each filter; "to do" holds to do and in progress', () => {
    expect(filterCounts(list)).toEqual({ all: 7, 'to-do': 2, 'ready-for-review': 2, 'changes-requested': 1, approved: 1, excluded: 1, unchecked: 3 });
    expect(list.filter((i) => matchesFilter(i, 'to-do')).map((i) => i.id)).toEqual(['c', 'f']);
  });

  it('Next to review: the next ready image after the current one in list order, wrapping around', () => {
    expect(nextInQueue(list, null, 'all')?.id).toBe('b');
    expect(nextInQueue(list, 'b', 'all')?.id).toBe('e');
    expect(nextInQueue(list, 'e', 'all')?.id).toBe('b');
    expect(nextInQueue(list, 'c', 'ready-for-review')?.id).toBe('e');
  });

  it('under another filter it walks through what the filter shows', () => {
    expect(nextInQueue(list, 'a', 'to-do')?.id).toBe('c');
    expect(nextInQueue(list, 'c', 'to-do')?.id).toBe('f');
    expect(nextInQueue(list, 'a', 'changes-requested')?.id).toBe('d');
  });

  it('"unchecked" walks through the automatic traces nobody has checked, whatever their status', () => {
    expect(list.filter((i) => matchesFilter(i, 'unchecked')).map((i) => i.id)).toEqual(['b', 'd', 'e']);
    expect(nextInQueue(list, null, 'unchecked')?.id).toBe('b');
    expect(nextInQueue(list, 'b', 'unchecked')?.id).toBe('d');
    expect(nextInQueue(list, 'e', 'unchecked')?.id).toBe('b');
  });

  it('none besides the current one: null', () => {
    expect(nextInQueue(list, 'd', 'changes-requested')).toBeNull();
    expect(nextInQueue([{ id: 'x', status: 'approved' }], null, 'all')).toBeNull();
    expect(nextInQueue([], null, 'all')).toBeNull();
  });
});
