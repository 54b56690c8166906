import type { BrowserWindowConstructorOptions } from 'electron';

/** Secure defaults: the renderer is a web page with no Node, isolated from the preload, in Chromium's sandbox. */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    backgroundColor: '#15171c',
    title: 'Ramify',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // Middle-click would otherwise open links in new windows; the canvas uses the middle button to pan.
      disableBlinkFeatures: 'Auxclick',
    },
  };
}

/** The only page the window may show: the bundled renderer (or the dev server while developing). */
export function isAllowedNavigation(url: string, rendererUrl: string | undefined): boolean {
  if (rendererUrl) return url.startsWith(rendererUrl);
  return url.startsWith('file://') && url.includes('/out/renderer/');
}
