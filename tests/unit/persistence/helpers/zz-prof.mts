import { readFileSync } from 'node:fs';
import { mutateAnnotation } from './mutate';
import { parseAnnotation } from '../../../../shared/formats/annotation-file';
import { annotationV1Schema } from '../../../../shared/formats/annotation/schema';
import { validateDocument } from '../../../../shared/model/validate';
const text = readFileSync('/work/main/tests/fixtures/annotation/v1.json', 'utf8');
const m = mutateAnnotation(text, 97);
console.log(m.what, m.input.length);
let t0 = performance.now(); const j = JSON.parse(m.input); console.log('json', performance.now() - t0);
t0 = performance.now(); const r = annotationV1Schema.safeParse(j); console.log('zod', performance.now() - t0, r.success);
const doc = { neurons: r.data!.document.neurons as any, nextId: r.data!.document.nextId, calibration: null };
t0 = performance.now(); const p = validateDocument(doc); console.log('validate', performance.now() - t0, p.length);
const times: string[] = [];
for (let s = 1; s <= 300; s++) { const mm = mutateAnnotation(text, s); const t = performance.now(); try { parseAnnotation(mm.input); } catch {} const d = performance.now() - t; if (d > 200) times.push(`${s} ${d.toFixed(0)} ${mm.what}`); }
console.log(times.join('\n'));
