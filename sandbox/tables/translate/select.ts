/**
 * Queries: WITH, SELECT with its FROM, joins, WHERE, GROUP BY and HAVING, set operations,
 * ORDER BY, LIMIT / OFFSET / FETCH. A query's output columns are tracked (their names and kinds)
 * so that an outer query, a CREATE TABLE ... AS or an INSERT ... SELECT can type them.
 */
import { UnsupportedError } from "../../types";
import { identName, isEmpty, objectNameParts, only, singleIdent, variant, type AliasColumn, type Expr, type FunctionArg, type Ident, type ObjectName, type OrderByExpr, type Query, type Select, type SetExpr, type TableAlias, type TableFactor, type TableWithJoins, type WildcardOptions } from "./ast";
import { colInfoOf, type ColInfo } from "./data-types";
import { compileError, existingRelation, type AliasOut, type Translator } from "./context";
import { displayName, duckTableRef, quoteDuck } from "./names";
import { invalidIdentifier, QueryScope, renameColumns, type QueryOut } from "./scope";
import { FLATTEN_COLUMNS, flattenInput, flattenSql } from "./flatten";
import { derivedName, projectionSegments } from "./source-text";

/** A query with its own scope inside `parent` (undefined for a statement's top-level query). */
export function query(t: Translator, node: Query, parent: QueryScope | undefined): QueryOut {
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
      const inner = t.query(cte.query, scope);
      const columnNames = (cte.alias.columns ?? []).map(aliasColumn);
      scope.ctes.set(name, renameColumns(inner.columns, columnNames));
      const list = columnNames.length > 0 ? "(" + columnNames.map(quoteDuck).join(", ") + ")" : "";
      parts.push(`${quoteDuck(name)}${list} AS (${inner.sql})`);
    }
    sql += "WITH " + parts.join(", ") + " ";
  }
  const body = setExpr(t, node.body, scope);
  sql += body.sql;
  if (node.order_by) {
    only(node.order_by, ["kind"], "ORDER BY");
    const [kind, items] = variant(node.order_by.kind);
    if (kind !== "Expressions") throw new UnsupportedError("ORDER BY " + String(kind).toUpperCase());
    // ORDER BY may name output columns; let it see them as aliases.
    const orderScope = new QueryScope(scope);
    orderScope.rels.push(...body.scope.rels);
    orderScope.aliases.push(...(body.columns ?? []));
    sql += " ORDER BY " + (items as readonly OrderByExpr[]).map((item) => orderItem(t, item, orderScope)).join(", ");
  }
  if (node.limit_clause) {
    const [kind, limit] = variant(node.limit_clause);
    if (kind !== "LimitOffset") throw new UnsupportedError("LIMIT form " + String(kind));
    only(limit, ["limit", "offset"], "LIMIT");
    if (limit.limit) sql += " LIMIT " + t.expr(limit.limit, scope).sql;
    if (limit.offset) {
      only(limit.offset, ["value", "rows"], "OFFSET");
      sql += " OFFSET " + t.expr(limit.offset.value, scope).sql;
    }
  }
  if (node.fetch) {
    only(node.fetch, ["quantity"], "FETCH");
    if (!node.fetch.quantity) throw new UnsupportedError("FETCH without a row count");
    sql += " LIMIT " + t.expr(node.fetch.quantity, scope).sql;
  }
  return { sql, columns: body.columns };
}

/** An alias column, given as a bare identifier or as `{ name }`. */
function aliasColumn(column: AliasColumn): string {
  if ("name" in column && column.name !== undefined) {
    only(column, ["name"], "column alias");
    return identName(column.name);
  }
  return identName(column as Ident);
}

/** `expr [ASC|DESC] [NULLS FIRST|LAST]`, with Snowflake's NULL ordering spelled out. */
export function orderItem(t: Translator, item: OrderByExpr, scope: QueryScope): string {
  only(item, ["expr", "options"], "ORDER BY item");
  only(item.options ?? {}, ["asc", "nulls_first"], "ORDER BY item");
  const desc = item.options?.asc === false;
  // Snowflake sorts NULLs as the largest value (last ascending, first descending); DuckDB
  // puts them last either way, so the order is always spelled out.
  const nullsFirst = item.options?.nulls_first ?? desc;
  return `${t.expr(item.expr, scope).sql} ${desc ? "DESC" : "ASC"} ${nullsFirst ? "NULLS FIRST" : "NULLS LAST"}`;
}

const SET_OPERATORS: Readonly<Record<string, string>> = { Union: "UNION", Except: "EXCEPT", Minus: "EXCEPT", Intersect: "INTERSECT" };

