/**
 * Snowflake SQL → DuckDB SQL: the one place where the table store's dialect semantics live.
 *
 * A pipeline in the manner of a query compiler: parse.ts turns the text into the syntax tree
 * (typed in ast.ts), and one module per statement family renders it node by node — select.ts
 * (queries), expressions.ts, functions.ts, dml.ts, ddl.ts — into DuckDB SQL plus the facts the
 * store needs to run it and shape its answer (output.ts). Nothing is passed through as text:
 * every node kind, field, function and type is matched explicitly, and whatever is not matched
 * raises UnsupportedError. The families meet through one {@link Translator} built here, so none
 * imports another.
 */
import { UnsupportedError } from "../../types";
import { variant, type Statement, type StatementBodies, type StatementKind } from "./ast";
import { Params, placeholderOrdinals, verbOf, type Translator } from "./context";
import { begin, createTable, createView, drop, endTransaction, truncate } from "./ddl";
import { deleteFrom, insert, merge, update } from "./dml";
import { bind, castTo, comparable, expr, exprConstant, text, value } from "./expressions";
import { func } from "./functions";
import type { TranslateContext, Translation } from "./output";
import { jsonTypesOf } from "./scope";
import { orderItem, query, tableAlias, tableFactor, tableWithJoins } from "./select";
import { SourceText } from "./source-text";

export type { CatalogView, ColumnMeta, JsonTypes, QualifiedName, RelationAccess, RelationMeta, RelationUse, Scope, StatementCallbacks, TranslateContext, Translation } from "./output";
export { DUCKDB_MACROS } from "./macros";
export { displayName, duckSchemaName, duckTableRef, quoteDuck } from "./names";
export { initParser, parseStatement } from "./parse";
export { stripComments } from "./source-text";
export { mapDataType, type TypeInfo } from "./data-types";

/** Each statement the table store runs, and how it is translated: a new kind is a compile error until it has a row. */
const STATEMENTS: { readonly [K in StatementKind]: (t: Translator, body: StatementBodies[K]) => Translation } = {
  Query: (t, body) => {
    const out = t.query(body, undefined);
    return { kind: "query", sql: out.sql, params: t.params.values, jsonTypes: jsonTypesOf(out.columns) };
  },
  Insert: insert,
  Update: update,
  Delete: deleteFrom,
  Merge: merge,
  CreateTable: createTable,
  CreateView: createView,
  Drop: drop,
  Truncate: truncate,
  StartTransaction: (_t, body) => begin(body),
  Commit: (_t, body) => endTransaction(body, "COMMIT"),
  Rollback: (_t, body) => endTransaction(body, "ROLLBACK"),
};

/** The translation of one statement, its families wired together. */
function translator(statement: Statement, sqlText: string, ctx: TranslateContext): Translator {
  const t: Translator = {
    ctx,
    source: new SourceText(sqlText),
    ordinals: placeholderOrdinals(statement),
    verb: verbOf(statement),
    params: new Params(),
    inValues: false,
    inView: false,
    query: (node, parent) => query(t, node, parent),
    tableWithJoins: (node, scope) => tableWithJoins(t, node, scope),
    tableFactor: (node, scope) => tableFactor(t, node, scope),
    tableAlias: (alias) => tableAlias(alias),
    orderItem: (item, scope) => orderItem(t, item, scope),
    expr: (node, scope) => expr(t, node, scope),
    value: (node) => value(t, node),
    bind: (node) => bind(t, node),
    exprConstant: (node, scope) => exprConstant(t, node, scope),
    text: (rendered) => text(rendered),
    comparable: (a, b) => comparable(a, b),
    castTo: (inner, type, tryCast) => castTo(t, inner, type, tryCast),
    func: (body, scope) => func(t, body, scope),
  };
  return t;
}

/** Translates one parsed statement. Pure apart from the catalog callbacks. */
export function translate(statement: Statement, sqlText: string, ctx: TranslateContext): Translation {
  const [kind, body] = variant(statement);
  const rule = STATEMENTS[kind] as ((t: Translator, body: unknown) => Translation) | undefined;
  if (rule === undefined) throw new UnsupportedError(`statement ${String(kind)} in the table store`);
  return rule(translator(statement, sqlText, ctx), body);
}
