/**
 * Function calls: aggregates, text, numbers, semi-structured values, dates and conversions, each
 * mapped to DuckDB with Snowflake's semantics (a NULL argument, an empty aggregate, an odd
 * number of OBJECT_CONSTRUCT arguments). SYSTEM$ functions and the other catalog-backed ones
 * (CURRENT_ROLE(), IS_ROLE_IN_SESSION(...)) are evaluated by the sandbox's catalog once per
 * statement, through the context's callbacks, and enter the SQL as literals.
 */
import { SnowflakeError, UnsupportedError } from "../../types";
import { identName, objectNameParts, only, variant, type Expr, type FunctionCall, type OrderByExpr } from "./ast";
import { BOOLEAN_TYPE, commonKind, DATE_TYPE, INTEGER_TYPE, REAL_TYPE, TEXT_TYPE, TIMESTAMP_TYPE, type Kind, type Rendered, type Semi, type TypeInfo } from "./data-types";
import { compileError, jsonPathOf, literalOf, parsePathText, stringLiteral, type Translator } from "./context";
import type { QueryScope } from "./scope";
import { callText } from "./source-text";

/** Catalog-backed functions evaluated through the context's callbacks besides every SYSTEM$ name. */
const CATALOG_FUNCTIONS = new Set([
  "CURRENT_ROLE", "CURRENT_USER", "CURRENT_ACCOUNT", "CURRENT_ACCOUNT_NAME", "CURRENT_ORGANIZATION_NAME",
  "CURRENT_REGION", "CURRENT_WAREHOUSE", "CURRENT_SESSION", "CURRENT_VERSION", "CURRENT_CLIENT",
  "CURRENT_AVAILABLE_ROLES", "CURRENT_SECONDARY_ROLES", "CURRENT_ROLE_TYPE", "IS_ROLE_IN_SESSION",
  "IS_APPLICATION_ROLE_IN_SESSION", "IS_DATABASE_ROLE_IN_SESSION", "INVOKER_ROLE", "INVOKER_SHARE",
  "IS_GRANTED_TO_INVOKER_ROLE", "IS_INSTANCE_ROLE_IN_SESSION",
]);

/** Functions whose value is semi-structured: Snowflake refuses them inside INSERT ... VALUES. */
export const VALUES_FORBIDDEN = new Set([
  "PARSE_JSON", "TRY_PARSE_JSON", "OBJECT_CONSTRUCT", "OBJECT_CONSTRUCT_KEEP_NULL", "ARRAY_CONSTRUCT",
  "ARRAY_CONSTRUCT_COMPACT", "TO_VARIANT", "TO_OBJECT", "TO_ARRAY", "PARSE_XML", "OBJECT_INSERT", "ARRAY_APPEND",
]);

/** What each TO_* conversion casts to. */
const CONVERSIONS: Readonly<Record<string, TypeInfo>> = {
  TO_VARCHAR: TEXT_TYPE,
  TO_CHAR: TEXT_TYPE,
  TO_NUMBER: INTEGER_TYPE,
  TO_DECIMAL: INTEGER_TYPE,
  TO_NUMERIC: INTEGER_TYPE,
  TO_DOUBLE: REAL_TYPE,
  TO_BOOLEAN: BOOLEAN_TYPE,
  TO_DATE: DATE_TYPE,
  TO_TIMESTAMP: TIMESTAMP_TYPE,
  TO_TIMESTAMP_NTZ: TIMESTAMP_TYPE,
};

/** A function call, by name (one part; schema-qualified functions are refused). */
/**
 * Functions that map onto one DuckDB function (or one of floe's macros) argument for argument:
 * the arity Snowflake accepts, the function called, and the kind (and semi-structured type) of
 * its result.
 */
const DIRECT: Readonly<Record<string, { readonly arity: readonly [number, number]; readonly duck: string; readonly kind: Kind; readonly semi?: Semi }>> = {
  ABS: { arity: [1, 1], duck: "abs", kind: "number" },
  FLOOR: { arity: [1, 1], duck: "floor", kind: "number" },
  CEIL: { arity: [1, 1], duck: "ceil", kind: "number" },
  ROUND: { arity: [1, 2], duck: "round", kind: "number" },
  MOD: { arity: [2, 2], duck: "mod", kind: "number" },
  PARSE_JSON: { arity: [1, 1], duck: "sf_parse_json", kind: "json" },
  TRY_PARSE_JSON: { arity: [1, 1], duck: "sf_try_parse_json", kind: "json" },
  TO_VARIANT: { arity: [1, 1], duck: "to_json", kind: "json" },
  TO_OBJECT: { arity: [1, 1], duck: "sf_as_object", kind: "json", semi: "OBJECT" },
  TO_ARRAY: { arity: [1, 1], duck: "sf_as_array", kind: "json", semi: "ARRAY" },
  ARRAY_SIZE: { arity: [1, 1], duck: "sf_array_size", kind: "number" },
  TYPEOF: { arity: [1, 1], duck: "sf_typeof", kind: "text" },
  IS_OBJECT: { arity: [1, 1], duck: "sf_is_object", kind: "bool" },
};

