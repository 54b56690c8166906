import type { AgreementView } from '../../shared/ipc/agreement-view';
import { displayName, isBlinded } from '../../shared/project/blinding';
import type { ProjectAgreement } from '../../shared/project/agreement-tables';
import type { Project } from '../../shared/project/schema';

/** The Agreement view for the renderer: image tokens and display names only (codes while blinded), no conditions then. */
export function agreementView(project: Project, a: ProjectAgreement, token: (imageId: string) => string, user: string): AgreementView {
  const blinded = isBlinded(project);
  const assignment = project.agreement!;
  const byId = new Map(project.images.map((i) => [i.id, i]));
  const name = (id: string) => displayName(project, id);
  const you = assignment.tracers[0] === user.trim() ? 'a' : assignment.tracers[1] === user.trim() ? 'b' : null;
  return {
    blinded,
    tracers: assignment.tracers,
    share: assignment.share,
    seed: assignment.seed,
    you,
    images: a.images.map((i) => ({ imageId: token(i.imageId), displayName: name(i.imageId), condition: blinded ? '' : (byId.get(i.imageId)?.metadata.condition ?? ''), tracedA: i.tracedA, tracedB: i.tracedB, pairs: i.pairs })),
    measures: a.measures.map((m) => ({
      measure: m.measure,
      unit: m.unit,
      n: m.blandAltman.n,
      icc: m.icc?.icc ?? null,
      ciLow: m.icc?.ciLow ?? null,
      ciHigh: m.icc?.ciHigh ?? null,
      p: m.icc?.p ?? null,
      bias: Number.isFinite(m.blandAltman.bias) ? m.blandAltman.bias : null,
      lower: m.blandAltman.lower,
      upper: m.blandAltman.upper,
      points: m.blandAltman.points,
    })),
    rows: a.rows.map((r) => ({
      imageId: token(r.imageId),
      displayName: name(r.imageId),
      match: r.match,
      neuronA: r.pair?.a.name ?? (r.match === 'only_a' ? (r.neuronName ?? '') : ''),
      neuronB: r.pair?.b.name ?? (r.match === 'only_b' ? (r.neuronName ?? '') : ''),
      unit: r.unit,
      sd: r.pair?.distance?.sd ?? null,
      ssd: r.pair?.distance?.ssd ?? null,
      pctSsd: r.pair?.distance ? 100 * r.pair.distance.pctSsd : null,
      diff: r.pair?.counts.diff ?? null,
    })),
    distances: a.distances,
    warnings: a.warnings,
  };
}
