/**
 * A fake Snowflake for running rendered procedure bodies in node:vm without the sandbox: it
 * knows exactly the statements floe's lifecycle code issues (and a few a test hook uses), keeps
 * the state in plain objects, and runs `CALL` by running the called procedure's rendered body.
 * Anything else is an error, so a changed statement shows up as a failing test.
 */
import { runJavaScriptProcedure, type StatementExecutor } from "../../sandbox/javascript";
import { SnowflakeError, type BindValue, type QueryResult } from "../../sandbox/types";
import { readStatement } from "../../sql/statements";

export interface FakeProcedure {
  readonly args: readonly string[];
  readonly body: string;
}

const text = (name: string, value: unknown) => ({ columns: [{ name, type: "TEXT" as const, nullable: true }], rows: [[value]] });

export class FakeSnowflake implements StatementExecutor {
  status: unknown = { status: "CONFIGURING", configurationStatus: "INSTALLED" };
  readonly privileges = new Set<string>();
  readonly config = new Map<string, unknown>();
  readonly state = new Map<string, unknown>();
  readonly procedures = new Map<string, FakeProcedure>();
  /** Every statement run, with the depth of procedure calls it ran in (1 = the called procedure). */
  readonly statements: { depth: number; sql: string }[] = [];
  private depth = 0;

  constructor(procedures: Iterable<[string, FakeProcedure]> = []) {
    for (const [name, procedure] of procedures) this.procedures.set(name, procedure);
  }

  call(procedure: string, args: readonly unknown[] = []): unknown {
    const found = this.procedures.get(procedure);
    if (found === undefined) throw new SnowflakeError("002140", "42601", `SQL compilation error:\nUnknown function ${procedure}`);
    this.depth++;
    try {
      return runJavaScriptProcedure(procedure, found.body, found.args.map((name, i) => ({ name, value: args[i] ?? null })), this);
    } finally {
      this.depth--;
    }
  }

  execute(sqlText: string, binds: readonly BindValue[]): QueryResult {
    this.statements.push({ depth: this.depth, sql: sqlText });
    const gate = /^SELECT ((?:SYSTEM\$HOLD_PRIVILEGE_ON_ACCOUNT\('[^']*'\) AS PRIVILEGE_\d+, )*)\(SELECT VALUE FROM STATE\.APP_STATE WHERE KEY = \? LIMIT 1\) AS STATUS$/.exec(sqlText);
    if (gate !== null) {
      const privileges = [...gate[1].matchAll(/SYSTEM\$HOLD_PRIVILEGE_ON_ACCOUNT\('([^']*)'\)/g)].map((m) => m[1]);
      const columns = [
        ...privileges.map((_, i) => ({ name: `PRIVILEGE_${i}`, type: "BOOLEAN" as const, nullable: false })),
        { name: "STATUS", type: "VARIANT" as const, nullable: true },
      ];
      const row = [...privileges.map((p) => this.privileges.has(p)), binds[0] === "connector_status" ? (this.status ?? null) : null];
      return { columns, rows: [row] };
    }
    if (sqlText === "SELECT VALUE FROM STATE.APP_STATE WHERE KEY = ? LIMIT 1") {
      return { columns: [{ name: "VALUE", type: "VARIANT", nullable: true }], rows: this.status === undefined ? [] : [[this.status]] };
    }
    const write = /^UPDATE STATE\.APP_STATE SET VALUE = (OBJECT_INSERT\()?OBJECT_INSERT\(VALUE, 'status', \?, TRUE\)(?:, 'configurationStatus', \?, TRUE\))?, UPDATED_AT = SYSDATE\(\) WHERE KEY = \? AND \(VALUE:status::STRING IS NOT DISTINCT FROM \?\) AND \(VALUE:configurationStatus::STRING IS NOT DISTINCT FROM \?\)$/.exec(sqlText);
    if (write !== null) {
      const both = write[1] !== undefined;
      const [status, configurationStatus] = both ? binds.slice(0, 2) : [binds[0], undefined];
      const [key, expectedStatus, expectedConfiguration] = binds.slice(both ? 2 : 1);
      const current = this.status as Record<string, unknown> | undefined;
      const text = (v: unknown) => (v === undefined || v === null ? null : String(v));
      const matches = key === "connector_status" && current !== undefined && text(current.status) === expectedStatus && text(current.configurationStatus) === expectedConfiguration;
      if (matches) this.status = { ...current, status, ...(both ? { configurationStatus } : {}) };
      return { columns: [{ name: "number of rows updated", type: "FIXED", nullable: false }], rows: [[matches ? 1 : 0]], rowsAffected: matches ? 1 : 0 };
    }
    const merge = /^MERGE INTO STATE\.(APP_CONFIG|APP_STATE) AS T USING \(SELECT \? AS KEY, PARSE_JSON\(\?\) AS VALUE\) AS S ON T\.KEY = S\.KEY /.exec(sqlText);
    if (merge !== null) {
      (merge[1] === "APP_CONFIG" ? this.config : this.state).set(String(binds[0]), JSON.parse(String(binds[1])));
      return { columns: [{ name: "number of rows inserted", type: "FIXED", nullable: false }], rows: [[1]], rowsAffected: 1 };
    }
    if (sqlText === "SELECT KEY FROM STATE.APP_CONFIG") {
      return { columns: [{ name: "KEY", type: "TEXT", nullable: false }], rows: [...this.config.keys()].map((k) => [k]) };
    }
    if (sqlText === "SELECT 1 AS ONE") return text("ONE", 1);
    const statement = readStatement(sqlText);
    if (statement?.kind === "call") {
      const name = statement.name.join(".");
      let bind = 0;
      const args = statement.args.map((arg) => {
        if (arg === "?") return binds[bind++];
        if (arg === "PARSE_JSON(?)") return JSON.parse(String(binds[bind++]));
        throw new Error(`fake Snowflake cannot evaluate the argument ${arg}`);
      });
      const answer = this.call(name, args);
      return { columns: [{ name: statement.name[statement.name.length - 1], type: "VARIANT", nullable: true }], rows: [[answer]] };
    }
    throw new SnowflakeError("002003", "02000", `SQL compilation error:\nthe fake Snowflake of the tests does not know: ${sqlText}`);
  }
}
