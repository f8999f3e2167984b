/**
 * Quoting of SQL identifiers and string literals: the only place floe escapes them, used both
 * by the renderers and by the procedures (which are compiled from this file).
 */

const PLAIN_IDENTIFIER = /^[A-Z_][A-Z0-9_$]*$/;

/**
 * Quotes one identifier part. Names that Snowflake would read unquoted as the same upper-case
 * name stay bare (`STATE`), anything else is double-quoted with `"` doubled.
 */
export function quoteIdentifier(name: string): string {
  if (name.length === 0) throw new Error("An SQL identifier cannot be empty.");
  if (PLAIN_IDENTIFIER.test(name)) return name;
  return '"' + name.replace(/"/g, '""') + '"';
}

/** Quotes a dotted name given as its parts, e.g. `["STATE", "APP_STATE"]`. */
export function quoteName(parts: readonly string[]): string {
  return parts.map(quoteIdentifier).join(".");
}

/**
 * Quotes a string literal. Snowflake reads backslash escapes inside single quotes, so both
 * `\` and `'` are escaped; every other character, newlines and non-ASCII text included, is
 * kept as is.
 */
export function quoteString(value: string): string {
  return "'" + value.replace(/\\/g, "\\\\").replace(/'/g, "\\'") + "'";
}

const UNQUOTED_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;
const QUOTED_IDENTIFIER = /^"((?:[^"]|"")+)"$/;

/**
 * Resolves one identifier written as SQL text to the name Snowflake gives it: unquoted names
 * are upper-cased (`my_wh` is `MY_WH`), a quoted name is kept as written (`"My Wh"` is `My Wh`).
 * Returns null when the text is not a single identifier. Render the result with quoteIdentifier:
 * names taken from configuration go through these two functions, never into quotes as they are.
 */
export function resolveIdentifier(text: string): string | null {
  if (UNQUOTED_IDENTIFIER.test(text)) return text.toUpperCase();
  const quoted = QUOTED_IDENTIFIER.exec(text);
  return quoted === null ? null : quoted[1].replace(/""/g, '"');
}