export function func(t: Translator, body: FunctionCall, scope: QueryScope): Rendered {
  only(body, ["name", "args", "within_group", "uses_odbc_syntax", "parameters", "over", "filter", "null_treatment"], "function call");
  const parts = objectNameParts(body.name);
  if (parts.length !== 1) throw new UnsupportedError("function " + parts.map((p) => p.value).join("."));
  const name = identName(parts[0]!);
  if (body.over) throw new UnsupportedError(`window function ${name} (OVER)`);
  if (body.filter) throw new UnsupportedError(`FILTER clause on ${name}`);
  if (body.null_treatment) throw new UnsupportedError(`IGNORE/RESPECT NULLS on ${name}`);
  if (body.parameters !== undefined && body.parameters !== "None") throw new UnsupportedError(`parameters of ${name}`);

  const argNodes: Expr[] = [];
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
  const withinGroup: readonly OrderByExpr[] = body.within_group ?? [];
  if (withinGroup.length > 0 && name !== "ARRAY_AGG" && name !== "ARRAYAGG") {
    throw new UnsupportedError(`WITHIN GROUP on ${name}`);
  }
  if (star && name !== "COUNT") throw new UnsupportedError(`${name}(*)`);
  if (distinct && !["COUNT", "SUM", "AVG", "MIN", "MAX", "ARRAY_AGG", "ARRAYAGG"].includes(name)) {
    throw new UnsupportedError(`DISTINCT in ${name}`);
  }
  if (t.inValues && VALUES_FORBIDDEN.has(name)) {
    const text = callText(t.source, body) ?? `${name}(...)`;
    throw new SnowflakeError("002014", "22000", `SQL compilation error:\nInvalid expression [${text}] in VALUES clause`);
  }

  if (name.startsWith("SYSTEM$") || CATALOG_FUNCTIONS.has(name)) return catalogCall(t, name, argNodes, scope);

  const args = () => argNodes.map((a) => t.expr(a, scope));
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
    if (t.inView) throw new UnsupportedError(`${name}() in a view definition`);
    return literalOf(value ?? null, name);
  };

  const direct = Object.hasOwn(DIRECT, name) ? DIRECT[name] : undefined;
  if (direct !== undefined) {
    arity(direct.arity[0], direct.arity[1]);
    return call(direct.duck, direct.kind, direct.semi);
  }

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
      const order = withinGroup.map((item) => t.orderItem(item, scope));
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
      const [x, y] = t.comparable(a!, b!);
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
      return { sql: `${name.toLowerCase()}(${[t.text(s!), ...(chars ? [chars.sql] : [])].join(", ")})`, kind: "text" };
    }
    case "LENGTH":
    case "LEN": {
      arity(1);
      return { sql: `CAST(length(${t.text(args()[0]!)}) AS BIGINT)`, kind: "number" };
    }
    case "CONCAT": {
      arity(1, Infinity);
      // Snowflake's CONCAT is NULL if any argument is; DuckDB's concat() skips NULLs, || does not.
      return { sql: "(" + args().map((a) => t.text(a)).join(" || ") + ")", kind: "text" };
    }
    case "REPLACE": {
      arity(2, 3);
      const [s, from, to] = args();
      return { sql: `replace(${t.text(s!)}, ${from!.sql}, ${to ? to.sql : "''"})`, kind: "text" };
    }
    case "SUBSTR":
    case "SUBSTRING": {
      arity(2, 3);
      const [s, ...rest] = args();
      return { sql: `substring(${[t.text(s!), ...rest.map((r) => r.sql)].join(", ")})`, kind: "text" };
    }
    case "STARTSWITH":
    case "ENDSWITH":
    case "CONTAINS": {
      arity(2);
      const [a, b] = args();
      const fn = name === "STARTSWITH" ? "starts_with" : name === "ENDSWITH" ? "ends_with" : "contains";
      return { sql: `${fn}(${t.text(a!)}, ${t.text(b!)})`, kind: "bool" };
    }
    case "TO_JSON": {
      arity(1);
      return { sql: `CAST(to_json(${args()[0]!.sql}) AS VARCHAR)`, kind: "text" };
    }
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
          sql: `json_object(${pairs.map(([k, v]) => `${t.text(k)}, ${v.sql}`).join(", ")})`,
          kind: "json",
          semi: "OBJECT",
        };
      }
      // Pairs whose key or value is SQL NULL are dropped, as Snowflake does; a JSON null
      // (PARSE_JSON('null')) is a value and stays.
      const entries = pairs.map(([k, v]) => `{'k': ${t.text(k)}, 'v': to_json(${v.sql})}`).join(", ");
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
      return { sql: `sf_object_insert(${o!.sql}, ${t.text(k!)}, to_json(${v!.sql}), ${update})`, kind: "json", semi: "OBJECT" };
    }
    case "ARRAY_CONSTRUCT": {
      if (argNodes.length === 0) return { sql: `CAST('[]' AS JSON)`, kind: "json", semi: "ARRAY" };
      return call("json_array", "json", "ARRAY");
    }
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
    case "TO_TIMESTAMP_NTZ":
      if (argNodes.length !== 1) throw new UnsupportedError(`${name} with a format or precision argument`);
      return t.castTo(args()[0]!, CONVERSIONS[name], false);
    case "CURRENT_DATABASE":
      arity(0);
      return scopeText(t.ctx.scope.database);
    case "CURRENT_SCHEMA":
      arity(0);
      return scopeText(t.ctx.scope.schema);
    default:
      throw new UnsupportedError("function " + name);
  }
}

function catalogCall(t: Translator, name: string, argNodes: readonly Expr[], scope: QueryScope): Rendered {
  if (t.inView) throw new UnsupportedError(`${name} in a view definition (it would be frozen at creation)`);
  const values = argNodes.map((node) => {
    const rendered = t.exprConstant(node, scope);
    if (!rendered) throw new UnsupportedError(`non-constant argument to ${name} (only literals and binds)`);
    return rendered.value;
  });
  const result = t.ctx.callbacks.systemFunction(name, values);
  return literalOf(result, name);
}
