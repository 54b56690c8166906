import { createMainServices } from '../../electron/services/main-services';

/** The app's main-process services over `settingsDir`, with every dialog cancelled and no window. */
export const testServices = (settingsDir: string) =>
  createMainServices({
    settingsDir,
    samplePath: '',
    dialogs: { showOpenImage: async () => null, showOpenTracing: async () => null, showSaveSwc: async () => null, showSaveTracing: async () => null, showSaveReport: async () => null, showOpenFolder: async () => null, showOpenCsv: async () => null },
    urlFor: (h) => h,
    send: () => undefined,
    setTitle: () => undefined,
    setDirty: () => undefined,
    closeWindow: () => undefined,
    version: 't',
    platform: 'test',
  });
