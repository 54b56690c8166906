import { join } from 'node:path';
import { userSettingsSchema, type UserSettings } from '../../shared/ipc/contract';
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

  /** Saves settings already checked with userSettingsSchema (`settings:set` is, by validateHandlers, where it enters main). */
  set(settings: UserSettings): UserSettings {
    this.store.write(settings);
    return settings;
  }
}
