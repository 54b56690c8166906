#!/usr/bin/env node
// The `ramify` command runs Ramify's TypeScript sources directly (through tsx), so the CLI and the app share one
// code path with no separate build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./ramify.ts');
process.exitCode = await main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
});
