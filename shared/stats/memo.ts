/** A small cache of the most recently made values by key (oldest dropped beyond `limit`). */
export function recentCache<V>(limit = 16): (key: string, make: () => V) => V {
  const store = new Map<string, V>();
  return (key, make) => {
    const hit = store.get(key);
    if (hit !== undefined) return hit;
    const made = make();
    store.set(key, made);
    if (store.size > limit) store.delete(store.keys().next().value as string);
    return made;
  };
}
