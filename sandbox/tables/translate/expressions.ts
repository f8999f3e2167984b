/**
 * Expressions: column references, literals and binds, operators, predicates, CASE, casts and
 * semi-structured access. Each comes back with its kind (data-types.ts), which decides how a
 * VARIANT meets a string or a number, as Snowflake compares them.
 */
import { SnowflakeError, UnsupportedError } from "../../types";
import { identName, only, variant, type CastExpr, type Expr, type Ident, type JsonPathElement, type ValueWithSpan } from "./ast";
import { commonKind, kindOfType, kindOfValue, mapDataType, type Rendered, type TypeInfo } from "./data-types";
import { compileError, jsonPathOf, resolveName, stringLiteral, type Translator } from "./context";
import { duckSchemaName, quoteDuck } from "./names";
import { resolveColumn, type QueryScope } from "./scope";

const COMPARISONS: Readonly<Record<string, string>> = { Eq: "=", NotEq: "<>", Lt: "<", LtEq: "<=", Gt: ">", GtEq: ">=" };
const ARITHMETIC: Readonly<Record<string, string>> = { Plus: "+", Minus: "-", Multiply: "*", Modulo: "%" };

function column(t: Translator, parts: readonly Ident[], scope: QueryScope): Rendered {
  const last = parts[parts.length - 1]!;
  if (parts.length >= 2 && last.quote_style !== '"' && String(last.value).toUpperCase() === "NEXTVAL") {
    // `<sequence>.NEXTVAL`: the sequence's next value (CREATE SEQUENCE, see TableStore.createSequence).
    const sequence = resolveName(t, parts.slice(0, -1).map((p) => ({ Identifier: p })));
    return { sql: `nextval(${stringLiteral(quoteDuck(duckSchemaName(sequence.database, sequence.schema)) + "." + quoteDuck(sequence.name))})`, kind: "number" };
  }
  if (parts.length > 2) throw new UnsupportedError("column reference qualified by schema or database");
  const name = identName(parts[parts.length - 1]!);
  const qualifier = parts.length === 2 ? identName(parts[0]!) : undefined;
  const display = parts.map((p) => (p.quote_style === '"' ? quoteDuck(p.value) : String(p.value).toUpperCase())).join(".");
  const found = resolveColumn(scope, qualifier, name, display);
  const sql = (qualifier !== undefined ? quoteDuck(qualifier) + "." : "") + quoteDuck(name);
  return { sql, kind: found?.kind ?? "unknown", semi: found?.semi };
}

/** A bind placeholder (`?`, `:1`): a DuckDB parameter with the bound value. */
export function bind(t: Translator, node: ValueWithSpan): Rendered {
  const ordinal = t.ordinals.get(node);
  if (ordinal === undefined) throw new UnsupportedError("bind variable outside the statement");
  if (ordinal < 0 || ordinal >= t.ctx.binds.length) {
    const at = node.span?.start;
    const placeholder = (node.value as { Placeholder: string }).Placeholder;
    throw new SnowflakeError(
      "002049",
      "42601",
      `SQL compilation error: error line ${at?.line ?? 0} at position ${(at?.column ?? 1) - 1}\nBind variable ${placeholder === "?" ? "?" : placeholder} not set.`,
    );
  }
  if (t.inView) throw new UnsupportedError("bind variables in a view definition");
  const value = t.ctx.binds[ordinal]!;
  return { sql: t.params.ref(ordinal, value), kind: kindOfValue(value), constant: { value } };
}

/** A literal, or a bind placeholder. */
export function value(t: Translator, node: ValueWithSpan): Rendered {
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
      return t.bind(node);
    default:
      throw new UnsupportedError("literal " + String(kind));
  }
}

