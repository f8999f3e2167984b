/**
 * The SQL implementation of the lifecycle ports: the one that runs inside Snowflake.
 *
 * Round trips matter (each statement costs tens of milliseconds), so the first read of a call
 * fetches the privilege check, the status row and (with Task Reactor) the instance list in one
 * SELECT. Which privileges and whether Task Reactor exists are known when the app is rendered,
 * so nothing is probed at run time; the privileges are written as string literals, the form
 * SYSTEM$HOLD_PRIVILEGE_ON_ACCOUNT is documented with.
 *
 * The status row is read with LIMIT 1, so a duplicated row does not fail the call (the
 * reference reads the first row too). Status writes change the status fields inside the
 * stored object (OBJECT_INSERT), keeping its other keys, and only while the two fields still
 * hold what was read: a compare-and-set in one UPDATE.
 *
 * This module is the one place that knows the lifecycle's statements: each is issued with a
 * StatementTag saying what it is for (snowflake-api.ts), so that nothing else has to recognise
 * them by their text.
 */
import type {
  ConfigRead,
  ConfigStore,
  LifecyclePorts,
  PrerequisiteStore,
  PrivilegeCheck,
  ProcedureCaller,
  Scheduler,
  StatusChange,
  StatusFields,
  StatusRead,
  StatusStore,
  TaskReactor,
} from "./ports";
import { ProcedureCallError } from "./ports";
import { errorMessage } from "./responses";
import type { SqlRow, SqlRunner, StatementTag } from "./snowflake-api";
import { quoteIdentifier, quoteString } from "./sql-text";
import { describeRaw, parseStoredStatus, STATUS_KEY, storedObject } from "./status";

export interface SqlPortsOptions {
  /** Privileges fetched with the first read of the call. */
  readonly privileges: readonly string[];
  /** True when the app includes Task Reactor (fixed at render time). */
  readonly taskReactor: boolean;
  /** True when the app has a scheduler task to resume and suspend (fixed at render time). */
  readonly scheduler?: boolean;
}

interface Snapshot {
  readonly privileges: Record<string, boolean>;
  readonly status: unknown;
  readonly instances: string[];
}

const STATUS_QUERY = "SELECT VALUE FROM STATE.APP_STATE WHERE KEY = ? LIMIT 1";
const REGISTRY = "TASK_REACTOR_INSTANCES.INSTANCE_REGISTRY";
const INSTANCES_SUBQUERY = "(SELECT ARRAY_AGG(INSTANCE_NAME) FROM " + REGISTRY + " WHERE IS_INITIALIZED = TRUE)";

function toInstanceList(value: unknown): string[] {
  let list = value;
  if (typeof list === "string") list = JSON.parse(list);
  if (list === null || list === undefined) return [];
  if (!Array.isArray(list)) throw new Error(REGISTRY + " returned an unexpected instance list: " + describeRaw(value));
  const names: string[] = [];
  for (let i = 0; i < list.length; i++) names.push(String(list[i]));
  names.sort();
  return names;
}

function isTrue(value: unknown): boolean {
  return value === true || value === "true" || value === "TRUE" || value === 1;
}

/**
 * Reads privileges, status and instances together. Each part of the first snapshot is used
 * once; later reads (e.g. re-reading the status after a write) query again.
 */
class SqlSnapshotReader {
  private readonly runner: SqlRunner;
  private readonly options: SqlPortsOptions;
  private pending: { privileges: boolean; status: boolean; instances: boolean; snapshot: Snapshot } | null = null;
  private used = false;

  constructor(runner: SqlRunner, options: SqlPortsOptions) {
    this.runner = runner;
    this.options = options;
  }

