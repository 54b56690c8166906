import { create } from 'zustand';

/** A question the app needs answered before it goes on (unsaved changes, a conflict, a restore offer). */
export interface Question {
  title: string;
  message: string;
  buttons: Array<{ id: string; label: string; primary?: boolean }>;
  /** Answer when the user presses Esc or closes the dialog. */
  cancelId: string;
}

interface AskState {
  question: (Question & { resolve: (id: string) => void }) | null;
}

const useAsk = create<AskState>(() => ({ question: null }));

/** Shows a modal question; resolves with the id of the button pressed. One question at a time, in order. */
let chain: Promise<unknown> = Promise.resolve();
export function ask(q: Question): Promise<string> {
  const next = chain.then(() => new Promise<string>((resolve) => useAsk.setState({ question: { ...q, resolve } })));
  chain = next.catch(() => undefined);
  return next;
}

export function AskDialog() {
  const q = useAsk((s) => s.question);
  if (!q) return null;
  const answer = (id: string) => {
    useAsk.setState({ question: null });
    q.resolve(id);
  };
  return (
    <div className="modal-backdrop" role="dialog" aria-label={q.title} onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), answer(q.cancelId))}>
      <div className="modal">
        <h2>{q.title}</h2>
        <p className="question">{q.message}</p>
        <div className="row end">
          {q.buttons.map((b, i) => (
            <button key={b.id} type="button" className={b.primary ? 'primary' : ''} autoFocus={b.primary || (i === 0 && !q.buttons.some((x) => x.primary))} onClick={() => answer(b.id)}>
              {b.label}
            </button>
          ))}
        </div>
      </div>
    </div>
  );
}

/** True while a question is open (keyboard shortcuts stay off). */
export const isAsking = () => useAsk.getState().question !== null;
