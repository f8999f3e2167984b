/**
 * Table DDL: CREATE TABLE (columns with their types, NOT NULL, DEFAULT and COMMENT, or AS a
 * query), CREATE VIEW, DROP TABLE / VIEW and TRUNCATE, plus the transaction statements. Snowflake
 * records key constraints without enforcing them, except that primary key columns are NOT NULL,
 * and refuses an over-long string where DuckDB would store it: both are kept.
 */
import { SnowflakeError, syntaxError, UnsupportedError } from "../../types";
import { identName, isEmpty, only, variant, type CreateTable, type CreateView, type Drop, type Expr, type StartTransaction, type TableOptions, type Truncate } from "./ast";
import { mapDataType, storeValue } from "./data-types";
import { compileError, resolveName, type Translator } from "./context";
import { displayName, duckTableRef, quoteDuck } from "./names";
import type { ColumnMeta, Translation } from "./output";
import { invalidIdentifier, jsonTypesOf, QueryScope, renameColumns } from "./scope";

function noBinds(t: Translator, what: string): void {
  if (t.ordinals.size > 0) throw new UnsupportedError(`bind variables in ${what}`);
}

/** The columns a table's PRIMARY KEY constraint names: they are NOT NULL. */
function primaryKeyColumns(body: CreateTable): Set<string> {
  const notNull = new Set<string>();
  for (const constraint of body.constraints ?? []) {
    const [ck, cv] = variant(constraint);
    // Snowflake records PRIMARY KEY / UNIQUE / FOREIGN KEY but enforces none of them,
    // except that a primary key's columns are NOT NULL.
    if (ck === "PrimaryKey") {
      for (const col of cv.columns) {
        const expr: Expr = "column" in (col as object) ? (col as { readonly column: { readonly expr: Expr } }).column.expr : (col as Expr);
        const [ek, ev] = variant(expr);
        if (ek !== "Identifier") throw new UnsupportedError("PRIMARY KEY on an expression");
        notNull.add(identName(ev));
      }
    } else if (ck !== "Unique" && ck !== "ForeignKey") throw new UnsupportedError(`table constraint ${String(ck)}`);
  }
  return notNull;
}

export function createTable(t: Translator, body: CreateTable): Translation {
  only(body, ["or_replace", "if_not_exists", "transient", "name", "columns", "constraints", "query", "table_options"], "CREATE TABLE");
  if (body.or_replace && body.if_not_exists) throw compileError("OR REPLACE and IF NOT EXISTS are incompatible.");
  const target = resolveName(t, body.name);
  const comment = tableComment(body.table_options);
  const create = `CREATE ${body.or_replace ? "OR REPLACE " : ""}TABLE ${duckTableRef(target)}`;
  const flags = { target, orReplace: !!body.or_replace, ifNotExists: !!body.if_not_exists, comment };
  if (body.query) {
    if (!isEmpty(body.columns) || !isEmpty(body.constraints)) throw new UnsupportedError("CREATE TABLE with both columns and AS SELECT");
    const out = t.query(body.query, undefined);
    return { kind: "createTable", ...flags, sql: `${create} AS ${out.sql}`, params: t.params.values, jsonTypes: jsonTypesOf(out.columns) };
  }
  noBinds(t, "CREATE TABLE");
  if (isEmpty(body.columns)) throw compileError("CREATE TABLE needs at least one column");
  const notNull = primaryKeyColumns(body);
  const seen = new Map<string, string>();
  const columns: ColumnMeta[] = [];
  const defs: string[] = [];
  for (const column of body.columns ?? []) {
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
      switch (ok) {
        case "NotNull":
        case "PrimaryKey":
          nullable = false;
          break;
        case "Null":
        case "Unique":
        case "ForeignKey":
          break;
        case "Comment":
          comment = String(ov);
          break;
        case "Default":
          defaultSql = storeValue(t.expr(ov, new QueryScope()), { name, type: type.sf, nullable: true });
          break;
        case "Identity":
          throw new UnsupportedError("AUTOINCREMENT/IDENTITY columns");
        case "Collation":
          throw new UnsupportedError("COLLATE");
        default:
          throw new UnsupportedError(`column option ${String(ok)}`);
      }
    }
    let def = `${quoteDuck(name)} ${type.duck}`;
    if (!nullable) def += " NOT NULL";
    if (defaultSql !== undefined) def += ` DEFAULT ${defaultSql}`;
    // Snowflake rejects over-long strings instead of truncating them.
    if (type.length !== undefined) def += ` CHECK (length(${quoteDuck(name)}) <= ${type.length})`;
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
  return { kind: "createTable", ...flags, sql: `${create} (${defs.join(", ")})`, params: [], columns, jsonTypes: {} };
}

