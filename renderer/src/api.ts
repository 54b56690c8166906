import type { RamifyApi } from '../../shared/ipc/contract';

declare global {
  interface Window {
    /** The contract, exposed by the preload in Electron and by the harness in E2E tests. */
    api: RamifyApi;
  }
}

export const api = (): RamifyApi => window.api;
