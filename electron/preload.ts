import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { EVENTS, PAGE_CHANNELS, wireName, type EventName, type RamifyApi } from '../shared/ipc/contract';

// The preload exposes the contract and nothing else: one invoke per channel, event subscription limited to the
// contract's events, and the drop helper that turns a File into a path without showing it to the page.
const api: Record<string, unknown> = {};
for (const channel of PAGE_CHANNELS) api[channel] = (req?: unknown) => ipcRenderer.invoke(wireName(channel), req);

api.on = (event: EventName, listener: (payload: unknown) => void) => {
  if (!(EVENTS as readonly string[]).includes(event)) throw new Error(`Unknown event ${event}`);
  const wrapped = (_e: unknown, payload: unknown) => listener(payload);
  ipcRenderer.on(wireName(event), wrapped);
  return () => ipcRenderer.removeListener(wireName(event), wrapped);
};

api.openDroppedFile = (file: File) => ipcRenderer.invoke(wireName('image:openDropped'), { droppedPath: webUtils.getPathForFile(file) });

contextBridge.exposeInMainWorld('api', api as RamifyApi);
