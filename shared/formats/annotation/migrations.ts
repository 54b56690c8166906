/**
 * Upgrades of older annotation files, one step per version: migrations[N] turns a parsed version-N file into a
 * version-(N+1) one. Steps only restructure; the current schema checks the result, so a step may pass through
 * whatever it does not understand and let validation name the bad field.
 *
 * Version 0 (pre-release builds, 2D only): no envelope fields —
 *   { format: "ramify-annotation", version: 0, imageName?: string, savedAt?: ISO string,
 *     calibration: { pixelWidth, pixelHeight, unit: "µm" } | null, nextId, neurons: [...] }
 * with nodes and point somata as { id, x, y } (no z), and calibration without "source".
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** z = 0 on every node and soma of a v0 neuron list (2D files); anything unexpected is left for validation. */
function addZ(neurons: unknown): unknown {
  if (!Array.isArray(neurons)) return neurons;
  return neurons.map((n) => {
    if (!isObject(n)) return n;
    const soma = isObject(n.soma) && n.soma.z === undefined ? { ...n.soma, z: 0 } : n.soma;
    const branches = Array.isArray(n.branches)
      ? n.branches.map((b) => (isObject(b) && Array.isArray(b.nodes) ? { ...b, nodes: b.nodes.map((p) => (isObject(p) && p.z === undefined ? { ...p, z: 0 } : p)) } : b))
      : n.branches;
    return { ...n, soma, branches };
  });
}

function v0ToV1(old: Json): Json {
  const savedAt = typeof old.savedAt === 'string' ? old.savedAt : '1970-01-01T00:00:00Z';
  const cal = old.calibration;
  return {
    format: old.format,
    version: 1,
    app: { name: 'Ramify', version: '0 (pre-release)' },
    // v0 kept only the image's name, which is not enough to recognise the image: identity unknown.
    image: null,
    calibration: isObject(cal) ? { ...cal, source: cal.source ?? 'user' } : (cal ?? null),
    document: { neurons: addZ(old.neurons), nextId: old.nextId },
    review: { status: 'in-progress', comments: [], author: '', createdAt: savedAt, modifiedAt: savedAt },
  };
}

/** migrations[N]: version N → N+1. */
export const migrations: Record<number, (old: Json) => Json> = {
  0: v0ToV1,
};
