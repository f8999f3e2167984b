/**
 * The embedded Snowflake sandbox: a catalog, a table store (DuckDB) and a JavaScript procedure
 * runner behind one statement executor, reachable in-process or through the real snowflake-sdk
 * driver via the protocol server.
 *
 * It installs a rendered Native App the way Snowflake does (package, stage files, version and
 * patch, CREATE APPLICATION running setup.sql with EXECUTE IMMEDIATE FROM) and runs its
 * procedures. It is strict: a statement or feature it does not implement fails with
 * "unsupported by the floe sandbox: ...", never silently succeeds.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SqlReadError } from "../errors";
import { splitStatements, SqlLexError, type Token } from "../sql/lexer";
import { readStatement, type CatalogStatement, type GrantObject, type Name } from "../sql/statements";
import { AccessControl } from "./access";
import { alreadyExists, Catalog, insufficientPrivileges, sameArgumentTypes, type DatabaseEntry, type ObjectGrant, type ProcedureEntry, type SchemaEntry } from "./catalog";
import { Faults } from "./faults";
import { DEFAULT_TIMEOUT_MS, decodeRequest, encodeArguments, encodeFailure, encodeReply, outcomeValue, type Invocation, type Outcome, type TraceEvent } from "./javascript";
import { parseStageLocation, SandboxFolder, stagePathSegments } from "./paths";
import { runAnonymousBlock, runScriptingProcedure } from "./scripting";
import { checkSandboxSupport } from "./statement-support";
import { createStream, showStreams, type StreamHost } from "./streams";
import type { LoginRequest, SessionBackend, UploadRequest } from "./protocol/backend";
import { startProtocolServer, type ProtocolServer } from "./protocol/server";
import { TableStore } from "./tables";
import { ProcedureHost, type Frame, type FrameStep } from "./vm-host";
import { objectNotFound, SnowflakeError, syntaxError, UnsupportedError, type BindValue, type QueryResult, type ResultColumn, type SnowflakeType } from "./types";
import { quoteName } from "../lifecycle/sql-text";

export interface SandboxOptions {
  /** Time limit of one top-level procedure call, nested calls included. Default 10 s. */
  readonly procedureTimeoutMs?: number;
  /** Procedure calls that can run at the same time, each in its own worker thread. Default 4. */
  readonly procedureWorkers?: number;
}

export interface Session {
  readonly id: number;
  readonly user: string;
  role: string;
  database?: string;
  schema?: string;
  warehouse?: string;
}

export interface StatementRecord {
  readonly sql: string;
  readonly binds: readonly BindValue[];
  /** The trace events the procedure added just before this statement (`snowflake.addEvent`); absent when none. */
  readonly events?: readonly TraceEvent[];
}

/** One procedure call and the statements its body issued itself (not those of procedures it called). */
export interface CallRecord {
  readonly procedure: string;
  readonly depth: number;
  readonly statements: StatementRecord[];
  /** What the procedure returned; unset when it failed. */
  answer?: unknown;
  /** The error it failed with. */
  error?: string;
}

/** Where a statement runs: a session, a setup script, or a procedure body. */
interface Context {
  readonly session?: Session;
  database?: string;
  schema?: string;
  /** Set inside an application: its setup script and its procedures. */
  readonly application?: DatabaseEntry;
  /** Set while a setup script runs: the version's files, for EXECUTE IMMEDIATE FROM. */
  readonly setup?: { readonly files: ReadonlyMap<string, string>; readonly directory: string };
  readonly depth: number;
  /** Statements this context issued, when it is a procedure call being recorded. */
  readonly log?: StatementRecord[];
  /** The procedure whose body issues the statements (`SCHEMA.NAME`). */
  readonly procedure?: string;
}

/**
 * A CALL of a JavaScript procedure, ready to run: `run` answers it with this instead of a
 * result, and whoever ran the statement starts it (a session) or hands it to the worker that
 * issued the statement (a procedure calling another).
 */
interface PendingCall {
  readonly kind: "call";
  readonly invocation: Invocation;
  /** Where the procedure's own statements run. */
  readonly context: Context;
  readonly record: CallRecord;
  readonly procedure: ProcedureEntry;
}

type StatementOutcome = QueryResult | UploadRequest | PendingCall;

function isPendingCall(outcome: StatementOutcome): outcome is PendingCall {
  return (outcome as { kind?: unknown }).kind === "call";
}

const status = (text: string): QueryResult => ({ columns: [{ name: "status", type: "TEXT", nullable: false }], rows: [[text]] });

function columns(spec: readonly [string, SnowflakeType][]): ResultColumn[] {
  return spec.map(([name, type]) => ({ name, type, nullable: true }));
}

/** The result type of a procedure's RETURNS clause. */
function returnType(returns: string): SnowflakeType {
  const base = returns.replace(/ NOT NULL$/, "").replace(/\(.*\)$/, "").toUpperCase();
  if (base === "VARIANT") return "VARIANT";
  if (base === "OBJECT") return "OBJECT";
  if (base === "ARRAY") return "ARRAY";
  if (base === "BOOLEAN") return "BOOLEAN";
  if (["NUMBER", "INT", "INTEGER", "BIGINT", "DECIMAL", "NUMERIC"].includes(base)) return "FIXED";
  if (["FLOAT", "DOUBLE", "REAL"].includes(base)) return "REAL";
  if (["STRING", "VARCHAR", "TEXT", "CHAR"].includes(base)) return "TEXT";
  throw new UnsupportedError(`procedures returning ${returns}`);
}

/** Refuses options the sandbox would otherwise ignore. */
function onlyOptions(options: Readonly<Record<string, string>>, known: readonly string[], statement: string): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new UnsupportedError(`the ${statement} option ${key}`);
  }
}

/**
 * The catalog key of an account-level object (database, application, package, role): the
 * name's one part as resolved (quotes removed, case kept). Messages show `quoteName` instead.
 */
function keyOf(name: Name): string {
  if (name.length !== 1) throw syntaxError(`'${quoteName(name)}' names an account-level object: it takes no database or schema`);
  return name[0];
}

/** The table engine keeps each schema as a DuckDB schema, whose names cannot hold NUL. */
function refuseNul(part: string): void {
  if (part.includes("\0")) throw new UnsupportedError(`database and schema names containing the NUL character ('${part.replace(/\0/g, "\\0")}')`);
}

/** A statement as it is run and recorded: trimmed, without its final `;`. */
function statementText(sqlText: string): string {
  return sqlText.trim().replace(/;\s*$/, "");
}

function firstWords(sql: string, count = 3): string {
  return sql.trim().split(/\s+/).slice(0, count).join(" ").toUpperCase();
}

