/**
 * Canonical JSON: object keys sorted at every level, two-space indentation, a final newline.
 * Snapshots and JSON plans are compared byte for byte (goldens, CI caches), so key order must
 * never depend on the order in which code happened to build an object.
 */

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Returns a copy of `value` whose objects have their keys in sorted order; drops `undefined`. */
export function sortKeys(value: unknown): JsonValue {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortKeys(v)));
  if (typeof value === "object") {
    const out: Record<string, JsonValue> = {};
    for (const key of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined && typeof v !== "function" && typeof v !== "symbol") out[key] = sortKeys(v);
    }
    return out;
  }
  // bigint and the like have no JSON form; their text is the most faithful record.
  return String(value);
}

/** `JSON.stringify` of the key-sorted value, indented, with a trailing newline. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) + "\n";
}

/** Compares two strings by UTF-16 code units: locale-independent, so every machine sorts alike. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
