/**
 * The sandbox's statement executor: reads a statement (sql/statements.ts), sends a catalog
 * statement to its handler (handlers/) and anything else to the table store, and runs
 * procedure calls — Snowflake Scripting here, JavaScript on the worker threads of the
 * procedure host, one statement of a body at a time, each recorded in the call history.
 */
import { SqlReadError } from "../errors";
import { splitStatements, SqlLexError, type Token } from "../sql/lexer";
import { readStatement, type CatalogStatement, type Name } from "../sql/statements";
import type { AccessControl } from "./access";
import type { Catalog } from "./catalog";
import type { Faults } from "./faults";
import { findProcedure } from "./handlers/scope";
import { isPendingCall, returnType, runCatalogStatement, type Env, type PendingCall, type StatementOutcome } from "./handlers";
import type { CallHistory } from "./history";
import { decodeRequest, encodeArguments, encodeFailure, encodeReply, outcomeValue, type Invocation, type Outcome, type TraceEvent } from "./javascript";
import type { SandboxFolder } from "./paths";
import { runScriptingProcedure } from "./scripting";
import { statementText, type CallRecord, type Context } from "./session";
import { checkSandboxSupport } from "./statement-support";
import type { TableStore } from "./tables";
import { SnowflakeError, syntaxError, UnsupportedError, type BindValue, type QueryResult } from "./types";
import type { Frame, FrameStep, ProcedureHost } from "./vm-host";

function firstWords(sql: string, count = 3): string {
  return sql.trim().split(/\s+/).slice(0, count).join(" ").toUpperCase();
}

export class Executor implements Env {
  constructor(
    readonly catalog: Catalog,
    readonly access: AccessControl,
    readonly tables: TableStore,
    readonly folder: SandboxFolder,
    private readonly faults: Faults,
    private readonly procedures: ProcedureHost,
    private readonly history: CallHistory,
    private readonly procedureTimeoutMs: number,
  ) {}

  /** Runs a called procedure from a session: in a worker, with one time limit for it and its calls. */
  async startCall(pending: PendingCall): Promise<QueryResult> {
    const outcome = await this.procedures.run(pending.invocation, this.frameOf(pending.context), this.procedureTimeoutMs);
    return this.finishCall(pending, outcome);
  }

  /** The statements of a running procedure, as its worker sends them. */
  private frameOf(ctx: Context): Frame {
    return { statement: (request) => this.frameStatement(ctx, request) };
  }

  private frameStatement(ctx: Context, request: string): FrameStep | Promise<FrameStep> {
    let sql: string;
    let binds: BindValue[];
    let events: TraceEvent[];
    try {
      ({ sql, binds, events } = decodeRequest(request));
    } catch (error) {
      return { kind: "reply", text: encodeFailure(error) };
    }
    const text = statementText(sql);
    ctx.log?.push({ sql: text, binds: [...binds], ...(events.length === 0 ? {} : { events }) });
    const step = (): FrameStep => {
      try {
        const outcome = this.run(ctx, text, binds);
        if ("kind" in outcome && outcome.kind === "upload") throw new UnsupportedError("PUT inside a procedure");
        if (isPendingCall(outcome)) {
          return { kind: "call", invocation: outcome.invocation, frame: this.frameOf(outcome.context), finish: (done) => this.finishNested(outcome, done) };
        }
        return { kind: "reply", text: encodeReply(outcome as QueryResult) };
      } catch (error) {
        return { kind: "reply", text: encodeFailure(error) };
      }
    };
    let held: void | Promise<void>;
    try {
      held = this.faults.beforeStatement({ text, depth: ctx.depth, ...(ctx.procedure === undefined ? {} : { procedure: ctx.procedure }) });
    } catch (error) {
      return { kind: "reply", text: encodeFailure(error) };
    }
    return held instanceof Promise ? held.then(step, (error: unknown) => ({ kind: "reply", text: encodeFailure(error) })) : step();
  }

  private finishNested(pending: PendingCall, outcome: Outcome): string {
    try {
      return encodeReply(this.finishCall(pending, outcome));
    } catch (error) {
      return encodeFailure(error);
    }
  }

  /** Records a call's answer and turns it into the CALL's result, or its error. */
  private finishCall(pending: PendingCall, outcome: Outcome): QueryResult {
    let answer: unknown;
    try {
      answer = outcomeValue(outcome);
    } catch (e) {
      pending.record.error = e instanceof Error ? e.message : String(e);
      throw e;
    }
    pending.record.answer = answer;
    const type = returnType(pending.procedure.returns);
    return { columns: [{ name: pending.procedure.name, type, nullable: true }], rows: [[answer]] };
  }

  run(ctx: Context, text: string, binds: readonly BindValue[]): StatementOutcome {
    let tokens: Token[];
    try {
      const parts = splitStatements(text);
      if (parts.length !== 1) {
        if (parts.length === 0) throw syntaxError("Empty SQL statement.");
        throw new UnsupportedError("several statements in one request (send them one at a time)");
      }
      tokens = [...parts[0].tokens];
    } catch (e) {
      if (e instanceof SqlLexError) throw syntaxError(`${e.message} at position ${e.offset}`);
      throw e;
    }
    let statement: CatalogStatement | null;
    try {
      statement = readStatement(text, tokens);
    } catch (e) {
      if (e instanceof SqlReadError) throw syntaxError(e.message);
      throw e;
    }
    if (statement !== null) {
      checkSandboxSupport(statement, { inSetupScript: ctx.setup !== undefined });
      return runCatalogStatement(this, ctx, statement, binds);
    }
    if (this.tables.handles(text)) {
      return this.tables.execute(text, binds, { database: ctx.database ?? "", ...(ctx.schema === undefined ? {} : { schema: ctx.schema }) }, {
        systemFunction: (name, args) => this.systemFunction(ctx, name, args),
        authorize: (accesses) => {
          for (const a of accesses) if (a.name !== undefined) this.faults.atRelation(a.schema, a.name);
          this.access.checkRelations(ctx, accesses);
        },
      });
    }
    throw new UnsupportedError(`the statement ${firstWords(text)} ...`);
  }

