import { useEffect, useState } from 'react';
import { neuronState } from '../../../shared/review/review';
import { ACTION_LABELS, availableActions, ROLES, STATE_LABELS, type ReviewAction, type Role } from '../../../shared/review/status';
import { setReview } from '../persistence/annotation-session';
import { useFile } from '../persistence/file-store';
import { reviewAction } from '../review/review-actions';
import { CommentThreads } from '../review/CommentThreads';
import { loadSettings, saveSettings, useSettings } from '../settings/settings-store';
import { useDoc } from '../stores/doc-store';
import { useViewer } from '../stores/viewer-store';
import { useProject } from '../project/project-store';
import { ChangesSinceReviewToggle } from './HistoryPanel';

/**
 * Who traced, where the tracing stands (one status for image and neurons), the actions the user's role allows, and
 * comments credited to the user named in the settings. Actions and comments save the file themselves.
 */
export function ReviewPanel() {
  const info = useViewer((s) => s.info);
  const review = useFile((s) => s.review);
  const fileName = useFile((s) => s.fileName);
  const lastSavedAt = useFile((s) => s.lastSavedAt);
  const lastJournaledAt = useFile((s) => s.lastJournaledAt);
  const savedOnDisk = useFile((s) => s.savedOnDisk);
  const neurons = useDoc((s) => s.history.present.neurons);
  const { settings, loaded } = useSettings();
  const [excluding, setExcluding] = useState<{ neuronId?: number } | null>(null);
  const [reason, setReason] = useState('');
  const inProject = useProject((st) => st.view !== null);
  useEffect(() => void loadSettings(), []);
  if (!info) return null;
  // Nothing saved yet: what a new file would say (to do until a neuron is traced).
  const status = review?.status ?? (neurons.length > 0 ? 'in-progress' : 'to-do');
  const run = (action: ReviewAction, neuronId?: number) => {
    if (action === 'exclude') {
      setExcluding({ neuronId });
      setReason('');
    } else void reviewAction(action, { neuronId });
  };
  const confirmExclude = () => {
    if (!excluding || !reason.trim()) return;
    void reviewAction('exclude', { neuronId: excluding.neuronId, reason });
    setExcluding(null);
  };
  return (
    <section className="panel" aria-label="Review">
      <h2>File and review</h2>
      <p className="small muted" data-testid="save-state">
        {inProject ? (savedOnDisk ? 'Saved in the project' : 'Tracing for the project') : fileName}
        {lastSavedAt ? ` · saved ${new Date(lastSavedAt).toLocaleTimeString()}` : ''}
        {/* A journal is not a save: until the file exists, call it what it is. */}
        {lastJournaledAt ? (savedOnDisk ? ` · autosaved ${new Date(lastJournaledAt).toLocaleTimeString()}` : ` · not saved yet · recovery copy ${new Date(lastJournaledAt).toLocaleTimeString()}`) : ''}
      </p>
      {loaded && <UserSettingsRow />}
      <div className="row">
        <label>
          Tracer <input type="text" aria-label="Tracer" value={review?.author ?? ''} onChange={(e) => setReview({ author: e.target.value })} />
        </label>
      </div>
      <p className="row small" data-testid="review-status">
        <span className={`dot ${status}`} /> {STATE_LABELS[status]}
        {status === 'excluded' && review?.reason ? ` — ${review.reason}` : ''}
        {review?.reviewer && (status === 'approved' || status === 'changes-requested') ? ` by ${review.reviewer}` : ''}
      </p>
      <div className="row">
        {availableActions(status, settings.role).map((a) => (
          <button key={a} type="button" onClick={() => run(a)}>
            {ACTION_LABELS[a]}
          </button>
        ))}
      </div>
      <ChangesSinceReviewToggle />
      {excluding && (
        <div className="row">
          <input
            type="text"
            aria-label="Reason for excluding"
            placeholder={excluding.neuronId === undefined ? 'Why is this image excluded?' : 'Why is this neuron excluded?'}
            value={reason}
            autoFocus
            onChange={(e) => setReason(e.target.value)}
            onKeyDown={(e) => (e.key === 'Enter' ? confirmExclude() : e.key === 'Escape' && setExcluding(null))}
          />
          <button type="button" disabled={!reason.trim()} onClick={confirmExclude}>
            Exclude
          </button>
        </div>
      )}
      {review && neurons.length > 1 && (
        <ul className="small neuron-review" aria-label="Neuron review">
          {neurons.map((n) => {
            const own = neuronState(review, n.id);
            return (
              <li key={n.id}>
                {n.name}: {STATE_LABELS[own.status]}
                {own.reason ? ` — ${own.reason}` : ''}{' '}
                {availableActions(own.status, settings.role)
                  // Handing over and taking back are the image's steps; a neuron is approved, sent back or excluded.
                  .filter((a) => a !== 'submit' && a !== 'reopen')
                  .map((a) => (
                    <button key={a} type="button" className="link" onClick={() => run(a, n.id)}>
                      {ACTION_LABELS[a]}
                    </button>
                  ))}
              </li>
            );
          })}
        </ul>
      )}
      <CommentThreads />
    </section>
  );
}

/** The user's name and role (the app's settings): asked for until given, then shown with a way to change them. */
function UserSettingsRow() {
  const settings = useSettings((s) => s.settings);
  const [editing, setEditing] = useState(settings.userName === '');
  const [name, setName] = useState(settings.userName);
  const [role, setRole] = useState<Role>(settings.role);
  const [error, setError] = useState<string | null>(null);
  if (!editing)
    return (
      <p className="row small" data-testid="user-settings">
        You: {settings.userName} ({settings.role}){' '}
        <button type="button" className="link" onClick={() => setEditing(true)}>
          Change
        </button>
      </p>
    );
  const apply = async () => {
    const e = await saveSettings({ userName: name.trim(), role });
    setError(e);
    if (!e && name.trim()) setEditing(false);
  };
  return (
    <div className="row small" data-testid="user-settings">
      <input type="text" aria-label="Your name" placeholder="Your name" value={name} onChange={(e) => setName(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void apply()} />
      <select aria-label="Your role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <button type="button" onClick={() => void apply()}>
        Save
      </button>
      {error && <span className="error">{error}</span>}
    </div>
  );
}
