/**
 * The embedded Snowflake sandbox: a catalog, a table store (DuckDB) and a JavaScript procedure
 * runner behind one statement executor, reachable in-process or through the real snowflake-sdk
 * driver via the protocol server.
 *
 * It installs a rendered Native App the way Snowflake does (package, stage files, version and
 * patch, CREATE APPLICATION running setup.sql with EXECUTE IMMEDIATE FROM) and runs its
 * procedures. It is strict: a statement or feature it does not implement fails with
 * "unsupported by the floe sandbox: ...", never silently succeeds.
 *
 * The parts: catalog.ts (the account's objects as data) and access.ts (who may do what to
 * them); session.ts (sessions and statement contexts); executor.ts (reads a statement and
 * dispatches it); handlers/ (one module per family of catalog statements, behind one
 * exhaustive table); history.ts (the bounded record of procedure calls). This class owns their
 * lifetimes and is the session backend the protocol server talks to.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AccessControl } from "./access";
import { Catalog } from "./catalog";
import { Executor } from "./executor";
import { Faults } from "./faults";
import { isPendingCall } from "./handlers";
import { CallHistory, DEFAULT_CALL_HISTORY } from "./history";
import { DEFAULT_TIMEOUT_MS } from "./javascript";
import { SandboxFolder } from "./paths";
import type { LoginRequest, SessionBackend, UploadRequest } from "./protocol/backend";
import { startProtocolServer, type ProtocolServer } from "./protocol/server";
import { Sessions, statementText, type CallRecord, type Context, type Session } from "./session";
import { TableStore } from "./tables";
import { UnsupportedError, type BindValue, type QueryResult } from "./types";
import { ProcedureHost } from "./vm-host";

export type { CallRecord, Session, StatementRecord } from "./session";

export interface SandboxOptions {
  /** Time limit of one top-level procedure call, nested calls included. Default 10 s. */
  readonly procedureTimeoutMs?: number;
  /** Procedure calls that can run at the same time, each in its own worker thread. Default 4. */
  readonly procedureWorkers?: number;
  /** Procedure calls the call history keeps (the newest); older ones are forgotten. Default 1000. */
  readonly callHistory?: number;
}

export class Sandbox {
  readonly catalog = new Catalog();
  /** Test-only fault injection (see faults.ts); nothing in SQL reaches it. */
  readonly faults = new Faults();
  /** The procedure calls, newest last, bounded by SandboxOptions.callHistory. */
  readonly history: CallHistory;
  private readonly folder: SandboxFolder;
  private readonly sessions = new Sessions(this.catalog);
  private servers: ProtocolServer[] = [];
  private readonly procedures: ProcedureHost;
  private readonly executor: Executor;

  private constructor(
    readonly tables: TableStore,
    options: SandboxOptions,
  ) {
    this.history = new CallHistory(options.callHistory ?? DEFAULT_CALL_HISTORY);
    this.folder = new SandboxFolder(fs.mkdtempSync(path.join(os.tmpdir(), "floe-sandbox-")));
    this.procedures = new ProcedureHost({ ...(options.procedureWorkers === undefined ? {} : { workers: options.procedureWorkers }) });
    const access = new AccessControl(this.catalog);
    this.executor = new Executor(this.catalog, access, tables, this.folder, this.faults, this.procedures, this.history, options.procedureTimeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  static async start(options: SandboxOptions = {}): Promise<Sandbox> {
    // Checked before anything starts, so a bad option leaves no worker or folder behind.
    new CallHistory(options.callHistory ?? DEFAULT_CALL_HISTORY);
    return new Sandbox(await TableStore.start(), options);
  }

  /** The kept procedure calls, oldest first; tests and `floe simulate` read statement counts here. */
  get calls(): readonly CallRecord[] {
    return this.history.calls;
  }

  /** The last kept call of `PUBLIC.<procedure>` made from a session (depth 1). */
  lastCall(procedure: string): CallRecord | undefined {
    return this.history.last(`PUBLIC.${procedure}`);
  }

  /** Boots a procedure worker now, so that the first CALL does not wait for one (vm-host.ts). */
  warmProcedures(): void {
    this.procedures.warm();
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
    return this.sessions.login(request);
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
      const outcome = this.executor.run(ctx, text, binds);
      return isPendingCall(outcome) ? this.executor.startCall(outcome) : outcome;
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
    const outcome = this.executor.run({ database: app.name, schema: "PUBLIC", application: app, depth: 0 }, statementText(sqlText), binds);
    if (isPendingCall(outcome) || "kind" in outcome) throw new UnsupportedError("CALL or PUT through the application back door");
    return outcome;
  }
}
