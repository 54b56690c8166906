import { main } from '../../electron/cli/ramify';

/** Runs the `ramify` CLI in-process and collects its exit code and output. */
export async function ramify(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}
