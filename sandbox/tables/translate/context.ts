/**
 * One translation in progress, as every statement family sees it: the statement's text, binds
 * and numbering of placeholders, the DuckDB parameters collected so far, and the entry points of
 * the other families. The families (select.ts, expressions.ts, functions.ts, dml.ts, ddl.ts)
 * import nothing of each other; index.ts wires them together through {@link Translator}, so a
 * subquery inside an expression and an expression inside a query call each other through it.
 */
import { objectNotFound, SnowflakeError, UnsupportedError, type BindValue } from "../../types";
import { identName, objectNameParts, variant, type Expr, type FunctionCall, type ObjectName, type OrderByExpr, type Query, type Statement, type TableAlias, type TableFactor, type TableWithJoins, type ValueWithSpan } from "./ast";
import type { Rendered, TypeInfo } from "./data-types";
import { displayName } from "./names";
import type { QualifiedName, RelationMeta, TranslateContext } from "./output";
import type { QueryOut, QueryScope } from "./scope";
import type { SourceText } from "./source-text";

/** A table alias, read: its name, its column names and how it is written in DuckDB. */
export interface AliasOut {
  readonly name: string;
  readonly columns: string[];
  readonly sql: string;
}

export interface Translator {
  readonly ctx: TranslateContext;
  readonly source: SourceText;
  /** The bind ordinal of each placeholder node, in source order (see {@link placeholderOrdinals}). */
  readonly ordinals: ReadonlyMap<object, number>;
  /** `SELECT`, `DROP TABLE`...: names the statement in "no current database" errors. */
  readonly verb: string;
  params: Params;
  /** Set while rendering INSERT ... VALUES rows. */
  inValues: boolean;
  /** Set while rendering a view body, where session-dependent values cannot be inlined. */
  inView: boolean;

  // select.ts
  query(node: Query, parent: QueryScope | undefined): QueryOut;
  tableWithJoins(node: TableWithJoins, scope: QueryScope): string;
  tableFactor(node: TableFactor, scope: QueryScope): string;
  tableAlias(alias: TableAlias | null | undefined): AliasOut | undefined;
  orderItem(item: OrderByExpr, scope: QueryScope): string;
  // expressions.ts
  expr(node: Expr, scope: QueryScope): Rendered;
  value(node: ValueWithSpan): Rendered;
  bind(node: ValueWithSpan): Rendered;
  exprConstant(node: Expr, scope: QueryScope): { value: unknown } | undefined;
  text(value: Rendered): string;
  comparable(a: Rendered, b: Rendered): [string, string];
  castTo(inner: Rendered, type: TypeInfo, tryCast: boolean): Rendered;
  // functions.ts
  func(body: FunctionCall, scope: QueryScope): Rendered;
}

/** Collects the binds one DuckDB statement uses, numbered `$1..` in first-use order. */
export class Params {
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

/** Bind positions in source order, so `?` numbering never depends on rendering order. */
export function placeholderOrdinals(statement: Statement): Map<object, number> {
  const found: { node: object; text: string; line: number; column: number }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
    } else if (node && typeof node === "object") {
      const value = (node as { value?: { Placeholder?: unknown } }).value;
      if (value && typeof value === "object" && typeof value.Placeholder === "string") {
        const start = (node as ValueWithSpan).span?.start ?? { line: 0, column: 0 };
        found.push({ node, text: value.Placeholder, line: start.line, column: start.column });
      }
      for (const key of Object.keys(node)) if (key !== "span") walk((node as Record<string, unknown>)[key]);
    }
  };
  walk(statement);
  found.sort((a, b) => a.line - b.line || a.column - b.column);
  const ordinals = new Map<object, number>();
  let next = 0;
  for (const p of found) {
    if (p.text === "?") ordinals.set(p.node, next++);
    else if (/^:\d+$/.test(p.text)) ordinals.set(p.node, Number(p.text.slice(1)) - 1);
    else throw new UnsupportedError(`bind variable form ${p.text}`);
  }
  return ordinals;
}

/** The statement's verb, as Snowflake names it in errors. */
export function verbOf(statement: Statement): string {
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
      return String(kind).toUpperCase();
  }
}

export function compileError(message: string): SnowflakeError {
  return new SnowflakeError("002000", "42601", "SQL compilation error:\n" + message);
}

export function stringLiteral(value: string): string {
  return "'" + value.replace(/'/g, "''") + "'";
}

/** A JS value (from a catalog function or GET's key) as a DuckDB literal. */
export function literalOf(value: unknown, what: string): Rendered {
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

/** Snowflake path steps (GET_PATH, and `:` access) → DuckDB JSON path. */
export function jsonPathOf(steps: readonly (string | number)[]): string {
  let path = "$";
  for (const step of steps) {
    if (typeof step === "number") path += `[${step}]`;
    else path += '."' + step.replace(/\\/g, "\\\\").replace(/"/g, '\\"') + '"';
  }
  return path;
}

/** Reads Snowflake path text (`a.b[0]."c d"`) into steps. */
export function parsePathText(text: string): (string | number)[] {
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
// Names of relations, resolved against the session's scope
// ---------------------------------------------------------------------------------------------

function noCurrent(t: Translator, what: "database" | "schema"): SnowflakeError {
  const code = what === "database" ? "090105" : "090106";
  const word = what === "database" ? "DATABASE" : "SCHEMA";
  return new SnowflakeError(code, "22000", `Cannot perform ${t.verb}. This session does not have a current ${what}. Call 'USE ${word}', or use a qualified name.`);
}

/** `[db.][schema.]name`, completed from the session's current database and schema. */
export function resolveName(t: Translator, name: ObjectName): QualifiedName {
  const parts = objectNameParts(name).map(identName);
  const { database, schema } = t.ctx.scope;
  if (parts.length === 3) return { database: parts[0]!, schema: parts[1]!, name: parts[2]! };
  if (parts.length === 2) {
    if (!database) throw noCurrent(t, "database");
    return { database, schema: parts[0]!, name: parts[1]! };
  }
  if (parts.length === 1) {
    if (!database) throw noCurrent(t, "database");
    if (!schema) throw noCurrent(t, "schema");
    return { database, schema, name: parts[0]! };
  }
  throw compileError(`invalid object name '${parts.join(".")}'`);
}

/** An existing table or view, or Snowflake's 002003. */
export function existingRelation(t: Translator, name: ObjectName): RelationMeta {
  const target = resolveName(t, name);
  const found = t.ctx.catalog.hasSchema(target.database, target.schema) ? t.ctx.catalog.relation(target.database, target.schema, target.name) : undefined;
  if (!found) throw objectNotFound("Object", displayName(target.database, target.schema, target.name));
  return found;
}

/** The table a DML statement changes: an existing table, not a view. */
export function dmlTarget(t: Translator, name: ObjectName): RelationMeta {
  const relation = existingRelation(t, name);
  if (relation.kind !== "TABLE") {
    throw new SnowflakeError("002203", "02000", `SQL compilation error:\nObject found is of type 'VIEW', not specified type 'TABLE'.`);
  }
  return relation;
}
