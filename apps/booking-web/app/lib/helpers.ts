/** Small template helpers (plain functions work as helpers in strict-mode templates). */
export const eq = (a: unknown, b: unknown): boolean => a === b;
export const not = (a: unknown): boolean => !a;
export const includes = (list: readonly unknown[] | null | undefined, item: unknown): boolean => !!list?.includes(item);
export const join = (list: readonly string[] | null | undefined, separator = ', '): string => (list ?? []).join(separator);
export const idFor = (...parts: unknown[]): string => parts.join('-').replace(/[^A-Za-z0-9_-]/g, '_');
