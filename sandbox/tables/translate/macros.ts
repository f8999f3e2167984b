/**
 * DuckDB macros installed once per engine (the store runs them at start). They keep the rendered
 * SQL readable and let one Snowflake function map to one DuckDB call even when its semantics
 * need several; expressions.ts and functions.ts call them by these names.
 */
export const DUCKDB_MACROS: readonly string[] = [
  // Snowflake's VARIANT→VARCHAR cast yields a JSON string's text without quotes and everything
  // else as JSON text; to_json() makes any input JSON first, so this is total over types.
  `CREATE OR REPLACE MACRO sf_text(x) AS json_extract_string(to_json(x), '$')`,
  // DuckDB answers NULL to a division by zero; Snowflake fails the statement.
  `CREATE OR REPLACE MACRO sf_div(a, b) AS CASE WHEN b = 0 THEN error('Division by zero') ELSE a / b END`,
  `CREATE OR REPLACE MACRO sf_parse_json(s) AS CASE WHEN s IS NULL OR CAST(s AS VARCHAR) = '' THEN NULL ELSE json(s) END`,
  `CREATE OR REPLACE MACRO sf_try_parse_json(s) AS CASE WHEN json_valid(s) THEN json(s) END`,
  `CREATE OR REPLACE MACRO sf_array_size(a) AS CASE WHEN json_type(a) = 'ARRAY' THEN CAST(json_array_length(a) AS BIGINT) END`,
  `CREATE OR REPLACE MACRO sf_as_object(x) AS CASE WHEN x IS NULL THEN NULL WHEN json_type(to_json(x)) = 'OBJECT' THEN to_json(x) ELSE error('Failed to cast variant value to OBJECT') END`,
  `CREATE OR REPLACE MACRO sf_as_array(x) AS CASE WHEN x IS NULL THEN NULL WHEN json_type(to_json(x)) = 'ARRAY' THEN to_json(x) ELSE error('Failed to cast variant value to ARRAY') END`,
  // OBJECT_INSERT: an SQL NULL value leaves the object as it is; an existing key needs the
  // update flag, as in Snowflake.
  `CREATE OR REPLACE MACRO sf_object_insert(o, k, v, u) AS CASE WHEN o IS NULL OR k IS NULL THEN NULL WHEN json_type(o) <> 'OBJECT' THEN error('Invalid argument types for function OBJECT_INSERT: the first argument must be an OBJECT') WHEN v IS NULL THEN o WHEN NOT u AND list_contains(json_keys(o), k) THEN error('Duplicate field key ' || k) ELSE json_merge_patch(o, json_object(k, v)) END`,
  `CREATE OR REPLACE MACRO sf_is_object(x) AS CASE WHEN x IS NULL THEN NULL ELSE json_type(to_json(x)) = 'OBJECT' END`,
  `CREATE OR REPLACE MACRO sf_typeof(x) AS CASE json_type(to_json(x)) WHEN 'VARCHAR' THEN 'VARCHAR' WHEN 'BIGINT' THEN 'INTEGER' WHEN 'UBIGINT' THEN 'INTEGER' WHEN 'DOUBLE' THEN 'DOUBLE' WHEN 'BOOLEAN' THEN 'BOOLEAN' WHEN 'OBJECT' THEN 'OBJECT' WHEN 'ARRAY' THEN 'ARRAY' WHEN 'NULL' THEN 'NULL_VALUE' END`,
];