export function expr(t: Translator, node: Expr, scope: QueryScope): Rendered {
  const [kind, body] = variant(node);
  switch (kind) {
    case "Identifier":
      return column(t, [body], scope);
    case "CompoundIdentifier":
      return column(t, body, scope);
    case "Value":
      return t.value(body);
    case "Nested": {
      const inner = t.expr(body, scope);
      return { ...inner, sql: `(${inner.sql})` };
    }
    case "UnaryOp": {
      only(body, ["op", "expr"], "unary operator");
      const inner = t.expr(body.expr, scope);
      if (body.op === "Not") return { sql: `(NOT ${inner.sql})`, kind: "bool" };
      if (body.op === "Minus") {
        const constant = inner.constant && typeof inner.constant.value === "number" ? { value: -inner.constant.value } : undefined;
        return { sql: `(- ${inner.sql})`, kind: "number", constant };
      }
      if (body.op === "Plus") return { sql: `(+ ${inner.sql})`, kind: "number" };
      throw new UnsupportedError("unary operator " + String(body.op));
    }
    case "BinaryOp":
      return binary(t, body, scope);
    case "IsNull":
      return { sql: `(${t.expr(body, scope).sql} IS NULL)`, kind: "bool" };
    case "IsNotNull":
      return { sql: `(${t.expr(body, scope).sql} IS NOT NULL)`, kind: "bool" };
    case "IsDistinctFrom":
    case "IsNotDistinctFrom": {
      const [a, b] = t.comparable(t.expr(body[0], scope), t.expr(body[1], scope));
      return { sql: `(${a} IS ${kind === "IsNotDistinctFrom" ? "NOT " : ""}DISTINCT FROM ${b})`, kind: "bool" };
    }
    case "InList": {
      only(body, ["expr", "list", "negated"], "IN");
      const left = t.expr(body.expr, scope);
      const items = body.list.map((e) => t.expr(e, scope));
      const leftSql = items.length > 0 ? t.comparable(left, items[0]!)[0] : left.sql;
      return { sql: `(${leftSql} ${body.negated ? "NOT IN" : "IN"} (${items.map((i) => i.sql).join(", ")}))`, kind: "bool" };
    }
    case "InSubquery": {
      only(body, ["expr", "subquery", "negated"], "IN (subquery)");
      const left = t.expr(body.expr, scope);
      const sub = t.query(body.subquery, scope);
      return { sql: `(${left.sql} ${body.negated ? "NOT IN" : "IN"} (${sub.sql}))`, kind: "bool" };
    }
    case "Between": {
      only(body, ["expr", "negated", "low", "high"], "BETWEEN");
      const e = t.expr(body.expr, scope);
      const low = t.expr(body.low, scope);
      const high = t.expr(body.high, scope);
      const [es] = t.comparable(e, low);
      return { sql: `(${es} ${body.negated ? "NOT BETWEEN" : "BETWEEN"} ${low.sql} AND ${high.sql})`, kind: "bool" };
    }
    case "Like":
    case "ILike": {
      only(body, ["expr", "negated", "pattern", "escape_char", "any"], kind.toUpperCase());
      if (body.any) throw new UnsupportedError(`${kind.toUpperCase()} ANY`);
      const e = t.text(t.expr(body.expr, scope));
      const pattern = t.expr(body.pattern, scope);
      let sql = `(${e} ${body.negated ? "NOT " : ""}${kind === "Like" ? "LIKE" : "ILIKE"} ${pattern.sql}`;
      if (body.escape_char !== undefined) sql += " ESCAPE " + t.value(body.escape_char).sql;
      return { sql: sql + ")", kind: "bool" };
    }
    case "Case": {
      only(body, ["operand", "conditions", "else_result", "case_token", "end_token"], "CASE");
      let sql = "CASE";
      if (body.operand) sql += " " + t.expr(body.operand, scope).sql;
      const results: Rendered[] = [];
      for (const when of body.conditions) {
        only(when, ["condition", "result"], "CASE WHEN");
        const result = t.expr(when.result, scope);
        results.push(result);
        sql += ` WHEN ${t.expr(when.condition, scope).sql} THEN ${result.sql}`;
      }
      if (body.else_result) {
        const result = t.expr(body.else_result, scope);
        results.push(result);
        sql += ` ELSE ${result.sql}`;
      }
      return { sql: sql + " END", ...commonKind(results) };
    }
    case "Cast":
      return cast(t, body, scope);
    case "TypedString": {
      only(body, ["data_type", "value", "uses_odbc_syntax"], "typed literal");
      const type = mapDataType(body.data_type);
      const text = t.value(body.value);
      if (type.sf !== "DATE" && type.sf !== "TIMESTAMP_NTZ") throw new UnsupportedError(`${type.sf} typed literal`);
      return { sql: `CAST(${text.sql} AS ${type.duck})`, kind: "time" };
    }
    case "Function":
      return t.func(body, scope);
    case "Subquery": {
      const sub = t.query(body, scope);
      const single = sub.columns?.length === 1 ? sub.columns[0] : undefined;
      return { sql: `(${sub.sql})`, kind: single?.kind ?? "unknown", semi: single?.semi };
    }
    case "Exists":
      only(body, ["subquery", "negated"], "EXISTS");
      return { sql: `(${body.negated ? "NOT " : ""}EXISTS (${t.query(body.subquery, scope).sql}))`, kind: "bool" };
    case "JsonAccess":
      return jsonAccess(t, body.value, body.path.path, body, scope);
    case "Trim": {
      only(body, ["expr", "trim_characters", "trim_where", "trim_what"], "TRIM");
      if (body.trim_where || body.trim_what) throw new UnsupportedError("TRIM(BOTH/LEADING/TRAILING ... FROM ...)");
      const chars = (body.trim_characters ?? []).map((c) => t.expr(c, scope).sql);
      if (chars.length > 1) throw new UnsupportedError("TRIM with several character arguments");
      const e = t.text(t.expr(body.expr, scope));
      return { sql: `trim(${[e, ...chars].join(", ")})`, kind: "text" };
    }
    case "Substring": {
      only(body, ["expr", "substring_from", "substring_for", "special", "shorthand"], "SUBSTRING");
      const args = [t.text(t.expr(body.expr, scope))];
      if (body.substring_from) args.push(t.expr(body.substring_from, scope).sql);
      else throw new UnsupportedError("SUBSTRING without a start position");
      if (body.substring_for) args.push(t.expr(body.substring_for, scope).sql);
      return { sql: `substring(${args.join(", ")})`, kind: "text" };
    }
    case "Wildcard":
      throw compileError("unexpected '*'");
    default:
      throw new UnsupportedError("expression " + String(kind));
  }
}