/** `COMMENT = '...'` among a table's options; any other option is refused. */
function tableComment(options: TableOptions | undefined): string | undefined {
  if (options === undefined || options === "None") return undefined;
  const [kind, list] = variant(options);
  if (kind !== "Plain") throw new UnsupportedError("table options " + String(kind));
  let comment: string | undefined;
  for (const option of list) {
    const [ok, ov] = variant(option);
    if (ok !== "Comment") throw new UnsupportedError(`table option ${String(ok)}`);
    const [, text] = variant(ov);
    comment = String(text);
  }
  return comment;
}

export function createView(t: Translator, body: CreateView): Translation {
  only(body, ["or_replace", "if_not_exists", "secure", "name", "columns", "query", "comment", "name_before_not_exists"], "CREATE VIEW");
  if (body.or_alter) throw new UnsupportedError("CREATE OR ALTER VIEW");
  if (body.or_replace && body.if_not_exists) throw compileError("OR REPLACE and IF NOT EXISTS are incompatible.");
  noBinds(t, "CREATE VIEW");
  const target = resolveName(t, body.name);
  t.inView = true;
  const out = t.query(body.query, undefined);
  t.inView = false;
  const names = (body.columns ?? []).map((c) => {
    only(c, ["name"], "view column");
    return identName(c.name);
  });
  if (names.length > 0 && out.columns && names.length !== out.columns.length) {
    throw compileError(`View definition declares ${names.length} column(s), but view query produces ${out.columns.length} column(s).`);
  }
  const columns = names.length > 0 ? renameColumns(out.columns, names) : out.columns;
  const list = names.length > 0 ? "(" + names.map(quoteDuck).join(", ") + ")" : "";
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

export function drop(t: Translator, body: Drop): Translation {
  only(body, ["object_type", "if_exists", "names"], "DROP");
  const objectType = body.object_type === "Table" ? "TABLE" : body.object_type === "View" ? "VIEW" : undefined;
  if (!objectType) throw new UnsupportedError(`DROP ${String(body.object_type).toUpperCase()} in the table store`);
  if (body.names.length !== 1) throw syntaxError(`DROP ${objectType} takes exactly one name`);
  return { kind: "drop", objectType, target: resolveName(t, body.names[0]!), ifExists: !!body.if_exists };
}

export function truncate(t: Translator, body: Truncate): Translation {
  only(body, ["table_names", "table", "if_exists"], "TRUNCATE");
  if (body.table_names.length !== 1) throw syntaxError("TRUNCATE takes exactly one table");
  only(body.table_names[0]!, ["name"], "TRUNCATE");
  return { kind: "truncate", target: resolveName(t, body.table_names[0]!.name), ifExists: !!body.if_exists };
}

export function begin(body: StartTransaction): Translation {
  only(body, ["begin", "transaction"], "BEGIN");
  if (body.transaction !== undefined && body.transaction !== "Transaction" && body.transaction !== "Work") {
    throw new UnsupportedError("BEGIN " + String(body.transaction));
  }
  return { kind: "transaction", op: "BEGIN" };
}

export function endTransaction(body: object, op: "COMMIT" | "ROLLBACK"): Translation {
  only(body, [], op);
  return { kind: "transaction", op };
}
