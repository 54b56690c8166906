import { describe, expect, it } from 'vitest';
import type { ProjectView } from '../../../shared/ipc/contract';
import { blindingDiffers, refetchOnBlindingSwitch } from '../../../renderer/src/project/blinding-sync';
import { projectStore } from '../../../renderer/src/project/project-store';

const project = (blinded: boolean) => ({ blinded }) as unknown as ProjectView;

describe('views computed by main follow the project blinding', () => {
  it('a view computed unblinded differs from a blinded project, and the reverse; none without a project or view', () => {
    projectStore.set({ view: null });
    expect(blindingDiffers({ blinded: false })).toBe(false);
    projectStore.set({ view: project(true) });
    expect(blindingDiffers({ blinded: false })).toBe(true);
    expect(blindingDiffers({ blinded: true })).toBe(false);
    expect(blindingDiffers(null)).toBe(false);
    projectStore.set({ view: project(false) });
    expect(blindingDiffers({ blinded: true })).toBe(true);
  });

  it('switching blind mode on while an unblinded view is shown asks for it again, once per switch; a matching view is left alone', () => {
    projectStore.set({ view: project(false) });
    let shown: { blinded: boolean } | null = { blinded: false };
    let refetched = 0;
    refetchOnBlindingSwitch(() => shown, () => refetched++);
    projectStore.set({ view: project(false), currentImageId: 'x' });
    expect(refetched).toBe(0);
    projectStore.set({ view: project(true) });
    expect(refetched).toBe(1);
    shown = { blinded: true };
    projectStore.set({ view: project(true), currentImageId: 'y' });
    expect(refetched).toBe(1);
    shown = null;
    projectStore.set({ view: project(false) });
    expect(refetched).toBe(1);
  });
});