  private fetch(privileges: readonly string[], instances: boolean): Snapshot {
    let sql = "SELECT ";
    const binds: unknown[] = [];
    for (let i = 0; i < privileges.length; i++) {
      sql += "SYSTEM$HOLD_PRIVILEGE_ON_ACCOUNT(" + quoteString(privileges[i]) + ") AS PRIVILEGE_" + i + ", ";
    }
    sql += "(" + STATUS_QUERY + ") AS STATUS";
    binds.push(STATUS_KEY);
    if (instances) sql += ", " + INSTANCES_SUBQUERY + " AS INSTANCES";
    const rows = this.runner.query(sql, binds, { step: "read", privileges: privileges.join(", "), instances: instances });
    const row: SqlRow = rows.length > 0 ? rows[0] : {};
    const held: Record<string, boolean> = {};
    for (let i = 0; i < privileges.length; i++) held[privileges[i]] = isTrue(row["PRIVILEGE_" + i]);
    return { privileges: held, status: row.STATUS, instances: instances ? toInstanceList(row.INSTANCES) : [] };
  }

  /** The first call of a procedure fetches everything the options name. */
  private first(): void {
    if (this.used) return;
    this.used = true;
    const snapshot = this.fetch(this.options.privileges, this.options.taskReactor);
    this.pending = { privileges: true, status: true, instances: this.options.taskReactor, snapshot: snapshot };
  }

  privilegesHeld(privileges: readonly string[]): Record<string, boolean> {
    this.first();
    const pending = this.pending;
    if (pending !== null && pending.privileges && privileges.every((p) => p in pending.snapshot.privileges)) {
      pending.privileges = false;
      return pending.snapshot.privileges;
    }
    return this.fetch(privileges, false).privileges;
  }

  status(): unknown {
    this.first();
    const pending = this.pending;
    if (pending !== null && pending.status) {
      pending.status = false;
      return pending.snapshot.status;
    }
    const rows = this.runner.query(STATUS_QUERY, [STATUS_KEY], { step: "status read" });
    return rows.length > 0 ? rows[0].VALUE : null;
  }

  instances(): string[] {
    this.first();
    const pending = this.pending;
    if (pending !== null && pending.instances) {
      pending.instances = false;
      return pending.snapshot.instances;
    }
    return this.fetch([], true).instances;
  }
}

class SqlPrivilegeCheck implements PrivilegeCheck {
  private readonly reader: SqlSnapshotReader;
  constructor(reader: SqlSnapshotReader) {
    this.reader = reader;
  }
  missing(privileges: readonly string[]): string[] {
    if (privileges.length === 0) return [];
    const held = this.reader.privilegesHeld(privileges);
    return privileges.filter((p) => !held[p]);
  }
}

/** What a stored status value reads as. */
function statusReadOf(raw: unknown): StatusRead {
  if (raw === null || raw === undefined) return { kind: "missing" };
  const stored = parseStoredStatus(raw);
  return stored === null ? { kind: "unreadable", raw: describeRaw(raw), value: storedObject(raw) } : { kind: "found", stored: stored };
}

class SqlStatusStore implements StatusStore {
  private readonly reader: SqlSnapshotReader;
  private readonly runner: SqlRunner;
  constructor(reader: SqlSnapshotReader, runner: SqlRunner) {
    this.reader = reader;
    this.runner = runner;
  }
  read(): StatusRead {
    return statusReadOf(this.reader.status());
  }
  compareAndSet(expected: StatusFields, change: StatusChange): boolean {
    let value = "OBJECT_INSERT(VALUE, 'status', ?, TRUE)";
    const binds: unknown[] = [change.status];
    if (change.configurationStatus !== undefined) {
      value = "OBJECT_INSERT(" + value + ", 'configurationStatus', ?, TRUE)";
      binds.push(change.configurationStatus);
    }
    const expectedStatus = fieldText(expected.status);
    const expectedConfigurationStatus = fieldText(expected.configurationStatus);
    binds.push(STATUS_KEY, expectedStatus, expectedConfigurationStatus);
    const tag: StatementTag = {
      step: "status write",
      status: change.status,
      ...(change.configurationStatus === undefined ? {} : { configurationStatus: change.configurationStatus }),
      ...(expectedStatus === null ? {} : { expectedStatus: expectedStatus }),
      ...(expectedConfigurationStatus === null ? {} : { expectedConfigurationStatus: expectedConfigurationStatus }),
    };
    const changed = this.runner.update(
      "UPDATE STATE.APP_STATE SET VALUE = " + value + ", UPDATED_AT = SYSDATE() " +
        "WHERE KEY = ? AND (VALUE:status::STRING IS NOT DISTINCT FROM ?) AND (VALUE:configurationStatus::STRING IS NOT DISTINCT FROM ?)",
      binds,
      tag,
    );
    return changed > 0;
  }
}

