import { join } from 'node:path';
import { userSettingsSchema, type UserSettings } from '../../shared/ipc/contract';
import { RamifyError } from '../../shared/result';
import { JsonStore } from './json-store';

/** Before the user says who they are: a tracer without a name (comments then read "anonymous"). */
export const DEFAULT_SETTINGS: UserSettings = { userName: '', role: 'tracer' };

/** The user's name and role in `<settings>/settings.json`, set once and stamped on what they do. */
export class Settings {
  private readonly store: JsonStore<UserSettings>;

  constructor(settingsDir: string) {
    this.store = new JsonStore(join(settingsDir, 'settings.json'), DEFAULT_SETTINGS, (v) => {
      const r = userSettingsSchema.safeParse(v);
      return r.success ? r.data : undefined;
    });
  }

  get(): UserSettings {
    return this.store.read();
  }

  /** Validates what the renderer sent (it is untrusted input) and saves it. */
  set(raw: unknown): UserSettings {
    const r = userSettingsSchema.safeParse(raw);
    if (!r.success) throw new RamifyError('bad-request', `Invalid settings: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}.`);
    this.store.write(r.data);
    return r.data;
  }
}
