/**
 * Behaviour of the table store against a real DuckDB engine: Snowflake statements in, Snowflake
 * result shapes and error codes out. One engine for the whole file (start-up is the expensive
 * part); each test works in its own tables.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type Scope, type StatementCallbacks, TableStore } from "../../sandbox/tables";
import { type BindValue, type QueryResult, SnowflakeError, UnsupportedError } from "../../sandbox/types";

let store: TableStore;
const scope: Scope = { database: "APP", schema: "CORE" };
const hookCalls: { name: string; args: readonly unknown[] }[] = [];
const hooks: StatementCallbacks = {
  systemFunction(name, args) {
    hookCalls.push({ name, args });
    if (name === "SYSTEM$HOLD_PRIVILEGE_ON_ACCOUNT") return args[0] === "EXECUTE TASK";
    if (name === "SYSTEM$COUNT_ROWS") {
      // A catalog function that itself runs SQL: the store must be re-entrant at translate time.
      const r = store.execute(`select count(*) as n from ${String(args[0])}`, [], scope, hooks);
      return r.rows[0]![0];
    }
    throw new UnsupportedError("function " + name);
  },
};

function run(sql: string, binds: BindValue[] = [], at: Scope = scope): QueryResult {
  return store.execute(sql, binds, at, hooks);
}

function rows(sql: string, binds: BindValue[] = []): unknown[][] {
  return run(sql, binds).rows.map((r) => [...r]);
}

function failure(sql: string, binds: BindValue[] = [], at: Scope = scope): SnowflakeError {
  try {
    run(sql, binds, at);
  } catch (error) {
    if (error instanceof SnowflakeError) return error;
    throw error;
  }
  throw new Error("expected a failure for: " + sql);
}

beforeAll(async () => {
  store = await TableStore.start();
  store.createSchema("APP", "CORE");
  store.createSchema("APP", "OTHER");
});

afterAll(async () => {
  await store?.close();
});

describe("DDL", () => {
  it("answers with Snowflake's status texts", () => {
    expect(run("create table app_state (key string, value variant)")).toEqual({
      columns: [{ name: "status", type: "TEXT", nullable: false }],
      rows: [["Table APP_STATE successfully created."]],
    });
    expect(run("create table if not exists app_state (x int)").rows).toEqual([["APP_STATE already exists, statement succeeded."]]);
    expect(run("create or replace table app_state (key string, value variant)").rows).toEqual([["Table APP_STATE successfully created."]]);
    expect(run("create view app_view as select key from app_state").rows).toEqual([["View APP_VIEW successfully created."]]);
    expect(run("create or replace view app_view as select key, value from app_state").rows).toEqual([["View APP_VIEW successfully created."]]);
    expect(run("drop view app_view").rows).toEqual([["APP_VIEW successfully dropped."]]);
    expect(run("drop table app_state").rows).toEqual([["APP_STATE successfully dropped."]]);
    expect(run("drop table if exists app_state").rows).toEqual([["Drop statement executed successfully (APP_STATE already dropped)."]]);
  });

  it("reports existing and missing objects as Snowflake does", () => {
    run("create table dup (a int)");
    expect(failure("create table dup (a int)").code).toBe("002002");
    const missing = failure("drop table nothing_here");
    expect([missing.code, missing.sqlState]).toEqual(["002003", "02000"]);
    expect(missing.message).toContain("Table 'APP.CORE.NOTHING_HERE' does not exist or not authorized.");
    expect(failure("drop view dup").code).toBe("002203");
    expect(failure("create table nowhere.t (a int)").message).toContain("Schema 'APP.NOWHERE' does not exist");
  });

  it("lists tables and views with their Snowflake column types", () => {
    store.createSchema("APP", "LISTED");
    const at = { database: "APP", schema: "LISTED" };
    run("create table t1 (id number(10,0) not null, doc object, tags array, v variant, s varchar(20) comment 'label', f float) comment = 'main'", [], at);
    run("create view v1 as select id, doc, array_construct(1) as a from t1", [], at);
    const listed = store.listRelations("APP", "LISTED");
    expect(listed.map((r) => [r.name, r.kind])).toEqual([
      ["T1", "TABLE"],
      ["V1", "VIEW"],
    ]);
    expect(listed[0]!.comment).toBe("main");
    expect(listed[0]!.columns.find((c) => c.name === "S")).toEqual({ name: "S", type: "TEXT", nullable: true, length: 20, comment: "label" });
    expect(listed[0]!.columns.find((c) => c.name === "ID")).toMatchObject({ nullable: false, precision: 10, scale: 0 });
    expect(listed[0]!.columns.map((c) => [c.name, c.type])).toEqual([
      ["ID", "FIXED"],
      ["DOC", "OBJECT"],
      ["TAGS", "ARRAY"],
      ["V", "VARIANT"],
      ["S", "TEXT"],
      ["F", "REAL"],
    ]);
    expect(listed[1]!.columns.map((c) => [c.name, c.type])).toEqual([
      ["ID", "FIXED"],
      ["DOC", "OBJECT"],
      ["A", "ARRAY"],
    ]);
    store.dropSchema("APP", "LISTED");
    expect(store.hasSchema("APP", "LISTED")).toBe(false);
    expect(store.listRelations("APP", "LISTED")).toEqual([]);
  });

  it("drops a database's schemas and their tables", () => {
    store.createSchema("GONE", "PUBLIC");
    run("create table t (a int)", [], { database: "GONE", schema: "PUBLIC" });
    store.dropDatabase("GONE");
    expect(store.hasSchema("GONE", "PUBLIC")).toBe(false);
    store.createSchema("GONE", "PUBLIC");
    expect(failure("select * from t", [], { database: "GONE", schema: "PUBLIC" }).code).toBe("002003");
  });

  it("creates a table from a query", () => {
    run("create table src_ctas (id int, doc variant)");
    run("insert into src_ctas (id, doc) select 1, parse_json('{\"a\":1}')");
    expect(run("create table ctas as select id, doc, object_construct('k', id) as o from src_ctas").rows).toEqual([["Table CTAS successfully created."]]);
    expect(store.listRelations("APP", "CORE").find((r) => r.name === "CTAS")!.columns.map((c) => c.type)).toEqual(["FIXED", "VARIANT", "OBJECT"]);
    expect(rows("select * from ctas")).toEqual([[1, { a: 1 }, { k: 1 }]]);
  });
});

describe("name resolution", () => {
  beforeAll(() => {
    run("create table names_t (id int)");
    run("insert into names_t (id) values (1)");
    run("create table other.names_t (id int)");
    run("insert into other.names_t (id) values (2)");
    run('create table "lower_q" (id int)');
  });

  it("resolves T, SCHEMA.T and DB.SCHEMA.T against the scope", () => {
    expect(rows("select id from names_t")).toEqual([[1]]);
    expect(rows("select id from core.names_t")).toEqual([[1]]);
    expect(rows("select id from app.core.names_t")).toEqual([[1]]);
    expect(rows("select id from other.names_t")).toEqual([[2]]);
    expect(rows("select id from NAMES_T", [])).toEqual([[1]]);
  });

  it("raises 002003 for missing tables, with the resolved name", () => {
    const error = failure("select * from no_such_table");
    expect([error.code, error.sqlState]).toEqual(["002003", "02000"]);
    expect(error.message).toBe("SQL compilation error:\nObject 'APP.CORE.NO_SUCH_TABLE' does not exist or not authorized.");
    expect(failure("select * from lower_q").message).toContain("'APP.CORE.LOWER_Q'");
    expect(rows('select count(*) from "lower_q"')).toEqual([[0]]);
  });

  it("keeps Snowflake's case rules for quoted columns (DuckDB would match any case)", () => {
    run('create table case_t (id int, "mixedCase" string)');
    run(`insert into case_t values (1, 'm')`);
    expect(rows('select "mixedCase" from case_t')).toEqual([["m"]]);
    expect(failure("select mixedcase from case_t").code).toBe("000904");
    expect(rows('select "ID" from case_t')).toEqual([[1]]);
    expect(failure('select "id" from case_t').code).toBe("000904");
  });

  it("needs a current schema for unqualified names", () => {
    const error = failure("select * from names_t", [], { database: "APP" });
    expect(error.code).toBe("090106");
    expect(rows("select id from core.names_t")).toEqual([[1]]);
  });
});

describe("results", () => {
  beforeAll(() => {
    run(`create table typed (
      n number, d number(10,2), i int, f float, s string, b boolean, v variant, o object, a array,
      ts timestamp_ntz, dt date)`);
    run(
      `insert into typed (n, d, i, f, s, b, ts, dt) values (12345678901, 12.34, 7, 1.5, 'text', true, '2024-02-03 04:05:06.789', '2024-02-03')`,
    );
    run(`update typed set v = parse_json('{"k":[1,"two",null]}'), o = object_construct('x', 1), a = array_construct(1, 2)`);
  });

  it("reports Snowflake column types and JS values for each type", () => {
    const result = run("select * from typed");
    expect(result.columns).toEqual([
      { name: "N", type: "FIXED", nullable: true, precision: 38, scale: 0 },
      { name: "D", type: "FIXED", nullable: true, precision: 10, scale: 2 },
      { name: "I", type: "FIXED", nullable: true, precision: 38, scale: 0 },
      { name: "F", type: "REAL", nullable: true },
      { name: "S", type: "TEXT", nullable: true },
      { name: "B", type: "BOOLEAN", nullable: true },
      { name: "V", type: "VARIANT", nullable: true },
      { name: "O", type: "OBJECT", nullable: true },
      { name: "A", type: "ARRAY", nullable: true },
      { name: "TS", type: "TIMESTAMP_NTZ", nullable: true },
      { name: "DT", type: "DATE", nullable: true },
    ]);
    expect(result.rows).toEqual([
      [
        12345678901,
        12.34,
        7,
        1.5,
        "text",
        true,
        { k: [1, "two", null] },
        { x: 1 },
        [1, 2],
        new Date("2024-02-03T04:05:06.789Z"),
        new Date("2024-02-03T00:00:00.000Z"),
      ],
    ]);
  });

  it("names columns as Snowflake does", () => {
    const result = run(`select n as alias_up, n as "alias_low", s, typed.s as s2, count(*), max(i) + 1, 'lit' from typed group by n, s`);
    expect(result.columns.map((c) => c.name)).toEqual(["ALIAS_UP", "alias_low", "S", "S2", "COUNT(*)", "MAX(I) + 1", "'LIT'"]);
  });

  it("returns COUNT as a number, never a BigInt", () => {
    const [[count]] = rows("select count(*) from typed");
    expect(count).toBe(1);
    expect(typeof count).toBe("number");
    expect(run("select count(*) from typed").columns[0]).toMatchObject({ type: "FIXED", scale: 0 });
  });

  it("selects without FROM, with scope functions and the clock", () => {
    const result = run("select 1 + 1 as two, current_database() as db, current_schema() as sch, sysdate() as now, uuid_string() as u");
    const [two, db, sch, now, uuid] = result.rows[0]!;
    expect([two, db, sch]).toEqual([2, "APP", "CORE"]);
    expect(now).toBeInstanceOf(Date);
    expect(Math.abs((now as Date).getTime() - Date.now())).toBeLessThan(60_000);
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("supports joins, subqueries, CTEs, set operations, ordering and limits", () => {
    run("create table q1 (id int, grp string)");
    run("create table q2 (id int, label string)");
    run("insert into q1 values (1, 'a'), (2, 'a'), (3, 'b'), (4, null)");
    run("insert into q2 values (1, 'one'), (3, 'three')");
    expect(rows("select q1.id, q2.label from q1 left join q2 on q1.id = q2.id order by q1.id")).toEqual([
      [1, "one"],
      [2, null],
      [3, "three"],
      [4, null],
    ]);
    expect(rows("select grp, count(*) as n from q1 group by grp having count(*) > 1")).toEqual([["a", 2]]);
    // Snowflake sorts NULL last ascending and first descending.
    expect(rows("select grp from q1 order by grp").map((r) => r[0])).toEqual(["a", "a", "b", null]);
    expect(rows("select grp from q1 order by grp desc").map((r) => r[0])).toEqual([null, "b", "a", "a"]);
    expect(rows("select id, (select label from q2 where q2.id = q1.id) as l from q1 where exists (select 1 from q2 where q2.id = q1.id) order by id")).toEqual([
      [1, "one"],
      [3, "three"],
    ]);
    expect(rows("with big as (select id from q1 where id > ?) select count(*) from big", [1])).toEqual([[3]]);
    expect(rows("select id from q1 where id in (select id from q2) union all select 10 order by 1 limit 2 offset 1")).toEqual([[3], [10]]);
    expect(rows("select id from q1 minus select id from q2 order by 1")).toEqual([[2], [4]]);
  });
});

describe("VARIANT", () => {
  beforeAll(() => {
    run("create table docs (id int, value variant, status string)");
    run(
      `insert into docs (id, value, status) select 1, parse_json(?), 'column-status'`,
      [JSON.stringify({ status: "new", a: { b: 5 }, Quoted: "q", items: [10, { b: "deep" }], n: "42", flag: true })],
    );
    run(`insert into docs (id, value) select 2, parse_json('[7, 8]')`);
  });

  it("SELECT VALUE:status returns the nested value, not a column called STATUS (the DuckDB alias hazard)", () => {
    const result = run("SELECT VALUE:status FROM DOCS WHERE ID = 1");
    expect(result.columns).toEqual([{ name: "VALUE:STATUS", type: "VARIANT", nullable: true }]);
    expect(result.rows).toEqual([["new"]]);
  });

  it("follows Snowflake paths; a missing path is NULL", () => {
    expect(rows(`select value:a.b, value:"Quoted", value:items[1].b, value:items[0], value:missing, value:a.missing.deeper from docs where id = 1`)).toEqual([
      [5, "q", "deep", 10, null, null],
    ]);
    expect(rows("select value[0], value[5], value:status from docs where id = 2")).toEqual([[7, null, null]]);
    expect(rows("select get(value, 'a'), get_path(value, 'items[1].b') from docs where id = 1")).toEqual([[{ b: 5 }, "deep"]]);
  });

  it("casts like Snowflake: VARIANT strings become unquoted text", () => {
    const result = run(
      "select value:status::string as s, value:status::varchar as v, cast(value:status as varchar) as c, value:status as raw, value:n::number as n, value:flag::boolean as f, value:a::variant as o, try_cast(status as number) as t from docs where id = 1",
    );
    expect(result.rows).toEqual([["new", "new", "new", "new", 42, true, { b: 5 }, null]]);
    expect(result.columns.map((c) => c.type)).toEqual(["TEXT", "TEXT", "TEXT", "VARIANT", "FIXED", "BOOLEAN", "VARIANT", "FIXED"]);
    expect(rows("select to_json(value:a), typeof(value:items), array_size(value:items), array_size(value:a) from docs where id = 1")).toEqual([
      ['{"b":5}', "ARRAY", 2, null],
    ]);
  });

  it("compares a cast path with a bind or literal as Snowflake does", () => {
    expect(rows("select id from docs where value:status::string = ?", ["new"])).toEqual([[1]]);
    expect(rows("select id from docs where value:status = 'new'")).toEqual([[1]]);
    expect(rows("select id from docs where value:a.b = 5")).toEqual([[1]]);
  });

  it("stores a string bound into a VARIANT column as a JSON string, as Snowflake does", () => {
    run("create table vstore (v variant, s string)");
    run("insert into vstore (v, s) values (?, ?)", ['{"a":1}', "x"]);
    run("insert into vstore (v, s) select parse_json(?), parse_json(?):k", ['{"a":1}', '{"k":"text"}']);
    expect(rows("select v, s from vstore")).toEqual([
      ['{"a":1}', "x"],
      [{ a: 1 }, "text"],
    ]);
  });

  it("drops NULL values in OBJECT_CONSTRUCT and keeps them in OBJECT_CONSTRUCT_KEEP_NULL", () => {
    const result = run("select object_construct('a', 1, 'b', null, 'c', parse_json('null'), 'd', 'x') as o, object_construct_keep_null('a', 1, 'b', null) as k, object_construct() as e");
    expect(result.rows).toEqual([[{ a: 1, c: null, d: "x" }, { a: 1, b: null }, {}]]);
    expect(result.columns.map((c) => c.type)).toEqual(["OBJECT", "OBJECT", "OBJECT"]);
  });

  it("aggregates with ARRAY_AGG, which gives [] over zero rows and skips NULLs", () => {
    const empty = run("select array_agg(id) as ids from docs where id > 100");
    expect(empty.columns).toEqual([{ name: "IDS", type: "ARRAY", nullable: true }]);
    expect(empty.rows).toEqual([[[]]]);
    expect(rows("select array_agg(status) from docs")).toEqual([[["column-status"]]]);
    expect(rows("select array_agg(id) within group (order by id desc) from docs")).toEqual([[[2, 1]]]);
    expect(rows("select array_construct(1, 'two', parse_json('{\"x\":3}'))")).toEqual([[[1, "two", { x: 3 }]]]);
  });
});

describe("DML", () => {
  it("returns Snowflake's DML result rows", () => {
    run("create table dml_t (id int, name string)");
    const inserted = run("insert into dml_t (id, name) values (1, 'a'), (2, 'b'), (?, ?)", [3, "c"]);
    expect(inserted).toEqual({
      columns: [{ name: "number of rows inserted", type: "FIXED", nullable: false, precision: 38, scale: 0 }],
      rows: [[3]],
      rowsAffected: 3,
    });
    const updated = run("update dml_t set name = upper(name) where id >= ?", [2]);
    expect(updated.columns.map((c) => c.name)).toEqual(["number of rows updated", "number of multi-joined rows updated"]);
    expect(updated.rows).toEqual([[2, 0]]);
    expect(updated.rowsAffected).toBe(2);
    const deleted = run("delete from dml_t where id = 1");
    expect(deleted.columns.map((c) => c.name)).toEqual(["number of rows deleted"]);
    expect([deleted.rows, deleted.rowsAffected]).toEqual([[[1]], 1]);
    expect(run("truncate table dml_t").rows).toEqual([["Statement executed successfully."]]);
    expect(rows("select count(*) from dml_t")).toEqual([[0]]);
  });

  it("UPDATE with VALUE:status::STRING = ? is a compare-and-set: 1 row, then 0", () => {
    run("create table jobs (id int, value variant)");
    run(`insert into jobs (id, value) select 1, parse_json('{"status":"pending"}')`);
    const cas = "update jobs set value = object_construct('status', ?) where id = ? and value:status::string = ?";
    expect(run(cas, ["running", 1, "pending"]).rowsAffected).toBe(1);
    expect(run(cas, ["running", 1, "pending"]).rowsAffected).toBe(0);
    expect(rows("select value:status::string from jobs")).toEqual([["running"]]);
  });

  it("MERGE inserts, then updates, with binds in the source", () => {
    run("create table kv (k string, v variant, hits int)");
    const upsert =
      "merge into kv t using (select ? as k, parse_json(?) as v) s on t.k = s.k " +
      "when matched then update set v = s.v, hits = t.hits + 1 " +
      "when not matched then insert (k, v, hits) values (s.k, s.v, 1)";
    const first = run(upsert, ["a", '{"n":1}']);
    expect(first.columns.map((c) => c.name)).toEqual(["number of rows inserted", "number of rows updated"]);
    expect([first.rows, first.rowsAffected]).toEqual([[[1, 0]], 1]);
    const second = run(upsert, ["a", '{"n":2}']);
    expect([second.rows, second.rowsAffected]).toEqual([[[0, 1]], 1]);
    expect(rows("select k, v, hits from kv")).toEqual([["a", { n: 2 }, 2]]);
    const del = run("merge into kv t using (select 'a' as k) s on t.k = s.k when matched then delete");
    expect(del.columns.map((c) => c.name)).toEqual(["number of rows deleted"]);
    expect(del.rows).toEqual([[1]]);
  });

  it("MERGE refuses to update one target row from two source rows (100090)", () => {
    run("create table mt (k string, v int)");
    run("insert into mt values ('a', 0)");
    const error = failure("merge into mt t using (select 'a' as k, 1 as v union all select 'a', 2) s on t.k = s.k when matched then update set v = s.v");
    expect(error.code).toBe("100090");
    expect(rows("select v from mt")).toEqual([[0]]);
  });

  it("refuses PARSE_JSON(...) in INSERT ... VALUES like Snowflake, and accepts INSERT ... SELECT PARSE_JSON(?)", () => {
    run("create table pj (v variant)");
    const error = failure("insert into pj (v) values (PARSE_JSON(?))", ['{"a":1}']);
    expect([error.code, error.sqlState]).toEqual(["002014", "22000"]);
    expect(error.message).toBe("SQL compilation error:\nInvalid expression [PARSE_JSON(?)] in VALUES clause");
    expect(run("insert into pj (v) select PARSE_JSON(?)", ['{"a":1}']).rowsAffected).toBe(1);
    expect(rows("select v:a from pj")).toEqual([[1]]);
  });

  it("applies NOT NULL and DEFAULT", () => {
    run("create table defs (id int not null, status string default 'new', at timestamp_ntz default sysdate())");
    run("insert into defs (id) values (1)");
    const [[status, at]] = rows("select status, at from defs");
    expect(status).toBe("new");
    expect(at).toBeInstanceOf(Date);
    const error = failure("insert into defs (id) values (null)");
    expect([error.code, error.sqlState]).toEqual(["100072", "22000"]);
    expect(error.message).toContain("NOT NULL constraint failed");
  });

  it("stores an injection-style bind verbatim and drops nothing", () => {
    run("create table victim (s string)");
    const evil = "'; DROP TABLE VICTIM; --";
    run("insert into victim (s) values (?)", [evil]);
    expect(rows("select s from victim where s = ?", [evil])).toEqual([[evil]]);
    expect(rows("select count(*) from victim")).toEqual([[1]]);
    expect(store.listRelations("APP", "CORE").some((r) => r.name === "VICTIM")).toBe(true);
  });

  it("binds Dates as timestamps, and refuses undefined", () => {
    run("create table when_t (at timestamp_ntz)");
    const at = new Date("2023-05-06T07:08:09.010Z");
    run("insert into when_t (at) values (?)", [at]);
    expect(rows("select at from when_t where at = ?", [at])).toEqual([[at]]);
    expect(failure("select ?", [undefined as unknown as BindValue]).code).toBe("002049");
  });
});

describe("hooks and nesting", () => {
  it("evaluates SYSTEM$ functions through the hook with a bind argument", () => {
    hookCalls.length = 0;
    const result = run("select SYSTEM$HOLD_PRIVILEGE_ON_ACCOUNT(?) as can_execute", ["EXECUTE TASK"]);
    expect(result.columns).toEqual([{ name: "CAN_EXECUTE", type: "BOOLEAN", nullable: true }]);
    expect(result.rows).toEqual([[true]]);
    expect(hookCalls).toEqual([{ name: "SYSTEM$HOLD_PRIVILEGE_ON_ACCOUNT", args: ["EXECUTE TASK"] }]);
    expect(rows("select SYSTEM$HOLD_PRIVILEGE_ON_ACCOUNT('CREATE DATABASE')")).toEqual([[false]]);
    expect(failure("select SYSTEM$NOT_A_THING()")).toBeInstanceOf(UnsupportedError);
  });

  it("runs statements from inside a loop over results, and from inside a hook", () => {
    run("create table nest_src (id int)");
    run("create table nest_dst (id int, doubled int)");
    run("insert into nest_src values (1), (2), (3)");
    for (const [id] of run("select id from nest_src order by id").rows) {
      const [[count]] = rows("select count(*) from nest_dst");
      run("insert into nest_dst (id, doubled) values (?, ?)", [id as number, (id as number) * 2 + (count as number) * 0]);
    }
    expect(rows("select id, doubled from nest_dst order by id")).toEqual([
      [1, 2],
      [2, 4],
      [3, 6],
    ]);
    expect(rows("select SYSTEM$COUNT_ROWS('nest_dst') as n")).toEqual([[3]]);
  });
});

describe("transactions", () => {
  it("rolls back and commits", () => {
    run("create table tx (id int)");
    run("begin");
    expect(store.inTransaction).toBe(true);
    run("insert into tx values (1)");
    expect(run("rollback").rows).toEqual([["Statement executed successfully."]]);
    expect(rows("select count(*) from tx")).toEqual([[0]]);
    run("begin transaction");
    run("insert into tx values (2)");
    run("commit");
    expect(rows("select id from tx")).toEqual([[2]]);
  });

  it("keeps a transaction after a compile error, and refuses to COMMIT one DuckDB aborted at run time", () => {
    run("create table tx_fail (id int)");
    run("begin");
    run("insert into tx_fail values (1)");
    expect(failure("select * from not_there").code).toBe("002003");
    run("commit");
    expect(rows("select id from tx_fail")).toEqual([[1]]);

    run("begin");
    run("insert into tx_fail values (2)");
    expect(failure("insert into tx_fail values ('not a number')").code).toBe("100038");
    expect(failure("insert into tx_fail values (3)")).toBeInstanceOf(UnsupportedError);
    const commit = failure("commit");
    expect(commit).toBeInstanceOf(UnsupportedError);
    expect(commit.message).toContain("transaction");
    expect(store.inTransaction).toBe(false);
    expect(rows("select id from tx_fail")).toEqual([[1]]);
  });

  it("commits an open transaction before DDL, as Snowflake does", () => {
    run("begin");
    run("insert into tx values (3)");
    run("create table tx_other (id int)");
    expect(store.inTransaction).toBe(false);
    run("rollback");
    expect(rows("select id from tx order by id")).toEqual([[2], [3]]);
  });
});

describe("run-time errors carry Snowflake codes and DuckDB's text", () => {
  beforeAll(() => {
    run("create table errs (n number, s varchar(3))");
  });
  it.each([
    ["insert into errs (n) values ('abc')", "100038", "22018"],
    ["select 1 / 0", "100051", "22012"],
    ["insert into errs (s) values ('toolong')", "100078", "22000"],
    ["select parse_json('{bad')", "100069", "22P02"],
    ["select nope from errs", "000904", "42000"],
    ["select 'nope'::date", "100040", "22007"],
    ["select 'nope'::timestamp_ntz", "100035", "22007"],
    ["select mod(sysdate(), 2)", "001044", "42P13"],
  ])("%s → %s", (sql, code, state) => {
    const error = failure(sql);
    expect([error.code, error.sqlState]).toEqual([code, state]);
    expect(error.message).toContain("DuckDB");
  });

  it("reports syntax errors with position and refuses unsupported features", () => {
    const error = failure("select * frm errs");
    expect([error.code, error.sqlState]).toEqual(["001003", "42000"]);
    expect(error.message).toMatch(/line 1 at position/);
    expect(failure("select regexp_replace(s, 'a', 'b') from errs")).toBeInstanceOf(UnsupportedError);
    expect(failure("select row_number() over (order by n) from errs").message).toContain("window function ROW_NUMBER");
  });
});

describe("handles()", () => {
  it.each([
    ["SELECT 1", true],
    ["  -- comment\n select * from t", true],
    ["(select 1)", true],
    ["WITH x AS (SELECT 1) SELECT * FROM x", true],
    ["insert into t values (1)", true],
    ["UPDATE t SET a = 1", true],
    ["delete from t", true],
    ["merge into t using s on t.a = s.a when matched then delete", true],
    ["create or replace table t (a int)", true],
    ["CREATE TABLE IF NOT EXISTS t (a int)", true],
    ["create or replace secure view v as select 1", true],
    ["drop table if exists t", true],
    ["drop view v", true],
    ["truncate table t", true],
    ["begin", true],
    ["BEGIN TRANSACTION;", true],
    ["start transaction", true],
    ["commit", true],
    ["rollback", true],
    ["BEGIN\n  LET x := 1;\n  RETURN x;\nEND", false],
    ["select * from information_schema.tables", false],
    ["select * from table(result_scan(last_query_id()))", false],
    ["show tables", false],
    ["create schema s", false],
    ["create application role r", false],
    ["grant select on table t to role r", false],
    ["call p()", false],
    ["drop schema s", false],
    ["use schema s", false],
  ])("%s → %s", (sql, expected) => {
    expect(store.handles(sql)).toBe(expected);
  });
});
