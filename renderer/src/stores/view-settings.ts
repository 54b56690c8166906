/**
 * Preferences remembered between sessions (never in annotation or project files): what the canvas draws on top of
 * the image, and whether the Auto tool has been used (its planes are then read ahead from the first image). Kept in
 * the renderer's localStorage, which Electron stores in the user's profile; a value that cannot be read (first
 * start, storage unavailable, damaged entry) falls back to the default.
 */

const PREFIX = 'ramify.view.';

export function loadViewSetting(key: string, fallback: boolean): boolean {
  try {
    const v = globalThis.localStorage?.getItem(PREFIX + key);
    return v === 'true' ? true : v === 'false' ? false : fallback;
  } catch {
    return fallback;
  }
}

export function saveViewSetting(key: string, value: boolean): void {
  try {
    globalThis.localStorage?.setItem(PREFIX + key, String(value));
  } catch {
    // A full or disabled storage only costs the preference, never the session.
  }
}