/** A status field as the compare-and-set binds it: its text, or NULL when not set. */
function fieldText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : describeRaw(value);
}

/** Snowflake error codes for a call of a procedure that does not exist. */
const MISSING_PROCEDURE_CODES = [2140, 2141];

/**
 * A CALL of a procedure that does not exist fails with "Unknown function" / "Unknown
 * user-defined function" (the text the reference tests for). A procedure that exists and
 * fails inside — "Object ... does not exist", say — is an SQL error, not a missing procedure.
 */
function isMissingProcedure(error: unknown): boolean {
  const code = parseInt(String((error as { code?: unknown }).code), 10);
  if (MISSING_PROCEDURE_CODES.indexOf(code) >= 0) return true;
  return /Unknown (user-defined )?function/i.test(errorMessage(error)) && !/Uncaught/.test(errorMessage(error));
}

class SqlProcedureCaller implements ProcedureCaller {
  private readonly runner: SqlRunner;
  constructor(runner: SqlRunner) {
    this.runner = runner;
  }
  call(procedure: string, args: readonly unknown[]): unknown {
    const placeholders: string[] = [];
    const binds: unknown[] = [];
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (arg !== null && typeof arg === "object") {
        placeholders.push("PARSE_JSON(?)");
        binds.push(JSON.stringify(arg));
      } else {
        placeholders.push("?");
        binds.push(arg === undefined ? null : arg);
      }
    }
    let rows: SqlRow[];
    try {
      rows = this.runner.query("CALL " + procedure + "(" + placeholders.join(", ") + ")", binds, { step: "call", procedure: procedure });
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      throw new ProcedureCallError(
        procedure,
        isMissingProcedure(e) ? "missing" : "failed",
        errorMessage(e),
        code === undefined ? undefined : String(code),
      );
    }
    if (rows.length === 0) return null;
    const first = rows[0];
    const keys = Object.keys(first);
    return keys.length === 0 ? null : first[keys[0]];
  }
}

/**
 * Task Reactor on the SDK's objects. Instance names come resolved (see resolveIdentifier) and
 * are quoted only where Snowflake needs it. The command's ID and SEQ_NO are the queue's column
 * defaults, as when the SDK queues one.
 */
class SqlTaskReactor implements TaskReactor {
  private readonly reader: SqlSnapshotReader;
  private readonly runner: SqlRunner;
  constructor(reader: SqlSnapshotReader, runner: SqlRunner) {
    this.reader = reader;
    this.runner = runner;
  }
  instances(): string[] {
    return this.reader.instances();
  }
  private queueCommand(instance: string, type: string): void {
    this.runner.update("INSERT INTO " + quoteIdentifier(instance) + ".COMMANDS_QUEUE (TYPE, PAYLOAD) SELECT ?, OBJECT_CONSTRUCT()", [type], {
      step: "queue command",
      instance: instance,
      command: type,
    });
  }
  resumeInstance(instance: string): void {
    this.queueCommand(instance, "RESUME_INSTANCE");
    this.runner.update("ALTER TASK " + quoteIdentifier(instance) + ".DISPATCHER_TASK RESUME", [], { step: "resume task", instance: instance });
  }
  pauseInstance(instance: string): void {
    this.queueCommand(instance, "PAUSE_INSTANCE");
  }
  recreateStreams(instance: string): void {
    const schema = quoteIdentifier(instance);
    this.runner.update("UPDATE " + schema + ".CONFIG SET VALUE = TO_VARCHAR(SYSDATE()) WHERE KEY = 'LAST_STREAMS_RECREATION'", [], {
      step: "streams recreation recorded",
      instance: instance,
    });
    for (const stream of ["QUEUE_STREAM", "COMMANDS_QUEUE_STREAM"]) {
      this.runner.update("CREATE OR REPLACE STREAM " + schema + "." + stream + " CLONE " + schema + "." + stream, [], {
        step: "stream recreate",
        instance: instance,
        stream: stream,
      });
    }
  }
}

