import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temp folder per test; remove with cleanup(). */
export function tempFolder(tag: string): { dir: string; cleanup(): void; list(): string[] } {
  const dir = mkdtempSync(join(tmpdir(), `ramify-${tag}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }), list: () => readdirSync(dir).sort() };
}

/** An fs error as Node raises it. */
export function errno(code: string, syscall = 'write'): NodeJS.ErrnoException {
  const e = new Error(`${code}: simulated, ${syscall}`) as NodeJS.ErrnoException;
  e.code = code;
  e.syscall = syscall;
  return e;
}
