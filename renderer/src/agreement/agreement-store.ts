import { create } from 'zustand';
import type { AgreementView } from '../../../shared/ipc/agreement-view';
import { api } from '../api';
import { blindingDiffers, refetchOnBlindingSwitch } from '../project/blinding-sync';

export interface AgreementState {
  open: boolean;
  view: AgreementView | null;
  loading: boolean;
  error: string | null;
}

export const useAgreement = create<AgreementState>(() => ({ open: false, view: null, loading: false, error: null }));
export const agreementStore = { get: useAgreement.getState, set: useAgreement.setState };

let request = 0;

/** Asks main for the agreement of the open project (a newer request wins). */
export async function refreshAgreement(retries = 3): Promise<void> {
  const mine = ++request;
  agreementStore.set({ loading: true, error: null });
  const r = await api()['project:agreement']();
  if (mine !== request) return;
  if (r.ok && retries > 0 && blindingDiffers(r.value)) return refreshAgreement(retries - 1);
  if (r.ok) agreementStore.set({ view: r.value, loading: false });
  else agreementStore.set({ loading: false, error: r.error.message });
}

export function openAgreement(): void {
  // Never the previous figures while the new ones load: blinding may have changed in between.
  agreementStore.set({ open: true, view: null });
  void refreshAgreement();
}

refetchOnBlindingSwitch(
  () => (agreementStore.get().open && !agreementStore.get().loading ? agreementStore.get().view : null),
  () => void refreshAgreement(),
);

export async function assignAgreement(sharePercent: number, tracers: [string, string]): Promise<void> {
  agreementStore.set({ loading: true, error: null });
  const r = await api()['project:assignAgreement']({ sharePercent, tracers });
  if (r.ok) agreementStore.set({ view: r.value, loading: false });
  else agreementStore.set({ loading: false, error: r.error.message });
}
