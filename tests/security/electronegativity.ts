/**
 * Security lint of the Electron side with Electronegativity (static checks for Electron misconfigurations).
 * Scans electron/ (TypeScript sources), renderer/index.html (CSP) and, when built, out/ (the bundles Electron runs),
 * assuming the Electron version from package.json. Prints every finding; exits 1 on any HIGH or CRITICAL one.
 *   npx tsx tests/security/electronegativity.ts
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

/** RFC 4180-ish CSV (quoted fields with "" escapes), as Electronegativity writes it. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field.trim());
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n') {
      endField();
      rows.push(row);
      row = [];
    } else if (c !== '\r') field += c;
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

export function electronegativity(): { findings: Array<Record<string, string>>; blocking: number } {
  const stage = mkdtempSync(join(tmpdir(), 'ramify-eneg-'));
  try {
    cpSync(join(root, 'electron'), join(stage, 'electron'), { recursive: true });
    mkdirSync(join(stage, 'renderer'));
    cpSync(join(root, 'renderer', 'index.html'), join(stage, 'renderer', 'index.html'));
    if (existsSync(join(root, 'out'))) cpSync(join(root, 'out'), join(stage, 'out'), { recursive: true });
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
    const electronVersion = (pkg.devDependencies?.electron ?? '').replace(/^[^\d]*/, '') || '45.0.0';
    const cli = join(dirname(createRequire(import.meta.url).resolve('@doyensec/electronegativity/package.json')), 'dist', 'index.js');
    const csv = join(stage, 'findings.csv');
    const r = spawnSync(process.execPath, [cli, '-i', stage, '-o', csv, '-r', '-e', electronVersion], { encoding: 'utf8', timeout: 300_000 });
    if (!existsSync(csv)) throw new Error(`electronegativity produced no report (exit ${r.status}): ${r.stderr || r.stdout}`);
    const [header, ...rows] = parseCsv(readFileSync(csv, 'utf8')).filter((row) => row.length > 1);
    const findings = rows.map((row) => Object.fromEntries(header.map((h, i) => [h.trim(), row[i] ?? ''])));
    const blocking = findings.filter((f) => f.severity === 'HIGH' || f.severity === 'CRITICAL').length;
    return { findings, blocking };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { findings, blocking } = electronegativity();
  for (const f of findings) console.log(`${f.severity.padEnd(8)} ${f.confidence.padEnd(9)} ${f.issue}  ${f.filename}:${f.location}  ${f.description}`);
  console.log(`${findings.length} findings, ${blocking} HIGH/CRITICAL`);
  process.exitCode = blocking > 0 ? 1 : 0;
}
