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

/**
 * One lazily made instance of a module per thread (`current`, null where WebAssembly cannot run), plus throwaway
 * instances (`fresh`) for calls too large to keep their memory around (memories never shrink).
 */
export function wasmKernel<T>(base64: string, wrap: (exports: WebAssembly.Exports) => T): { current: () => T | null; fresh: () => T } {
  const compile = lazyWasmModule(base64);
  let kept: T | null = null;
  let broken = false;
  return {
    current: () => {
      if (kept || broken) return kept;
      const m = compile();
      try {
        if (m) kept = wrap(new WebAssembly.Instance(m).exports);
      } catch {
        broken = true;
      }
      if (!kept) broken = true;
      return kept;
    },
    fresh: () => wrap(new WebAssembly.Instance(compile()!).exports),
  };
}

export const WASM_PAGE = 65536;

/** Grows `memory` so that it holds at least `bytes` bytes. */
export function ensureMemory(memory: WebAssembly.Memory, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / WASM_PAGE));
}