  private systemFunction(ctx: Context, name: string, args: readonly unknown[]): unknown {
    this.faults.atFunction(name);
    switch (name) {
      case "SYSTEM$HOLD_PRIVILEGE_ON_ACCOUNT": {
        const app = ctx.application?.application;
        if (app === undefined) throw new SnowflakeError("002140", "42601", "SQL compilation error:\nSYSTEM$HOLD_PRIVILEGE_ON_ACCOUNT can only be called from inside an application.");
        return app.accountPrivileges.has(String(args[0]).toUpperCase());
      }
      case "CURRENT_ROLE":
        return ctx.application !== undefined ? ctx.application.name : (ctx.session?.role ?? null);
      case "CURRENT_USER":
        return ctx.session?.user ?? null;
      case "CURRENT_WAREHOUSE":
        return ctx.session?.warehouse ?? null;
      case "CURRENT_ACCOUNT":
      case "CURRENT_ACCOUNT_NAME":
        return "SANDBOX";
      case "IS_APPLICATION_ROLE_IN_SESSION": {
        // Asked inside an application: does the calling session hold this role of it (its
        // owner holds them all; other roles hold what was granted to them)?
        const app = ctx.application;
        if (app === undefined) throw new SnowflakeError("002140", "42601", "SQL compilation error:\nIS_APPLICATION_ROLE_IN_SESSION can only be called from inside an application.");
        return this.access.applicationRolesOf({ ...(ctx.session === undefined ? {} : { session: ctx.session }) }, app).has(String(args[0]).toUpperCase());
      }
      default:
        throw new UnsupportedError(`the function ${name}`);
    }
  }

  call(ctx: Context, name: Name, argTexts: readonly string[], binds: readonly BindValue[]): PendingCall | QueryResult {
    const { db, schema, procedure } = findProcedure(this, ctx, name, argTexts.length);
    // From outside an application, only procedures granted to an application role the
    // caller holds can be called (the application's owner holds all of its roles).
    this.access.checkCall(ctx, db, schema.name, procedure);
    let values: unknown[] = [];
    if (argTexts.length > 0) {
      // Arguments are expressions: the table engine evaluates them, binds included.
      const select = "SELECT " + argTexts.map((a, i) => `${a} AS A${i}`).join(", ");
      const result = this.tables.execute(select, binds, { database: ctx.database ?? db.name, ...(ctx.schema === undefined ? {} : { schema: ctx.schema }) }, {
        systemFunction: (n, a) => this.systemFunction(ctx, n, a),
      });
      values = [...result.rows[0]];
    }
    const qualified = `${schema.name}.${procedure.name}`;
    const record: CallRecord = { procedure: qualified, depth: ctx.depth + 1, statements: [] };
    this.history.add(record);
    const context: Context = {
      ...(ctx.session === undefined ? {} : { session: ctx.session }),
      database: db.name,
      schema: schema.name,
      ...(db.kind === "APPLICATION" ? { application: db } : {}),
      depth: ctx.depth + 1,
      log: record.statements,
      procedure: qualified,
    };
    if (procedure.language === "SQL") {
      // Snowflake Scripting is interpreted by floe's own code (it has no loops), here.
      const args = procedure.args.map((a, i) => ({ name: a.name, type: a.type, value: values[i] ?? null }));
      let answer: unknown;
      try {
        answer = runScriptingProcedure(procedure.body, args, { execute: (sqlText, innerBinds) => this.runForScripting(context, sqlText, innerBinds) });
      } catch (e) {
        record.error = e instanceof Error ? e.message : String(e);
        throw e;
      }
      record.answer = answer;
      return { columns: [{ name: procedure.name, type: returnType(procedure.returns), nullable: true }], rows: [[answer]] };
    }
    // A setup script runs inside CREATE APPLICATION, one statement after another, with no
    // thread to hand a JavaScript procedure to; floe's own setup never calls one.
    if (ctx.setup !== undefined) throw new UnsupportedError("CALL of a JavaScript procedure inside an application's setup script");
    const invocation: Invocation = {
      procedure: qualified,
      body: procedure.body,
      args: encodeArguments(procedure.args.map((a, i) => ({ name: a.name, value: values[i] ?? null }))),
    };
    return { kind: "call", invocation, context, record, procedure };
  }

  /**
   * One statement of Snowflake Scripting (a LANGUAGE SQL procedure or an anonymous block),
   * which runs synchronously on this thread: it cannot wait for a JavaScript procedure, which
   * runs on a worker thread, nor for a held fault.
   */
  runForScripting(ctx: Context, sqlText: string, binds: readonly BindValue[]): QueryResult {
    const text = statementText(sqlText);
    ctx.log?.push({ sql: text, binds: [...binds] });
    const held = this.faults.beforeStatement({ text, depth: ctx.depth, ...(ctx.procedure === undefined ? {} : { procedure: ctx.procedure }) });
    if (held instanceof Promise) throw new UnsupportedError("holding a statement of Snowflake Scripting (a fault with `before` returning a promise)");
    const outcome = this.run(ctx, text, binds);
    if (isPendingCall(outcome)) {
      throw new UnsupportedError(`a CALL of the JavaScript procedure ${outcome.record.procedure} from Snowflake Scripting (JavaScript procedures run on worker threads)`);
    }
    if ("kind" in outcome) throw new UnsupportedError("PUT inside a procedure");
    return outcome;
  }
}
