/**
 * DML: INSERT (VALUES or a query), UPDATE (with FROM), DELETE (with USING) and MERGE. A value
 * stored into a column gets Snowflake's implicit conversion for the column's type; MERGE also
 * gets a query that finds a target row joined by several source rows, which Snowflake refuses
 * to update.
 */
import { SnowflakeError, UnsupportedError, type BindValue } from "../../types";
import { identName, isEmpty, objectNameParts, only, singleIdent, variant, type Assignment, type DataType, type Delete, type Expr, type Ident, type Insert, type Merge, type ObjectName, type TableFactor, type Update } from "./ast";
import { colInfoOf, kindOfType, storeValue } from "./data-types";
import { compileError, dmlTarget, Params, type Translator } from "./context";
import { displayName, duckTableRef, quoteDuck } from "./names";
import type { ColumnMeta, RelationMeta, Translation } from "./output";
import { invalidIdentifier, QueryScope, type RelBinding } from "./scope";

/** The columns an INSERT names, or all of the relation's. */
function targetColumns(relation: RelationMeta, idents: readonly (Ident | ObjectName)[] | null | undefined): ColumnMeta[] {
  if (!idents || idents.length === 0) return [...relation.columns];
  return idents.map((ident) => {
    const parts = singleIdent(ident);
    const name = identName(parts[parts.length - 1]!);
    const column = relation.columns.find((c) => c.name === name);
    if (!column) throw invalidIdentifier(displayName(name));
    return column;
  });
}

function countMismatch(expected: number, got: number): SnowflakeError {
  return new SnowflakeError("002020", "21S01", `SQL compilation error:\nInsert value list does not match column list expecting ${expected} but got ${got}`);
}

/** The expressions of one VALUES row, whichever form the parser gives it. */
function rowContent(row: readonly Expr[] | { readonly content: readonly Expr[] }): readonly Expr[] {
  return Array.isArray(row) ? row : (row as { readonly content: readonly Expr[] }).content;
}

export function insert(t: Translator, body: Insert): Translation {
  only(body, ["into", "table", "columns", "source", "has_table_keyword", "overwrite"], "INSERT");
  if (body.overwrite) throw new UnsupportedError("INSERT OVERWRITE");
  const [tk, tv] = variant(body.table);
  if (tk !== "TableName") throw new UnsupportedError("INSERT into a " + String(tk));
  const relation = dmlTarget(t, tv);
  const columns = targetColumns(relation, body.columns);
  const head = `INSERT INTO ${duckTableRef(relation)} (${columns.map((c) => quoteDuck(c.name)).join(", ")}) `;
  const source = body.source;
  const [bodyKind, values] = variant(source.body);
  let sql: string;
  if (bodyKind === "Values") {
    only(source, ["body"], "INSERT ... VALUES");
    const rows = values as { readonly rows: readonly (readonly Expr[] | { readonly content: readonly Expr[] })[] };
    only(rows, ["rows", "explicit_row", "value_keyword"], "VALUES");
    const scope = new QueryScope();
    t.inValues = true;
    const rendered = rows.rows.map((row) => {
      const content = rowContent(row);
      if (content.length !== columns.length) throw countMismatch(columns.length, content.length);
      const cells = content.map((e, i) => {
        checkValuesExpr(e);
        return storeValue(t.expr(e, scope), columns[i]!);
      });
      return "(" + cells.join(", ") + ")";
    });
    t.inValues = false;
    sql = head + "VALUES " + rendered.join(", ");
  } else {
    const out = t.query(source, undefined);
    const needsWrap =
      columns.some((c) => kindOfType(c.type) === "json") ||
      (out.columns !== undefined && columns.some((c, i) => kindOfType(c.type) === "text" && out.columns![i]?.kind === "json"));
    if (needsWrap) {
      const names = columns.map((_, i) => `__c${i + 1}`);
      const picks = columns.map((c, i) => storeValue({ sql: quoteDuck(names[i]!), kind: out.columns?.[i]?.kind ?? "unknown" }, c));
      sql = head + `SELECT ${picks.join(", ")} FROM (${out.sql}) AS "__floe_src"(${names.map(quoteDuck).join(", ")})`;
    } else sql = head + out.sql;
  }
  return { kind: "insert", sql, params: t.params.values, target: relation };
}

