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
 *
 * Each port is built by a function of its own, as an object of small closures: a procedure
 * body carries the ports its entry builds and no other (a bundler keeps a class, or an object
 * literal, whole), so sqlPorts, which builds them all, is for callers outside the procedures.
 */
import type {
  ConfigStore,
  LifecyclePorts,
  PrerequisiteStore,
  PrivilegeCheck,
  ProcedureCaller,
  Scheduler,
  StateChangePorts,
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

function toInstanceList(value: unknown): string[] {
  let list = value;
  if (typeof list === "string") list = JSON.parse(list);
  if (list === null || list === undefined) return [];
  if (!Array.isArray(list)) throw new Error(REGISTRY + " returned an unexpected instance list: " + describeRaw(value));
  return list.map(String).sort();
}

/** Privileges, the status and (when `instances`) the instance list, in one SELECT. */
function fetchSnapshot(runner: SqlRunner, privileges: readonly string[], instances: boolean): Snapshot {
  let sql = "SELECT ";
  for (let i = 0; i < privileges.length; i++) {
    sql += "SYSTEM$HOLD_PRIVILEGE_ON_ACCOUNT(" + quoteString(privileges[i]) + ") AS PRIVILEGE_" + i + ", ";
  }
  sql += "(" + STATUS_QUERY + ") AS STATUS";
  if (instances) sql += ", (SELECT ARRAY_AGG(INSTANCE_NAME) FROM " + REGISTRY + " WHERE IS_INITIALIZED = TRUE) AS INSTANCES";
  const rows = runner.query(sql, [STATUS_KEY], { step: "read", privileges: privileges.join(", "), instances: instances });
  const row: SqlRow = rows.length > 0 ? rows[0] : {};
  const held: Record<string, boolean> = {};
  for (let i = 0; i < privileges.length; i++) {
    const value = row["PRIVILEGE_" + i];
    held[privileges[i]] = value === true || value === "true" || value === "TRUE" || value === 1;
  }
  return { privileges: held, status: row.STATUS, instances: instances ? toInstanceList(row.INSTANCES) : [] };
}

/**
 * The first read of a call: the first port that reads fetches everything the options name, in
 * one SELECT, and each part of that snapshot is handed out once; later reads (e.g. re-reading
 * the status after a write) query again. Returns the snapshot while `part` is unused and
 * `usable` accepts it, else undefined.
 */
type FirstRead = (part: keyof Snapshot, usable?: (snapshot: Snapshot) => boolean) => Snapshot | undefined;

function firstRead(runner: SqlRunner, options: SqlPortsOptions): FirstRead {
  let snapshot: Snapshot | undefined;
  const unused = { privileges: true, status: true, instances: options.taskReactor };
  return (part, usable) => {
    if (snapshot === undefined) snapshot = fetchSnapshot(runner, options.privileges, options.taskReactor);
    if (!unused[part] || (usable !== undefined && !usable(snapshot))) return undefined;
    unused[part] = false;
    return snapshot;
  };
}

function sqlPrivilegeCheck(runner: SqlRunner, first: FirstRead): PrivilegeCheck {
  return {
    missing(privileges: readonly string[]): string[] {
      if (privileges.length === 0) return [];
      const snapshot = first("privileges", (s) => privileges.every((p) => p in s.privileges)) || fetchSnapshot(runner, privileges, false);
      return privileges.filter((p) => !snapshot.privileges[p]);
    },
  };
}

/** What a stored status value reads as. */
function statusReadOf(raw: unknown): StatusRead {
  if (raw === null || raw === undefined) return { kind: "missing" };
  const stored = parseStoredStatus(raw);
  return stored === null ? { kind: "unreadable", raw: describeRaw(raw), value: storedObject(raw) } : { kind: "found", stored: stored };
}

type StatusWriteTag = { -readonly [K in keyof Extract<StatementTag, { step: "status write" }>]: Extract<StatementTag, { step: "status write" }>[K] };

/** A status field as the compare-and-set binds it: its text, or NULL when not set. */
function fieldText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : describeRaw(value);
}

