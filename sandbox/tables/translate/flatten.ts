/**
 * FLATTEN, the table function that turns an OBJECT or ARRAY into rows
 * (https://docs.snowflake.com/en/sql-reference/functions/flatten), for the table store: written
 * `LATERAL FLATTEN(INPUT => expr) AS f` or `TABLE(FLATTEN(INPUT => expr)) f`.
 *
 * Only INPUT is read; PATH, OUTER, RECURSIVE and MODE are refused rather than ignored. The
 * columns are Snowflake's KEY (objects), INDEX (arrays), VALUE, THIS and PATH; SEQ is not
 * produced, so a query naming it fails as an unknown column. A NULL or scalar input gives no
 * rows, as it does in Snowflake without OUTER. Rows come in DuckDB's order: Snowflake orders an
 * object's keys, so a query that needs an order says ORDER BY.
 */
import { UnsupportedError } from "../../types";

/** The named arguments Snowflake's FLATTEN takes; only INPUT is implemented. */
const DOCUMENTED_ARGUMENTS = new Set(["INPUT", "PATH", "OUTER", "RECURSIVE", "MODE"]);

export interface FlattenColumn {
  readonly name: "KEY" | "INDEX" | "VALUE" | "THIS" | "PATH";
  readonly kind: "text" | "number" | "json";
}

export const FLATTEN_COLUMNS: readonly FlattenColumn[] = [
  { name: "KEY", kind: "text" },
  { name: "PATH", kind: "text" },
  { name: "INDEX", kind: "number" },
  { name: "VALUE", kind: "json" },
  { name: "THIS", kind: "json" },
];

/**
 * Checks FLATTEN's arguments, given as `[name, expression]` pairs (name null when positional),
 * and returns the INPUT expression.
 */
export function flattenInput<E>(args: readonly (readonly [string | null, E])[]): E {
  let input: E | undefined;
  for (const [name, expr] of args) {
    if (name === null) throw new UnsupportedError("FLATTEN with a positional argument (name it: INPUT => ...)");
    const upper = name.toUpperCase();
    if (!DOCUMENTED_ARGUMENTS.has(upper)) throw new UnsupportedError(`FLATTEN argument ${name}`);
    if (upper !== "INPUT") throw new UnsupportedError(`FLATTEN argument ${upper}`);
    input = expr;
  }
  if (input === undefined) throw new UnsupportedError("FLATTEN without INPUT");
  return input;
}

/**
 * The DuckDB subquery for FLATTEN over `input` (DuckDB SQL of a JSON value), with Snowflake's
 * column names. DuckDB reads a correlated subquery in FROM as a lateral join.
 */
export function flattenSql(input: string): string {
  const value = `(${input})`;
  const container = `CASE WHEN json_type(${value}) IN ('OBJECT', 'ARRAY') THEN ${value} END`;
  return (
    "(SELECT " +
    `CASE WHEN json_type(${value}) = 'OBJECT' THEN e.key END AS "KEY", ` +
    `regexp_replace(e.fullkey, '^\\$\\.?', '') AS "PATH", ` +
    `CASE WHEN json_type(${value}) = 'ARRAY' THEN CAST(e.key AS BIGINT) END AS "INDEX", ` +
    `e.value AS "VALUE", ` +
    `${value} AS "THIS" ` +
    `FROM json_each(${container}) AS e)`
  );
}