function setExpr(t: Translator, node: SetExpr, scope: QueryScope): QueryOut & { scope: QueryScope } {
  const [kind, body] = variant(node);
  switch (kind) {
    case "Select":
      return select(t, body, scope);
    case "Query": {
      const inner = t.query(body, scope);
      return { sql: `(${inner.sql})`, columns: inner.columns, scope: new QueryScope(scope) };
    }
    case "SetOperation": {
      only(body, ["left", "op", "right", "set_quantifier"], "set operation");
      const left = setExpr(t, body.left, scope);
      const right = setExpr(t, body.right, scope);
      const quantifier = body.set_quantifier ?? "None";
      let op = SET_OPERATORS[body.op];
      if (op === undefined) throw new UnsupportedError("set operation " + String(body.op));
      if (quantifier === "All") op += " ALL";
      else if (quantifier !== "None" && quantifier !== "Distinct") throw new UnsupportedError(`${op} ${quantifier}`);
      if (quantifier === "All" && op !== "UNION ALL") throw new UnsupportedError(op);
      return { sql: `${left.sql} ${op} ${right.sql}`, columns: left.columns, scope: left.scope };
    }
    case "Values":
      throw new UnsupportedError("VALUES as a query");
    default:
      throw new UnsupportedError("query body " + String(kind));
  }
}

function select(t: Translator, node: Select, parent: QueryScope): QueryOut & { scope: QueryScope } {
  only(node, ["distinct", "projection", "from", "selection", "group_by", "having", "flavor", "window_before_qualify", "top_before_distinct", "select_token"], "SELECT");
  if (node.flavor !== undefined && node.flavor !== "Standard") throw new UnsupportedError("FROM-first SELECT");
  const scope = new QueryScope(parent);
  const from: string[] = [];
  for (const item of node.from ?? []) from.push(t.tableWithJoins(item, scope));

  let distinct = "";
  if (node.distinct !== undefined && node.distinct !== null) {
    if (node.distinct === "Distinct") distinct = "DISTINCT ";
    else if (node.distinct !== "All") throw new UnsupportedError("DISTINCT ON");
  }

  const segments = node.select_token?.span ? projectionSegments(t.source.text, t.source.offset(node.select_token.span.end)) : [];
  const useSegments = segments.length === node.projection.length;
  const items: string[] = [];
  const columns: ColInfo[] = [];
  let columnsKnown = true;
  node.projection.forEach((item, index) => {
    const [kind, body] = variant(item);
    switch (kind) {
      case "UnnamedExpr":
      case "ExprWithAlias": {
        const expr = kind === "UnnamedExpr" ? body : body.expr;
        const rendered = t.expr(expr, scope);
        let name: string;
        if (kind === "ExprWithAlias") name = identName(body.alias);
        else {
          const [exprKind, exprBody] = variant(expr);
          if (exprKind === "Identifier") name = identName(exprBody);
          else if (exprKind === "CompoundIdentifier") name = identName(exprBody[exprBody.length - 1]!);
          else if (useSegments) name = derivedName(segments[index]!);
          else throw new UnsupportedError("naming this unaliased projection item");
        }
        items.push(`${rendered.sql} AS ${quoteDuck(name)}`);
        const info: ColInfo = { name, kind: rendered.kind, semi: rendered.semi };
        columns.push(info);
        if (kind === "ExprWithAlias") scope.aliases.push(info);
        return;
      }
      case "Wildcard": {
        const exclude = wildcardOptions(body);
        items.push("*" + excludeSql(exclude));
        if (scope.rels.length === 0) throw compileError("SELECT * with no tables specified is not valid.");
        for (const rel of scope.rels) {
          if (!rel.columns) columnsKnown = false;
          else columns.push(...rel.columns.filter((c) => !exclude.includes(c.name)));
        }
        return;
      }
      case "QualifiedWildcard": {
        const [target, options] = body;
        const exclude = wildcardOptions(options);
        const [targetKind, targetName] = variant(target);
        if (targetKind !== "ObjectName") throw new UnsupportedError("qualified wildcard on an expression");
        const parts = objectNameParts(targetName as ObjectName).map(identName);
        if (parts.length !== 1) throw new UnsupportedError("wildcard qualified by more than a table alias");
        const rel = scope.rels.find((r) => r.alias === parts[0]);
        if (!rel) throw invalidIdentifier(displayName(parts[0]!));
        items.push(quoteDuck(parts[0]!) + ".*" + excludeSql(exclude));
        if (!rel.columns) columnsKnown = false;
        else columns.push(...rel.columns.filter((c) => !exclude.includes(c.name)));
        return;
      }
      default:
        throw new UnsupportedError("projection item " + String(kind));
    }
  });

  let sql = "SELECT " + distinct + items.join(", ");
  if (from.length > 0) sql += " FROM " + from.join(", ");
  if (node.selection) sql += " WHERE " + t.expr(node.selection, scope).sql;
  if (node.group_by) {
    const [kind, body] = variant(node.group_by);
    if (kind === "Expressions") {
      const [exprs, modifiers] = body;
      if (!isEmpty(modifiers)) throw new UnsupportedError("GROUP BY modifiers (ROLLUP/CUBE/GROUPING SETS)");
      if (exprs.length > 0) sql += " GROUP BY " + exprs.map((e) => t.expr(e, scope).sql).join(", ");
    } else if (kind === "All") {
      if (!isEmpty(body)) throw new UnsupportedError("GROUP BY ALL modifiers");
      sql += " GROUP BY ALL";
    } else throw new UnsupportedError("GROUP BY " + String(kind));
  }
  if (node.having) sql += " HAVING " + t.expr(node.having, scope).sql;
  return { sql, columns: columnsKnown ? columns : undefined, scope };
}

