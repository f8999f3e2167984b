/**
 * Snowflake SQL → DuckDB SQL, the one place where the table store's dialect semantics live.
 *
 * Input is the JSON AST of `@guanmingchiu/sqlparser-ts` (datafusion-sqlparser-rs, Snowflake
 * dialect); output is DuckDB SQL text rendered node by node plus the facts the store needs to
 * shape the result (statement kind, DML clauses, which JSON result columns are OBJECT/ARRAY).
 * Nothing is passed through as text: every node kind, field, function and type is matched
 * explicitly, and whatever is not matched raises UnsupportedError. Fields of a node this module
 * does not read are checked to be empty (see `only`), so new syntax the parser learns (QUALIFY,
 * TOP, CONNECT BY, ...) is refused instead of silently dropped.
 *
 * The package's bundled TypeScript AST types describe an older parser and do not match what
 * 0.62 emits, so the AST is handled as untyped JSON (`Ast`) and validated as it is read.
 */
import { init, parse } from "@guanmingchiu/sqlparser-ts";

import { FLATTEN_COLUMNS, flattenInput, flattenSql } from "./flatten";
import {
  type BindValue,
  type SnowflakeType,
  SnowflakeError,
  UnsupportedError,
  objectNotFound,
  syntaxError,
} from "../types";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON from WASM, see above
type Ast = any;

/** The session's current database/schema: already resolved, case-exact names. */
export interface Scope {
  readonly database: string;
  readonly schema?: string;
}

export interface StatementHooks {
  /**
   * Evaluates SYSTEM$... and other catalog-backed functions (CURRENT_ROLE(), IS_ROLE_IN_SESSION(...))
   * whose arguments are literals or binds. Throws UnsupportedError for names it does not know.
   */
  systemFunction(name: string, args: readonly unknown[]): unknown;
  /**
   * Called once a statement is translated and before it runs, with every table and view it
   * reads or changes (and the schema it creates one in); throws to refuse the statement.
   */
  authorize?(accesses: readonly RelationAccess[]): void;
}

/** A table or view a statement reads or changes, or (for `create`) the schema it creates one in. */
export interface RelationAccess {
  readonly database: string;
  readonly schema: string;
  /** Absent for `create`: the schema itself is the object. */
  readonly name?: string;
  readonly kind: "TABLE" | "VIEW";
  readonly use: RelationUse;
}

export type RelationUse = "read" | "insert" | "update" | "delete" | "truncate" | "create" | "replace" | "drop";

export interface ColumnMeta {
  readonly name: string;
  readonly type: SnowflakeType;
  readonly nullable: boolean;
  readonly precision?: number;
  readonly scale?: number;
  /** VARCHAR(n): the declared maximum length. */
  readonly length?: number;
  readonly comment?: string;
}

export interface RelationMeta {
  readonly database: string;
  readonly schema: string;
  readonly name: string;
  readonly kind: "TABLE" | "VIEW";
  readonly columns: readonly ColumnMeta[];
  readonly comment?: string;
}

/** What the translator needs to know about existing objects. */
export interface CatalogView {
  hasSchema(database: string, schema: string): boolean;
  relation(database: string, schema: string, name: string): RelationMeta | undefined;
}

export interface QualifiedName {
  readonly database: string;
  readonly schema: string;
  readonly name: string;
}

/** JSON result columns whose Snowflake type is narrower than VARIANT, by result column name. */
export type JsonTypes = Readonly<Record<string, "OBJECT" | "ARRAY">>;

export type Plan =
  | { kind: "query"; sql: string; params: BindValue[]; jsonTypes: JsonTypes }
  | { kind: "insert" | "update" | "delete"; sql: string; params: BindValue[]; target: QualifiedName }
  | {
      kind: "merge";
      sql: string;
      params: BindValue[];
      target: QualifiedName;
      clauses: { insert: boolean; update: boolean; delete: boolean };
      /** Finds a target row joined by more than one source row (Snowflake refuses to update it). */
      duplicateCheck?: { sql: string; params: BindValue[] };
    }
  | {
      kind: "createTable";
      target: QualifiedName;
      orReplace: boolean;
      ifNotExists: boolean;
      /** DuckDB `CREATE [OR REPLACE] TABLE ...`, with or without `AS SELECT`. */
      sql: string;
      params: BindValue[];
      /** Declared columns; undefined for CREATE TABLE ... AS SELECT (read back after creation). */
      columns?: ColumnMeta[];
      jsonTypes: JsonTypes;
      comment?: string;
    }
  | {
      kind: "createView";
      target: QualifiedName;
      orReplace: boolean;
      ifNotExists: boolean;
      sql: string;
      jsonTypes: JsonTypes;
      comment?: string;
    }
  | { kind: "drop"; objectType: "TABLE" | "VIEW"; target: QualifiedName; ifExists: boolean }
  | { kind: "truncate"; target: QualifiedName; ifExists: boolean }
  | { kind: "transaction"; op: "BEGIN" | "COMMIT" | "ROLLBACK" };

export interface TranslateContext {
  readonly scope: Scope;
  readonly binds: readonly BindValue[];
  readonly hooks: StatementHooks;
  readonly catalog: CatalogView;
}

// ---------------------------------------------------------------------------------------------
// DuckDB helpers installed once per engine. Macros keep the rendered SQL readable and let one
// Snowflake function map to one DuckDB call even when its semantics need several.
// ---------------------------------------------------------------------------------------------