/** Snowflake accepts only constant-like expressions in VALUES; subqueries are refused too. */
function checkValuesExpr(node: Expr): void {
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === "object") {
      const node = n as Record<string, unknown> & { Cast?: { kind?: unknown; data_type: DataType } };
      if (node.Subquery || node.Exists || node.InSubquery) {
        throw new SnowflakeError("002014", "22000", "SQL compilation error:\nInvalid expression [subquery] in VALUES clause");
      }
      const cast = node.Cast;
      if (cast && cast.kind !== "TryCast") {
        const [dk, dv] = variant(cast.data_type);
        const target = dk === "Custom" ? String(objectNameParts(dv[0])[0]!.value).toUpperCase() : String(dk).toUpperCase();
        if (target === "VARIANT" || target === "OBJECT" || target === "ARRAY") {
          throw new SnowflakeError("002014", "22000", `SQL compilation error:\nInvalid expression [CAST(... AS ${target})] in VALUES clause`);
        }
      }
      for (const key of Object.keys(node)) if (key !== "span") walk(node[key]);
    }
  };
  walk(node);
}

/** `SET col = value, ...` of UPDATE and MERGE. */
function assignments(t: Translator, list: readonly Assignment[], relation: RelationMeta, alias: string, scope: QueryScope): string {
  return list
    .map((assignment) => {
      only(assignment, ["target", "value"], "SET");
      const [tk, tv] = variant(assignment.target);
      if (tk !== "ColumnName") throw new UnsupportedError("SET of a tuple");
      const parts = objectNameParts(tv).map(identName);
      if (parts.length === 2 && parts[0] !== alias) throw invalidIdentifier(displayName(...parts));
      if (parts.length > 2) throw new UnsupportedError("SET target qualified by schema");
      const column = relation.columns.find((c) => c.name === parts[parts.length - 1]);
      if (!column) throw invalidIdentifier(displayName(parts[parts.length - 1]!));
      return `${quoteDuck(column.name)} = ${storeValue(t.expr(assignment.value, scope), column)}`;
    })
    .join(", ");
}

interface Target {
  readonly relation: RelationMeta;
  readonly alias: string;
  readonly sql: string;
  readonly binding: RelBinding;
}

/** The table UPDATE, DELETE or MERGE changes, with its alias. */
function targetTable(t: Translator, node: TableFactor, where: string): Target {
  const [kind, body] = variant(node);
  if (kind !== "Table") throw new UnsupportedError(`${where} target ${String(kind)}`);
  only(body, ["name", "alias"], `${where} target`);
  const relation = dmlTarget(t, body.name);
  const alias = t.tableAlias(body.alias);
  if (alias?.columns.length) throw new UnsupportedError(`column aliases on the ${where} target`);
  const name = alias?.name ?? relation.name;
  return { relation, alias: name, sql: `${duckTableRef(relation)} AS ${quoteDuck(name)}`, binding: { alias: name, columns: relation.columns.map(colInfoOf) } };
}

export function update(t: Translator, body: Update): Translation {
  only(body, ["table", "assignments", "from", "selection"], "UPDATE");
  only(body.table, ["relation", "joins"], "UPDATE target");
  if (!isEmpty(body.table.joins)) throw new UnsupportedError("UPDATE of a join");
  const target = targetTable(t, body.table.relation, "UPDATE");
  const scope = new QueryScope();
  scope.rels.push(target.binding);
  let from = "";
  if (body.from) {
    const [fk, fv] = variant(body.from);
    if (fk !== "AfterSet") throw new UnsupportedError("UPDATE ... FROM before SET");
    from = " FROM " + fv.map((item) => t.tableWithJoins(item, scope)).join(", ");
  }
  let sql = `UPDATE ${target.sql} SET ${assignments(t, body.assignments, target.relation, target.alias, scope)}${from}`;
  if (body.selection) sql += " WHERE " + t.expr(body.selection, scope).sql;
  return { kind: "update", sql, params: t.params.values, target: target.relation };
}