function excludeSql(exclude: readonly string[]): string {
  return exclude.length > 0 ? ` EXCLUDE (${exclude.map(quoteDuck).join(", ")})` : "";
}

/** The columns a wildcard's EXCLUDE names. */
function wildcardOptions(options: WildcardOptions | null | undefined): string[] {
  only(options ?? {}, ["opt_exclude", "wildcard_token"], "wildcard");
  if (!options?.opt_exclude) return [];
  const column = (item: Ident | ObjectName): string => {
    const parts = singleIdent(item);
    if (parts.length !== 1) throw new UnsupportedError("qualified EXCLUDE column");
    return identName(parts[0]!);
  };
  const [kind, body] = variant(options.opt_exclude);
  if (kind === "Single") return [column(body)];
  if (kind === "Multiple") return body.map(column);
  throw new UnsupportedError("EXCLUDE form " + String(kind));
}

const JOIN_WORDS: Readonly<Record<string, string>> = {
  Join: "JOIN",
  Inner: "JOIN",
  Left: "LEFT JOIN",
  LeftOuter: "LEFT JOIN",
  Right: "RIGHT JOIN",
  RightOuter: "RIGHT JOIN",
  FullOuter: "FULL JOIN",
  CrossJoin: "CROSS JOIN",
};

/** One item of a FROM clause with its joins; each relation joins `scope`. */
export function tableWithJoins(t: Translator, node: TableWithJoins, scope: QueryScope): string {
  only(node, ["relation", "joins"], "FROM item");
  let sql = t.tableFactor(node.relation, scope);
  for (const join of node.joins ?? []) {
    only(join, ["relation", "join_operator"], "JOIN");
    const right = t.tableFactor(join.relation, scope);
    const [op, constraint] = variant(join.join_operator);
    const word = JOIN_WORDS[op];
    if (!word) throw new UnsupportedError(`${String(op).replace(/([a-z])([A-Z])/g, "$1 $2").toUpperCase()} join`);
    if (op === "CrossJoin") {
      if (constraint !== undefined && constraint !== "None") throw new UnsupportedError("CROSS JOIN with a condition");
      sql += ` CROSS JOIN ${right}`;
      continue;
    }
    const [ck, cv] = variant(constraint!);
    if (ck === "On") sql += ` ${word} ${right} ON ${t.expr(cv, scope).sql}`;
    else if (ck === "Using") {
      const names = cv.map((n) => {
        const parts = objectNameParts(n);
        if (parts.length !== 1) throw new UnsupportedError("qualified USING column");
        return quoteDuck(identName(parts[0]!));
      });
      sql += ` ${word} ${right} USING (${names.join(", ")})`;
    } else if (ck === "Natural") throw new UnsupportedError("NATURAL JOIN");
    else throw new UnsupportedError(`${word} without a condition`);
  }
  return sql;
}

function upperName(name: ObjectName): string {
  return objectNameParts(name)
    .map((p) => String(p.value).toUpperCase())
    .join(".");
}