/** A VARCHAR view of a value, with Snowflake's unquoted rendering of JSON strings. */
export function text(value: Rendered): string {
  if (value.kind === "text") return value.sql;
  if (value.kind === "json" || value.kind === "unknown") return `sf_text(${value.sql})`;
  return `CAST(${value.sql} AS VARCHAR)`;
}

/**
 * Snowflake compares a VARIANT with a string/number by the variant's value; DuckDB would
 * compare JSON text ('"ok"' vs 'ok') or try to parse the other side as JSON.
 */
export function comparable(a: Rendered, b: Rendered): [string, string] {
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

function binary(t: Translator, body: { readonly left: Expr; readonly op: string; readonly right: Expr }, scope: QueryScope): Rendered {
  only(body, ["left", "op", "right"], "binary operator");
  const op = String(body.op);
  const left = t.expr(body.left, scope);
  const right = t.expr(body.right, scope);
  if (op === "And" || op === "Or") return { sql: `(${left.sql} ${op.toUpperCase()} ${right.sql})`, kind: "bool" };
  const comparison = COMPARISONS[op];
  if (comparison !== undefined) {
    const [a, b] = t.comparable(left, right);
    return { sql: `(${a} ${comparison} ${b})`, kind: "bool" };
  }
  const arithmetic = ARITHMETIC[op];
  if (arithmetic !== undefined) return { sql: `(${left.sql} ${arithmetic} ${right.sql})`, kind: "number" };
  if (op === "Divide") return { sql: `sf_div(${left.sql}, ${right.sql})`, kind: "number" };
  if (op === "StringConcat") return { sql: `(${t.text(left)} || ${t.text(right)})`, kind: "text" };
  throw new UnsupportedError("operator " + op);
}

function cast(t: Translator, body: CastExpr, scope: QueryScope): Rendered {
  only(body, ["kind", "expr", "data_type", "array"], "CAST");
  if (body.format) throw new UnsupportedError("CAST ... FORMAT");
  const tryCast = body.kind === "TryCast" || body.kind === "SafeCast";
  if (!tryCast && body.kind !== "Cast" && body.kind !== "DoubleColon") throw new UnsupportedError("cast form " + String(body.kind));
  return t.castTo(t.expr(body.expr, scope), mapDataType(body.data_type), tryCast);
}

/** A value converted to a type, as Snowflake's CAST / TRY_CAST / TO_* functions convert it. */
export function castTo(t: Translator, inner: Rendered, type: TypeInfo, tryCast: boolean): Rendered {
  switch (type.sf) {
    case "TEXT":
      return { sql: t.text(inner), kind: "text" };
    case "VARIANT":
      if (tryCast) throw new UnsupportedError("TRY_CAST to VARIANT");
      return { sql: `to_json(${inner.sql})`, kind: "json", semi: inner.semi };
    case "OBJECT":
    case "ARRAY":
      if (tryCast) throw new UnsupportedError(`TRY_CAST to ${type.sf}`);
      return { sql: `sf_as_${type.sf.toLowerCase()}(${inner.sql})`, kind: "json", semi: type.sf };
    default:
      return { sql: `${tryCast ? "TRY_CAST" : "CAST"}(${inner.sql} AS ${type.duck})`, kind: kindOfType(type.sf) };
  }
}

/** `v:a.b[0]`: a JSON path, every step of it constant. */
function jsonAccess(t: Translator, base: Expr, path: readonly JsonPathElement[], body: object, scope: QueryScope): Rendered {
  only(body, ["value", "path"], "semi-structured path");
  const rendered = t.expr(base, scope);
  const steps: (string | number)[] = [];
  for (const element of path) {
    const [kind, el] = variant(element);
    if (kind === "Dot") steps.push(String(el.key));
    else if (kind === "Bracket") {
      const key = t.expr(el.key, scope);
      if (!key.constant) throw new UnsupportedError("semi-structured path with a computed element");
      const v = key.constant.value;
      if (typeof v === "number" && Number.isInteger(v) && v >= 0) steps.push(v);
      else if (typeof v === "string") steps.push(v);
      else throw new UnsupportedError("semi-structured path element " + JSON.stringify(v));
    } else throw new UnsupportedError("semi-structured path element " + String(kind));
  }
  // Never `:`: DuckDB reads `value:status` as `value AS status` and silently returns the column.
  return { sql: `json_extract(${rendered.sql}, ${stringLiteral(jsonPathOf(steps))})`, kind: "json" };
}

/** A literal or bind's JS value, without registering the bind with DuckDB. */
export function exprConstant(t: Translator, node: Expr, scope: QueryScope): { value: unknown } | undefined {
  const [kind, body] = variant(node);
  if (kind === "Value") {
    const [vk] = variant(body.value);
    if (vk === "Placeholder") {
      const ordinal = t.ordinals.get(body);
      if (ordinal === undefined || ordinal >= t.ctx.binds.length) return t.bind(body).constant;
      return { value: t.ctx.binds[ordinal] };
    }
    return t.value(body).constant ?? (vk === "Null" ? { value: null } : undefined);
  }
  if (kind === "UnaryOp" && body.op === "Minus") {
    const inner = t.exprConstant(body.expr, scope);
    return inner && typeof inner.value === "number" ? { value: -inner.value } : undefined;
  }
  if (kind === "Nested") return t.exprConstant(body, scope);
  return undefined;
}
