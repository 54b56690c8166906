import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

export interface ShellResult {
  code: number;
  out: string;
  err: string;
}

const run = promisify(execFile);

/** A command line run by `sh` in `cwd` as a user types it: its exit code and output (never a throw). */
export async function shell(line: string, cwd: string): Promise<ShellResult> {
  try {
    const r = await run('sh', ['-c', line], { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : -1, out: x.stdout ?? '', err: x.stderr ?? '' };
  }
}

/**
 * Command lines run one after another, as a user types them (and each `ramify` run keeps a core busy while it loads:
 * on 2 cores, with Vitest's other worker running, side by side gains little).
 */
export async function shellInTurn(lines: readonly string[], cwd: string): Promise<ShellResult[]> {
  const out: ShellResult[] = [];
  for (const line of lines) out.push(await shell(line, cwd));
  return out;
}

/**
 * The installed command as a shell word: what `npx ramify` runs (npm ci links it into node_modules/.bin; the README
 * test checks the link), without npm's own start-up of about 0.7 s a call. Each suite runs its README lines and one
 * line per exit code through `npx ramify`, so that npm is seen to pass output and exit codes on; the rest call this.
 */
export const RAMIFY = `'${resolve(__dirname, '../../../node_modules/.bin/ramify').replaceAll("'", `'\\''`)}'`;