/** `ALTER TASK IF EXISTS`: one statement whether or not the connector created its scheduler task. */
class SqlScheduler implements Scheduler {
  private readonly runner: SqlRunner;
  constructor(runner: SqlRunner) {
    this.runner = runner;
  }
  resume(): void {
    this.runner.update("ALTER TASK IF EXISTS STATE.SCHEDULER_TASK RESUME", [], { step: "scheduler", action: "resume" });
  }
  suspend(): void {
    this.runner.update("ALTER TASK IF EXISTS STATE.SCHEDULER_TASK SUSPEND", [], { step: "scheduler", action: "suspend" });
  }
}

class SqlConfigStore implements ConfigStore {
  private readonly runner: SqlRunner;
  constructor(runner: SqlRunner) {
    this.runner = runner;
  }
  save(key: string, value: unknown): void {
    this.runner.update(
      "MERGE INTO STATE.APP_CONFIG AS T USING (SELECT ? AS KEY, PARSE_JSON(?) AS VALUE) AS S ON T.KEY = S.KEY " +
        "WHEN MATCHED THEN UPDATE SET VALUE = S.VALUE, UPDATED_AT = SYSDATE() " +
        "WHEN NOT MATCHED THEN INSERT (KEY, VALUE, UPDATED_AT) VALUES (S.KEY, S.VALUE, SYSDATE())",
      [key, JSON.stringify(value)],
      { step: "config save", key: key },
    );
  }
  read(key: string): ConfigRead {
    return readConfig(this.runner, key);
  }
}

function readConfig(runner: SqlRunner, key: string): ConfigRead {
  const rows = runner.query("SELECT VALUE FROM STATE.APP_CONFIG WHERE KEY = ? LIMIT 1", [key], { step: "config read", key: key });
  return rows.length === 0 ? { found: false } : { found: true, value: rows[0].VALUE };
}

class SqlPrerequisiteStore implements PrerequisiteStore {
  private readonly runner: SqlRunner;
  constructor(runner: SqlRunner) {
    this.runner = runner;
  }
  update(id: string, completed: boolean): boolean {
    return this.runner.update("UPDATE STATE.PREREQUISITES SET IS_COMPLETED = ? WHERE ID = ?", [completed, id], { step: "prerequisite update", id: id, completed: completed }) > 0;
  }
  completeAll(): void {
    this.runner.update("UPDATE STATE.PREREQUISITES SET IS_COMPLETED = TRUE WHERE IS_COMPLETED IS DISTINCT FROM TRUE", [], { step: "prerequisites complete" });
  }
}

/**
 * The status, read in one statement, for a procedure that only reports it (GET_CONNECTOR_STATUS):
 * built apart from sqlPorts so that such a procedure's body carries none of the other ports' code.
 */
export function sqlStatusReader(runner: SqlRunner): Pick<StatusStore, "read"> {
  return {
    read(): StatusRead {
      const rows = runner.query(STATUS_QUERY, [STATUS_KEY], { step: "status read" });
      return statusReadOf(rows.length > 0 ? rows[0].VALUE : null);
    },
  };
}

/** The configuration, read only, for a procedure that only reports it (GET_CONNECTION_CONFIGURATION). */
export function sqlConfigReader(runner: SqlRunner): Pick<ConfigStore, "read"> {
  return { read: (key: string) => readConfig(runner, key) };
}

/** All ports over one SqlRunner. */
export function sqlPorts(runner: SqlRunner, options: SqlPortsOptions): LifecyclePorts {
  const reader = new SqlSnapshotReader(runner, options);
  const ports: LifecyclePorts = {
    privileges: new SqlPrivilegeCheck(reader),
    status: new SqlStatusStore(reader, runner),
    procedures: new SqlProcedureCaller(runner),
    config: new SqlConfigStore(runner),
    prerequisites: new SqlPrerequisiteStore(runner),
    ...(options.taskReactor ? { taskReactor: new SqlTaskReactor(reader, runner) } : {}),
    ...(options.scheduler === true ? { scheduler: new SqlScheduler(runner) } : {}),
  };
  return ports;
}
