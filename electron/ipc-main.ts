import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { CHANNELS, wireName, type HandlerTable } from '../shared/ipc/contract';
import { err } from '../shared/result';

/**
 * Registers one ipcMain handler per contract channel. Calls from any frame other than our own window's main frame
 * are refused, so an injected iframe could not reach main even if one ever loaded.
 */
export function registerHandlers(ipcMain: Pick<IpcMain, 'handle'>, handlers: HandlerTable, isTrustedSender: (e: IpcMainInvokeEvent) => boolean): void {
  for (const channel of CHANNELS) {
    const handler = handlers[channel] as (req: unknown) => Promise<unknown>;
    ipcMain.handle(wireName(channel), (event, req: unknown) => {
      if (!isTrustedSender(event)) return err('forbidden', 'Request from an untrusted frame.');
      return handler(req);
    });
  }
}