function sqlStatusStore(runner: SqlRunner, first: FirstRead): StatusStore {
  return {
    read(): StatusRead {
      const snapshot = first("status");
      return statusReadOf(snapshot === undefined ? readStatusValue(runner) : snapshot.status);
    },
    compareAndSet(expected: StatusFields, change): boolean {
      let value = "OBJECT_INSERT(VALUE, 'status', ?, TRUE)";
      const binds: unknown[] = [change.status];
      // The tag names only the fields that are set: trace attributes cannot be NULL.
      const tag: StatusWriteTag = { step: "status write", status: change.status };
      if (change.configurationStatus !== undefined) {
        value = "OBJECT_INSERT(" + value + ", 'configurationStatus', ?, TRUE)";
        binds.push(change.configurationStatus);
        tag.configurationStatus = change.configurationStatus;
      }
      const expectedStatus = fieldText(expected.status);
      const expectedConfigurationStatus = fieldText(expected.configurationStatus);
      if (expectedStatus !== null) tag.expectedStatus = expectedStatus;
      if (expectedConfigurationStatus !== null) tag.expectedConfigurationStatus = expectedConfigurationStatus;
      binds.push(STATUS_KEY, expectedStatus, expectedConfigurationStatus);
      const sql =
        "UPDATE STATE.APP_STATE SET VALUE = " + value + ", UPDATED_AT = SYSDATE() " +
        "WHERE KEY = ? AND (VALUE:status::STRING IS NOT DISTINCT FROM ?) AND (VALUE:configurationStatus::STRING IS NOT DISTINCT FROM ?)";
      return runner.update(sql, binds, tag) > 0;
    },
  };
}

/**
 * A CALL of a procedure that does not exist fails with "Unknown function" / "Unknown
 * user-defined function" (the text the reference tests for) or Snowflake's error code 2140 or
 * 2141 for it. A procedure that exists and fails inside — "Object ... does not exist", say — is
 * an SQL error, not a missing procedure.
 */
function isMissingProcedure(error: unknown): boolean {
  const code = parseInt(String((error as { code?: unknown }).code), 10);
  if (code === 2140 || code === 2141) return true;
  return /Unknown (user-defined )?function/i.test(errorMessage(error)) && !/Uncaught/.test(errorMessage(error));
}

/** An argument as bound: an object as its JSON text (read back by PARSE_JSON), undefined as NULL. */
function isObjectArgument(arg: unknown): boolean {
  return arg !== null && typeof arg === "object";
}

function sqlProcedureCaller(runner: SqlRunner): ProcedureCaller {
  return {
    call(procedure: string, args: readonly unknown[]): unknown {
      const placeholders = args.map((arg) => (isObjectArgument(arg) ? "PARSE_JSON(?)" : "?"));
      const binds = args.map((arg) => (isObjectArgument(arg) ? JSON.stringify(arg) : arg === undefined ? null : arg));
      let rows;
      try {
        rows = runner.query("CALL " + procedure + "(" + placeholders.join(", ") + ")", binds, { step: "call", procedure: procedure });
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        throw new ProcedureCallError(procedure, isMissingProcedure(e) ? "missing" : "failed", errorMessage(e), code === undefined ? undefined : String(code));
      }
      const first = rows.length === 0 ? {} : rows[0];
      const keys = Object.keys(first);
      return keys.length === 0 ? null : first[keys[0]];
    },
  };
}

/**
 * Task Reactor on the SDK's objects. Instance names come resolved (see resolveIdentifier) and
 * are quoted only where Snowflake needs it. The command's ID and SEQ_NO are the queue's column
 * defaults, as when the SDK queues one.
 */
function sqlTaskReactor(runner: SqlRunner, first: FirstRead): TaskReactor {
  const queueCommand = (instance: string, type: string): void => {
    runner.update("INSERT INTO " + quoteIdentifier(instance) + ".COMMANDS_QUEUE (TYPE, PAYLOAD) SELECT ?, OBJECT_CONSTRUCT()", [type], {
      step: "queue command",
      instance: instance,
      command: type,
    });
  };
  return {
    instances(): string[] {
      const snapshot = first("instances") || fetchSnapshot(runner, [], true);
      return snapshot.instances;
    },
    resumeInstance(instance: string): void {
      queueCommand(instance, "RESUME_INSTANCE");
      runner.update("ALTER TASK " + quoteIdentifier(instance) + ".DISPATCHER_TASK RESUME", [], { step: "resume task", instance: instance });
    },
    pauseInstance(instance: string): void {
      queueCommand(instance, "PAUSE_INSTANCE");
    },
    recreateStreams(instance: string): void {
      const schema = quoteIdentifier(instance);
      runner.update("UPDATE " + schema + ".CONFIG SET VALUE = TO_VARCHAR(SYSDATE()) WHERE KEY = 'LAST_STREAMS_RECREATION'", [], {
        step: "streams recreation recorded",
        instance: instance,
      });
      for (const stream of ["QUEUE_STREAM", "COMMANDS_QUEUE_STREAM"]) {
        const name = schema + "." + stream;
        runner.update("CREATE OR REPLACE STREAM " + name + " CLONE " + name, [], { step: "stream recreate", instance: instance, stream: stream });
      }
    },
  };
}

