/**
 * Names on both sides of the translation: Snowflake's (resolved, case-exact parts) and the
 * DuckDB identifiers the store keeps them under. Every DuckDB name floe generates is quoted
 * here, by {@link quoteDuck}.
 */
import type { QualifiedName } from "./output";

/** A DuckDB identifier, always double-quoted (`"` doubled). */
export function quoteDuck(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/**
 * One DuckDB schema per Snowflake (database, schema) pair. Dots and backslashes inside the parts
 * are escaped so distinct pairs can never collide.
 */
export function duckSchemaName(database: string, schema: string): string {
  const esc = (s: string) => s.replace(/\\/g, "\\\\").replace(/\./g, "\\.");
  return esc(database) + "." + esc(schema);
}

/** The DuckDB reference of a table or view: its schema's name and its own, quoted. */
export function duckTableRef(name: QualifiedName): string {
  return quoteDuck(duckSchemaName(name.database, name.schema)) + "." + quoteDuck(name.name);
}

/** A name as Snowflake prints it in messages: bare when it is a plain upper-case identifier. */
export function displayName(...parts: string[]): string {
  return parts.map((p) => (/^[A-Z_][A-Z0-9_$]*$/.test(p) ? p : quoteDuck(p))).join(".");
}
