/**
 * Freezes a value and everything reachable from it, so that any mutation throws (in strict-mode code such as ES
 * modules). Tests use it to prove the reducer never mutates its input; dev builds may use it on every new document.
 */
export function deepFreeze<T>(value: T): T {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || (typeof v !== 'object' && typeof v !== 'function') || Object.isFrozen(v)) continue;
    if (ArrayBuffer.isView(v)) continue; // typed arrays with elements cannot be frozen (TypeError)
    Object.freeze(v);
    for (const key of Reflect.ownKeys(v as object)) stack.push((v as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}
