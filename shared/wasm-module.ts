/**
 * A WebAssembly module compiled from base64 on first use, synchronously (allowed in workers and in Node; Chromium's
 * main thread refuses modules over 4 KiB, and then this gives null). Null also when WebAssembly is missing or
 * blocked (a CSP without 'wasm-unsafe-eval'): callers fall back to JavaScript.
 */
export function lazyWasmModule(base64: string): () => WebAssembly.Module | null {
  let module: WebAssembly.Module | null | undefined;
  return () => {
    if (module === undefined) {
      try {
        const bin = atob(base64);
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        module = new WebAssembly.Module(bytes);
      } catch {
        module = null;
      }
    }
    return module;
  };
}

/** Memories up to this size are kept between calls by default; a larger call gets a throwaway instance (memories never shrink). */
const KEEP_MEMORY = 8 << 20;

/**
 * One lazily made instance of a module per thread (`current`, null where WebAssembly cannot run), and `sized`: an
 * instance whose memory holds at least `bytes` bytes — the kept one, or a throwaway for calls over `keepBytes`.
 * Callers of `sized` have checked that `current` is not null.
 */
export function wasmKernel<T extends { memory: WebAssembly.Memory }>(base64: string, wrap: (exports: WebAssembly.Exports) => T, keepBytes = KEEP_MEMORY): { current: () => T | null; sized: (bytes: number) => T } {
  const compile = lazyWasmModule(base64);
  let kept: T | null = null;
  let broken = false;
  const current = () => {
    if (kept || broken) return kept;
    const m = compile();
    try {
      if (m) kept = wrap(new WebAssembly.Instance(m).exports);
    } catch {
      broken = true;
    }
    if (!kept) broken = true;
    return kept;
  };
  return {
    current,
    sized: (bytes) => {
      const k = bytes > keepBytes ? wrap(new WebAssembly.Instance(compile()!).exports) : current()!;
      ensureMemory(k.memory, bytes);
      return k;
    },
  };
}

const WASM_PAGE = 65536;

/** Grows `memory` so that it holds at least `bytes` bytes. */
function ensureMemory(memory: WebAssembly.Memory, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / WASM_PAGE));
}