/** `ALTER TASK IF EXISTS`: one statement whether or not the connector created its scheduler task. */
function sqlScheduler(runner: SqlRunner): Scheduler {
  const alter = (action: "resume" | "suspend"): void => {
    runner.update("ALTER TASK IF EXISTS STATE.SCHEDULER_TASK " + action.toUpperCase(), [], { step: "scheduler", action: action });
  };
  return { resume: () => alter("resume"), suspend: () => alter("suspend") };
}

function readConfig(runner: Pick<SqlRunner, "query">, key: string): ReturnType<ConfigStore["read"]> {
  const rows = runner.query("SELECT VALUE FROM STATE.APP_CONFIG WHERE KEY = ? LIMIT 1", [key], { step: "config read", key: key });
  return rows.length === 0 ? { found: false } : { found: true, value: rows[0].VALUE };
}

function sqlConfigStore(runner: SqlRunner): ConfigStore {
  return {
    save(key: string, value: unknown): void {
      runner.update(
        "MERGE INTO STATE.APP_CONFIG AS T USING (SELECT ? AS KEY, PARSE_JSON(?) AS VALUE) AS S ON T.KEY = S.KEY " +
          "WHEN MATCHED THEN UPDATE SET VALUE = S.VALUE, UPDATED_AT = SYSDATE() " +
          "WHEN NOT MATCHED THEN INSERT (KEY, VALUE, UPDATED_AT) VALUES (S.KEY, S.VALUE, SYSDATE())",
        [key, JSON.stringify(value)],
        { step: "config save", key: key },
      );
    },
    read: (key: string) => readConfig(runner, key),
  };
}

function sqlPrerequisiteStore(runner: SqlRunner): PrerequisiteStore {
  return {
    update(id: string, completed: boolean): boolean {
      const tag = { step: "prerequisite update", id: id, completed: completed } as const;
      return runner.update("UPDATE STATE.PREREQUISITES SET IS_COMPLETED = ? WHERE ID = ?", [completed, id], tag) > 0;
    },
    completeAll(): void {
      runner.update("UPDATE STATE.PREREQUISITES SET IS_COMPLETED = TRUE WHERE IS_COMPLETED IS DISTINCT FROM TRUE", [], { step: "prerequisites complete" });
    },
  };
}

/**
 * The status row's value as stored (null when there is no row), read in one statement, for a
 * procedure that only reports it (GET_CONNECTOR_STATUS): such a body carries no port.
 */
export function readStatusValue(runner: Pick<SqlRunner, "query">): unknown {
  const rows = runner.query(STATUS_QUERY, [STATUS_KEY], { step: "status read" });
  return rows.length > 0 ? rows[0].VALUE : null;
}

/** The configuration, read only, for a procedure that only reports it (GET_CONNECTION_CONFIGURATION). */
export function sqlConfigReader(runner: Pick<SqlRunner, "query">): Pick<ConfigStore, "read"> {
  return { read: (key: string) => readConfig(runner, key) };
}

/** The ports every state change uses: privileges, status and procedure calls. */
function coreChangePorts(runner: SqlRunner, first: FirstRead): StateChangePorts {
  return { privileges: sqlPrivilegeCheck(runner, first), status: sqlStatusStore(runner, first), procedures: sqlProcedureCaller(runner) };
}

/** The ports a state change uses (RESUME_CONNECTOR, PAUSE_CONNECTOR): Task Reactor and the scheduler as the options say. */
export function sqlStateChangePorts(runner: SqlRunner, options: SqlPortsOptions): StateChangePorts {
  const first = firstRead(runner, options);
  return {
    ...coreChangePorts(runner, first),
    ...(options.taskReactor ? { taskReactor: sqlTaskReactor(runner, first) } : {}),
    ...(options.scheduler === true ? { scheduler: sqlScheduler(runner) } : {}),
  };
}

/** The ports of a state change in an app with neither Task Reactor nor a scheduler task: none of their code comes along. */
export function sqlTasklessChangePorts(runner: SqlRunner, privileges: readonly string[]): StateChangePorts {
  return coreChangePorts(runner, firstRead(runner, { privileges: privileges, taskReactor: false }));
}

/**
 * The ports of the flow procedures (status reporting, recovery, the wizard): no privilege to
 * check, and neither Task Reactor nor the scheduler, whose code stays out of their bodies.
 */
export function sqlFlowPorts(runner: SqlRunner): LifecyclePorts {
  return { ...sqlTasklessChangePorts(runner, []), config: sqlConfigStore(runner), prerequisites: sqlPrerequisiteStore(runner) };
}

/** All ports over one SqlRunner. */
export function sqlPorts(runner: SqlRunner, options: SqlPortsOptions): LifecyclePorts {
  return { ...sqlStateChangePorts(runner, options), config: sqlConfigStore(runner), prerequisites: sqlPrerequisiteStore(runner) };
}