/** A relation of a FROM clause: a table or view, a CTE, a derived table or a nested join. */
export function tableFactor(t: Translator, node: TableFactor, scope: QueryScope): string {
  const [kind, body] = variant(node);
  switch (kind) {
    case "Table": {
      only(body, ["name", "alias"], "table reference");
      if (body.args) throw new UnsupportedError("table function " + objectNameParts(body.name).map((p) => p.value).join("."));
      const alias = t.tableAlias(body.alias);
      const parts = objectNameParts(body.name);
      if (parts.length === 1) {
        const cte = scope.cte(identName(parts[0]!));
        if (cte) {
          const name = identName(parts[0]!);
          const columns = alias?.columns.length ? renameColumns(cte.columns, alias.columns) : cte.columns;
          scope.rels.push({ alias: alias?.name ?? name, columns });
          return quoteDuck(name) + (alias ? " AS " + alias.sql : "");
        }
      }
      const relation = existingRelation(t, body.name);
      const columns = relation.columns.map(colInfoOf);
      const effective = alias?.columns.length ? renameColumns(columns, alias.columns) : columns;
      scope.rels.push({ alias: alias?.name ?? relation.name, columns: effective });
      return `${duckTableRef(relation)} AS ${alias ? alias.sql : quoteDuck(relation.name)}`;
    }
    case "Derived": {
      only(body, ["subquery", "alias", "lateral"], "derived table");
      if (body.lateral) throw new UnsupportedError("LATERAL");
      // A non-lateral derived table sees the enclosing query (and its CTEs), not its siblings.
      const inner = t.query(body.subquery, scope.parent ?? scope);
      const alias = t.tableAlias(body.alias);
      const columns = alias?.columns.length ? renameColumns(inner.columns, alias.columns) : inner.columns;
      scope.rels.push({ alias: alias?.name ?? "", columns });
      return `(${inner.sql})` + (alias ? " AS " + alias.sql : "");
    }
    case "NestedJoin":
      only(body, ["table_with_joins"], "parenthesized join");
      return "(" + t.tableWithJoins(body.table_with_joins, scope) + ")";
    case "Function": {
      const name = upperName(body.name);
      if (name === "FLATTEN" && body.lateral) {
        only(body, ["lateral", "name", "args", "alias"], "LATERAL FLATTEN");
        return flatten(t, body.args ?? [], body.alias, scope);
      }
      throw new UnsupportedError(body.lateral ? `LATERAL ${name}` : `table function ${name}`);
    }
    case "TableFunction": {
      const fn = body.expr?.Function;
      const name = fn ? upperName(fn.name) : "?";
      if (name === "FLATTEN" && fn !== undefined) {
        only(body, ["expr", "alias"], "TABLE(FLATTEN(...))");
        only(fn, ["name", "args", "uses_odbc_syntax", "parameters", "within_group"], "FLATTEN");
        const [argsKind, list] = variant(fn.args ?? "None");
        if (argsKind !== "List") throw new UnsupportedError("FLATTEN with a subquery argument");
        only(list, ["args"], "arguments of FLATTEN");
        return flatten(t, list.args ?? [], body.alias, scope);
      }
      throw new UnsupportedError(`TABLE(${name}(...))`);
    }
    default:
      throw new UnsupportedError("FROM item " + String(kind));
  }
}

/** FLATTEN(INPUT => expr) in FROM (see flatten.ts): a lateral subquery with Snowflake's columns. */
function flatten(t: Translator, args: readonly FunctionArg[], aliasNode: TableAlias | null | undefined, scope: QueryScope): string {
  const named = args.map((arg): readonly [string | null, Expr] => {
    const [ak, av] = variant(arg);
    if (ak === "Named") {
      const [ek, ev] = variant(av.arg);
      if (ek !== "Expr") throw new UnsupportedError(`argument form ${String(ek)} in FLATTEN`);
      return [identName(av.name), ev];
    }
    const [ek, ev] = variant(av);
    if (ek !== "Expr") throw new UnsupportedError(`argument form ${String(ek)} in FLATTEN`);
    return [null, ev];
  });
  const input = t.expr(flattenInput(named), scope);
  if (input.kind !== "json" && input.kind !== "unknown") throw new UnsupportedError("FLATTEN of a value that is not a VARIANT, OBJECT or ARRAY");
  const alias = t.tableAlias(aliasNode);
  if (alias?.columns.length) throw new UnsupportedError("column aliases on FLATTEN");
  const name = alias?.name ?? "FLATTEN";
  scope.rels.push({ alias: name, columns: FLATTEN_COLUMNS.map((c) => ({ name: c.name, kind: c.kind })) });
  return `${flattenSql(input.sql)} AS ${quoteDuck(name)}`;
}

/** `AS name(col, ...)` of a relation. */
export function tableAlias(alias: TableAlias | null | undefined): AliasOut | undefined {
  if (!alias) return undefined;
  only(alias, ["name", "columns", "explicit"], "table alias");
  const name = identName(alias.name);
  const columns = (alias.columns ?? []).map(aliasColumn);
  const sql = quoteDuck(name) + (columns.length > 0 ? "(" + columns.map(quoteDuck).join(", ") + ")" : "");
  return { name, columns, sql };
}