export function deleteFrom(t: Translator, body: Delete): Translation {
  only(body, ["tables", "from", "using", "selection"], "DELETE");
  if (!isEmpty(body.tables)) throw new UnsupportedError("multi-table DELETE");
  const [fk, fv] = variant(body.from);
  if (fk !== "WithFromKeyword" && fk !== "WithoutKeyword") throw new UnsupportedError("DELETE form " + String(fk));
  if (fv.length !== 1 || !isEmpty(fv[0]!.joins)) throw new UnsupportedError("DELETE from several tables");
  const target = targetTable(t, fv[0]!.relation, "DELETE");
  const scope = new QueryScope();
  scope.rels.push(target.binding);
  let sql = `DELETE FROM ${target.sql}`;
  if (body.using) sql += " USING " + body.using.map((item) => t.tableWithJoins(item, scope)).join(", ");
  if (body.selection) sql += " WHERE " + t.expr(body.selection, scope).sql;
  return { kind: "delete", sql, params: t.params.values, target: target.relation };
}

export function merge(t: Translator, body: Merge): Translation {
  only(body, ["into", "table", "source", "on", "clauses"], "MERGE");
  const target = targetTable(t, body.table, "MERGE");
  const renderHead = () => {
    const scope = new QueryScope();
    scope.rels.push(target.binding);
    const source = t.tableFactor(body.source, scope);
    const on = t.expr(body.on, scope).sql;
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
    if (clause.predicate) sql += " AND " + t.expr(clause.predicate, scope).sql;
    const [ak, av] = variant(clause.action);
    if (ak === "Update" && matched) {
      only(av, ["assignments"], "MERGE UPDATE");
      clauses.update = true;
      sql += " THEN UPDATE SET " + assignments(t, av.assignments, target.relation, target.alias, scope);
    } else if (ak === "Delete" && matched) {
      only(av ?? {}, [], "MERGE DELETE");
      clauses.delete = true;
      sql += " THEN DELETE";
    } else if (ak === "Insert" && !matched) {
      only(av, ["columns", "kind"], "MERGE INSERT");
      clauses.insert = true;
      const columns = targetColumns(target.relation, av.columns);
      const [kk, kv] = variant(av.kind);
      if (kk !== "Values") throw new UnsupportedError("MERGE INSERT " + String(kk));
      only(kv, ["rows", "explicit_row", "value_keyword"], "MERGE INSERT VALUES");
      if (kv.rows.length !== 1) throw compileError("MERGE INSERT takes exactly one VALUES row");
      const content = rowContent(kv.rows[0]!);
      if (content.length !== columns.length) throw countMismatch(columns.length, content.length);
      const values = content.map((e, i) => storeValue(t.expr(e, scope), columns[i]!));
      sql += ` THEN INSERT (${columns.map((c) => quoteDuck(c.name)).join(", ")}) VALUES (${values.join(", ")})`;
    } else throw new UnsupportedError(`MERGE ${matched ? "WHEN MATCHED" : "WHEN NOT MATCHED"} THEN ${String(ak).toUpperCase()}`);
    parts.push(sql);
  }
  const sql = `MERGE INTO ${target.sql} USING ${source} ON ${on} ${parts.join(" ")} RETURNING merge_action`;
  const params = t.params.values;
  let duplicateCheck: { sql: string; params: BindValue[] } | undefined;
  if (clauses.update) {
    // Re-render source and condition with their own parameter numbering for a second query.
    t.params = new Params();
    const again = renderHead();
    duplicateCheck = {
      sql: `SELECT 1 FROM ${target.sql} JOIN ${again.source} ON ${again.on} GROUP BY ${quoteDuck(target.alias)}.rowid HAVING count(*) > 1 LIMIT 1`,
      params: t.params.values,
    };
  }
  return { kind: "merge", sql, params, target: target.relation, clauses, duplicateCheck };
}
