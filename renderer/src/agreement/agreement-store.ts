import { create } from 'zustand';
import type { AgreementView } from '../../../shared/ipc/agreement-view';
import { api } from '../api';
import { projectViewLoader } from '../project/blinding-sync';

export interface AgreementState {
  open: boolean;
  view: AgreementView | null;
  loading: boolean;
  error: string | null;
}

export const useAgreement = create<AgreementState>(() => ({ open: false, view: null, loading: false, error: null }));
export const agreementStore = { get: useAgreement.getState, set: useAgreement.setState };

const loader = projectViewLoader(agreementStore, () => api()['project:agreement']());

/** Asks main for the agreement of the open project (a newer request wins). */
export const refreshAgreement = loader.refresh;
export const openAgreement = loader.open;

export async function assignAgreement(sharePercent: number, tracers: [string, string]): Promise<void> {
  agreementStore.set({ loading: true, error: null });
  const r = await api()['project:assignAgreement']({ sharePercent, tracers });
  if (r.ok) agreementStore.set({ view: r.value, loading: false });
  else agreementStore.set({ loading: false, error: r.error.message });
}