/** Regular files below a stage directory; symbolic links are not followed (nothing the sandbox writes is one). */
function listFiles(directory: string, prefix = ""): string[] {
  if (!fs.existsSync(directory)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    const relative = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...listFiles(path.join(directory, entry.name), relative));
    else if (entry.isFile()) out.push(relative);
  }
  return out.sort();
}

export class Sandbox {
  readonly catalog = new Catalog();
  /** Test-only fault injection (see faults.ts); nothing in SQL reaches it. */
  readonly faults = new Faults();
  private readonly access = new AccessControl(this.catalog);
  /** Every procedure call, in order; tests and `floe simulate` read statement counts here. */
  readonly calls: CallRecord[] = [];
  private readonly folder: SandboxFolder;
  private sessions = 0;
  private servers: ProtocolServer[] = [];
  private readonly procedures: ProcedureHost;

  private constructor(
    readonly tables: TableStore,
    private readonly options: SandboxOptions,
  ) {
    this.folder = new SandboxFolder(fs.mkdtempSync(path.join(os.tmpdir(), "floe-sandbox-")));
    this.procedures = new ProcedureHost({ ...(options.procedureWorkers === undefined ? {} : { workers: options.procedureWorkers }) });
  }

  static async start(options: SandboxOptions = {}): Promise<Sandbox> {
    return new Sandbox(await TableStore.start(), options);
  }

  /** Serves the sandbox to snowflake-sdk on 127.0.0.1 (a random free port unless given). */
  async serve(port = 0): Promise<ProtocolServer> {
    const backend: SessionBackend = {
      login: (request) => this.login(request),
      execute: (session, sqlText, binds) => this.execute(session, sqlText, binds),
      // A session holds nothing that needs freeing.
      close: () => undefined,
    };
    const server = await startProtocolServer(backend, { port });
    this.servers.push(server);
    return server;
  }

  async close(): Promise<void> {
    try {
      for (const server of this.servers.splice(0)) await server.close();
      await this.procedures.close();
      await this.tables.close();
    } finally {
      fs.rmSync(this.folder.root, { recursive: true, force: true });
    }
  }

  // --- SessionBackend ------------------------------------------------------------------------

  login(request: LoginRequest): Session {
    const role = (request.role ?? "ACCOUNTADMIN").toUpperCase();
    if (!this.catalog.roles.has(role)) {
      throw new SnowflakeError(
        "390189",
        "08004",
        `Role '${role}' specified in the connect string does not exist or not authorized. Contact your local system administrator, or attempt to login with another role, e.g. PUBLIC.`,
      );
    }
    const session: Session = { id: ++this.sessions, user: request.user.toUpperCase(), role };
    if (request.database !== undefined) session.database = request.database.toUpperCase();
    if (request.schema !== undefined) session.schema = request.schema.toUpperCase();
    if (request.warehouse !== undefined) session.warehouse = request.warehouse.toUpperCase();
    return session;
  }

  /**
   * Runs one statement of a session. A CALL of a procedure answers with a promise: the body
   * runs in a worker thread, and this thread goes on serving other sessions meanwhile.
   */
  execute(session: unknown, sqlText: string, binds: readonly BindValue[]): QueryResult | UploadRequest | Promise<QueryResult | UploadRequest> {
    const s = session as Session;
    const ctx: Context = { session: s, database: s.database, schema: s.schema, depth: 0 };
    const text = statementText(sqlText);
    const held = this.faults.beforeStatement({ text, depth: 0 });
    const go = () => {
      const outcome = this.run(ctx, text, binds);
      return isPendingCall(outcome) ? this.startCall(outcome) : outcome;
    };
    return held instanceof Promise ? held.then(go) : go();
  }

  /**
   * Runs one statement inside an application, with the application's own rights, as its setup
   * script or its procedures would: a back door for tests that must stage what no consumer can
   * do (e.g. a procedure changed "out of band"). In-process only; nothing in SQL reaches it.
   * A CALL is refused here: procedures run through a session.
   */
  runAsApplication(application: string, sqlText: string, binds: readonly BindValue[] = []): QueryResult {
    const app = this.catalog.application(application);
    const outcome = this.run({ database: app.name, schema: "PUBLIC", application: app, depth: 0 }, statementText(sqlText), binds);
    if (isPendingCall(outcome) || "kind" in outcome) throw new UnsupportedError("CALL or PUT through the application back door");
    return outcome;
  }

  // --- procedures ----------------------------------------------------------------------------

