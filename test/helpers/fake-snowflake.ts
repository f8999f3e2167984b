/**
 * A fake Snowflake for running rendered procedure bodies in node:vm without the sandbox: it
 * answers the lifecycle's statements by the tag each is issued with (lifecycle/snowflake-api.ts,
 * a `floe.statement` trace event), not by their SQL text, which only lifecycle/sql-ports.ts
 * knows; the few statements the tests' hooks write themselves are matched as written. State is
 * kept in plain objects, and `CALL` runs the called procedure's rendered body. Anything else is
 * an error. The statements' text is checked where it runs for real: in the sandbox.
 */
import { STATEMENT_EVENT, type StatementTag } from "../../lifecycle/snowflake-api";
import { runJavaScriptProcedure, type StatementExecutor, type TraceEvent } from "../../sandbox/javascript";
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

  execute(sqlText: string, binds: readonly BindValue[], events: readonly TraceEvent[] = []): QueryResult {
    this.statements.push({ depth: this.depth, sql: sqlText });
    const tag = events.find((e) => e.name === STATEMENT_EVENT)?.attributes as StatementTag | undefined;
    switch (tag?.step) {
      case "read": {
        // The columns the SQL ports read: PRIVILEGE_<i> in the order asked, then STATUS.
        const privileges = tag.privileges === "" ? [] : tag.privileges.split(", ");
        const columns = [
          ...privileges.map((_, i) => ({ name: `PRIVILEGE_${i}`, type: "BOOLEAN" as const, nullable: false })),
          { name: "STATUS", type: "VARIANT" as const, nullable: true },
        ];
        return { columns, rows: [[...privileges.map((p) => this.privileges.has(p)), this.status ?? null]] };
      }
      case "status read":
        return { columns: [{ name: "VALUE", type: "VARIANT", nullable: true }], rows: this.status === undefined ? [] : [[this.status]] };
      case "status write": {
        const current = this.status as Record<string, unknown> | undefined;
        const text = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
        const matches = current !== undefined && text(current.status) === tag.expectedStatus && text(current.configurationStatus) === tag.expectedConfigurationStatus;
        if (matches) this.status = { ...current, status: tag.status, ...(tag.configurationStatus === undefined ? {} : { configurationStatus: tag.configurationStatus }) };
        return { columns: [{ name: "number of rows updated", type: "FIXED", nullable: false }], rows: [[matches ? 1 : 0]], rowsAffected: matches ? 1 : 0 };
      }
      case "config save":
        this.config.set(tag.key, JSON.parse(String(binds[1])));
        return { columns: [{ name: "number of rows inserted", type: "FIXED", nullable: false }], rows: [[1]], rowsAffected: 1 };
      case "call":
      case undefined:
        break;
      default:
        throw new Error(`the fake Snowflake of the tests does not model the lifecycle step ${JSON.stringify(tag)}`);
    }
    const merge = /^MERGE INTO STATE\.APP_STATE AS T USING \(SELECT \? AS KEY, PARSE_JSON\(\?\) AS VALUE\) AS S ON T\.KEY = S\.KEY /.exec(sqlText);
    if (merge !== null) {
      this.state.set(String(binds[0]), JSON.parse(String(binds[1])));
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
