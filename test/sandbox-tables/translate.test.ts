/**
 * Translator unit tests: Snowflake text in, DuckDB text out, no engine involved. The expected
 * strings are the contract of the translator (sandbox/tables/translate/); behaviour against a real DuckDB is covered in
 * store.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";

import {
  type CatalogView,
  type Translation,
  type RelationMeta,
  duckSchemaName,
  initParser,
  parseStatement,
  translate,
} from "../../sandbox/tables/translate";
import { type BindValue, SnowflakeError, UnsupportedError } from "../../sandbox/types";

const T: RelationMeta = {
  database: "DB",
  schema: "S",
  name: "T",
  kind: "TABLE",
  columns: [
    { name: "ID", type: "FIXED", nullable: false, precision: 38, scale: 0 },
    { name: "NAME", type: "TEXT", nullable: true },
    { name: "VALUE", type: "VARIANT", nullable: true },
    { name: "O", type: "OBJECT", nullable: true },
  ],
};
const U: RelationMeta = {
  database: "DB",
  schema: "S",
  name: "U",
  kind: "TABLE",
  columns: [
    { name: "ID", type: "FIXED", nullable: false, precision: 38, scale: 0 },
    { name: "status", type: "TEXT", nullable: true },
  ],
};
const V: RelationMeta = { database: "DB", schema: "S", name: "V", kind: "VIEW", columns: [{ name: "ID", type: "FIXED", nullable: true }] };
const W: RelationMeta = { database: "DB", schema: "OTHER", name: "W", kind: "TABLE", columns: [{ name: "X", type: "TEXT", nullable: true }] };

const catalog: CatalogView = {
  hasSchema: (d, s) => d === "DB" && (s === "S" || s === "OTHER"),
  relation: (d, s, n) => [T, U, V, W].find((r) => r.database === d && r.schema === s && r.name === n),
};

const hookCalls: { name: string; args: readonly unknown[] }[] = [];
const hooks = {
  systemFunction(name: string, args: readonly unknown[]): unknown {
    hookCalls.push({ name, args });
    if (name === "SYSTEM$HOLD_PRIVILEGE_ON_ACCOUNT") return args[0] === "EXECUTE TASK";
    if (name === "CURRENT_ROLE") return "APP_ADMIN";
    throw new UnsupportedError("function " + name);
  },
};

function plan(sql: string, binds: BindValue[] = [], scope: { database: string; schema?: string } = { database: "DB", schema: "S" }): Translation {
  return translate(parseStatement(sql), sql, { scope, binds, callbacks: hooks, catalog });
}

function sqlOf(sql: string, binds: BindValue[] = []): string {
  const p = plan(sql, binds);
  if (!("sql" in p)) throw new Error("plan has no SQL: " + p.kind);
  return p.sql;
}

function failure(sql: string, binds: BindValue[] = []): SnowflakeError {
  try {
    plan(sql, binds);
  } catch (error) {
    if (error instanceof SnowflakeError) return error;
    throw error;
  }
  throw new Error("expected a failure for: " + sql);
}

beforeAll(async () => {
  await initParser();
});

describe("rendering", () => {
  it("qualifies, quotes and aliases every table and projection item", () => {
    expect(sqlOf("select id, name as n, name as \"n2\", count(*) from t group by id, name")).toBe(
      'SELECT "ID" AS "ID", "NAME" AS "N", "NAME" AS "n2", count(*) AS "COUNT(*)" FROM "DB.S"."T" AS "T" GROUP BY "ID", "NAME"',
    );
  });

  it("resolves one-, two- and three-part names against the scope", () => {
    const expected = 'SELECT "X" AS "X" FROM "DB.OTHER"."W" AS "W"';
    expect(sqlOf("select x from other.w")).toBe(expected);
    expect(sqlOf("select x from db.other.w")).toBe(expected);
    expect(sqlOf("select id from t")).toBe(sqlOf("select id from s.t"));
  });

  it("names unaliased expressions after their upper-cased text, keeping quoted identifiers", () => {
    const p = plan(`select 'abc', value:"Q", id + 1, upper(name) from t`);
    expect(p.kind === "query" && p.sql).toBe(
      `SELECT 'abc' AS "'ABC'", json_extract("VALUE", '$."Q"') AS "VALUE:""Q""", ("ID" + 1) AS "ID + 1", upper("NAME") AS "UPPER(NAME)" FROM "DB.S"."T" AS "T"`,
    );
  });

  it("renders Snowflake path access as json_extract, never as ':'", () => {
    const sql = sqlOf('select value:status, value:a.b, value:"Quoted", value[0], value:a[1].b, t.value:x from t');
    expect(sql).toBe(
      `SELECT json_extract("VALUE", '$."status"') AS "VALUE:STATUS", json_extract("VALUE", '$."a"."b"') AS "VALUE:A.B", ` +
        `json_extract("VALUE", '$."Quoted"') AS "VALUE:""Quoted""", json_extract("VALUE", '$[0]') AS "VALUE[0]", ` +
        `json_extract("VALUE", '$."a"[1]."b"') AS "VALUE:A[1].B", json_extract("T"."VALUE", '$."x"') AS "T.VALUE:X" FROM "DB.S"."T" AS "T"`,
    );
    expect(sql).not.toMatch(/"VALUE":/);
  });

  it("casts VARIANT to text with Snowflake's unquoting, and compares paths with literals and binds by value", () => {
    expect(sqlOf("select value:status::string, cast(value as varchar), id::varchar from t")).toBe(
      `SELECT sf_text(json_extract("VALUE", '$."status"')) AS "VALUE:STATUS::STRING", sf_text("VALUE") AS "CAST(VALUE AS VARCHAR)", CAST("ID" AS VARCHAR) AS "ID::VARCHAR" FROM "DB.S"."T" AS "T"`,
    );
    expect(sqlOf("select id from t where value:status::string = ? and value:n = 5 and value:s = 'x'", ["new"])).toBe(
      `SELECT "ID" AS "ID" FROM "DB.S"."T" AS "T" WHERE (((sf_text(json_extract("VALUE", '$."status"')) = $1) AND (TRY_CAST(json_extract("VALUE", '$."n"') AS DOUBLE) = 5)) AND (sf_text(json_extract("VALUE", '$."s"')) = 'x'))`,
    );
  });

  it("maps casts to the stored types", () => {
    expect(sqlOf("select try_cast(name as number(10,2)), value::boolean, name::variant, o::variant, value::object, id::float, ?::timestamp_ntz from t", ["2024-01-01"])).toBe(
      `SELECT TRY_CAST("NAME" AS DECIMAL(10,2)) AS "TRY_CAST(NAME AS NUMBER(10,2))", CAST("VALUE" AS BOOLEAN) AS "VALUE::BOOLEAN", to_json("NAME") AS "NAME::VARIANT", to_json("O") AS "O::VARIANT", sf_as_object("VALUE") AS "VALUE::OBJECT", CAST("ID" AS DOUBLE) AS "ID::FLOAT", CAST($1 AS TIMESTAMP) AS "?::TIMESTAMP_NTZ" FROM "DB.S"."T" AS "T"`,
    );
  });

  it("renders the semi-structured constructors and aggregates", () => {
    const p = plan("select object_construct('a', 1, 'b', name), object_construct_keep_null('a', null), array_construct(1, 'x'), array_agg(name) within group (order by id desc) from t");
    expect(p.kind === "query" && p.sql).toBe(
      `SELECT to_json(map_from_entries(list_filter([{'k': 'a', 'v': to_json(1)}, {'k': 'b', 'v': to_json("NAME")}], lambda e: e.k IS NOT NULL AND e.v IS NOT NULL))) AS "OBJECT_CONSTRUCT('A', 1, 'B', NAME)", ` +
        `json_object('a', NULL) AS "OBJECT_CONSTRUCT_KEEP_NULL('A', NULL)", json_array(1, 'x') AS "ARRAY_CONSTRUCT(1, 'X')", ` +
        `COALESCE(to_json(list("NAME" ORDER BY "ID" DESC NULLS FIRST) FILTER (WHERE "NAME" IS NOT NULL)), CAST('[]' AS JSON)) AS "ARRAY_AGG(NAME) WITHIN GROUP (ORDER BY ID DESC)" FROM "DB.S"."T" AS "T"`,
    );
    expect(p.kind === "query" && p.jsonTypes).toEqual({
      "OBJECT_CONSTRUCT('A', 1, 'B', NAME)": "OBJECT",
      "OBJECT_CONSTRUCT_KEEP_NULL('A', NULL)": "OBJECT",
      "ARRAY_CONSTRUCT(1, 'X')": "ARRAY",
      "ARRAY_AGG(NAME) WITHIN GROUP (ORDER BY ID DESC)": "ARRAY",
    });
  });

  it("renders scalar functions", () => {
    expect(sqlOf("select iff(id > 1, 'a', 'b'), nvl(name, 'x'), ifnull(name, 'y'), nullif(id, 0), coalesce(value:a, value:b), length(name), len(name), concat(name, '-', id), name || 'x', array_size(value), get(value, 'k'), get(value, 0), get_path(value, 'a.b[2]'), to_json(value), typeof(value) from t")).toBe(
      `SELECT CASE WHEN ("ID" > 1) THEN 'a' ELSE 'b' END AS "IFF(ID > 1, 'A', 'B')", COALESCE("NAME", 'x') AS "NVL(NAME, 'X')", COALESCE("NAME", 'y') AS "IFNULL(NAME, 'Y')", NULLIF("ID", 0) AS "NULLIF(ID, 0)", ` +
        `COALESCE(json_extract("VALUE", '$."a"'), json_extract("VALUE", '$."b"')) AS "COALESCE(VALUE:A, VALUE:B)", CAST(length("NAME") AS BIGINT) AS "LENGTH(NAME)", CAST(length("NAME") AS BIGINT) AS "LEN(NAME)", ` +
        `("NAME" || '-' || CAST("ID" AS VARCHAR)) AS "CONCAT(NAME, '-', ID)", ("NAME" || 'x') AS "NAME || 'X'", sf_array_size("VALUE") AS "ARRAY_SIZE(VALUE)", ` +
        `json_extract("VALUE", '$."k"') AS "GET(VALUE, 'K')", json_extract("VALUE", '$[0]') AS "GET(VALUE, 0)", json_extract("VALUE", '$."a"."b"[2]') AS "GET_PATH(VALUE, 'A.B[2]')", ` +
        `CAST(to_json("VALUE") AS VARCHAR) AS "TO_JSON(VALUE)", sf_typeof("VALUE") AS "TYPEOF(VALUE)" FROM "DB.S"."T" AS "T"`,
    );
    expect(sqlOf("select sysdate(), current_timestamp(), current_date(), uuid_string(), current_database(), current_schema()")).toBe(
      `SELECT CAST(get_current_timestamp() AS TIMESTAMP) AS "SYSDATE()", CAST(get_current_timestamp() AS TIMESTAMP) AS "CURRENT_TIMESTAMP()", CAST(get_current_timestamp() AS DATE) AS "CURRENT_DATE()", CAST(uuid() AS VARCHAR) AS "UUID_STRING()", 'DB' AS "CURRENT_DATABASE()", 'S' AS "CURRENT_SCHEMA()"`,
    );
  });

  it("spells out Snowflake's NULL ordering and keeps LIMIT/OFFSET", () => {
    expect(sqlOf("select id from t order by id, name desc limit 5 offset 2")).toBe(
      `SELECT "ID" AS "ID" FROM "DB.S"."T" AS "T" ORDER BY "ID" ASC NULLS LAST, "NAME" DESC NULLS FIRST LIMIT 5 OFFSET 2`,
    );
  });

  it("renders joins, subqueries, CTEs and set operations", () => {
    expect(
      sqlOf(`with c as (select id as x from t) select c.x, (select count(*) from u where u.id = c.x) as n from c left join u on u.id = c.x where exists (select 1 from t) and c.x in (select id from u) union all select 1, 2`),
    ).toBe(
      `WITH "C" AS (SELECT "ID" AS "X" FROM "DB.S"."T" AS "T") SELECT "C"."X" AS "X", (SELECT count(*) AS "COUNT(*)" FROM "DB.S"."U" AS "U" WHERE ("U"."ID" = "C"."X")) AS "N" FROM "C" LEFT JOIN "DB.S"."U" AS "U" ON ("U"."ID" = "C"."X") WHERE ((EXISTS (SELECT 1 AS "1" FROM "DB.S"."T" AS "T")) AND ("C"."X" IN (SELECT "ID" AS "ID" FROM "DB.S"."U" AS "U"))) UNION ALL SELECT 1 AS "1", 2 AS "2"`,
    );
    expect(sqlOf("select 1 minus select 2")).toBe(`SELECT 1 AS "1" EXCEPT SELECT 2 AS "2"`);
  });

  it("numbers binds by source position, also for :n binds, and never inlines them", () => {
    const p = plan("update t set name = ? from u where t.id = u.id and u.\"status\" = ?", ["n", "s"]);
    expect(p.kind === "update" && p.sql).toBe(
      `UPDATE "DB.S"."T" AS "T" SET "NAME" = $1 FROM "DB.S"."U" AS "U" WHERE (("T"."ID" = "U"."ID") AND ("U"."status" = $2))`,
    );
    expect(p.kind === "update" && p.params).toEqual(["n", "s"]);
    const numbered = plan("select :2 as b, :1 as a, :2 as c", ["one", "two"]);
    expect(numbered.kind === "query" && numbered.sql).toBe(`SELECT $1 AS "B", $2 AS "A", $1 AS "C"`);
    expect(numbered.kind === "query" && numbered.params).toEqual(["two", "one"]);
  });

  it("stores into VARIANT columns as JSON (a string stays a JSON string) and reads VARIANT into text unquoted", () => {
    expect(sqlOf("insert into t (id, value, name) values (1, ?, ?)", ["a", "b"])).toBe(
      `INSERT INTO "DB.S"."T" ("ID", "VALUE", "NAME") VALUES (1, to_json($1), $2)`,
    );
    expect(sqlOf("insert into t (id, value) select ?, parse_json(?)", [1, "{}"])).toBe(
      `INSERT INTO "DB.S"."T" ("ID", "VALUE") SELECT "__c1", to_json("__c2") FROM (SELECT $1 AS "?", sf_parse_json($2) AS "PARSE_JSON(?)") AS "__floe_src"("__c1", "__c2")`,
    );
    expect(sqlOf("update t set value = parse_json(?), name = value:x where id = ?", ["{}", 1])).toBe(
      `UPDATE "DB.S"."T" AS "T" SET "VALUE" = to_json(sf_parse_json($1)), "NAME" = sf_text(json_extract("VALUE", '$."x"')) WHERE ("ID" = $2)`,
    );
  });

  it("renders DELETE, TRUNCATE and MERGE with a duplicate-match check", () => {
    expect(sqlOf("delete from t using u where t.id = u.id")).toBe(
      `DELETE FROM "DB.S"."T" AS "T" USING "DB.S"."U" AS "U" WHERE ("T"."ID" = "U"."ID")`,
    );
    expect(plan("truncate table t")).toEqual({ kind: "truncate", target: { database: "DB", schema: "S", name: "T" }, ifExists: false });
    const p = plan(
      "merge into t using (select ? as id, ? as v) s on t.id = s.id when matched and t.id > 0 then update set value = s.v when matched then delete when not matched then insert (id, value) values (s.id, s.v)",
      [1, "x"],
    );
    if (p.kind !== "merge") throw new Error("expected a merge plan");
    expect(p.sql).toBe(
      `MERGE INTO "DB.S"."T" AS "T" USING (SELECT $1 AS "ID", $2 AS "V") AS "S" ON ("T"."ID" = "S"."ID") WHEN MATCHED AND ("T"."ID" > 0) THEN UPDATE SET "VALUE" = to_json("S"."V") WHEN MATCHED THEN DELETE WHEN NOT MATCHED THEN INSERT ("ID", "VALUE") VALUES ("S"."ID", to_json("S"."V")) RETURNING merge_action`,
    );
    expect(p.clauses).toEqual({ insert: true, update: true, delete: true });
    expect(p.duplicateCheck?.sql).toBe(
      `SELECT 1 FROM "DB.S"."T" AS "T" JOIN (SELECT $1 AS "ID", $2 AS "V") AS "S" ON ("T"."ID" = "S"."ID") GROUP BY "T".rowid HAVING count(*) > 1 LIMIT 1`,
    );
  });

  it("renders CREATE TABLE with types, NOT NULL, DEFAULT, length checks and primary keys", () => {
    const p = plan(
      "create or replace table x (a number(10,2) default 0, b varchar(5) not null, c variant, d array, e object, f int, g float, h boolean, i timestamp_ntz, j date, k string, primary key (a)) comment = 'state'",
    );
    if (p.kind !== "createTable") throw new Error("expected a create plan");
    expect(p.sql).toBe(
      `CREATE OR REPLACE TABLE "DB.S"."X" ("A" DECIMAL(10,2) NOT NULL DEFAULT 0, "B" VARCHAR NOT NULL CHECK (length("B") <= 5), "C" JSON, "D" JSON, "E" JSON, "F" DECIMAL(38,0), "G" DOUBLE, "H" BOOLEAN, "I" TIMESTAMP, "J" DATE, "K" VARCHAR)`,
    );
    expect(p.columns?.map((c) => [c.name, c.type, c.nullable])).toEqual([
      ["A", "FIXED", false],
      ["B", "TEXT", false],
      ["C", "VARIANT", true],
      ["D", "ARRAY", true],
      ["E", "OBJECT", true],
      ["F", "FIXED", true],
      ["G", "REAL", true],
      ["H", "BOOLEAN", true],
      ["I", "TIMESTAMP_NTZ", true],
      ["J", "DATE", true],
      ["K", "TEXT", true],
    ]);
    expect(p.comment).toBe("state");
  });

  it("renders CREATE VIEW and records OBJECT/ARRAY columns", () => {
    const p = plan("create or replace secure view v2 (a, b) as select id, o from t");
    expect(p).toMatchObject({
      kind: "createView",
      sql: `CREATE OR REPLACE VIEW "DB.S"."V2"("A", "B") AS SELECT "ID" AS "ID", "O" AS "O" FROM "DB.S"."T" AS "T"`,
      jsonTypes: { B: "OBJECT" },
    });
  });

  it("evaluates SYSTEM$ and catalog functions through the hook with literal and bind arguments", () => {
    hookCalls.length = 0;
    const p = plan("select system$hold_privilege_on_account(?) as ok, current_role()", ["EXECUTE TASK"]);
    expect(p.kind === "query" && p.sql).toBe(`SELECT TRUE AS "OK", 'APP_ADMIN' AS "CURRENT_ROLE()"`);
    expect(p.kind === "query" && p.params).toEqual([]);
    expect(hookCalls).toEqual([
      { name: "SYSTEM$HOLD_PRIVILEGE_ON_ACCOUNT", args: ["EXECUTE TASK"] },
      { name: "CURRENT_ROLE", args: [] },
    ]);
  });

  it("encodes (database, schema) pairs injectively", () => {
    expect(duckSchemaName("A.B", "C")).not.toBe(duckSchemaName("A", "B.C"));
    expect(duckSchemaName("A\\", ".B")).not.toBe(duckSchemaName("A\\.", "B"));
  });

  it("plans transactions", () => {
    expect(plan("begin")).toEqual({ kind: "transaction", op: "BEGIN" });
    expect(plan("begin transaction")).toEqual({ kind: "transaction", op: "BEGIN" });
    expect(plan("start transaction")).toEqual({ kind: "transaction", op: "BEGIN" });
    expect(plan("commit")).toEqual({ kind: "transaction", op: "COMMIT" });
    expect(plan("rollback")).toEqual({ kind: "transaction", op: "ROLLBACK" });
  });
});

describe("Snowflake errors raised while translating", () => {
  it("reports missing objects as 002003 with the fully qualified name", () => {
    const error = failure("select * from nope");
    expect([error.code, error.sqlState]).toEqual(["002003", "02000"]);
    expect(error.message).toContain("Object 'DB.S.NOPE' does not exist or not authorized.");
    expect(failure("select * from missing_schema.t").message).toContain("'DB.MISSING_SCHEMA.T'");
    expect(failure('select * from "t"').message).toContain(`'DB.S."t"'`);
  });

  it("needs a current schema for unqualified names", () => {
    const error = (() => {
      try {
        plan("select * from t", [], { database: "DB" });
      } catch (e) {
        return e as SnowflakeError;
      }
      throw new Error("expected failure");
    })();
    expect(error.code).toBe("090106");
  });

  it("is case-sensitive for quoted identifiers where DuckDB is not", () => {
    expect(failure('select "id" from t').code).toBe("000904");
    expect(failure("select status from u").message).toContain("invalid identifier 'STATUS'");
    expect(sqlOf('select "status" from u')).toBe(`SELECT "status" AS "status" FROM "DB.S"."U" AS "U"`);
  });

  it("refuses semi-structured functions in INSERT ... VALUES like Snowflake (002014)", () => {
    const error = failure("insert into t (id, value) values (1, PARSE_JSON(?))", ["{}"]);
    expect([error.code, error.sqlState]).toEqual(["002014", "22000"]);
    expect(error.message).toBe("SQL compilation error:\nInvalid expression [PARSE_JSON(?)] in VALUES clause");
    expect(failure("insert into t (id, value) values (1, object_construct('a', 1))").code).toBe("002014");
    expect(failure("insert into t (id, value) values (1, '{}'::variant)").code).toBe("002014");
    expect(failure("insert into t (id) values ((select 1))").code).toBe("002014");
  });

  it("checks VALUES arity, binds and DML targets", () => {
    expect(failure("insert into t (id, name) values (1)").code).toBe("002020");
    expect(failure("select ? as a, ? as b", [1]).code).toBe("002049");
    expect(failure("insert into v (id) values (1)").code).toBe("002203");
    expect(failure("insert into t (nope) values (1)").code).toBe("000904");
  });

  it("reports parse failures as 001003 with the parser's position, and several statements as 000008", () => {
    const error = failure("select * form t where");
    expect([error.code, error.sqlState]).toEqual(["001003", "42000"]);
    expect(error.message).toMatch(/^SQL compilation error:\nsyntax error line 1 at position \d+/);
    expect(failure("select 1; select 2").code).toBe("000008");
  });
});

describe("UnsupportedError for everything not implemented", () => {
  const cases: [string, string, BindValue[]?][] = [
    ["select regexp_replace(name, 'a', 'b') from t", "function REGEXP_REPLACE"],
    ["select * from t, lateral split_to_table(t.value, ',') f", "LATERAL SPLIT_TO_TABLE"],
    ["select * from table(flatten(input => parse_json('[1]'), outer => true))", "FLATTEN argument OUTER"],
    ["select * from table(flatten(parse_json('[1]')))", "FLATTEN with a positional argument"],
    ["select row_number() over (order by id) from t", "window function ROW_NUMBER (OVER)"],
    ["select id from t qualify id = 1", "QUALIFY"],
    ["select top 5 id from t", "TOP"],
    ["select name::timestamp_ltz from t", "data type TIMESTAMP_LTZ"],
    ["select name::geography from t", "data type GEOGRAPHY"],
    ["select x::time from t", "data type TIME"],
    ["with recursive r as (select 1) select * from r", "WITH RECURSIVE"],
    ["insert overwrite into t (id) select 1", "INSERT OVERWRITE"],
    ["create temporary table tmp (a int)", "TEMPORARY"],
    ["create table x (a int autoincrement)", "AUTOINCREMENT/IDENTITY columns"],
    ["create table x (a string collate 'en-ci')", "COLLATE"],
    ["create table x like t", "CREATE TABLE ... LIKE"],
    ["create table x clone t", "CLONE"],
    ["create materialized view mv as select 1 as a", "MATERIALIZED VIEW"],
    ["create view cv copy grants as select 1 as a", "COPY GRANTS"],
    ["create view bv as select id from t where id = ?", "bind variables in CREATE VIEW"],
    ["create view sv as select current_role() as r", "CURRENT_ROLE in a view definition"],
    ["create view dv as select current_database() as d", "CURRENT_DATABASE() in a view definition"],
    ["select * from t natural join u", "NATURAL JOIN"],
    ["select id from t where name like any ('a%', 'b%')", "LIKE ANY"],
    ["select system$hold_privilege_on_account(name) from t", "non-constant argument to SYSTEM$HOLD_PRIVILEGE_ON_ACCOUNT"],
    ["select system$nope('x')", "function SYSTEM$NOPE"],
    ["select get(value, name) from t", "GET with a computed key"],
    ["select value[id] from t", "semi-structured path with a computed element"],
    ["select id from t group by rollup (id)", "expression Rollup"],
    ["select id from t at(offset => -60)", "time travel"],
    ["select id from t sample (10)", "SAMPLE"],
    ["select listagg(name, ',') within group (order by name) from t", "WITHIN GROUP on LISTAGG"],
    ["select count(*) from t where id in (select id from u) connect by prior id = id", "CONNECT BY"],
    ["select interval '1 day'", "expression Interval"],
    ["select uuid_string('fe971b24-9572-4005-b22f-351e9c09274d', 'foo')", "UUID_STRING with a namespace"],
    ["select to_varchar(sysdate(), 'YYYY') ", "TO_VARCHAR with a format or precision argument"],
    ["select object_construct(*) from t", "OBJECT_CONSTRUCT(*)"],
    ["select id from t for update", "FOR UPDATE"],
    ["create schema s2", "statement CreateSchema"],
    ["drop schema s", "DROP SCHEMA in the table store"],
    ["alter table t add column z int", "statement AlterTable"],
  ];
  it.each(cases)("%s → %s", (sql, what, binds) => {
    let caught: unknown;
    try {
      plan(sql, binds ?? []);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnsupportedError);
    const error = caught as UnsupportedError;
    expect([error.code, error.sqlState]).toEqual(["000002", "0A000"]);
    expect(error.message).toContain("unsupported by the floe sandbox: ");
    expect(error.message).toContain(what);
  });
});
