import { create } from 'zustand';
import type { UserSettings } from '../../../shared/ipc/contract';
import { api } from '../api';

/** The user's name and role as main stores them; loaded when the review panel first shows. */
export interface SettingsState {
  settings: UserSettings;
  loaded: boolean;
}

export const useSettings = create<SettingsState>(() => ({ settings: { userName: '', role: 'tracer' }, loaded: false }));
export const settingsStore = { get: useSettings.getState, set: useSettings.setState };

export async function loadSettings(): Promise<void> {
  if (settingsStore.get().loaded) return;
  const r = await api()['settings:get']();
  if (r.ok) settingsStore.set({ settings: r.value, loaded: true });
}

/** Saves in main; returns the error sentence, or null. */
export async function saveSettings(settings: UserSettings): Promise<string | null> {
  const r = await api()['settings:set'](settings);
  if (!r.ok) return r.error.message;
  settingsStore.set({ settings: r.value, loaded: true });
  return null;
}