  /** Runs a called procedure from a session: in a worker, with one time limit for it and its calls. */
  private async startCall(pending: PendingCall): Promise<QueryResult> {
    const outcome = await this.procedures.run(pending.invocation, this.frameOf(pending.context), this.options.procedureTimeoutMs ?? DEFAULT_TIMEOUT_MS);
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

  // --- statements --------------------------------------------------------------------------

  private run(ctx: Context, text: string, binds: readonly BindValue[]): StatementOutcome {
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
      return this.catalogStatement(ctx, statement, binds, text);
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

  /** Resolves `[schema, name]` / `[db, schema, name]` / `[name]` against a context. */
  private resolve(ctx: Context, name: Name, what: string): { database: string; schema: string; object: string } {
    if (name.length === 3) return { database: name[0], schema: name[1], object: name[2] };
    const database = ctx.database;
    if (database === undefined || database === "") {
      throw new SnowflakeError("090105", "22000", `Cannot perform ${what}. This session does not have a current database. Call 'USE DATABASE', or use a qualified name.`);
    }
    if (name.length === 2) return { database, schema: name[0], object: name[1] };
    if (ctx.schema === undefined) {
      throw new SnowflakeError("090106", "22000", `Cannot perform ${what}. This session does not have a current schema. Call 'USE SCHEMA', or use a qualified name.`);
    }
    return { database, schema: ctx.schema, object: name[0] };
  }

  private catalogStatement(ctx: Context, s: CatalogStatement, binds: readonly BindValue[], text: string): StatementOutcome {
    switch (s.kind) {
      case "use":
        return this.use(ctx, s.object, s.name);
      case "create_database":
        return this.createDatabase(ctx, s.name, s.orReplace, s.ifNotExists, "DATABASE");
      case "create_application_package":
        onlyOptions(s.options, ["COMMENT", "DISTRIBUTION", "DATA_RETENTION_TIME_IN_DAYS"], "CREATE APPLICATION PACKAGE");
        return this.createDatabase(ctx, s.name, s.orReplace, s.ifNotExists, "APPLICATION PACKAGE");
      case "create_role": {
        onlyOptions(s.options, ["COMMENT"], "CREATE ROLE");
        const role = keyOf(s.name);
        if (this.catalog.roles.has(role) && !s.ifNotExists && !s.orReplace) throw alreadyExists("Role", quoteName(s.name));
        this.catalog.roles.add(role);
        return status(`Role ${quoteName(s.name)} successfully created.`);
      }
      case "create_schema":
        return this.createSchema(ctx, s.name, s.orReplace, s.ifNotExists, s.orAlterVersioned);
      case "create_stage":
        // Encryption and directory tables change nothing a local stage does; anything else would be ignored, so it is refused.
        onlyOptions(s.options, ["COMMENT", "ENCRYPTION", "DIRECTORY"], "CREATE STAGE");
        return this.createStage(ctx, s.name, s.orReplace, s.ifNotExists);
      case "create_application_role":
        return this.createApplicationRole(ctx, keyOf(s.name), s.ifNotExists);
      case "create_procedure":
        return this.createProcedure(ctx, s);
      case "create_task":
        return this.createTask(ctx, s);
      case "alter_task":
        return this.alterTask(ctx, s.name, s.action, s.ifExists);
      case "create_stream":
        return createStream(this.streamHost(ctx), s);
      case "create_sequence": {
        const { db, schema, object } = this.schemaOf(ctx, s.name, "CREATE SEQUENCE");
        this.access.checkSchemaChange(ctx, db, schema.name);
        const options = { orReplace: s.orReplace, ifNotExists: s.ifNotExists, ...(s.start === undefined ? {} : { start: s.start }), ...(s.increment === undefined ? {} : { increment: s.increment }) };
        return status(this.tables.createSequence({ database: db.name, schema: schema.name, name: object }, options));
      }
      case "call":
        return this.call(ctx, s.name, s.args, binds);
      case "execute_immediate_from":
        return this.executeImmediateFrom(ctx, s.path);
      case "put":
        return this.put(ctx, s.localPath, s.stage, s.options);
      case "list":
        return this.list(ctx, s.stage);
      case "remove":
        return this.remove(ctx, s.stage);
      case "alter_application_package":
        return this.alterPackage(ctx, s);
      case "create_application":
        return this.createApplication(ctx, s);
      case "alter_application_upgrade":
        return this.upgradeApplication(ctx, s.name, s.version, s.patch);
      case "grant":
      case "revoke":
        return this.grant(ctx, s);
      case "grant_application_role":
      case "revoke_application_role":
        return this.grantApplicationRole(ctx, s);
      case "drop":
        return this.drop(ctx, s);
      case "show":
        return this.show(ctx, s);
      case "block":
        return {
          columns: [{ name: "anonymous block", type: "VARIANT", nullable: true }],
          rows: [[runAnonymousBlock(s.body, { execute: (sqlText, innerBinds) => this.runForScripting(ctx, sqlText, innerBinds) })]],
        };
      default:
        throw new UnsupportedError(`the statement ${firstWords(text)} ...`);
    }
  }

  private use(ctx: Context, object: string, name: Name): QueryResult {
    if (ctx.depth > 0 || ctx.setup !== undefined) throw new SnowflakeError("090232", "0A000", "USE is not allowed inside a procedure or a setup script.");
    const session = ctx.session;
    if (session === undefined) throw new UnsupportedError("USE without a session");
    if (object === "DATABASE") {
      this.access.checkVisible(ctx, this.catalog.database(keyOf(name)));
      session.database = keyOf(name);
      session.schema = this.catalog.database(session.database).schemas.has("PUBLIC") ? "PUBLIC" : undefined;
    } else if (object === "SCHEMA") {
      const database = name.length === 2 ? name[0] : session.database;
      if (database === undefined) throw new SnowflakeError("090105", "22000", "Cannot use a schema without a current database.");
      const schema = name[name.length - 1];
      this.catalog.schema(database, schema);
      this.access.checkSchemaVisible(ctx, this.catalog.database(database), schema);
      session.database = database;
      session.schema = schema;
    } else if (object === "ROLE") {
      if (!this.catalog.roles.has(keyOf(name))) throw objectNotFound("Role", quoteName(name));
      session.role = keyOf(name);
    } else {
      session.warehouse = keyOf(name);
    }
    return status("Statement executed successfully.");
  }

  private createDatabase(ctx: Context, name: Name, orReplace: boolean, ifNotExists: boolean, kind: "DATABASE" | "APPLICATION PACKAGE"): QueryResult {
    const id = keyOf(name);
    const shown = quoteName(name);
    const existing = this.catalog.databases.get(id);
    const label = kind === "DATABASE" ? "Database" : "Application package";
    if (existing !== undefined) {
      if (ifNotExists) return status(`${shown} already exists, statement succeeded.`);
      if (!orReplace) throw alreadyExists(label, shown);
      if (existing.kind !== kind) throw new SnowflakeError("002043", "42601", `SQL compilation error:\nObject '${shown}' exists but is a ${existing.kind.toLowerCase()}.`);
      this.access.checkOwner(ctx, existing);
      this.dropDatabase(id);
    }
    refuseNul(id);
    const db = this.catalog.addDatabase(id, kind, this.ownerOf(ctx));
    this.addSchema(db, "PUBLIC", false);
    return status(`${label} ${shown} successfully created.`);
  }

  /** The role that owns what a context creates: the session's; an application's objects belong to it. */
  private ownerOf(ctx: Context): string {
    return ctx.application !== undefined ? `APPLICATION ${ctx.application.name}` : (ctx.session?.role ?? "ACCOUNTADMIN");
  }

  private addSchema(db: DatabaseEntry, name: string, versioned: boolean): SchemaEntry {
    refuseNul(name);
    const schema: SchemaEntry = { name, versioned, procedures: new Map(), stages: new Map(), tasks: new Map() };
    db.schemas.set(name, schema);
    this.tables.createSchema(db.name, name);
    return schema;
  }

  private dropDatabase(name: string): void {
    this.catalog.databases.delete(name);
    this.tables.dropDatabase(name);
    this.folder.remove(this.folder.databaseDirectory(name));
    this.catalog.applicationRoleGrants.splice(0, this.catalog.applicationRoleGrants.length, ...this.catalog.applicationRoleGrants.filter((g) => g.application !== name));
  }

  private createSchema(ctx: Context, name: Name, orReplace: boolean, ifNotExists: boolean, orAlterVersioned: boolean): QueryResult {
    const database = name.length === 2 ? name[0] : ctx.database;
    if (database === undefined) throw new SnowflakeError("090105", "22000", "Cannot perform CREATE SCHEMA. This session does not have a current database.");
    const schemaName = name[name.length - 1];
    const db = this.catalog.database(database);
    if (orAlterVersioned) {
      if (ctx.setup === undefined || ctx.application?.name !== db.name) {
        throw new SnowflakeError("003001", "42501", "SQL access control error:\nVersioned schemas can only be created by the setup script of an application.");
      }
      const existing = db.schemas.get(schemaName);
      if (existing === undefined) this.addSchema(db, schemaName, true);
      return status(`Schema ${schemaName} successfully created.`);
    }
    this.access.checkContents(ctx, db);
    const existing = db.schemas.get(schemaName);
    if (existing !== undefined) {
      if (ifNotExists) return status(`${schemaName} already exists, statement succeeded.`);
      if (!orReplace) throw alreadyExists("Schema", quoteName([database, schemaName]));
      this.tables.dropSchema(database, schemaName);
      db.schemas.delete(schemaName);
    }
    this.addSchema(db, schemaName, false);
    return status(`Schema ${schemaName} successfully created.`);
  }

  private schemaOf(ctx: Context, name: Name, what: string): { db: DatabaseEntry; schema: SchemaEntry; object: string } {
    const resolved = this.resolve(ctx, name, what);
    const db = this.catalog.database(resolved.database);
    const schema = this.catalog.schema(resolved.database, resolved.schema);
    return { db, schema, object: resolved.object };
  }

  private createStage(ctx: Context, name: Name, orReplace: boolean, ifNotExists: boolean): QueryResult {
    const { db, schema, object } = this.schemaOf(ctx, name, "CREATE STAGE");
    this.access.checkSchemaChange(ctx, db, schema.name);
    const directory = this.folder.stageDirectory(db.name, schema.name, object);
    if (schema.stages.has(object)) {
      if (ifNotExists) return status(`${object} already exists, statement succeeded.`);
      if (!orReplace) throw alreadyExists("Stage", quoteName([db.name, schema.name, object]));
      this.folder.remove(directory);
    }
    fs.mkdirSync(directory, { recursive: true });
    schema.stages.set(object, { name: object, directory });
    return status(`Stage area ${object} successfully created.`);
  }

  private createApplicationRole(ctx: Context, role: string, ifNotExists: boolean): QueryResult {
    const app = ctx.application?.application;
    if (app === undefined || ctx.setup === undefined) {
      throw new SnowflakeError("003001", "42501", "SQL access control error:\nApplication roles can only be created by the setup script of an application.");
    }
    if (app.roles.has(role) && !ifNotExists) throw alreadyExists("Application role", role);
    app.roles.add(role);
    return status(`Application role ${role} successfully created.`);
  }

  private createProcedure(ctx: Context, s: Extract<CatalogStatement, { kind: "create_procedure" }>): QueryResult {
    if (s.language !== "JAVASCRIPT" && s.language !== "SQL") {
      throw new UnsupportedError(`LANGUAGE ${s.language} procedures (JAVASCRIPT and SQL procedures run here; ${quoteName(s.name)} needs a real account)`);
    }
    if (s.options.length > 0) throw new UnsupportedError(`the CREATE PROCEDURE option ${s.options[0]} for LANGUAGE JAVASCRIPT`);
    returnType(s.returns);
    const { db, schema, object } = this.schemaOf(ctx, s.name, "CREATE PROCEDURE");
    this.access.checkSchemaChange(ctx, db, schema.name);
    const overloads = schema.procedures.get(object) ?? [];
    const index = overloads.findIndex((p) => sameArgumentTypes(p.args, s.args.map((a) => a.type)));
    if (index >= 0 && !s.orReplace) {
      if (s.ifNotExists) return status(`${object} already exists, statement succeeded.`);
      throw alreadyExists("Function", object);
    }
    const entry: ProcedureEntry = {
      name: object,
      args: s.args,
      returns: s.returns,
      language: s.language,
      executeAs: s.executeAs,
      body: s.body,
      ...(s.comment === undefined ? {} : { comment: s.comment }),
      // CREATE OR REPLACE drops the grants of the replaced procedure, as in Snowflake.
      grants: new Set(),
      createdOn: new Date(),
    };
    if (index >= 0) overloads[index] = entry;
    else overloads.push(entry);
    schema.procedures.set(object, overloads);
    return status(`Function ${object} successfully created.`);
  }

  private createTask(ctx: Context, s: Extract<CatalogStatement, { kind: "create_task" }>): QueryResult {
    onlyOptions(s.options, ["WAREHOUSE", "SCHEDULE", "USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE", "COMMENT", "ALLOW_OVERLAPPING_EXECUTION"], "CREATE TASK");
    const { db, schema, object } = this.schemaOf(ctx, s.name, "CREATE TASK");
    this.access.checkSchemaChange(ctx, db, schema.name);
    if (schema.tasks.has(object)) {
      if (s.ifNotExists) return status(`${object} already exists, statement succeeded.`);
      if (!s.orReplace) throw alreadyExists("Task", object);
    }
    // Tasks are catalog objects here: their state is kept, their schedule never fires.
    schema.tasks.set(object, { name: object, state: "suspended", definition: s.body, options: s.options });
    return status(`Task ${object} successfully created.`);
  }

  /** What sandbox/streams.ts needs of the executor: name resolution, access checks and the table store's relations. */
  private streamHost(ctx: Context): StreamHost {
    return {
      resolve: (name, what) => {
        const { db, schema, object } = this.schemaOf(ctx, name, what);
        return { database: db.name, schema, object };
      },
      checkChange: (database, schema) => this.access.checkSchemaChange(ctx, this.catalog.database(database), schema),
      relationExists: (database, schema, name, kind) => this.tables.listRelations(database, schema).some((r) => r.name === name && r.kind === kind),
    };
  }

  private alterTask(ctx: Context, name: Name, action: "RESUME" | "SUSPEND", ifExists: boolean): QueryResult {
    const resolved = this.resolve(ctx, name, "ALTER TASK");
    const existing = this.catalog.databases.get(resolved.database)?.schemas.get(resolved.schema)?.tasks.get(resolved.object);
    // IF EXISTS: a missing task (or its schema) is no error, and nothing changes.
    if (existing === undefined && ifExists) return status("Statement executed successfully.");
    const { db, schema, object } = this.schemaOf(ctx, name, "ALTER TASK");
    this.access.checkSchemaChange(ctx, db, schema.name);
    const task = schema.tasks.get(object);
    if (task === undefined) throw objectNotFound("Task", quoteName([db.name, schema.name, object]));
    const app = ctx.application?.application;
    if (action === "RESUME" && app !== undefined && !app.accountPrivileges.has("EXECUTE TASK")) {
      throw insufficientPrivileges(`task ${object}: the application does not hold EXECUTE TASK on the account`);
    }
    task.state = action === "RESUME" ? "started" : "suspended";
    return status("Statement executed successfully.");
  }

  /** Finds a procedure by name and argument count (Snowflake also matches types; floe's calls never overload). */
  private findProcedure(ctx: Context, name: Name, argCount: number): { db: DatabaseEntry; schema: SchemaEntry; procedure: ProcedureEntry } {
    const resolved = this.resolve(ctx, name, "CALL");
    const db = this.catalog.databases.get(resolved.database);
    const schema = db?.schemas.get(resolved.schema);
    const procedure = schema?.procedures.get(resolved.object)?.find((p) => p.args.length === argCount);
    if (db === undefined || schema === undefined || procedure === undefined) {
      throw new SnowflakeError("002140", "42601", `SQL compilation error:\nUnknown function ${quoteName([resolved.database, resolved.schema, resolved.object])}`);
    }
    return { db, schema, procedure };
  }

  private call(ctx: Context, name: Name, argTexts: readonly string[], binds: readonly BindValue[]): PendingCall | QueryResult {
    const { db, schema, procedure } = this.findProcedure(ctx, name, argTexts.length);
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
    this.calls.push(record);
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
  private runForScripting(ctx: Context, sqlText: string, binds: readonly BindValue[]): QueryResult {
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

  private executeImmediateFrom(ctx: Context, file: string): QueryResult {
    const setup = ctx.setup;
    if (setup === undefined) throw new UnsupportedError("EXECUTE IMMEDIATE FROM outside an application's setup script");
    const resolved = path.posix.normalize(path.posix.join(setup.directory, file.replace(/^\.\//, "")));
    const content = setup.files.get(resolved);
    if (content === undefined) throw new SnowflakeError("002003", "02000", `SQL compilation error:\nFile '${file}' does not exist in the application version.`);
    this.runScript({ ...ctx, setup: { files: setup.files, directory: path.posix.dirname(resolved) } }, resolved, content);
    return status("Statement executed successfully.");
  }

  /** Runs a script statement by statement; an error names the file and line. */
  private runScript(ctx: Context, file: string, content: string): void {
    let statements: ReturnType<typeof splitStatements>;
    try {
      statements = splitStatements(content);
    } catch (e) {
      throw new SnowflakeError("001003", "42000", `SQL compilation error in ${file}: ${(e as Error).message}`);
    }
    for (const statement of statements) {
      try {
        this.run(ctx, statementText(statement.text), []);
      } catch (e) {
        if (e instanceof SnowflakeError && !/^\S+\.sql:\d+: /.test(e.message)) {
          const line = content.slice(0, statement.start).split("\n").length;
          throw new SnowflakeError(e.code, e.sqlState, `${file}:${line}: ${e.message}`);
        }
        throw e;
      }
    }
  }

  private stageLocation(ctx: Context, location: string): { directory: string; prefix: string; stageId: string } {
    const parsed = parseStageLocation(location);
    const { db, schema, object } = this.schemaOf(ctx, parsed.name, "a stage operation");
    this.access.checkSchemaChange(ctx, db, schema.name);
    const stage = schema.stages.get(object);
    if (stage === undefined) throw objectNotFound("Stage", quoteName([db.name, schema.name, object]));
    const prefix = stagePathSegments(parsed.path).join("/");
    return { directory: stage.directory, prefix, stageId: stage.name.toLowerCase() };
  }

  private put(ctx: Context, localPath: string, stage: string, options: Readonly<Record<string, string>>): UploadRequest {
    if (ctx.depth > 0) throw new UnsupportedError("PUT inside a procedure");
    const { directory, prefix } = this.stageLocation(ctx, stage);
    const target = this.folder.below(directory, stagePathSegments(prefix));
    fs.mkdirSync(target, { recursive: true });
    onlyOptions(options, ["AUTO_COMPRESS", "OVERWRITE", "SOURCE_COMPRESSION", "PARALLEL"], "PUT");
    return {
      kind: "upload",
      directory: target,
      source: localPath,
      autoCompress: (options.AUTO_COMPRESS ?? "TRUE") === "TRUE",
      overwrite: (options.OVERWRITE ?? "FALSE") === "TRUE",
      ...(options.SOURCE_COMPRESSION === undefined ? {} : { sourceCompression: options.SOURCE_COMPRESSION.toLowerCase() }),
    };
  }

  private stageFiles(ctx: Context, location: string): { files: string[]; directory: string; stageId: string; prefix: string } {
    const { directory, prefix, stageId } = this.stageLocation(ctx, location);
    const files = listFiles(directory).filter((f) => prefix === "" || f === prefix || f.startsWith(prefix + "/"));
    return { files, directory, stageId, prefix };
  }

  private list(ctx: Context, location: string): QueryResult {
    const { files, directory, stageId } = this.stageFiles(ctx, location);
    return {
      columns: columns([["name", "TEXT"], ["size", "FIXED"], ["md5", "TEXT"], ["last_modified", "TEXT"]]),
      rows: files.map((f) => {
        const content = fs.readFileSync(path.join(directory, f));
        const stat = fs.statSync(path.join(directory, f));
        return [`${stageId}/${f}`, content.length, createHash("md5").update(content).digest("hex"), stat.mtime.toUTCString()];
      }),
    };
  }

  private remove(ctx: Context, location: string): QueryResult {
    const { files, directory, stageId } = this.stageFiles(ctx, location);
    for (const f of files) this.folder.remove(this.folder.below(directory, stagePathSegments(f)));
    return { columns: columns([["name", "TEXT"], ["result", "TEXT"]]), rows: files.map((f) => [`${stageId}/${f}`, "removed"]) };
  }

  /** The files under a stage location, read now: a version keeps them even if the stage changes. */
  private snapshotFiles(ctx: Context, location: string, packageName: string): Map<string, string> {
    // Names in USING resolve against the package, with the rights of the statement's session.
    const inPackage: Context = { ...ctx, database: packageName, schema: undefined };
    const { files, directory, prefix } = this.stageFiles(inPackage, location);
    const snapshot = new Map<string, string>();
    for (const f of files) snapshot.set(prefix === "" ? f : f.slice(prefix.length + 1), fs.readFileSync(path.join(directory, f), "utf8"));
    for (const required of ["manifest.yml", "setup.sql"]) {
      if (!snapshot.has(required)) {
        throw new SnowflakeError("093082", "P0000", `Failed to register the version: ${required} was not found in ${location}.`);
      }
    }
    return snapshot;
  }

  private alterPackage(ctx: Context, s: Extract<CatalogStatement, { kind: "alter_application_package" }>): QueryResult {
    const pkg = this.catalog.applicationPackage(keyOf(s.name));
    this.access.checkOwner(ctx, pkg);
    if (s.action === "set") {
      onlyOptions(s.options ?? {}, ["COMMENT", "DISTRIBUTION"], "ALTER APPLICATION PACKAGE ... SET");
      return status("Statement executed successfully.");
    }
    const version = pkg.versions.get(s.version);
    if (s.action === "drop_version") {
      if (version === undefined) throw objectNotFound("Version", s.version);
      for (const db of this.catalog.databases.values()) {
        if (db.application?.packageName === pkg.name && db.application.version === s.version) {
          throw new SnowflakeError("093091", "P0000", `Version ${s.version} is in use by application ${db.name}.`);
        }
      }
      pkg.versions.delete(s.version);
      return status(`Version ${s.version} dropped.`);
    }
    const files = this.snapshotFiles(ctx, s.using!, pkg.name);
    if (s.action === "add_version") {
      if (version !== undefined) throw new SnowflakeError("093080", "P0000", `Version ${s.version} already exists in application package ${pkg.name}; add a patch instead.`);
      pkg.versions.set(s.version, { name: s.version, ...(s.label === undefined ? {} : { label: s.label }), patches: [{ patch: 0, files, createdOn: new Date() }] });
      return { columns: columns([["version", "TEXT"], ["patch", "FIXED"]]), rows: [[s.version, 0]] };
    }
    if (version === undefined) throw objectNotFound("Version", s.version);
    const patch = version.patches[version.patches.length - 1].patch + 1;
    version.patches.push({ patch, files, createdOn: new Date() });
    return { columns: columns([["version", "TEXT"], ["patch", "FIXED"]]), rows: [[s.version, patch]] };
  }

  private patchOf(packageName: string, version?: string, patch?: number) {
    const pkg = this.catalog.applicationPackage(packageName);
    if (version === undefined) throw new UnsupportedError("applications without USING VERSION (development mode from a stage)");
    const v = pkg.versions.get(version);
    if (v === undefined) throw objectNotFound("Version", `${version} of ${packageName}`);
    const chosen = patch === undefined ? v.patches[v.patches.length - 1] : v.patches.find((p) => p.patch === patch);
    if (chosen === undefined) throw objectNotFound("Patch", `${patch} of version ${version}`);
    return { pkg, version: v, patch: chosen };
  }

  private createApplication(ctx: Context, s: Extract<CatalogStatement, { kind: "create_application" }>): QueryResult {
    const name = keyOf(s.name);
    if (this.catalog.databases.has(name)) {
      if (s.ifNotExists) return status(`${quoteName(s.name)} already exists, statement succeeded.`);
      throw alreadyExists("Application", quoteName(s.name));
    }
    this.access.checkOwner(ctx, this.catalog.applicationPackage(keyOf(s.fromPackage)));
    const { pkg, version, patch } = this.patchOf(keyOf(s.fromPackage), s.version, s.patch);
    refuseNul(name);
    const app = this.catalog.addDatabase(name, "APPLICATION", this.ownerOf(ctx));
    app.application = { packageName: pkg.name, version: version.name, patch: patch.patch, roles: new Set(), accountPrivileges: new Set(), objectGrants: [] };
    try {
      this.runSetup(app, patch.files);
    } catch (e) {
      this.dropDatabase(name);
      throw this.setupFailure(e, name);
    }
    return status(`Application ${name} successfully created.`);
  }

  private setupFailure(e: unknown, app: string): unknown {
    if (e instanceof SnowflakeError) return new SnowflakeError(e.code, e.sqlState, `Setup script of application ${app} failed: ${e.message}`);
    return e;
  }

  private runSetup(app: DatabaseEntry, files: ReadonlyMap<string, string>): void {
    const setup = files.get("setup.sql");
    if (setup === undefined) throw new SnowflakeError("093082", "P0000", "setup.sql was not found in the application version.");
    this.runScript({ database: app.name, application: app, setup: { files, directory: "." }, depth: 0 }, "setup.sql", setup);
  }

  private upgradeApplication(ctx: Context, name: Name, version?: string, patch?: number): QueryResult {
    const app = this.catalog.application(keyOf(name));
    this.access.checkOwner(ctx, app);
    const target = this.patchOf(app.application.packageName, version ?? app.application.version, patch);
    // Objects of versioned schemas belong to a version: the new setup script recreates them.
    // If it fails, the previous version's objects come back.
    const saved = new Map<string, SchemaEntry>();
    for (const [schemaName, schema] of app.schemas) {
      if (!schema.versioned) continue;
      saved.set(schemaName, { ...schema, procedures: new Map(schema.procedures), stages: new Map(schema.stages), tasks: new Map(schema.tasks) });
      schema.procedures.clear();
    }
    const grants = [...app.application.objectGrants];
    try {
      this.runSetup(app, target.patch.files);
    } catch (e) {
      for (const [schemaName, schema] of saved) app.schemas.set(schemaName, schema);
      app.application.objectGrants.splice(0, app.application.objectGrants.length, ...grants);
      throw this.setupFailure(e, app.name);
    }
    app.application.version = target.version.name;
    app.application.patch = target.patch.patch;
    return status(`Application ${app.name} successfully upgraded to version ${target.version.name}, patch ${target.patch.patch}.`);
  }

  private grant(ctx: Context, s: Extract<CatalogStatement, { kind: "grant" | "revoke" }>): QueryResult {
    const add = s.kind === "grant";
    if (s.to.kind === "APPLICATION") {
      if (s.on.kind !== "ACCOUNT") throw new UnsupportedError(`granting ${s.on.kind} privileges to an application`);
      if (ctx.application !== undefined) throw insufficientPrivileges("the account: an application cannot grant itself account privileges");
      this.access.checkAccountGrant(ctx);
      const app = this.catalog.application(keyOf(s.to.name));
      for (const p of s.privileges) {
        if (add) app.application.accountPrivileges.add(p);
        else app.application.accountPrivileges.delete(p);
      }
      return status("Statement executed successfully.");
    }
    if (s.to.kind !== "APPLICATION ROLE") throw new UnsupportedError(`GRANT ... TO ${s.to.kind}`);
    const app = ctx.application?.application;
    if (app === undefined || ctx.application === undefined) {
      throw new UnsupportedError("granting to application roles outside an application's setup script");
    }
    const role = keyOf(s.to.name);
    if (!app.roles.has(role)) throw objectNotFound("Application role", quoteName(s.to.name));
    const on = s.on as Exclude<GrantObject, { kind: "ACCOUNT" }>;
    if (on.kind === "PROCEDURE") {
      const found = this.findProcedure(ctx, on.name, on.signature?.length ?? 0);
      if (!sameArgumentTypes(found.procedure.args, on.signature ?? [])) {
        throw objectNotFound("Procedure", `${quoteName(on.name)}(${(on.signature ?? []).join(", ")})`);
      }
      if (add) found.procedure.grants.add(role);
      else found.procedure.grants.delete(role);
      return status("Statement executed successfully.");
    }
    let target: { readonly kind: "SCHEMA" | "VIEW" | "TABLE"; readonly schema: string; readonly name?: string };
    if (on.kind === "SCHEMA") {
      const database = on.name.length === 2 ? on.name[0] : ctx.application.name;
      if (database !== ctx.application.name) throw insufficientPrivileges(`schema '${quoteName(on.name)}': an application grants only its own objects`);
      this.catalog.schema(database, on.name[on.name.length - 1]);
      target = { kind: "SCHEMA", schema: on.name[on.name.length - 1] };
    } else if (on.kind === "VIEW" || on.kind === "TABLE") {
      const r = this.resolve(ctx, on.name, "GRANT");
      if (r.database !== ctx.application.name) throw insufficientPrivileges(`${on.kind.toLowerCase()} '${quoteName(on.name)}': an application grants only its own objects`);
      const relation = this.tables.listRelations(r.database, r.schema).find((x) => x.name === r.object && x.kind === on.kind);
      if (relation === undefined) throw objectNotFound(on.kind === "VIEW" ? "View" : "Table", quoteName([r.database, r.schema, r.object]));
      target = { kind: on.kind, schema: r.schema, name: r.object };
    } else {
      throw new UnsupportedError(`GRANT ... ON ${on.kind}`);
    }
    const same = (g: ObjectGrant, privilege: string) =>
      g.privilege === privilege && g.kind === target.kind && g.schema === target.schema && g.name === target.name && g.role === role;
    for (const privilege of s.privileges) {
      const index = app.objectGrants.findIndex((g) => same(g, privilege));
      if (add && index < 0) app.objectGrants.push({ privilege, ...target, role });
      if (!add && index >= 0) app.objectGrants.splice(index, 1);
    }
    return status("Statement executed successfully.");
  }

  private grantApplicationRole(ctx: Context, s: Extract<CatalogStatement, { kind: "grant_application_role" | "revoke_application_role" }>): QueryResult {
    if (s.role.length !== 2) throw syntaxError("name the application role with its application: APP.ROLE");
    const app = this.catalog.application(s.role[0]);
    // Only the application's owner grants its roles to account roles.
    this.access.checkOwner(ctx, app);
    const role = s.role[1];
    if (!app.application.roles.has(role)) throw objectNotFound("Application role", quoteName(s.role));
    if (s.to.kind !== "ROLE") throw new UnsupportedError(`GRANT APPLICATION ROLE ... TO ${s.to.kind}`);
    const to = keyOf(s.to.name);
    if (!this.catalog.roles.has(to)) throw objectNotFound("Role", quoteName(s.to.name));
    const grants = this.catalog.applicationRoleGrants;
    const index = grants.findIndex((g) => g.application === app.name && g.role === role && g.to === to);
    if (s.kind === "grant_application_role" && index < 0) grants.push({ application: app.name, role, to });
    if (s.kind === "revoke_application_role" && index >= 0) grants.splice(index, 1);
    return status("Statement executed successfully.");
  }

  private drop(ctx: Context, s: Extract<CatalogStatement, { kind: "drop" }>): QueryResult {
    const shown = quoteName(s.name);
    const missing = (kind: string) => {
      if (s.ifExists) return status(`Drop statement executed successfully (${shown} already dropped).`);
      throw objectNotFound(kind, shown);
    };
    switch (s.object) {
      case "DATABASE":
      case "APPLICATION":
      case "APPLICATION PACKAGE": {
        const id = keyOf(s.name);
        const db = this.catalog.databases.get(id);
        if (db === undefined || db.kind !== (s.object === "DATABASE" ? "DATABASE" : s.object)) return missing(s.object.toLowerCase());
        this.access.checkOwner(ctx, db);
        if (db.kind === "APPLICATION PACKAGE") {
          for (const other of this.catalog.databases.values()) {
            if (other.application?.packageName === id) throw new SnowflakeError("093092", "P0000", `Application package ${shown} is in use by application ${quoteName([other.name])}.`);
          }
        }
        this.dropDatabase(id);
        return status(`${shown} successfully dropped.`);
      }
      case "SCHEMA": {
        const database = s.name.length === 2 ? s.name[0] : ctx.database;
        const db = database === undefined ? undefined : this.catalog.databases.get(database);
        const name = s.name[s.name.length - 1];
        if (db === undefined || !db.schemas.has(name)) return missing("Schema");
        this.access.checkContents(ctx, db);
        db.schemas.delete(name);
        this.tables.dropSchema(db.name, name);
        return status(`${name} successfully dropped.`);
      }
      case "ROLE":
        if (!this.catalog.roles.delete(keyOf(s.name))) return missing("Role");
        return status(`${shown} successfully dropped.`);
      case "PROCEDURE": {
        const { db, schema, object } = this.schemaOf(ctx, s.name, "DROP PROCEDURE");
        this.access.checkSchemaChange(ctx, db, schema.name);
        const overloads = schema.procedures.get(object) ?? [];
        const index = overloads.findIndex((p) => sameArgumentTypes(p.args, s.signature ?? []));
        if (index < 0) return missing("Procedure");
        overloads.splice(index, 1);
        return status(`${object} successfully dropped.`);
      }
      case "STAGE": {
        const { db, schema, object } = this.schemaOf(ctx, s.name, "DROP STAGE");
        this.access.checkSchemaChange(ctx, db, schema.name);
        const stage = schema.stages.get(object);
        if (stage === undefined) return missing("Stage");
        this.folder.remove(stage.directory);
        schema.stages.delete(object);
        return status(`${object} successfully dropped.`);
      }
      case "TASK": {
        const { db, schema, object } = this.schemaOf(ctx, s.name, "DROP TASK");
        this.access.checkSchemaChange(ctx, db, schema.name);
        if (!schema.tasks.delete(object)) return missing("Task");
        return status(`${object} successfully dropped.`);
      }
      default:
        throw new UnsupportedError(`DROP ${s.object}`);
    }
  }

  private show(ctx: Context, s: Extract<CatalogStatement, { kind: "show" }>): QueryResult {
    const like = s.like === undefined ? undefined : new RegExp("^" + s.like.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/%/g, ".*").replace(/_/g, ".") + "$", "i");
    const matches = (name: string) => like === undefined || like.test(name);
    switch (s.what) {
      case "APPLICATIONS":
        return {
          columns: columns([["created_on", "TIMESTAMP_NTZ"], ["name", "TEXT"], ["source", "TEXT"], ["version", "TEXT"], ["patch", "FIXED"]]),
          rows: [...this.catalog.databases.values()]
            .filter((d) => d.kind === "APPLICATION" && matches(d.name) && this.visible(ctx, d))
            .map((d) => [d.createdOn, d.name, d.application!.packageName, d.application!.version, d.application!.patch]),
        };
      case "APPLICATION PACKAGES":
        return {
          columns: columns([["created_on", "TIMESTAMP_NTZ"], ["name", "TEXT"]]),
          rows: [...this.catalog.databases.values()].filter((d) => d.kind === "APPLICATION PACKAGE" && matches(d.name) && this.visible(ctx, d)).map((d) => [d.createdOn, d.name]),
        };
      case "VERSIONS": {
        if (s.in?.object !== "APPLICATION PACKAGE") throw new UnsupportedError("SHOW VERSIONS without IN APPLICATION PACKAGE");
        const pkg = this.catalog.applicationPackage(keyOf(s.in.name));
        this.access.checkVisible(ctx, pkg);
        const rows: unknown[][] = [];
        for (const v of pkg.versions.values()) {
          if (!matches(v.name)) continue;
          for (const p of v.patches) rows.push([v.name, p.patch, v.label ?? null, p.createdOn]);
        }
        return { columns: columns([["version", "TEXT"], ["patch", "FIXED"], ["label", "TEXT"], ["created_on", "TIMESTAMP_NTZ"]]), rows };
      }
      case "GRANTS": {
        if (s.in?.object === "APPLICATION ROLE" && s.in.preposition === "OF") {
          // Who holds the application role: one row per grantee.
          if (s.in.name.length !== 2) throw syntaxError("name the application role with its application: APP.ROLE");
          const app = this.catalog.application(s.in.name[0]);
          this.access.checkVisible(ctx, app);
          const role = s.in.name[1];
          if (!app.application.roles.has(role)) throw objectNotFound("Application role", quoteName(s.in.name));
          return {
            columns: columns([["created_on", "TIMESTAMP_NTZ"], ["role", "TEXT"], ["granted_to", "TEXT"], ["grantee_name", "TEXT"], ["granted_by", "TEXT"]]),
            rows: this.catalog.applicationRoleGrants.filter((g) => g.application === app.name && g.role === role).map((g) => [app.createdOn, `${app.name}.${role}`, "ROLE", g.to, app.name]),
          };
        }
        if (s.in?.object !== "APPLICATION" || s.in.preposition !== "TO") throw new UnsupportedError("SHOW GRANTS other than SHOW GRANTS TO APPLICATION and SHOW GRANTS OF APPLICATION ROLE");
        const app = this.catalog.application(keyOf(s.in.name));
        this.access.checkVisible(ctx, app);
        return {
          columns: columns([["privilege", "TEXT"], ["granted_on", "TEXT"], ["name", "TEXT"], ["granted_to", "TEXT"], ["grantee_name", "TEXT"]]),
          rows: [...app.application.accountPrivileges].sort().map((p) => [p, "ACCOUNT", "SANDBOX", "APPLICATION", app.name]),
        };
      }
      case "APPLICATION ROLES": {
        if (s.in?.object !== "APPLICATION") throw new UnsupportedError("SHOW APPLICATION ROLES without IN APPLICATION");
        const app = this.catalog.application(keyOf(s.in.name));
        this.access.checkVisible(ctx, app);
        return { columns: columns([["name", "TEXT"]]), rows: [...app.application.roles].filter(matches).map((r) => [r]) };
      }
      case "PROCEDURES":
      case "USER PROCEDURES": {
        const { database, schema } = this.showScope(ctx, s.in);
        const db = this.catalog.database(database);
        const rows: unknown[][] = [];
        for (const [schemaName, entry] of db.schemas) {
          if (schema !== undefined && schemaName !== schema) continue;
          for (const overloads of entry.procedures.values()) {
            for (const p of overloads) {
              if (!matches(p.name) || !this.access.lists(ctx, db, schemaName, p)) continue;
              rows.push([p.createdOn, p.name, schemaName, `${p.name}(${p.args.map((a) => a.type).join(", ")}) RETURN ${p.returns}`, p.comment ?? "", p.language]);
            }
          }
        }
        return { columns: columns([["created_on", "TIMESTAMP_NTZ"], ["name", "TEXT"], ["schema_name", "TEXT"], ["arguments", "TEXT"], ["description", "TEXT"], ["language", "TEXT"]]), rows };
      }
      case "TASKS": {
        const { database, schema } = this.showScope(ctx, s.in);
        const db = this.catalog.database(database);
        const rows: unknown[][] = [];
        for (const [schemaName, entry] of db.schemas) {
          if (schema !== undefined && schemaName !== schema) continue;
          if (!this.access.lists(ctx, db, schemaName)) continue;
          for (const t of entry.tasks.values()) if (matches(t.name)) rows.push([t.name, schemaName, t.state, t.definition]);
        }
        return { columns: columns([["name", "TEXT"], ["schema_name", "TEXT"], ["state", "TEXT"], ["definition", "TEXT"]]), rows };
      }
      case "STREAMS": {
        const { database, schema } = this.showScope(ctx, s.in);
        const db = this.catalog.database(database);
        const schemas = [...db.schemas.values()].filter((x) => (schema === undefined || x.name === schema) && this.access.lists(ctx, db, x.name));
        return showStreams(schemas.map((x) => ({ database, schema: x })), matches);
      }
      case "SCHEMAS": {
        const { database } = this.showScope(ctx, s.in);
        const db = this.catalog.database(database);
        return {
          columns: columns([["name", "TEXT"], ["is_versioned", "TEXT"]]),
          rows: [...db.schemas.values()].filter((x) => matches(x.name) && this.access.lists(ctx, db, x.name)).map((x) => [x.name, x.versioned ? "Y" : "N"]),
        };
      }
      default:
        throw new UnsupportedError(`SHOW ${s.what}`);
    }
  }

  /** Whether SHOW APPLICATIONS / APPLICATION PACKAGES lists a database to this context. */
  private visible(ctx: Context, db: DatabaseEntry): boolean {
    try {
      this.access.checkVisible(ctx, db);
      return true;
    } catch {
      return false;
    }
  }

  private showScope(ctx: Context, inClause?: { readonly object: string; readonly name: Name }): { database: string; schema?: string } {
    if (inClause === undefined) {
      if (ctx.database === undefined) throw new SnowflakeError("090105", "22000", "Cannot perform SHOW. This session does not have a current database.");
      return { database: ctx.database, ...(ctx.schema === undefined ? {} : { schema: ctx.schema }) };
    }
    if (inClause.object === "SCHEMA") {
      const r = inClause.name.length === 2 ? { database: inClause.name[0], schema: inClause.name[1] } : { database: ctx.database ?? "", schema: inClause.name[0] };
      this.catalog.schema(r.database, r.schema);
      this.access.checkSchemaVisible(ctx, this.catalog.database(r.database), r.schema);
      return r;
    }
    if (inClause.object === "DATABASE" || inClause.object === "APPLICATION") {
      this.access.checkVisible(ctx, this.catalog.database(keyOf(inClause.name)));
      return { database: keyOf(inClause.name) };
    }
    throw new UnsupportedError(`SHOW ... IN ${inClause.object}`);
  }
}
