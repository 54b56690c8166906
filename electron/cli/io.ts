import { RamifyError } from '../../shared/result';

/** Where a CLI command writes; tests pass collectors, the bin passes process streams. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** A subcommand: parses its own arguments and returns the process exit code (0 ok, 1 usage, 2 unreadable input). */
export type CliCommand = (args: string[], io: CliIO) => Promise<number>;

/**
 * Splits `--name value`, `--name=value` and `--flag` options from positionals; repeated options collect in order. An
 * option that is not one of `flags` and has no value (last, or followed by another option) is a usage error, thrown
 * for main() to report with the command's help: read as the flag value 'true' it gave messages such as "--soma must be
 * X,Y (got 'true')".
 */
export function parseArgs(args: string[], flags: readonly string[] = []): { positionals: string[]; options: Map<string, string[]> } {
  const positionals: string[] = [];
  const options = new Map<string, string[]>();
  const add = (k: string, v: string) => options.set(k, [...(options.get(k) ?? []), v]);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) add(a.slice(2, eq), a.slice(eq + 1));
      else if (flags.includes(a.slice(2))) add(a.slice(2), 'true');
      else if (i + 1 >= args.length || args[i + 1].startsWith('--')) throw new RamifyError('usage', `${a} needs a value, or is not an option of this command.`);
      else add(a.slice(2), args[++i]);
    } else positionals.push(a);
  }
  return { positionals, options };
}

/** The last value given for `--name VALUE`; undefined when absent or given without a value. */
export function optionValue(options: Map<string, string[]>, name: string): string | undefined {
  const v = options.get(name)?.at(-1);
  return v === 'true' ? undefined : v;
}

const SYSTEM_ERRORS: Record<string, string> = { ENOENT: 'no such file or folder', EACCES: 'permission denied', EISDIR: 'it is a folder', ENOTDIR: 'a part of the path is not a folder' };

/** Why a file could not be read, in one line a user understands (a system error's code, not its stack of words). */
export function readFailure(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && SYSTEM_ERRORS[code]) return SYSTEM_ERRORS[code];
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}