export const SETUP_SQL: readonly string[] = [
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

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

let parserReady: Promise<void> | undefined;
let parserLoaded = false;

/** Loads the parser's WASM module; must complete before `parseStatement`. */
export function initParser(): Promise<void> {
  parserReady ??= init().then(() => {
    parserLoaded = true;
  });
  return parserReady;
}

const astCache = new Map<string, Ast>();
const AST_CACHE_SIZE = 256;

/**
 * Parses exactly one statement. ASTs are cached by text (procedures run the same statements in
 * loops) and therefore must never be mutated by the translator.
 */
export function parseStatement(sqlText: string): Ast {
  if (!parserLoaded) throw new Error("floe sandbox: initParser() has not completed");
  const cached = astCache.get(sqlText);
  if (cached !== undefined) return cached;
  if (sqlText.trim() === "" || /^[\s;]*$/.test(stripComments(sqlText))) {
    throw new SnowflakeError("000900", "42000", "Empty SQL statement.");
  }
  let statements: Ast[];
  try {
    statements = parse(sqlText, "snowflake") as Ast[];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /Line: (\d+), Column: (\d+)/.exec(message);
    const where = at ? `syntax error line ${at[1]} at position ${Number(at[2]) - 1}` : "syntax error";
    throw syntaxError(`${where}: ${message.replace(/^sql parser error: /, "")}`);
  }
  if (statements.length !== 1) {
    throw new SnowflakeError("000008", "0A000", `Actual statement count ${statements.length} did not match the desired statement count 1.`);
  }
  const statement = statements[0];
  if (astCache.size >= AST_CACHE_SIZE) astCache.delete(astCache.keys().next().value as string);
  astCache.set(sqlText, statement);
  return statement;
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

/** Snowflake identifier resolution: unquoted is upper-cased, quoted is kept exact. */
export function identName(ident: Ast): string {
  if (!ident || typeof ident.value !== "string") throw new UnsupportedError("identifier form " + JSON.stringify(ident));
  return ident.quote_style === '"' ? ident.value : ident.value.toUpperCase();
}

/** DuckDB identifier quoting; every generated name goes through this. */
export function q(name: string): string {
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

export function duckTableRef(name: QualifiedName): string {
  return q(duckSchemaName(name.database, name.schema)) + "." + q(name.name);
}

/** A name as Snowflake prints it in messages: bare when it is a plain upper-case identifier. */
export function displayName(...parts: string[]): string {
  return parts.map((p) => (/^[A-Z_][A-Z0-9_$]*$/.test(p) ? p : q(p))).join(".");
}

function objectNameParts(name: Ast): Ast[] {
  if (!Array.isArray(name)) throw new UnsupportedError("object name form");
  return name.map((part: Ast) => {
    if (part && part.Identifier) return part.Identifier;
    throw new UnsupportedError("object name part " + Object.keys(part ?? {}).join(","));
  });
}

// ---------------------------------------------------------------------------------------------
// AST utilities
// ---------------------------------------------------------------------------------------------

/** The single variant of an enum-like node: `{ Foo: {...} }` → ["Foo", {...}], `"Foo"` → ["Foo", undefined]. */
function variant(node: Ast): [string, Ast] {
  if (typeof node === "string") return [node, undefined];
  if (node && typeof node === "object" && !Array.isArray(node)) {
    const keys = Object.keys(node);
    if (keys.length === 1) return [keys[0]!, node[keys[0]!]];
  }
  throw new UnsupportedError("AST node " + JSON.stringify(node)?.slice(0, 80));
}

function isEmpty(value: Ast): boolean {
  if (value === undefined || value === null || value === false) return true;
  if (value === "None" || value === "NONE") return true;
  if (Array.isArray(value)) return value.every(isEmpty);
  return false;
}

const FEATURE_NAMES: Record<string, string> = {
  qualify: "QUALIFY",
  top: "TOP",
  connect_by: "CONNECT BY",
  lateral_views: "LATERAL VIEW",
  locks: "FOR UPDATE",
  named_window: "WINDOW",
  prewhere: "PREWHERE",
  cluster_by: "CLUSTER BY",
  into: "SELECT INTO",
  returning: "RETURNING",
  over: "window functions (OVER)",
  filter: "FILTER clause",
  null_treatment: "IGNORE/RESPECT NULLS",
  sample: "SAMPLE",
  version: "time travel (AT/BEFORE)",
  copy_grants: "COPY GRANTS",
  temporary: "TEMPORARY objects",
  materialized: "MATERIALIZED VIEW",
  like: "CREATE TABLE ... LIKE",
  clone: "CLONE",
  with_tags: "WITH TAG",
  with_row_access_policy: "ROW ACCESS POLICY",
  with_aggregation_policy: "AGGREGATION POLICY",
  change_tracking: "CHANGE_TRACKING",
  data_retention_time_in_days: "DATA_RETENTION_TIME_IN_DAYS",
  pipe_operators: "pipe operators",
};

/**
 * Refuses any populated field of `node` that the caller does not handle. Spans and tokens carry
 * no meaning; everything else either is read by the caller or must be empty.
 */
function only(node: Ast, handled: readonly string[], where: string): void {
  for (const key of Object.keys(node)) {
    if (handled.includes(key) || key === "span" || key.endsWith("_token") || key === "optimizer_hints") {
      if (key === "optimizer_hints" && !isEmpty(node[key])) throw new UnsupportedError(`optimizer hints in ${where}`);
      continue;
    }
    if (!isEmpty(node[key])) {
      throw new UnsupportedError(`${FEATURE_NAMES[key] ?? key.toUpperCase().replace(/_/g, " ")} in ${where}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Source text: Snowflake names unaliased projection items after their text, which the AST does
// not keep, so it is recovered from the statement text using the parser's token positions.
// ---------------------------------------------------------------------------------------------

class SourceText {
  private readonly lineStarts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === "\n") this.lineStarts.push(i + 1);
  }
  offset(location: { line: number; column: number }): number {
    return (this.lineStarts[location.line - 1] ?? 0) + location.column - 1;
  }
}

const PROJECTION_END = new Set([
  "FROM", "WHERE", "GROUP", "HAVING", "QUALIFY", "ORDER", "LIMIT", "OFFSET", "FETCH",
  "UNION", "EXCEPT", "MINUS", "INTERSECT", "WINDOW", "INTO",
]);

/**
 * If a string literal, quoted identifier, $$-string or comment starts at `i`, the index just
 * past it; otherwise -1.
 */
function skipQuoted(text: string, i: number): number {
  const c = text[i];
  if (c === "'") {
    for (i++; i < text.length; i++) {
      if (text[i] === "\\") i++;
      else if (text[i] === "'") {
        if (text[i + 1] === "'") i++;
        else return i + 1;
      }
    }
    return i;
  }
  if (c === '"') {
    for (i++; i < text.length; i++) {
      if (text[i] === '"') {
        if (text[i + 1] === '"') i++;
        else return i + 1;
      }
    }
    return i;
  }
  if (c === "$" && text[i + 1] === "$") {
    const end = text.indexOf("$$", i + 2);
    return end < 0 ? text.length : end + 2;
  }
  if ((c === "-" && text[i + 1] === "-") || (c === "/" && text[i + 1] === "/")) {
    const end = text.indexOf("\n", i);
    return end < 0 ? text.length : end + 1;
  }
  if (c === "/" && text[i + 1] === "*") {
    const end = text.indexOf("*/", i + 2);
    return end < 0 ? text.length : end + 2;
  }
  return -1;
}

/** The text of each top-level projection item of the SELECT whose keyword ends at `start`. */
function projectionSegments(text: string, start: number): string[] {
  const segments: string[] = [];
  let depth = 0;
  let segStart = start;
  let i = start;
  let first = true;
  let previousWord = "";
  while (i < text.length) {
    const skipped = skipQuoted(text, i);
    if (skipped >= 0) {
      i = skipped;
      continue;
    }
    const c = text[i]!;
    if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") {
      if (depth === 0) break;
      depth--;
    } else if (c === ";" && depth === 0) break;
    else if (c === "," && depth === 0) {
      segments.push(text.slice(segStart, i));
      segStart = i + 1;
    } else if (/[A-Za-z_]/.test(c) && (i === 0 || !/[A-Za-z0-9_$.]/.test(text[i - 1]!))) {
      const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(text.slice(i))![0];
      const upper = word.toUpperCase();
      if (depth === 0 && first && (upper === "DISTINCT" || upper === "ALL")) {
        segStart = i + word.length;
      } else if (depth === 0 && PROJECTION_END.has(upper) && !(upper === "GROUP" && previousWord === "WITHIN")) break;
      previousWord = upper;
      first = false;
      i += word.length;
      continue;
    }
    if (!/\s/.test(c)) first = false;
    i++;
  }
  segments.push(text.slice(segStart, i));
  return segments;
}

export function stripComments(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; ) {
    const skipped = skipQuoted(text, i);
    if (skipped >= 0) {
      const c = text[i];
      if (c === "'" || c === '"' || c === "$") out += text.slice(i, skipped);
      else out += " ";
      i = skipped;
    } else out += text[i++];
  }
  return out;
}

/** Snowflake's derived column name: the expression text, upper-cased except quoted identifiers. */
function derivedName(segment: string): string {
  const text = stripComments(segment).trim();
  let out = "";
  for (let i = 0; i < text.length; ) {
    if (text[i] === '"' || text[i] === "'") {
      const end = skipQuoted(text, i);
      const quoted = text.slice(i, end);
      out += text[i] === '"' ? quoted : quoted.toUpperCase();
      i = end;
    } else out += text[i++]!.toUpperCase();
  }
  return out;
}

/** Text of a function call starting at its name token, through the matching parenthesis. */
function callText(source: SourceText, fn: Ast): string | undefined {
  const span = fn?.name?.[0]?.Identifier?.span;
  if (!span) return undefined;
  const text = source.text;
  let i = source.offset(span.start);
  const start = i;
  let depth = 0;
  while (i < text.length) {
    const skipped = skipQuoted(text, i);
    if (skipped >= 0) {
      i = skipped;
      continue;
    }
    if (text[i] === "(") depth++;
    else if (text[i] === ")") {
      depth--;
      if (depth === 0) return text.slice(start, i + 1);
    }
    i++;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

export interface TypeInfo {
  readonly sf: SnowflakeType;
  readonly duck: string;
  readonly precision?: number;
  readonly scale?: number;
  readonly length?: number;
}

const INTEGER_TYPE: TypeInfo = { sf: "FIXED", duck: "DECIMAL(38,0)", precision: 38, scale: 0 };

function decimalType(precision: number | undefined, scale: number | undefined, label: string): TypeInfo {
  const p = precision ?? 38;
  const s = scale ?? 0;
  if (!Number.isInteger(p) || p < 1 || p > 38 || !Number.isInteger(s) || s < 0 || s > p) {
    throw syntaxError(`invalid precision/scale for ${label}: (${p},${s})`);
  }
  return { sf: "FIXED", duck: `DECIMAL(${p},${s})`, precision: p, scale: s };
}

function textType(length: Ast): TypeInfo {
  if (length === undefined || length === null) return { sf: "TEXT", duck: "VARCHAR" };
  const [kind, value] = variant(length);
  if (kind === "IntegerLength" && value.unit === undefined) return { sf: "TEXT", duck: "VARCHAR", length: value.length };
  throw new UnsupportedError("character length " + kind);
}

/** Maps a Snowflake data type node; only the types the sandbox stores are accepted. */
export function mapDataType(dataType: Ast): TypeInfo {
  const [kind, arg] = variant(dataType);
  switch (kind) {
    case "String":
    case "Varchar":
    case "Nvarchar":
    case "Char":
    case "Character":
    case "CharacterVarying":
    case "CharVarying":
      return textType(arg);
    case "Text":
      return { sf: "TEXT", duck: "VARCHAR" };
    case "Int":
    case "Integer":
    case "BigInt":
    case "SmallInt":
    case "TinyInt":
      if (arg !== undefined && arg !== null) throw new UnsupportedError(`${kind.toUpperCase()} with a display width`);
      return INTEGER_TYPE;
    case "Decimal":
    case "Numeric":
    case "Dec": {
      if (arg === "None" || arg === undefined) return INTEGER_TYPE;
      const [info, value] = variant(arg);
      if (info === "Precision") return decimalType(value, 0, kind.toUpperCase());
      if (info === "PrecisionAndScale") return decimalType(value[0], value[1], kind.toUpperCase());
      throw new UnsupportedError(`${kind.toUpperCase()} ${info}`);
    }
    case "Float":
    case "Double":
      if (arg !== "None" && arg !== undefined && arg !== null) throw new UnsupportedError(`${kind.toUpperCase()} with precision`);
      return { sf: "REAL", duck: "DOUBLE" };
    case "Float4":
    case "Float8":
    case "Float64":
    case "DoublePrecision":
    case "Real":
      return { sf: "REAL", duck: "DOUBLE" };
    case "Boolean":
    case "Bool":
      return { sf: "BOOLEAN", duck: "BOOLEAN" };
    case "Date":
      return { sf: "DATE", duck: "DATE" };
    case "Datetime":
    case "TimestampNtz":
      return { sf: "TIMESTAMP_NTZ", duck: "TIMESTAMP" };
    case "Timestamp": {
      const tz = Array.isArray(arg) ? arg[1] : "None";
      if (tz !== "None") throw new UnsupportedError("TIMESTAMP WITH TIME ZONE");
      return { sf: "TIMESTAMP_NTZ", duck: "TIMESTAMP" };
    }
    case "Array":
      if (arg !== "None" && arg !== undefined) throw new UnsupportedError("typed ARRAY");
      return { sf: "ARRAY", duck: "JSON" };
    case "Custom": {
      const [nameParts, modifiers] = arg as [Ast, string[]];
      const parts = objectNameParts(nameParts);
      if (parts.length !== 1) throw new UnsupportedError("data type " + parts.map((p: Ast) => p.value).join("."));
      const name = String(parts[0].value).toUpperCase();
      const mods = (modifiers ?? []).map((m) => Number(m));
      const noMods = () => {
        if (mods.length > 0) throw new UnsupportedError(`${name}(${modifiers.join(",")})`);
      };
      switch (name) {
        case "NUMBER":
          if (mods.length > 2) throw syntaxError("NUMBER takes at most precision and scale");
          return mods.length === 0 ? INTEGER_TYPE : decimalType(mods[0], mods[1] ?? 0, "NUMBER");
        case "BYTEINT":
          noMods();
          return INTEGER_TYPE;
        case "VARIANT":
          noMods();
          return { sf: "VARIANT", duck: "JSON" };
        case "OBJECT":
          noMods();
          return { sf: "OBJECT", duck: "JSON" };
        case "TIMESTAMPNTZ":
          return { sf: "TIMESTAMP_NTZ", duck: "TIMESTAMP" };
        default:
          throw new UnsupportedError("data type " + name);
      }
    }
    default:
      throw new UnsupportedError("data type " + kind.toUpperCase());
  }
}

// ---------------------------------------------------------------------------------------------
// Expression typing. Only as much as the Snowflake semantics need: whether a value is JSON
// (VARIANT) decides how casts, comparisons and stores behave.
// ---------------------------------------------------------------------------------------------

type Kind = "json" | "text" | "number" | "bool" | "time" | "unknown";
type Semi = "OBJECT" | "ARRAY";

interface Rendered {
  readonly sql: string;
  readonly kind: Kind;
  readonly semi?: Semi;
  /** The JS value when the expression is a literal or bind (used for SYSTEM$ arguments). */
  readonly constant?: { value: unknown };
}

interface ColInfo {
  readonly name: string;
  readonly kind: Kind;
  readonly semi?: Semi;
}

function kindOfType(type: SnowflakeType): Kind {
  switch (type) {
    case "VARIANT":
    case "OBJECT":
    case "ARRAY":
      return "json";
    case "TEXT":
      return "text";
    case "FIXED":
    case "REAL":
      return "number";
    case "BOOLEAN":
      return "bool";
    case "DATE":
    case "TIMESTAMP_NTZ":
      return "time";
    default:
      return "unknown";
  }
}

function colInfoOf(column: ColumnMeta): ColInfo {
  return {
    name: column.name,
    kind: kindOfType(column.type),
    semi: column.type === "OBJECT" || column.type === "ARRAY" ? column.type : undefined,
  };
}

function kindOfValue(value: unknown): Kind {
  if (typeof value === "string") return "text";
  if (typeof value === "number" || typeof value === "bigint") return "number";
  if (typeof value === "boolean") return "bool";
  if (value instanceof Date) return "time";
  return "unknown";
}

interface RelBinding {
  readonly alias: string;
  /** Undefined when the relation's columns cannot be known statically. */
  readonly columns?: readonly ColInfo[];
}

class QueryScope {
  readonly rels: RelBinding[] = [];
  readonly aliases: ColInfo[] = [];
  readonly ctes = new Map<string, readonly ColInfo[] | undefined>();
  constructor(readonly parent?: QueryScope) {}

  cte(name: string): { columns: readonly ColInfo[] | undefined } | undefined {
    if (this.ctes.has(name)) return { columns: this.ctes.get(name) };
    return this.parent?.cte(name);
  }
}

const COMPARISONS: Record<string, string> = { Eq: "=", NotEq: "<>", Lt: "<", LtEq: "<=", Gt: ">", GtEq: ">=" };
const ARITHMETIC: Record<string, string> = { Plus: "+", Minus: "-", Multiply: "*", Modulo: "%" };

/** Catalog-backed functions evaluated through StatementHooks besides every SYSTEM$ name. */
const CATALOG_FUNCTIONS = new Set([
  "CURRENT_ROLE", "CURRENT_USER", "CURRENT_ACCOUNT", "CURRENT_ACCOUNT_NAME", "CURRENT_ORGANIZATION_NAME",
  "CURRENT_REGION", "CURRENT_WAREHOUSE", "CURRENT_SESSION", "CURRENT_VERSION", "CURRENT_CLIENT",
  "CURRENT_AVAILABLE_ROLES", "CURRENT_SECONDARY_ROLES", "CURRENT_ROLE_TYPE", "IS_ROLE_IN_SESSION",
  "IS_APPLICATION_ROLE_IN_SESSION", "IS_DATABASE_ROLE_IN_SESSION", "INVOKER_ROLE", "INVOKER_SHARE",
  "IS_GRANTED_TO_INVOKER_ROLE", "IS_INSTANCE_ROLE_IN_SESSION",
]);

/** Functions whose value is semi-structured: Snowflake refuses them inside INSERT ... VALUES. */
const VALUES_FORBIDDEN = new Set([
  "PARSE_JSON", "TRY_PARSE_JSON", "OBJECT_CONSTRUCT", "OBJECT_CONSTRUCT_KEEP_NULL", "ARRAY_CONSTRUCT",
  "ARRAY_CONSTRUCT_COMPACT", "TO_VARIANT", "TO_OBJECT", "TO_ARRAY", "PARSE_XML", "OBJECT_INSERT", "ARRAY_APPEND",
]);

function invalidIdentifier(display: string): SnowflakeError {
  return new SnowflakeError("000904", "42000", `SQL compilation error:\ninvalid identifier '${display}'`);
}

function compileError(message: string): SnowflakeError {
  return new SnowflakeError("002000", "42601", "SQL compilation error:\n" + message);
}

function verbOf(statement: Ast): string {
  const [kind, body] = variant(statement);
  switch (kind) {
    case "Query":
      return "SELECT";
    case "CreateTable":
      return "CREATE TABLE";
    case "CreateView":
      return "CREATE VIEW";
    case "Drop":
      return "DROP " + String(body.object_type).toUpperCase();
    default:
      return kind.toUpperCase();
  }
}

/** Bind positions in source order, so `?` numbering never depends on rendering order. */
function placeholderOrdinals(statement: Ast): Map<Ast, number> {
  const found: { node: Ast; text: string; line: number; column: number }[] = [];
  const walk = (node: Ast) => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
    } else if (node && typeof node === "object") {
      if (node.value && typeof node.value === "object" && typeof node.value.Placeholder === "string") {
        const start = node.span?.start ?? { line: 0, column: 0 };
        found.push({ node, text: node.value.Placeholder, line: start.line, column: start.column });
      }
      for (const key of Object.keys(node)) if (key !== "span") walk(node[key]);
    }
  };
  walk(statement);
  found.sort((a, b) => a.line - b.line || a.column - b.column);
  const ordinals = new Map<Ast, number>();
  let next = 0;
  for (const p of found) {
    if (p.text === "?") ordinals.set(p.node, next++);
    else if (/^:\d+$/.test(p.text)) ordinals.set(p.node, Number(p.text.slice(1)) - 1);
    else throw new UnsupportedError(`bind variable form ${p.text}`);
  }
  return ordinals;
}

/** Collects the binds one DuckDB statement uses, numbered `$1..` in first-use order. */
class Params {
  readonly values: BindValue[] = [];
  private readonly byOrdinal = new Map<number, number>();
  ref(ordinal: number, value: BindValue): string {
    let index = this.byOrdinal.get(ordinal);
    if (index === undefined) {
      this.values.push(value);
      index = this.values.length;
      this.byOrdinal.set(ordinal, index);
    }
    return "$" + index;
  }
}

function stringLiteral(value: string): string {
  return "'" + value.replace(/'/g, "''") + "'";
}

/** A JS value (from a hook or GET's key) as a DuckDB literal. */
function literalOf(value: unknown, what: string): Rendered {
  if (value === null || value === undefined) return { sql: "NULL", kind: "unknown", constant: { value: null } };
  if (typeof value === "string") return { sql: stringLiteral(value), kind: "text", constant: { value } };
  if (typeof value === "boolean") return { sql: value ? "TRUE" : "FALSE", kind: "bool", constant: { value } };
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new UnsupportedError(`non-finite number from ${what}`);
    const sql = Number.isInteger(value) ? String(value) : `CAST(${String(value)} AS DOUBLE)`;
    return { sql: value < 0 ? `(${sql})` : sql, kind: "number", constant: { value } };
  }
  if (typeof value === "bigint") return { sql: value.toString(), kind: "number", constant: { value } };
  if (value instanceof Date) {
    return { sql: `CAST(${stringLiteral(value.toISOString().replace("T", " ").replace("Z", ""))} AS TIMESTAMP)`, kind: "time" };
  }
  if (typeof value === "object") {
    return {
      sql: `CAST(${stringLiteral(JSON.stringify(value))} AS JSON)`,
      kind: "json",
      semi: Array.isArray(value) ? "ARRAY" : "OBJECT",
    };
  }
  throw new UnsupportedError(`value of type ${typeof value} from ${what}`);
}

/** Snowflake path text (GET_PATH, and `:` access) → DuckDB JSON path. */
function jsonPathOf(steps: readonly (string | number)[]): string {
  let path = "$";
  for (const step of steps) {
    if (typeof step === "number") path += `[${step}]`;
    else path += '."' + step.replace(/\\/g, "\\\\").replace(/"/g, '\\"') + '"';
  }
  return path;
}

function parsePathText(text: string): (string | number)[] {
  const steps: (string | number)[] = [];
  let i = 0;
  const fail = () => new SnowflakeError("100094", "22000", `Invalid path: ${text}`);
  while (i < text.length) {
    if (text[i] === "[") {
      const end = text.indexOf("]", i);
      if (end < 0) throw fail();
      const inner = text.slice(i + 1, end).trim();
      if (/^\d+$/.test(inner)) steps.push(Number(inner));
      else if (/^'.*'$/.test(inner) || /^".*"$/.test(inner)) steps.push(inner.slice(1, -1));
      else throw fail();
      i = end + 1;
    } else if (text[i] === "." && steps.length > 0) {
      i++;
    } else if (text[i] === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) throw fail();
      steps.push(text.slice(i + 1, end));
      i = end + 1;
    } else {
      const m = /^[^.[\]"]+/.exec(text.slice(i));
      if (!m) throw fail();
      steps.push(m[0]);
      i += m[0].length;
    }
  }
  if (steps.length === 0) throw fail();
  return steps;
}

// ---------------------------------------------------------------------------------------------
// The translator
// ---------------------------------------------------------------------------------------------

interface QueryOut {
  readonly sql: string;
  /** Output columns, or undefined when a wildcard over an unknown relation hides them. */
  readonly columns?: readonly ColInfo[];
}

/** Translates one parsed statement. Pure apart from the hook calls. */
export function translate(statement: Ast, sqlText: string, ctx: TranslateContext): Plan {
  return new Translator(statement, sqlText, ctx).plan();
}

class Translator {
  private readonly source: SourceText;
  private readonly ordinals: Map<Ast, number>;
  private params = new Params();
  private readonly verb: string;
  /** Set while rendering INSERT ... VALUES rows. */
  private inValues = false;
  /** Set while rendering a view body, where session-dependent values cannot be inlined. */
  private inView = false;

  constructor(
    private readonly statement: Ast,
    sqlText: string,
    private readonly ctx: TranslateContext,
  ) {
    this.source = new SourceText(sqlText);
    this.ordinals = placeholderOrdinals(statement);
    this.verb = verbOf(statement);
  }

  plan(): Plan {
    const [kind, body] = variant(this.statement);
    switch (kind) {
      case "Query": {
        const out = this.query(body, undefined);
        return { kind: "query", sql: out.sql, params: this.params.values, jsonTypes: jsonTypesOf(out.columns) };
      }
      case "Insert":
        return this.insert(body);
      case "Update":
        return this.update(body);
      case "Delete":
        return this.delete(body);
      case "Merge":
        return this.merge(body);
      case "CreateTable":
        return this.createTable(body);
      case "CreateView":
        return this.createView(body);
      case "Drop":
        return this.drop(body);
      case "Truncate":
        return this.truncate(body);
      case "StartTransaction":
        only(body, ["begin", "transaction"], "BEGIN");
        if (body.transaction !== undefined && body.transaction !== "Transaction" && body.transaction !== "Work") {
          throw new UnsupportedError("BEGIN " + String(body.transaction));
        }
        return { kind: "transaction", op: "BEGIN" };
      case "Commit":
        only(body, [], "COMMIT");
        return { kind: "transaction", op: "COMMIT" };
      case "Rollback":
        only(body, [], "ROLLBACK");
        return { kind: "transaction", op: "ROLLBACK" };
      default:
        throw new UnsupportedError(`statement ${kind} in the table store`);
    }
  }

  // ----- names ------------------------------------------------------------------------------

  private resolveName(name: Ast): QualifiedName {
    const parts = objectNameParts(name).map(identName);
    const { database, schema } = this.ctx.scope;
    if (parts.length === 3) return { database: parts[0]!, schema: parts[1]!, name: parts[2]! };
    if (parts.length === 2) {
      if (!database) throw this.noCurrent("database");
      return { database, schema: parts[0]!, name: parts[1]! };
    }
    if (parts.length === 1) {
      if (!database) throw this.noCurrent("database");
      if (!schema) throw this.noCurrent("schema");
      return { database, schema, name: parts[0]! };
    }
    throw compileError(`invalid object name '${parts.join(".")}'`);
  }

  private noCurrent(what: "database" | "schema"): SnowflakeError {
    const code = what === "database" ? "090105" : "090106";
    const word = what === "database" ? "DATABASE" : "SCHEMA";
    return new SnowflakeError(
      code,
      "22000",
      `Cannot perform ${this.verb}. This session does not have a current ${what}. Call 'USE ${word}', or use a qualified name.`,
    );
  }

  /** An existing table or view, or Snowflake's 002003. */
  private existing(name: Ast): RelationMeta {
    const target = this.resolveName(name);
    const found = this.ctx.catalog.hasSchema(target.database, target.schema)
      ? this.ctx.catalog.relation(target.database, target.schema, target.name)
      : undefined;
    if (!found) throw objectNotFound("Object", displayName(target.database, target.schema, target.name));
    return found;
  }

  private dmlTarget(name: Ast): RelationMeta {
    const relation = this.existing(name);
    if (relation.kind !== "TABLE") {
      throw new SnowflakeError(
        "002203",
        "02000",
        `SQL compilation error:\nObject found is of type 'VIEW', not specified type 'TABLE'.`,
      );
    }
    return relation;
  }

  // ----- queries ----------------------------------------------------------------------------

  private query(node: Ast, parent: QueryScope | undefined): QueryOut {
    only(node, ["with", "body", "order_by", "limit_clause", "fetch"], "query");
    const scope = new QueryScope(parent);
    let sql = "";
    if (node.with) {
      only(node.with, ["recursive", "cte_tables"], "WITH");
      if (node.with.recursive) throw new UnsupportedError("WITH RECURSIVE");
      const parts: string[] = [];
      for (const cte of node.with.cte_tables) {
        only(cte, ["alias", "query", "materialized"], "common table expression");
        if (cte.materialized !== undefined) throw new UnsupportedError("MATERIALIZED common table expressions");
        const name = identName(cte.alias.name);
        only(cte.alias, ["name", "columns", "explicit"], "CTE alias");
        const inner = this.query(cte.query, scope);
        const columnNames = (cte.alias.columns ?? []).map((c: Ast) => this.aliasColumn(c));
        const columns = renameColumns(inner.columns, columnNames);
        scope.ctes.set(name, columns);
        const list = columnNames.length > 0 ? "(" + columnNames.map(q).join(", ") + ")" : "";
        parts.push(`${q(name)}${list} AS (${inner.sql})`);
      }
      sql += "WITH " + parts.join(", ") + " ";
    }
    const body = this.setExpr(node.body, scope);
    sql += body.sql;
    if (node.order_by) {
      only(node.order_by, ["kind"], "ORDER BY");
      const [kind, items] = variant(node.order_by.kind);
      if (kind !== "Expressions") throw new UnsupportedError("ORDER BY " + kind.toUpperCase());
      // ORDER BY may name output columns; let it see them as aliases.
      const orderScope = new QueryScope(scope);
      orderScope.rels.push(...body.scope.rels);
      orderScope.aliases.push(...(body.columns ?? []));
      sql += " ORDER BY " + items.map((item: Ast) => this.orderItem(item, orderScope)).join(", ");
    }
    if (node.limit_clause) {
      const [kind, limit] = variant(node.limit_clause);
      if (kind !== "LimitOffset") throw new UnsupportedError("LIMIT form " + kind);
      only(limit, ["limit", "offset"], "LIMIT");
      if (limit.limit) sql += " LIMIT " + this.expr(limit.limit, scope).sql;
      if (limit.offset) {
        only(limit.offset, ["value", "rows"], "OFFSET");
        sql += " OFFSET " + this.expr(limit.offset.value, scope).sql;
      }
    }
    if (node.fetch) {
      only(node.fetch, ["quantity"], "FETCH");
      if (!node.fetch.quantity) throw new UnsupportedError("FETCH without a row count");
      sql += " LIMIT " + this.expr(node.fetch.quantity, scope).sql;
    }
    return { sql, columns: body.columns };
  }

  private aliasColumn(column: Ast): string {
    // sqlparser gives alias columns either as bare idents or as {name, data_type}.
    if (column && column.name) {
      only(column, ["name"], "column alias");
      return identName(column.name);
    }
    return identName(column);
  }

  private orderItem(item: Ast, scope: QueryScope): string {
    only(item, ["expr", "options"], "ORDER BY item");
    only(item.options ?? {}, ["asc", "nulls_first"], "ORDER BY item");
    const desc = item.options?.asc === false;
    // Snowflake sorts NULLs as the largest value (last ascending, first descending); DuckDB
    // puts them last either way, so the order is always spelled out.
    const nullsFirst = item.options?.nulls_first ?? desc;
    return `${this.expr(item.expr, scope).sql} ${desc ? "DESC" : "ASC"} ${nullsFirst ? "NULLS FIRST" : "NULLS LAST"}`;
  }

  private setExpr(node: Ast, scope: QueryScope): QueryOut & { scope: QueryScope } {
    const [kind, body] = variant(node);
    switch (kind) {
      case "Select":
        return this.select(body, scope);
      case "Query": {
        const inner = this.query(body, scope);
        return { sql: `(${inner.sql})`, columns: inner.columns, scope: new QueryScope(scope) };
      }
      case "SetOperation": {
        only(body, ["left", "op", "right", "set_quantifier"], "set operation");
        const left = this.setExpr(body.left, scope);
        const right = this.setExpr(body.right, scope);
        const quantifier = body.set_quantifier ?? "None";
        let op: string;
        switch (body.op) {
          case "Union":
            op = "UNION";
            break;
          case "Except":
          case "Minus":
            op = "EXCEPT";
            break;
          case "Intersect":
            op = "INTERSECT";
            break;
          default:
            throw new UnsupportedError("set operation " + String(body.op));
        }
        if (quantifier === "All") op += " ALL";
        else if (quantifier !== "None" && quantifier !== "Distinct") throw new UnsupportedError(`${op} ${quantifier}`);
        if (quantifier === "All" && op !== "UNION ALL") throw new UnsupportedError(op);
        return { sql: `${left.sql} ${op} ${right.sql}`, columns: left.columns, scope: left.scope };
      }
      case "Values":
        throw new UnsupportedError("VALUES as a query");
      default:
        throw new UnsupportedError("query body " + kind);
    }
  }

  private select(node: Ast, parent: QueryScope): QueryOut & { scope: QueryScope } {
    only(
      node,
      ["distinct", "projection", "from", "selection", "group_by", "having", "flavor", "window_before_qualify", "top_before_distinct", "select_token"],
      "SELECT",
    );
    if (node.flavor !== undefined && node.flavor !== "Standard") throw new UnsupportedError("FROM-first SELECT");
    const scope = new QueryScope(parent);
    const from: string[] = [];
    for (const item of node.from ?? []) from.push(this.tableWithJoins(item, scope));

    let distinct = "";
    if (node.distinct !== undefined && node.distinct !== null) {
      if (node.distinct === "Distinct") distinct = "DISTINCT ";
      else if (node.distinct !== "All") throw new UnsupportedError("DISTINCT ON");
    }

    const segments = node.select_token?.span
      ? projectionSegments(this.source.text, this.source.offset(node.select_token.span.end))
      : [];
    const useSegments = segments.length === node.projection.length;
    const items: string[] = [];
    const columns: ColInfo[] | undefined = [];
    let columnsKnown = true;
    node.projection.forEach((item: Ast, index: number) => {
      const [kind, body] = variant(item);
      if (kind === "UnnamedExpr" || kind === "ExprWithAlias") {
        const expr = kind === "UnnamedExpr" ? body : body.expr;
        const rendered = this.expr(expr, scope);
        let name: string;
        if (kind === "ExprWithAlias") name = identName(body.alias);
        else {
          const [exprKind, exprBody] = variant(expr);
          if (exprKind === "Identifier") name = identName(exprBody);
          else if (exprKind === "CompoundIdentifier") name = identName(exprBody[exprBody.length - 1]);
          else if (useSegments) name = derivedName(segments[index]!);
          else throw new UnsupportedError("naming this unaliased projection item");
        }
        items.push(`${rendered.sql} AS ${q(name)}`);
        const info: ColInfo = { name, kind: rendered.kind, semi: rendered.semi };
        columns.push(info);
        if (kind === "ExprWithAlias") scope.aliases.push(info);
      } else if (kind === "Wildcard") {
        const exclude = this.wildcardOptions(body);
        items.push("*" + (exclude.length > 0 ? ` EXCLUDE (${exclude.map(q).join(", ")})` : ""));
        if (scope.rels.length === 0) throw compileError("SELECT * with no tables specified is not valid.");
        for (const rel of scope.rels) {
          if (!rel.columns) columnsKnown = false;
          else columns.push(...rel.columns.filter((c) => !exclude.includes(c.name)));
        }
      } else if (kind === "QualifiedWildcard") {
        const [target, options] = body;
        const exclude = this.wildcardOptions(options);
        const [targetKind, targetName] = variant(target);
        if (targetKind !== "ObjectName") throw new UnsupportedError("qualified wildcard on an expression");
        const parts = objectNameParts(targetName).map(identName);
        if (parts.length !== 1) throw new UnsupportedError("wildcard qualified by more than a table alias");
        const rel = scope.rels.find((r) => r.alias === parts[0]);
        if (!rel) throw invalidIdentifier(displayName(parts[0]!));
        items.push(q(parts[0]!) + ".*" + (exclude.length > 0 ? ` EXCLUDE (${exclude.map(q).join(", ")})` : ""));
        if (!rel.columns) columnsKnown = false;
        else columns.push(...rel.columns.filter((c) => !exclude.includes(c.name)));
      } else {
        throw new UnsupportedError("projection item " + kind);
      }
    });

    let sql = "SELECT " + distinct + items.join(", ");
    if (from.length > 0) sql += " FROM " + from.join(", ");
    if (node.selection) sql += " WHERE " + this.expr(node.selection, scope).sql;
    if (node.group_by) {
      const [kind, body] = variant(node.group_by);
      if (kind === "Expressions") {
        const [exprs, modifiers] = body;
        if (!isEmpty(modifiers)) throw new UnsupportedError("GROUP BY modifiers (ROLLUP/CUBE/GROUPING SETS)");
        if (exprs.length > 0) sql += " GROUP BY " + exprs.map((e: Ast) => this.expr(e, scope).sql).join(", ");
      } else if (kind === "All") {
        if (!isEmpty(body)) throw new UnsupportedError("GROUP BY ALL modifiers");
        sql += " GROUP BY ALL";
      } else throw new UnsupportedError("GROUP BY " + kind);
    }
    if (node.having) sql += " HAVING " + this.expr(node.having, scope).sql;
    return { sql, columns: columnsKnown ? columns : undefined, scope };
  }

  private wildcardOptions(options: Ast): string[] {
    only(options ?? {}, ["opt_exclude", "wildcard_token"], "wildcard");
    if (!options?.opt_exclude) return [];
    const [kind, body] = variant(options.opt_exclude);
    const column = (item: Ast): string => {
      const parts = Array.isArray(item) ? objectNameParts(item) : [item];
      if (parts.length !== 1) throw new UnsupportedError("qualified EXCLUDE column");
      return identName(parts[0]);
    };
    if (kind === "Single") return [column(body)];
    if (kind === "Multiple") return body.map(column);
    throw new UnsupportedError("EXCLUDE form " + kind);
  }

  private tableWithJoins(node: Ast, scope: QueryScope): string {
    only(node, ["relation", "joins"], "FROM item");
    let sql = this.tableFactor(node.relation, scope);
    for (const join of node.joins ?? []) {
      only(join, ["relation", "join_operator"], "JOIN");
      const right = this.tableFactor(join.relation, scope);
      const [op, constraint] = variant(join.join_operator);
      const joinWord: Record<string, string> = {
        Join: "JOIN",
        Inner: "JOIN",
        Left: "LEFT JOIN",
        LeftOuter: "LEFT JOIN",
        Right: "RIGHT JOIN",
        RightOuter: "RIGHT JOIN",
        FullOuter: "FULL JOIN",
        CrossJoin: "CROSS JOIN",
      };
      const word = joinWord[op];
      if (!word) throw new UnsupportedError(`${op.replace(/([a-z])([A-Z])/g, "$1 $2").toUpperCase()} join`);
      if (op === "CrossJoin") {
        if (constraint !== undefined && constraint !== "None") throw new UnsupportedError("CROSS JOIN with a condition");
        sql += ` CROSS JOIN ${right}`;
        continue;
      }
      const [ck, cv] = variant(constraint);
      if (ck === "On") sql += ` ${word} ${right} ON ${this.expr(cv, scope).sql}`;
      else if (ck === "Using") {
        const names = cv.map((n: Ast) => {
          const parts = objectNameParts(n);
          if (parts.length !== 1) throw new UnsupportedError("qualified USING column");
          return q(identName(parts[0]));
        });
        sql += ` ${word} ${right} USING (${names.join(", ")})`;
      } else if (ck === "Natural") throw new UnsupportedError("NATURAL JOIN");
      else throw new UnsupportedError(`${word} without a condition`);
    }
    return sql;
  }

  private tableFactor(node: Ast, scope: QueryScope): string {
    const [kind, body] = variant(node);
    switch (kind) {
      case "Table": {
        only(body, ["name", "alias"], "table reference");
        if (body.args) throw new UnsupportedError("table function " + objectNameParts(body.name).map((p: Ast) => p.value).join("."));
        const alias = this.tableAlias(body.alias);
        const parts = objectNameParts(body.name);
        if (parts.length === 1) {
          const cte = scope.cte(identName(parts[0]));
          if (cte) {
            const name = identName(parts[0]);
            const columns = alias?.columns.length ? renameColumns(cte.columns, alias.columns) : cte.columns;
            scope.rels.push({ alias: alias?.name ?? name, columns });
            return q(name) + (alias ? " AS " + alias.sql : "");
          }
        }
        const relation = this.existing(body.name);
        const columns = relation.columns.map(colInfoOf);
        const effective = alias?.columns.length ? renameColumns(columns, alias.columns) : columns;
        scope.rels.push({ alias: alias?.name ?? relation.name, columns: effective });
        return `${duckTableRef(relation)} AS ${alias ? alias.sql : q(relation.name)}`;
      }
      case "Derived": {
        only(body, ["subquery", "alias", "lateral"], "derived table");
        if (body.lateral) throw new UnsupportedError("LATERAL");
        // A non-lateral derived table sees the enclosing query (and its CTEs), not its siblings.
        const inner = this.query(body.subquery, scope.parent ?? scope);
        const alias = this.tableAlias(body.alias);
        const columns = alias?.columns.length ? renameColumns(inner.columns, alias.columns) : inner.columns;
        scope.rels.push({ alias: alias?.name ?? "", columns });
        return `(${inner.sql})` + (alias ? " AS " + alias.sql : "");
      }
      case "NestedJoin": {
        only(body, ["table_with_joins"], "parenthesized join");
        return "(" + this.tableWithJoins(body.table_with_joins, scope) + ")";
      }
      case "Function": {
        const name = objectNameParts(body.name).map((p: Ast) => String(p.value).toUpperCase()).join(".");
        if (name === "FLATTEN" && body.lateral) {
          only(body, ["lateral", "name", "args", "alias"], "LATERAL FLATTEN");
          return this.flatten(body.args ?? [], body.alias, scope);
        }
        throw new UnsupportedError(body.lateral ? `LATERAL ${name}` : `table function ${name}`);
      }
      case "TableFunction": {
        const inner = body.expr?.Function?.name;
        const name = inner ? objectNameParts(inner).map((p: Ast) => String(p.value).toUpperCase()).join(".") : "?";
        if (name === "FLATTEN") {
          only(body, ["expr", "alias"], "TABLE(FLATTEN(...))");
          const fn = body.expr.Function;
          only(fn, ["name", "args", "uses_odbc_syntax", "parameters", "within_group"], "FLATTEN");
          const [argsKind, list] = variant(fn.args);
          if (argsKind !== "List") throw new UnsupportedError("FLATTEN with a subquery argument");
          only(list, ["args"], "arguments of FLATTEN");
          return this.flatten(list.args ?? [], body.alias, scope);
        }
        throw new UnsupportedError(`TABLE(${name}(...))`);
      }
      default:
        throw new UnsupportedError("FROM item " + kind);
    }
  }

  /** FLATTEN(INPUT => expr) in FROM (see flatten.ts): a lateral subquery with Snowflake's columns. */
  private flatten(args: Ast[], aliasNode: Ast, scope: QueryScope): string {
    const named = args.map((arg: Ast): [string | null, Ast] => {
      const [ak, av] = variant(arg);
      if (ak === "Named") {
        const [ek, ev] = variant(av.arg);
        if (ek !== "Expr") throw new UnsupportedError(`argument form ${ek} in FLATTEN`);
        return [identName(av.name), ev];
      }
      return [null, av];
    });
    const input = this.expr(flattenInput(named), scope);
    if (input.kind !== "json" && input.kind !== "unknown") throw new UnsupportedError("FLATTEN of a value that is not a VARIANT, OBJECT or ARRAY");
    const alias = this.tableAlias(aliasNode);
    if (alias?.columns.length) throw new UnsupportedError("column aliases on FLATTEN");
    const name = alias?.name ?? "FLATTEN";
    scope.rels.push({ alias: name, columns: FLATTEN_COLUMNS.map((c) => ({ name: c.name, kind: c.kind })) });
    return `${flattenSql(input.sql)} AS ${q(name)}`;
  }

  private tableAlias(alias: Ast): { name: string; columns: string[]; sql: string } | undefined {
    if (!alias) return undefined;
    only(alias, ["name", "columns", "explicit"], "table alias");
    const name = identName(alias.name);
    const columns = (alias.columns ?? []).map((c: Ast) => this.aliasColumn(c));
    const sql = q(name) + (columns.length > 0 ? "(" + columns.map(q).join(", ") + ")" : "");
    return { name, columns, sql };
  }

  // ----- expressions ------------------------------------------------------------------------

  private column(parts: Ast[], scope: QueryScope): Rendered {
    const last = parts[parts.length - 1];
    if (parts.length >= 2 && last.quote_style !== '"' && String(last.value).toUpperCase() === "NEXTVAL") {
      // `<sequence>.NEXTVAL`: the sequence's next value (CREATE SEQUENCE, see TableStore.createSequence).
      const sequence = this.resolveName(parts.slice(0, -1).map((p) => ({ Identifier: p })));
      return { sql: `nextval(${stringLiteral(q(duckSchemaName(sequence.database, sequence.schema)) + "." + q(sequence.name))})`, kind: "number" };
    }
    if (parts.length > 2) throw new UnsupportedError("column reference qualified by schema or database");
    const name = identName(parts[parts.length - 1]);
    const qualifier = parts.length === 2 ? identName(parts[0]) : undefined;
    const display = parts.map((p) => (p.quote_style === '"' ? q(p.value) : String(p.value).toUpperCase())).join(".");
    const found = resolveColumn(scope, qualifier, name, display);
    const sql = (qualifier !== undefined ? q(qualifier) + "." : "") + q(name);
    return { sql, kind: found?.kind ?? "unknown", semi: found?.semi };
  }

  private bind(node: Ast): Rendered {
    const ordinal = this.ordinals.get(node);
    if (ordinal === undefined) throw new UnsupportedError("bind variable outside the statement");
    if (ordinal < 0 || ordinal >= this.ctx.binds.length) {
      const at = node.span?.start;
      throw new SnowflakeError(
        "002049",
        "42601",
        `SQL compilation error: error line ${at?.line ?? 0} at position ${(at?.column ?? 1) - 1}\nBind variable ${node.value.Placeholder === "?" ? "?" : node.value.Placeholder} not set.`,
      );
    }
    if (this.inView) throw new UnsupportedError("bind variables in a view definition");
    const value = this.ctx.binds[ordinal]!;
    return { sql: this.params.ref(ordinal, value), kind: kindOfValue(value), constant: { value } };
  }

  private value(node: Ast): Rendered {
    only(node, ["value"], "literal");
    const [kind, v] = variant(node.value);
    switch (kind) {
      case "Number": {
        const text = String(v[0]);
        if (v[1]) throw new UnsupportedError("long number literal suffix");
        return { sql: text, kind: "number", constant: { value: Number(text) } };
      }
      case "SingleQuotedString":
        return { sql: stringLiteral(v), kind: "text", constant: { value: v } };
      case "DollarQuotedString":
        return { sql: stringLiteral(v.value), kind: "text", constant: { value: v.value } };
      case "Boolean":
        return { sql: v ? "TRUE" : "FALSE", kind: "bool", constant: { value: v } };
      case "Null":
        return { sql: "NULL", kind: "unknown", constant: { value: null } };
      case "Placeholder":
        return this.bind(node);
      default:
        throw new UnsupportedError("literal " + kind);
    }
  }

  expr(node: Ast, scope: QueryScope): Rendered {
    const [kind, body] = variant(node);
    switch (kind) {
      case "Identifier":
        return this.column([body], scope);
      case "CompoundIdentifier":
        return this.column(body, scope);
      case "Value":
        return this.value(body);
      case "Nested": {
        const inner = this.expr(body, scope);
        return { ...inner, sql: `(${inner.sql})` };
      }
      case "UnaryOp": {
        only(body, ["op", "expr"], "unary operator");
        const inner = this.expr(body.expr, scope);
        if (body.op === "Not") return { sql: `(NOT ${inner.sql})`, kind: "bool" };
        if (body.op === "Minus") {
          const constant = inner.constant && typeof inner.constant.value === "number" ? { value: -inner.constant.value } : undefined;
          return { sql: `(- ${inner.sql})`, kind: "number", constant };
        }
        if (body.op === "Plus") return { sql: `(+ ${inner.sql})`, kind: "number" };
        throw new UnsupportedError("unary operator " + String(body.op));
      }
      case "BinaryOp":
        return this.binary(body, scope);
      case "IsNull":
        return { sql: `(${this.expr(body, scope).sql} IS NULL)`, kind: "bool" };
      case "IsNotNull":
        return { sql: `(${this.expr(body, scope).sql} IS NOT NULL)`, kind: "bool" };
      case "IsDistinctFrom":
      case "IsNotDistinctFrom": {
        const [a, b] = this.comparable(this.expr(body[0], scope), this.expr(body[1], scope));
        return { sql: `(${a} IS ${kind === "IsNotDistinctFrom" ? "NOT " : ""}DISTINCT FROM ${b})`, kind: "bool" };
      }
      case "InList": {
        only(body, ["expr", "list", "negated"], "IN");
        const left = this.expr(body.expr, scope);
        const items = body.list.map((e: Ast) => this.expr(e, scope));
        const leftSql = items.length > 0 ? this.comparable(left, items[0])[0] : left.sql;
        return {
          sql: `(${leftSql} ${body.negated ? "NOT IN" : "IN"} (${items.map((i: Rendered) => i.sql).join(", ")}))`,
          kind: "bool",
        };
      }
      case "InSubquery": {
        only(body, ["expr", "subquery", "negated"], "IN (subquery)");
        const left = this.expr(body.expr, scope);
        const sub = this.query(body.subquery, scope);
        return { sql: `(${left.sql} ${body.negated ? "NOT IN" : "IN"} (${sub.sql}))`, kind: "bool" };
      }
      case "Between": {
        only(body, ["expr", "negated", "low", "high"], "BETWEEN");
        const e = this.expr(body.expr, scope);
        const low = this.expr(body.low, scope);
        const high = this.expr(body.high, scope);
        const [es] = this.comparable(e, low);
        return { sql: `(${es} ${body.negated ? "NOT BETWEEN" : "BETWEEN"} ${low.sql} AND ${high.sql})`, kind: "bool" };
      }
      case "Like":
      case "ILike": {
        only(body, ["expr", "negated", "pattern", "escape_char", "any"], kind.toUpperCase());
        if (body.any) throw new UnsupportedError(`${kind.toUpperCase()} ANY`);
        const e = this.text(this.expr(body.expr, scope));
        const pattern = this.expr(body.pattern, scope);
        let sql = `(${e} ${body.negated ? "NOT " : ""}${kind === "Like" ? "LIKE" : "ILIKE"} ${pattern.sql}`;
        if (body.escape_char !== undefined) sql += " ESCAPE " + this.value(body.escape_char).sql;
        return { sql: sql + ")", kind: "bool" };
      }
      case "Case": {
        only(body, ["operand", "conditions", "else_result", "case_token", "end_token"], "CASE");
        let sql = "CASE";
        if (body.operand) sql += " " + this.expr(body.operand, scope).sql;
        const results: Rendered[] = [];
        for (const when of body.conditions) {
          only(when, ["condition", "result"], "CASE WHEN");
          const result = this.expr(when.result, scope);
          results.push(result);
          sql += ` WHEN ${this.expr(when.condition, scope).sql} THEN ${result.sql}`;
        }
        if (body.else_result) {
          const result = this.expr(body.else_result, scope);
          results.push(result);
          sql += ` ELSE ${result.sql}`;
        }
        return { sql: sql + " END", ...commonKind(results) };
      }
      case "Cast":
        return this.cast(body, scope);
      case "TypedString": {
        only(body, ["data_type", "value", "uses_odbc_syntax"], "typed literal");
        const type = mapDataType(body.data_type);
        const text = this.value(body.value);
        if (type.sf !== "DATE" && type.sf !== "TIMESTAMP_NTZ") throw new UnsupportedError(`${type.sf} typed literal`);
        return { sql: `CAST(${text.sql} AS ${type.duck})`, kind: "time" };
      }
      case "Function":
        return this.func(body, scope);
      case "Subquery": {
        const sub = this.query(body, scope);
        const only1 = sub.columns?.length === 1 ? sub.columns[0] : undefined;
        return { sql: `(${sub.sql})`, kind: only1?.kind ?? "unknown", semi: only1?.semi };
      }
      case "Exists": {
        only(body, ["subquery", "negated"], "EXISTS");
        return { sql: `(${body.negated ? "NOT " : ""}EXISTS (${this.query(body.subquery, scope).sql}))`, kind: "bool" };
      }
      case "JsonAccess":
        return this.jsonAccess(body, scope);
      case "Trim": {
        only(body, ["expr", "trim_characters", "trim_where", "trim_what"], "TRIM");
        if (body.trim_where || body.trim_what) throw new UnsupportedError("TRIM(BOTH/LEADING/TRAILING ... FROM ...)");
        const chars = (body.trim_characters ?? []).map((c: Ast) => this.expr(c, scope).sql);
        if (chars.length > 1) throw new UnsupportedError("TRIM with several character arguments");
        const e = this.text(this.expr(body.expr, scope));
        return { sql: `trim(${[e, ...chars].join(", ")})`, kind: "text" };
      }
      case "Substring": {
        only(body, ["expr", "substring_from", "substring_for", "special", "shorthand"], "SUBSTRING");
        const e = this.text(this.expr(body.expr, scope));
        const args = [e];
        if (body.substring_from) args.push(this.expr(body.substring_from, scope).sql);
        else throw new UnsupportedError("SUBSTRING without a start position");
        if (body.substring_for) args.push(this.expr(body.substring_for, scope).sql);
        return { sql: `substring(${args.join(", ")})`, kind: "text" };
      }
      case "Wildcard":
        throw compileError("unexpected '*'");
      default:
        throw new UnsupportedError("expression " + kind);
    }
  }

  /** A VARCHAR view of a value, with Snowflake's unquoted rendering of JSON strings. */
  private text(value: Rendered): string {
    if (value.kind === "text") return value.sql;
    if (value.kind === "json" || value.kind === "unknown") return `sf_text(${value.sql})`;
    return `CAST(${value.sql} AS VARCHAR)`;
  }

  /**
   * Snowflake compares a VARIANT with a string/number by the variant's value; DuckDB would
   * compare JSON text ('"ok"' vs 'ok') or try to parse the other side as JSON.
   */
  private comparable(a: Rendered, b: Rendered): [string, string] {
    const fix = (json: Rendered, other: Rendered): string => {
      if (json.kind !== "json" || other.kind === "json" || other.kind === "unknown") return json.sql;
      if (other.kind === "text") return `sf_text(${json.sql})`;
      if (other.kind === "number") return `TRY_CAST(${json.sql} AS DOUBLE)`;
      if (other.kind === "bool") return `TRY_CAST(${json.sql} AS BOOLEAN)`;
      if (other.kind === "time") return `TRY_CAST(sf_text(${json.sql}) AS TIMESTAMP)`;
      return json.sql;
    };
    return [fix(a, b), fix(b, a)];
  }

  private binary(body: Ast, scope: QueryScope): Rendered {
    only(body, ["left", "op", "right"], "binary operator");
    const op = String(body.op);
    const left = this.expr(body.left, scope);
    const right = this.expr(body.right, scope);
    if (op === "And" || op === "Or") return { sql: `(${left.sql} ${op.toUpperCase()} ${right.sql})`, kind: "bool" };
    if (COMPARISONS[op]) {
      const [a, b] = this.comparable(left, right);
      return { sql: `(${a} ${COMPARISONS[op]} ${b})`, kind: "bool" };
    }
    if (ARITHMETIC[op]) return { sql: `(${left.sql} ${ARITHMETIC[op]} ${right.sql})`, kind: "number" };
    if (op === "Divide") return { sql: `sf_div(${left.sql}, ${right.sql})`, kind: "number" };
    if (op === "StringConcat") return { sql: `(${this.text(left)} || ${this.text(right)})`, kind: "text" };
    throw new UnsupportedError("operator " + op);
  }

  private cast(body: Ast, scope: QueryScope): Rendered {
    only(body, ["kind", "expr", "data_type", "array"], "CAST");
    if (body.format) throw new UnsupportedError("CAST ... FORMAT");
    const tryCast = body.kind === "TryCast" || body.kind === "SafeCast";
    if (!tryCast && body.kind !== "Cast" && body.kind !== "DoubleColon") throw new UnsupportedError("cast form " + String(body.kind));
    const inner = this.expr(body.expr, scope);
    return this.castTo(inner, mapDataType(body.data_type), tryCast);
  }

  private castTo(inner: Rendered, type: TypeInfo, tryCast: boolean): Rendered {
    switch (type.sf) {
      case "TEXT":
        return { sql: this.text(inner), kind: "text" };
      case "VARIANT":
        if (tryCast) throw new UnsupportedError("TRY_CAST to VARIANT");
        return { sql: `to_json(${inner.sql})`, kind: "json", semi: inner.semi };
      case "OBJECT":
      case "ARRAY":
        if (tryCast) throw new UnsupportedError(`TRY_CAST to ${type.sf}`);
        return { sql: `sf_as_${type.sf.toLowerCase()}(${inner.sql})`, kind: "json", semi: type.sf };
      default: {
        const fn = tryCast ? "TRY_CAST" : "CAST";
        return { sql: `${fn}(${inner.sql} AS ${type.duck})`, kind: kindOfType(type.sf) };
      }
    }
  }

  private jsonAccess(body: Ast, scope: QueryScope): Rendered {
    only(body, ["value", "path"], "semi-structured path");
    const base = this.expr(body.value, scope);
    const steps: (string | number)[] = [];
    for (const element of body.path.path) {
      const [kind, el] = variant(element);
      if (kind === "Dot") steps.push(String(el.key));
      else if (kind === "Bracket") {
        const key = this.expr(el.key, scope);
        if (!key.constant) throw new UnsupportedError("semi-structured path with a computed element");
        const v = key.constant.value;
        if (typeof v === "number" && Number.isInteger(v) && v >= 0) steps.push(v);
        else if (typeof v === "string") steps.push(v);
        else throw new UnsupportedError("semi-structured path element " + JSON.stringify(v));
      } else throw new UnsupportedError("semi-structured path element " + kind);
    }
    // Never `:`: DuckDB reads `value:status` as `value AS status` and silently returns the column.
    return { sql: `json_extract(${base.sql}, ${stringLiteral(jsonPathOf(steps))})`, kind: "json" };
  }

  // ----- functions --------------------------------------------------------------------------

  private func(body: Ast, scope: QueryScope): Rendered {
    only(body, ["name", "args", "within_group", "uses_odbc_syntax", "parameters", "over", "filter", "null_treatment"], "function call");
    const parts = objectNameParts(body.name);
    if (parts.length !== 1) throw new UnsupportedError("function " + parts.map((p: Ast) => p.value).join("."));
    const name = identName(parts[0]);
    if (body.over) throw new UnsupportedError(`window function ${name} (OVER)`);
    if (body.filter) throw new UnsupportedError(`FILTER clause on ${name}`);
    if (body.null_treatment) throw new UnsupportedError(`IGNORE/RESPECT NULLS on ${name}`);
    if (body.parameters !== undefined && body.parameters !== "None") throw new UnsupportedError(`parameters of ${name}`);

    const argNodes: Ast[] = [];
    let distinct = false;
    let star = false;
    if (body.args !== undefined && body.args !== "None") {
      const [argsKind, list] = variant(body.args);
      if (argsKind !== "List") throw new UnsupportedError(`${name} with a subquery argument`);
      only(list, ["args", "duplicate_treatment"], `arguments of ${name}`);
      if (list.duplicate_treatment === "Distinct") distinct = true;
      for (const arg of list.args ?? []) {
        const [ak, av] = variant(arg);
        if (ak !== "Unnamed") throw new UnsupportedError(`named argument in ${name}`);
        if (av === "Wildcard") star = true;
        else {
          const [ek, ev] = variant(av);
          if (ek !== "Expr") throw new UnsupportedError(`argument form ${ek} in ${name}`);
          argNodes.push(ev);
        }
      }
    }
    const withinGroup: Ast[] = body.within_group ?? [];
    if (withinGroup.length > 0 && name !== "ARRAY_AGG" && name !== "ARRAYAGG") {
      throw new UnsupportedError(`WITHIN GROUP on ${name}`);
    }
    if (star && name !== "COUNT") throw new UnsupportedError(`${name}(*)`);
    if (distinct && !["COUNT", "SUM", "AVG", "MIN", "MAX", "ARRAY_AGG", "ARRAYAGG"].includes(name)) {
      throw new UnsupportedError(`DISTINCT in ${name}`);
    }
    if (this.inValues && VALUES_FORBIDDEN.has(name)) {
      const text = callText(this.source, body) ?? `${name}(...)`;
      throw new SnowflakeError("002014", "22000", `SQL compilation error:\nInvalid expression [${text}] in VALUES clause`);
    }

    if (name.startsWith("SYSTEM$") || CATALOG_FUNCTIONS.has(name)) return this.hookCall(name, argNodes, scope);

    const args = () => argNodes.map((a) => this.expr(a, scope));
    const arity = (min: number, max = min) => {
      if (argNodes.length < min || argNodes.length > max) {
        throw new SnowflakeError(
          "000938",
          "42601",
          `SQL compilation error:\nnot enough arguments for function [${name}], expected ${min === max ? min : `${min} to ${max}`}, got ${argNodes.length}`,
        );
      }
    };
    const call = (duck: string, kind: Kind, semi?: Semi): Rendered => ({
      sql: `${duck}(${args().map((a) => a.sql).join(", ")})`,
      kind,
      semi,
    });
    const scopeText = (value: string | undefined): Rendered => {
      if (this.inView) throw new UnsupportedError(`${name}() in a view definition`);
      return literalOf(value ?? null, name);
    };

    switch (name) {
      case "COUNT": {
        if (star) {
          if (argNodes.length > 0) throw compileError("COUNT(*) takes no other arguments");
          return { sql: "count(*)", kind: "number" };
        }
        arity(1);
        return { sql: `count(${distinct ? "DISTINCT " : ""}${args()[0]!.sql})`, kind: "number" };
      }
      case "SUM":
      case "AVG":
      case "MIN":
      case "MAX": {
        arity(1);
        const [a] = args();
        const kind = name === "MIN" || name === "MAX" ? a!.kind : "number";
        return { sql: `${name.toLowerCase()}(${distinct ? "DISTINCT " : ""}${a!.sql})`, kind, semi: a!.semi };
      }
      case "ARRAY_AGG":
      case "ARRAYAGG": {
        arity(1);
        const [a] = args();
        const order = withinGroup.map((item) => this.orderItem(item, scope));
        const list = `list(${distinct ? "DISTINCT " : ""}${a!.sql}${order.length > 0 ? " ORDER BY " + order.join(", ") : ""})`;
        // Snowflake skips NULLs and answers [] (not NULL) over zero rows.
        return {
          sql: `COALESCE(to_json(${list} FILTER (WHERE ${a!.sql} IS NOT NULL)), CAST('[]' AS JSON))`,
          kind: "json",
          semi: "ARRAY",
        };
      }
      case "COALESCE":
      case "NVL":
      case "IFNULL": {
        if (name === "COALESCE") {
          if (argNodes.length < 1) arity(1, Infinity);
        } else arity(2);
        const rendered = args();
        return { sql: `COALESCE(${rendered.map((r) => r.sql).join(", ")})`, ...commonKind(rendered) };
      }
      case "NULLIF": {
        arity(2);
        const [a, b] = args();
        const [x, y] = this.comparable(a!, b!);
        return { sql: `NULLIF(${x}, ${y})`, kind: a!.kind, semi: a!.semi };
      }
      case "NVL2": {
        arity(3);
        const [a, b, c] = args();
        return { sql: `CASE WHEN ${a!.sql} IS NOT NULL THEN ${b!.sql} ELSE ${c!.sql} END`, ...commonKind([b!, c!]) };
      }
      case "IFF": {
        arity(3);
        const [c, a, b] = args();
        return { sql: `CASE WHEN ${c!.sql} THEN ${a!.sql} ELSE ${b!.sql} END`, ...commonKind([a!, b!]) };
      }
      case "UPPER":
      case "LOWER":
      case "LTRIM":
      case "RTRIM":
      case "TRIM": {
        if (name === "UPPER" || name === "LOWER") arity(1);
        else arity(1, 2);
        const [s, chars] = args();
        return { sql: `${name.toLowerCase()}(${[this.text(s!), ...(chars ? [chars.sql] : [])].join(", ")})`, kind: "text" };
      }
      case "LENGTH":
      case "LEN": {
        arity(1);
        return { sql: `CAST(length(${this.text(args()[0]!)}) AS BIGINT)`, kind: "number" };
      }
      case "CONCAT": {
        arity(1, Infinity);
        // Snowflake's CONCAT is NULL if any argument is; DuckDB's concat() skips NULLs, || does not.
        return { sql: "(" + args().map((a) => this.text(a)).join(" || ") + ")", kind: "text" };
      }
      case "REPLACE": {
        arity(2, 3);
        const [s, from, to] = args();
        return { sql: `replace(${this.text(s!)}, ${from!.sql}, ${to ? to.sql : "''"})`, kind: "text" };
      }
      case "SUBSTR":
      case "SUBSTRING": {
        arity(2, 3);
        const [s, ...rest] = args();
        return { sql: `substring(${[this.text(s!), ...rest.map((r) => r.sql)].join(", ")})`, kind: "text" };
      }
      case "STARTSWITH":
      case "ENDSWITH":
      case "CONTAINS": {
        arity(2);
        const [a, b] = args();
        const fn = name === "STARTSWITH" ? "starts_with" : name === "ENDSWITH" ? "ends_with" : "contains";
        return { sql: `${fn}(${this.text(a!)}, ${this.text(b!)})`, kind: "bool" };
      }
      case "ABS":
      case "FLOOR":
      case "CEIL":
        arity(1);
        return call(name.toLowerCase(), "number");
      case "ROUND":
        arity(1, 2);
        return call("round", "number");
      case "MOD":
        arity(2);
        return call("mod", "number");
      case "PARSE_JSON":
        arity(1);
        return call("sf_parse_json", "json");
      case "TRY_PARSE_JSON":
        arity(1);
        return call("sf_try_parse_json", "json");
      case "TO_JSON": {
        arity(1);
        return { sql: `CAST(to_json(${args()[0]!.sql}) AS VARCHAR)`, kind: "text" };
      }
      case "TO_VARIANT":
        arity(1);
        return call("to_json", "json");
      case "TO_OBJECT":
        arity(1);
        return call("sf_as_object", "json", "OBJECT");
      case "TO_ARRAY":
        arity(1);
        return call("sf_as_array", "json", "ARRAY");
      case "OBJECT_CONSTRUCT":
      case "OBJECT_CONSTRUCT_KEEP_NULL": {
        if (star) throw new UnsupportedError(`${name}(*)`);
        if (argNodes.length % 2 !== 0) throw compileError(`${name} requires an even number of arguments`);
        const rendered = args();
        if (rendered.length === 0) return { sql: `CAST('{}' AS JSON)`, kind: "json", semi: "OBJECT" };
        const pairs: [Rendered, Rendered][] = [];
        for (let i = 0; i < rendered.length; i += 2) pairs.push([rendered[i]!, rendered[i + 1]!]);
        if (name === "OBJECT_CONSTRUCT_KEEP_NULL") {
          return {
            sql: `json_object(${pairs.map(([k, v]) => `${this.text(k)}, ${v.sql}`).join(", ")})`,
            kind: "json",
            semi: "OBJECT",
          };
        }
        // Pairs whose key or value is SQL NULL are dropped, as Snowflake does; a JSON null
        // (PARSE_JSON('null')) is a value and stays.
        const entries = pairs.map(([k, v]) => `{'k': ${this.text(k)}, 'v': to_json(${v.sql})}`).join(", ");
        return {
          sql: `to_json(map_from_entries(list_filter([${entries}], lambda e: e.k IS NOT NULL AND e.v IS NOT NULL)))`,
          kind: "json",
          semi: "OBJECT",
        };
      }
      case "OBJECT_INSERT": {
        arity(3, 4);
        const [o, k, v, u] = args();
        const update = u === undefined ? "FALSE" : `CAST(${u.sql} AS BOOLEAN)`;
        return { sql: `sf_object_insert(${o!.sql}, ${this.text(k!)}, to_json(${v!.sql}), ${update})`, kind: "json", semi: "OBJECT" };
      }
      case "ARRAY_CONSTRUCT": {
        if (argNodes.length === 0) return { sql: `CAST('[]' AS JSON)`, kind: "json", semi: "ARRAY" };
        return call("json_array", "json", "ARRAY");
      }
      case "ARRAY_SIZE":
        arity(1);
        return call("sf_array_size", "number");
      case "GET": {
        arity(2);
        const [v, key] = args();
        if (!key!.constant) throw new UnsupportedError("GET with a computed key");
        const k = key!.constant.value;
        if (k === null) return { sql: "CAST(NULL AS JSON)", kind: "json" };
        const step = typeof k === "number" && Number.isInteger(k) ? k : typeof k === "string" ? k : undefined;
        if (step === undefined) throw new UnsupportedError("GET key " + JSON.stringify(k));
        return { sql: `json_extract(${v!.sql}, ${stringLiteral(jsonPathOf([step]))})`, kind: "json" };
      }
      case "GET_PATH": {
        arity(2);
        const [v, path] = args();
        if (!path!.constant || typeof path!.constant.value !== "string") throw new UnsupportedError("GET_PATH with a computed path");
        return { sql: `json_extract(${v!.sql}, ${stringLiteral(jsonPathOf(parsePathText(path!.constant.value)))})`, kind: "json" };
      }
      case "TYPEOF":
        arity(1);
        return call("sf_typeof", "text");
      case "IS_OBJECT":
        arity(1);
        return call("sf_is_object", "bool");
      case "SYSDATE":
      case "CURRENT_TIMESTAMP":
      case "LOCALTIMESTAMP":
      case "GETDATE":
        if (argNodes.length > 0) throw new UnsupportedError(`${name} with a precision argument`);
        // Engine time zone is UTC, so this is the UTC wall clock Snowflake's SYSDATE() gives.
        return { sql: "CAST(get_current_timestamp() AS TIMESTAMP)", kind: "time" };
      case "CURRENT_DATE":
        arity(0);
        return { sql: "CAST(get_current_timestamp() AS DATE)", kind: "time" };
      case "UUID_STRING":
        if (argNodes.length > 0) throw new UnsupportedError("UUID_STRING with a namespace (version 5)");
        return { sql: "CAST(uuid() AS VARCHAR)", kind: "text" };
      case "TO_VARCHAR":
      case "TO_CHAR":
      case "TO_NUMBER":
      case "TO_DECIMAL":
      case "TO_NUMERIC":
      case "TO_DOUBLE":
      case "TO_BOOLEAN":
      case "TO_DATE":
      case "TO_TIMESTAMP":
      case "TO_TIMESTAMP_NTZ": {
        if (argNodes.length !== 1) throw new UnsupportedError(`${name} with a format or precision argument`);
        const target: TypeInfo =
          name === "TO_VARCHAR" || name === "TO_CHAR"
            ? { sf: "TEXT", duck: "VARCHAR" }
            : name === "TO_DOUBLE"
              ? { sf: "REAL", duck: "DOUBLE" }
              : name === "TO_BOOLEAN"
                ? { sf: "BOOLEAN", duck: "BOOLEAN" }
                : name === "TO_DATE"
                  ? { sf: "DATE", duck: "DATE" }
                  : name.startsWith("TO_TIMESTAMP")
                    ? { sf: "TIMESTAMP_NTZ", duck: "TIMESTAMP" }
                    : INTEGER_TYPE;
        return this.castTo(args()[0]!, target, false);
      }
      case "CURRENT_DATABASE":
        arity(0);
        return scopeText(this.ctx.scope.database);
      case "CURRENT_SCHEMA":
        arity(0);
        return scopeText(this.ctx.scope.schema);
      default:
        throw new UnsupportedError("function " + name);
    }
  }

  private hookCall(name: string, argNodes: Ast[], scope: QueryScope): Rendered {
    if (this.inView) throw new UnsupportedError(`${name} in a view definition (it would be frozen at creation)`);
    const values = argNodes.map((node) => {
      const rendered = this.exprConstant(node, scope);
      if (!rendered) throw new UnsupportedError(`non-constant argument to ${name} (only literals and binds)`);
      return rendered.value;
    });
    const result = this.ctx.hooks.systemFunction(name, values);
    return literalOf(result, name);
  }

  /** A literal or bind's JS value, without registering the bind with DuckDB. */
  private exprConstant(node: Ast, scope: QueryScope): { value: unknown } | undefined {
    const [kind, body] = variant(node);
    if (kind === "Value") {
      const [vk] = variant(body.value);
      if (vk === "Placeholder") {
        const ordinal = this.ordinals.get(body);
        if (ordinal === undefined || ordinal >= this.ctx.binds.length) return this.bind(body).constant;
        return { value: this.ctx.binds[ordinal] };
      }
      return this.value(body).constant ?? (vk === "Null" ? { value: null } : undefined);
    }
    if (kind === "UnaryOp" && body.op === "Minus") {
      const inner = this.exprConstant(body.expr, scope);
      return inner && typeof inner.value === "number" ? { value: -inner.value } : undefined;
    }
    if (kind === "Nested") return this.exprConstant(body, scope);
    return undefined;
  }

  // ----- DML --------------------------------------------------------------------------------

  /** Coerces a value stored into a column to Snowflake's implicit cast for that column. */
  private storeValue(value: Rendered, column: ColumnMeta): string {
    const kind = kindOfType(column.type);
    // Snowflake stores a VARCHAR into a VARIANT as a JSON string (it does not parse it);
    // to_json() does exactly that and leaves JSON values untouched.
    if (kind === "json") {
      if (column.type === "VARIANT") return `to_json(${value.sql})`;
      return `sf_as_${column.type.toLowerCase()}(${value.sql})`;
    }
    if (kind === "text" && value.kind === "json") return `sf_text(${value.sql})`;
    return value.sql;
  }

  private targetColumns(relation: RelationMeta, idents: Ast[] | undefined): ColumnMeta[] {
    if (!idents || idents.length === 0) return [...relation.columns];
    return idents.map((ident: Ast) => {
      const parts = Array.isArray(ident) ? objectNameParts(ident) : [ident];
      const name = identName(parts[parts.length - 1]);
      const column = relation.columns.find((c) => c.name === name);
      if (!column) throw invalidIdentifier(displayName(name));
      return column;
    });
  }

  private insert(body: Ast): Plan {
    only(body, ["into", "table", "columns", "source", "has_table_keyword", "overwrite"], "INSERT");
    if (body.overwrite) throw new UnsupportedError("INSERT OVERWRITE");
    const [tk, tv] = variant(body.table);
    if (tk !== "TableName") throw new UnsupportedError("INSERT into a " + tk);
    const relation = this.dmlTarget(tv);
    const columns = this.targetColumns(relation, body.columns);
    const head = `INSERT INTO ${duckTableRef(relation)} (${columns.map((c) => q(c.name)).join(", ")}) `;
    const source = body.source;
    const [bodyKind, values] = variant(source.body);
    let sql: string;
    if (bodyKind === "Values") {
      only(source, ["body"], "INSERT ... VALUES");
      only(values, ["rows", "explicit_row", "value_keyword"], "VALUES");
      const scope = new QueryScope();
      this.inValues = true;
      const rows = values.rows.map((row: Ast) => {
        const content: Ast[] = Array.isArray(row) ? row : row.content;
        if (content.length !== columns.length) {
          throw new SnowflakeError(
            "002020",
            "21S01",
            `SQL compilation error:\nInsert value list does not match column list expecting ${columns.length} but got ${content.length}`,
          );
        }
        return "(" + content.map((e, i) => {
          this.checkValuesExpr(e);
          return this.storeValue(this.expr(e, scope), columns[i]!);
        }).join(", ") + ")";
      });
      this.inValues = false;
      sql = head + "VALUES " + rows.join(", ");
    } else {
      const out = this.query(source, undefined);
      const needsWrap =
        columns.some((c) => kindOfType(c.type) === "json") ||
        (out.columns !== undefined && columns.some((c, i) => kindOfType(c.type) === "text" && out.columns![i]?.kind === "json"));
      if (needsWrap) {
        const names = columns.map((_, i) => `__c${i + 1}`);
        const picks = columns.map((c, i) =>
          this.storeValue({ sql: q(names[i]!), kind: out.columns?.[i]?.kind ?? "unknown" }, c),
        );
        sql = head + `SELECT ${picks.join(", ")} FROM (${out.sql}) AS "__floe_src"(${names.map(q).join(", ")})`;
      } else sql = head + out.sql;
    }
    return { kind: "insert", sql, params: this.params.values, target: relation };
  }

  /** Snowflake accepts only constant-like expressions in VALUES; subqueries are refused too. */
  private checkValuesExpr(node: Ast): void {
    const walk = (n: Ast) => {
      if (Array.isArray(n)) n.forEach(walk);
      else if (n && typeof n === "object") {
        if (n.Subquery || n.Exists || n.InSubquery) {
          throw new SnowflakeError("002014", "22000", "SQL compilation error:\nInvalid expression [subquery] in VALUES clause");
        }
        const cast = n.Cast;
        if (cast && cast.kind !== "TryCast") {
          const [dk, dv] = variant(cast.data_type);
          const target = dk === "Custom" ? String(objectNameParts(dv[0])[0].value).toUpperCase() : dk.toUpperCase();
          if (target === "VARIANT" || target === "OBJECT" || target === "ARRAY") {
            throw new SnowflakeError("002014", "22000", `SQL compilation error:\nInvalid expression [CAST(... AS ${target})] in VALUES clause`);
          }
        }
        for (const key of Object.keys(n)) if (key !== "span") walk(n[key]);
      }
    };
    walk(node);
  }

  private assignments(list: Ast[], relation: RelationMeta, alias: string, scope: QueryScope): string {
    return list
      .map((assignment: Ast) => {
        only(assignment, ["target", "value"], "SET");
        const [tk, tv] = variant(assignment.target);
        if (tk !== "ColumnName") throw new UnsupportedError("SET of a tuple");
        const parts = objectNameParts(tv).map(identName);
        if (parts.length === 2 && parts[0] !== alias) throw invalidIdentifier(displayName(...parts));
        if (parts.length > 2) throw new UnsupportedError("SET target qualified by schema");
        const column = relation.columns.find((c) => c.name === parts[parts.length - 1]);
        if (!column) throw invalidIdentifier(displayName(parts[parts.length - 1]!));
        return `${q(column.name)} = ${this.storeValue(this.expr(assignment.value, scope), column)}`;
      })
      .join(", ");
  }

  private targetTable(node: Ast, where: string): { relation: RelationMeta; alias: string; sql: string; binding: RelBinding } {
    const [kind, body] = variant(node);
    if (kind !== "Table") throw new UnsupportedError(`${where} target ${kind}`);
    only(body, ["name", "alias"], `${where} target`);
    const relation = this.dmlTarget(body.name);
    const alias = this.tableAlias(body.alias);
    if (alias?.columns.length) throw new UnsupportedError(`column aliases on the ${where} target`);
    const name = alias?.name ?? relation.name;
    return {
      relation,
      alias: name,
      sql: `${duckTableRef(relation)} AS ${q(name)}`,
      binding: { alias: name, columns: relation.columns.map(colInfoOf) },
    };
  }

  private update(body: Ast): Plan {
    only(body, ["table", "assignments", "from", "selection"], "UPDATE");
    only(body.table, ["relation", "joins"], "UPDATE target");
    if (!isEmpty(body.table.joins)) throw new UnsupportedError("UPDATE of a join");
    const target = this.targetTable(body.table.relation, "UPDATE");
    const scope = new QueryScope();
    scope.rels.push(target.binding);
    let from = "";
    if (body.from) {
      const [fk, fv] = variant(body.from);
      if (fk !== "AfterSet") throw new UnsupportedError("UPDATE ... FROM before SET");
      from = " FROM " + fv.map((item: Ast) => this.tableWithJoins(item, scope)).join(", ");
    }
    let sql = `UPDATE ${target.sql} SET ${this.assignments(body.assignments, target.relation, target.alias, scope)}${from}`;
    if (body.selection) sql += " WHERE " + this.expr(body.selection, scope).sql;
    return { kind: "update", sql, params: this.params.values, target: target.relation };
  }

  private delete(body: Ast): Plan {
    only(body, ["tables", "from", "using", "selection"], "DELETE");
    if (!isEmpty(body.tables)) throw new UnsupportedError("multi-table DELETE");
    const [fk, fv] = variant(body.from);
    if (fk !== "WithFromKeyword" && fk !== "WithoutKeyword") throw new UnsupportedError("DELETE form " + fk);
    if (fv.length !== 1 || !isEmpty(fv[0].joins)) throw new UnsupportedError("DELETE from several tables");
    const target = this.targetTable(fv[0].relation, "DELETE");
    const scope = new QueryScope();
    scope.rels.push(target.binding);
    let sql = `DELETE FROM ${target.sql}`;
    if (body.using) sql += " USING " + body.using.map((item: Ast) => this.tableWithJoins(item, scope)).join(", ");
    if (body.selection) sql += " WHERE " + this.expr(body.selection, scope).sql;
    return { kind: "delete", sql, params: this.params.values, target: target.relation };
  }

  private merge(body: Ast): Plan {
    only(body, ["into", "table", "source", "on", "clauses"], "MERGE");
    const target = this.targetTable(body.table, "MERGE");
    const renderHead = () => {
      const scope = new QueryScope();
      scope.rels.push(target.binding);
      const source = this.tableFactor(body.source, scope);
      const on = this.expr(body.on, scope).sql;
      return { scope, source, on };
    };
    const { scope, source, on } = renderHead();
    const clauses = { insert: false, update: false, delete: false };
    const parts: string[] = [];
    for (const clause of body.clauses) {
      only(clause, ["clause_kind", "predicate", "action"], "MERGE clause");
      const matched = clause.clause_kind === "Matched";
      if (!matched && clause.clause_kind !== "NotMatched" && clause.clause_kind !== "NotMatchedByTarget") {
        throw new UnsupportedError("WHEN " + String(clause.clause_kind));
      }
      let sql = matched ? "WHEN MATCHED" : "WHEN NOT MATCHED";
      if (clause.predicate) sql += " AND " + this.expr(clause.predicate, scope).sql;
      const [ak, av] = variant(clause.action);
      if (ak === "Update" && matched) {
        only(av, ["assignments"], "MERGE UPDATE");
        clauses.update = true;
        sql += " THEN UPDATE SET " + this.assignments(av.assignments, target.relation, target.alias, scope);
      } else if (ak === "Delete" && matched) {
        only(av ?? {}, [], "MERGE DELETE");
        clauses.delete = true;
        sql += " THEN DELETE";
      } else if (ak === "Insert" && !matched) {
        only(av, ["columns", "kind"], "MERGE INSERT");
        clauses.insert = true;
        const columns = this.targetColumns(target.relation, av.columns);
        const [kk, kv] = variant(av.kind);
        if (kk !== "Values") throw new UnsupportedError("MERGE INSERT " + kk);
        only(kv, ["rows", "explicit_row", "value_keyword"], "MERGE INSERT VALUES");
        if (kv.rows.length !== 1) throw compileError("MERGE INSERT takes exactly one VALUES row");
        const content: Ast[] = Array.isArray(kv.rows[0]) ? kv.rows[0] : kv.rows[0].content;
        if (content.length !== columns.length) {
          throw new SnowflakeError(
            "002020",
            "21S01",
            `SQL compilation error:\nInsert value list does not match column list expecting ${columns.length} but got ${content.length}`,
          );
        }
        const values = content.map((e, i) => this.storeValue(this.expr(e, scope), columns[i]!));
        sql += ` THEN INSERT (${columns.map((c) => q(c.name)).join(", ")}) VALUES (${values.join(", ")})`;
      } else throw new UnsupportedError(`MERGE ${matched ? "WHEN MATCHED" : "WHEN NOT MATCHED"} THEN ${ak.toUpperCase()}`);
      parts.push(sql);
    }
    const sql = `MERGE INTO ${target.sql} USING ${source} ON ${on} ${parts.join(" ")} RETURNING merge_action`;
    const params = this.params.values;
    let duplicateCheck: { sql: string; params: BindValue[] } | undefined;
    if (clauses.update) {
      // Re-render source and condition with their own parameter numbering for a second query.
      this.params = new Params();
      const again = renderHead();
      duplicateCheck = {
        sql: `SELECT 1 FROM ${target.sql} JOIN ${again.source} ON ${again.on} GROUP BY ${q(target.alias)}.rowid HAVING count(*) > 1 LIMIT 1`,
        params: this.params.values,
      };
    }
    return { kind: "merge", sql, params, target: target.relation, clauses, duplicateCheck };
  }

  // ----- DDL --------------------------------------------------------------------------------

  private noBinds(what: string): void {
    if (this.ordinals.size > 0) throw new UnsupportedError(`bind variables in ${what}`);
  }

  private createTable(body: Ast): Plan {
    only(
      body,
      ["or_replace", "if_not_exists", "transient", "name", "columns", "constraints", "query", "table_options"],
      "CREATE TABLE",
    );
    if (body.or_replace && body.if_not_exists) throw compileError("OR REPLACE and IF NOT EXISTS are incompatible.");
    const target = this.resolveName(body.name);
    const comment = this.tableComment(body.table_options);
    const create = `CREATE ${body.or_replace ? "OR REPLACE " : ""}TABLE ${duckTableRef(target)}`;
    if (body.query) {
      if (!isEmpty(body.columns) || !isEmpty(body.constraints)) throw new UnsupportedError("CREATE TABLE with both columns and AS SELECT");
      const out = this.query(body.query, undefined);
      return {
        kind: "createTable",
        target,
        orReplace: !!body.or_replace,
        ifNotExists: !!body.if_not_exists,
        sql: `${create} AS ${out.sql}`,
        params: this.params.values,
        jsonTypes: jsonTypesOf(out.columns),
        comment,
      };
    }
    this.noBinds("CREATE TABLE");
    if (isEmpty(body.columns)) throw compileError("CREATE TABLE needs at least one column");
    const notNull = new Set<string>();
    for (const constraint of body.constraints ?? []) {
      const [ck, cv] = variant(constraint);
      // Snowflake records PRIMARY KEY / UNIQUE / FOREIGN KEY but enforces none of them,
      // except that a primary key's columns are NOT NULL.
      if (ck === "PrimaryKey") {
        for (const col of cv.columns) {
          const expr = col.column?.expr ?? col;
          const [ek, ev] = variant(expr);
          if (ek !== "Identifier") throw new UnsupportedError("PRIMARY KEY on an expression");
          notNull.add(identName(ev));
        }
      } else if (ck !== "Unique" && ck !== "ForeignKey") throw new UnsupportedError(`table constraint ${ck}`);
    }
    const seen = new Map<string, string>();
    const columns: ColumnMeta[] = [];
    const defs: string[] = [];
    for (const column of body.columns) {
      only(column, ["name", "data_type", "options"], "column definition");
      const name = identName(column.name);
      const folded = name.toUpperCase();
      if (seen.has(folded)) {
        throw seen.get(folded) === name
          ? new SnowflakeError("002025", "42S21", `SQL compilation error:\nduplicate column name '${name}'`)
          : new UnsupportedError(`column names differing only in case ('${seen.get(folded)}' and '${name}')`);
      }
      seen.set(folded, name);
      const type = mapDataType(column.data_type);
      let nullable = !notNull.has(name);
      let defaultSql: string | undefined;
      let comment: string | undefined;
      for (const opt of column.options ?? []) {
        only(opt, ["option", "name"], "column option");
        if (opt.name) throw new UnsupportedError("named column constraint");
        const [ok, ov] = variant(opt.option);
        if (ok === "NotNull") nullable = false;
        else if (ok === "Null") continue;
        else if (ok === "PrimaryKey") nullable = false;
        else if (ok === "Unique") continue;
        else if (ok === "Comment") comment = String(ov);
        else if (ok === "ForeignKey") continue;
        else if (ok === "Default") {
          const rendered = this.expr(ov, new QueryScope());
          defaultSql = this.storeValue(rendered, { name, type: type.sf, nullable: true });
        } else if (ok === "Identity") throw new UnsupportedError("AUTOINCREMENT/IDENTITY columns");
        else if (ok === "Collation") throw new UnsupportedError("COLLATE");
        else throw new UnsupportedError(`column option ${ok}`);
      }
      let def = `${q(name)} ${type.duck}`;
      if (!nullable) def += " NOT NULL";
      if (defaultSql !== undefined) def += ` DEFAULT ${defaultSql}`;
      // Snowflake rejects over-long strings instead of truncating them.
      if (type.length !== undefined) def += ` CHECK (length(${q(name)}) <= ${type.length})`;
      defs.push(def);
      columns.push({
        name,
        type: type.sf,
        nullable,
        ...(type.precision !== undefined ? { precision: type.precision, scale: type.scale } : {}),
        ...(type.length !== undefined ? { length: type.length } : {}),
        ...(comment !== undefined ? { comment } : {}),
      });
    }
    for (const name of notNull) if (!seen.has(name.toUpperCase())) throw invalidIdentifier(displayName(name));
    return {
      kind: "createTable",
      target,
      orReplace: !!body.or_replace,
      ifNotExists: !!body.if_not_exists,
      sql: `${create} (${defs.join(", ")})`,
      params: [],
      columns,
      jsonTypes: {},
      comment,
    };
  }

  private tableComment(options: Ast): string | undefined {
    if (options === undefined || options === "None") return undefined;
    const [kind, list] = variant(options);
    if (kind !== "Plain") throw new UnsupportedError("table options " + kind);
    let comment: string | undefined;
    for (const option of list) {
      const [ok, ov] = variant(option);
      if (ok !== "Comment") throw new UnsupportedError(`table option ${ok}`);
      const [, text] = variant(ov);
      comment = String(text);
    }
    return comment;
  }

  private createView(body: Ast): Plan {
    only(body, ["or_replace", "if_not_exists", "secure", "name", "columns", "query", "comment", "name_before_not_exists"], "CREATE VIEW");
    if (body.or_alter) throw new UnsupportedError("CREATE OR ALTER VIEW");
    if (body.or_replace && body.if_not_exists) throw compileError("OR REPLACE and IF NOT EXISTS are incompatible.");
    this.noBinds("CREATE VIEW");
    const target = this.resolveName(body.name);
    this.inView = true;
    const out = this.query(body.query, undefined);
    this.inView = false;
    const names = (body.columns ?? []).map((c: Ast) => {
      only(c, ["name"], "view column");
      return identName(c.name);
    });
    if (names.length > 0 && out.columns && names.length !== out.columns.length) {
      throw compileError(`View definition declares ${names.length} column(s), but view query produces ${out.columns.length} column(s).`);
    }
    const columns = names.length > 0 ? renameColumns(out.columns, names) : out.columns;
    const list = names.length > 0 ? "(" + names.map(q).join(", ") + ")" : "";
    return {
      kind: "createView",
      target,
      orReplace: !!body.or_replace,
      ifNotExists: !!body.if_not_exists,
      sql: `CREATE ${body.or_replace ? "OR REPLACE " : ""}VIEW ${duckTableRef(target)}${list} AS ${out.sql}`,
      jsonTypes: jsonTypesOf(columns),
      comment: typeof body.comment === "string" ? body.comment : undefined,
    };
  }

  private drop(body: Ast): Plan {
    only(body, ["object_type", "if_exists", "names"], "DROP");
    const objectType = body.object_type === "Table" ? "TABLE" : body.object_type === "View" ? "VIEW" : undefined;
    if (!objectType) throw new UnsupportedError(`DROP ${String(body.object_type).toUpperCase()} in the table store`);
    if (body.names.length !== 1) throw syntaxError(`DROP ${objectType} takes exactly one name`);
    return { kind: "drop", objectType, target: this.resolveName(body.names[0]), ifExists: !!body.if_exists };
  }

  private truncate(body: Ast): Plan {
    only(body, ["table_names", "table", "if_exists"], "TRUNCATE");
    if (body.table_names.length !== 1) throw syntaxError("TRUNCATE takes exactly one table");
    only(body.table_names[0], ["name"], "TRUNCATE");
    return { kind: "truncate", target: this.resolveName(body.table_names[0].name), ifExists: !!body.if_exists };
  }
}

function commonKind(values: readonly Rendered[]): { kind: Kind; semi?: Semi } {
  const kinds = new Set(values.map((v) => v.kind).filter((k) => k !== "unknown"));
  if (kinds.size !== 1) return { kind: "unknown" };
  const semis = new Set(values.map((v) => v.semi));
  return { kind: [...kinds][0]!, semi: semis.size === 1 ? values[0]!.semi : undefined };
}

function renameColumns(columns: readonly ColInfo[] | undefined, names: readonly string[]): ColInfo[] | undefined {
  if (!columns) return names.map((name) => ({ name, kind: "unknown" }));
  return columns.map((c, i) => (i < names.length ? { ...c, name: names[i]! } : c));
}

function jsonTypesOf(columns: readonly ColInfo[] | undefined): JsonTypes {
  const out: Record<string, "OBJECT" | "ARRAY"> = {};
  const conflicting = new Set<string>();
  for (const c of columns ?? []) {
    if (!c.semi) continue;
    if (out[c.name] && out[c.name] !== c.semi) conflicting.add(c.name);
    out[c.name] = c.semi;
  }
  for (const name of conflicting) delete out[name];
  return out;
}

/**
 * Finds a column reference's type, and applies Snowflake's case-sensitivity where DuckDB would
 * not: DuckDB matches identifiers case-insensitively, so a quoted "status" would silently find
 * STATUS here and then fail on Snowflake.
 */
function resolveColumn(scope: QueryScope, qualifier: string | undefined, name: string, display: string): ColInfo | undefined {
  const folded = name.toUpperCase();
  for (let s: QueryScope | undefined = scope; s; s = s.parent) {
    let rels = s.rels;
    if (qualifier !== undefined) {
      rels = s.rels.filter((r) => r.alias === qualifier);
      if (rels.length === 0) {
        if (s.rels.some((r) => r.alias.toUpperCase() === qualifier.toUpperCase())) throw invalidIdentifier(display);
        continue;
      }
    }
    let unknown = false;
    let caseMismatch = false;
    for (const rel of rels) {
      if (!rel.columns) {
        unknown = true;
        continue;
      }
      const hit = rel.columns.find((c) => c.name === name);
      if (hit) return hit;
      if (rel.columns.some((c) => c.name.toUpperCase() === folded)) caseMismatch = true;
    }
    if (qualifier === undefined) {
      const alias = s.aliases.find((c) => c.name === name);
      if (alias) return alias;
      if (s.aliases.some((c) => c.name.toUpperCase() === folded)) caseMismatch = true;
    }
    if (unknown) return undefined;
    if (caseMismatch) throw invalidIdentifier(display);
    if (qualifier !== undefined) return undefined;
  }
  return undefined;
}
