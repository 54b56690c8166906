/** "1 image", "3 images", "2 branches": a count with its noun, for messages a user reads. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
