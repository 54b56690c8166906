/** The word for one or for many, agreeing with a count: "has"/"have", "it"/"them". */
export const oneOrMany = (n: number, one: string, many: string): string => (n === 1 ? one : many);

/** "1 image", "3 images", "2 branches": a count with its noun, for messages a user reads. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${oneOrMany(n, one, many)}`;
