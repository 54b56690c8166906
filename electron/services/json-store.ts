import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/**
 * A small JSON file in the user's settings folder, written atomically so a crash never leaves half a file.
 * A missing or unreadable file reads as the fallback: settings must never stop the app from starting.
 */
export class JsonStore<T> {
  constructor(
    private readonly path: string,
    private readonly fallback: T,
    private readonly validate: (v: unknown) => T | undefined,
  ) {}

  read(): T {
    try {
      return this.validate(JSON.parse(readFileSync(this.path, 'utf8'))) ?? this.fallback;
    } catch {
      return this.fallback;
    }
  }

  write(value: T): void {
    mkdirSync(dirname(this.path), { recursive: true });
    writeFileAtomic.sync(this.path, JSON.stringify(value, null, 2) + '\n');
  }
}
