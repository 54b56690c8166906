import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnnotationSessions } from '../../electron/services/annotation-sessions';
import { createMainServices, type MainServicesOptions } from '../../electron/services/main-services';
import type { ProjectSession } from '../../electron/services/project-session';

/** The app's main-process services over `settingsDir`, with every dialog cancelled (unless `dialogs` answers) and no window. */
export const testServices = (settingsDir: string, o: { samplePath?: string; dialogs?: Partial<MainServicesOptions['dialogs']> } = {}) =>
  createMainServices({
    settingsDir,
    samplePath: o.samplePath ?? '',
    dialogs: { showOpenImage: async () => null, showOpenTracing: async () => null, showSaveSwc: async () => null, showSaveTracing: async () => null, showSaveReport: async () => null, showOpenFolder: async () => null, showOpenCsv: async () => null, ...o.dialogs },
    urlFor: (h) => h,
    send: () => undefined,
    setTitle: () => undefined,
    setDirty: () => undefined,
    closeWindow: () => undefined,
    version: 't',
    platform: 'test',
  });

/** Annotation sessions wired to an open project the way main-services wires them, journaling to a scratch folder. */
export const projectAnnotationSessions = (project: ProjectSession) =>
  new AnnotationSessions({
    journalDir: mkdtempSync(join(tmpdir(), 'ramify-journal-')),
    send: () => undefined,
    annotationPathFor: (p) => project.annotationPathFor(p),
    statusFor: (p) => project.statusOf(p),
    onSaved: (p, f) => project.onAnnotationSaved(p, f),
  });
