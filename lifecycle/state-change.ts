/**
 * The one engine behind RESUME_CONNECTOR and PAUSE_CONNECTOR. Both walk the same seven phases
 * (LIFECYCLE.md); a `StateChangeSpec` says which statuses and procedures each uses.
 *
 * Phases 1 (privileges) and 2 (status) are fixed: nothing a builder accepts can replace them.
 * The answers follow the reference: a hook procedure that is missing, fails or answers badly
 * ends the call with PROCEDURE_NOT_FOUND, UNKNOWN_SQL_ERROR or INVALID_RESPONSE while the
 * status is untouched (the validator), and with UNKNOWN_ERROR and status ERROR once the
 * in-progress status is written (the callback); any other exception answers UNKNOWN_ERROR
 * with its own message. Compiled into the stored procedures: synchronous, no Node APIs.
 */
import type { LifecyclePorts, StateChangePorts, StatusFields } from "./ports";
import { ProcedureCallError } from "./ports";
import {
  checkResponse,
  ConnectorError,
  errorMessage,
  invalidResponse,
  invalidStatus,
  isOk,
  okResponse,
  privilegesMissing,
  procedureNotFound,
  responseOf,
  statusNotFound,
  unknownError,
  unknownSqlError,
  unreadableStatus,
  unspecifiedState,
  type ConnectorResponse,
} from "./responses";
import { resolveIdentifier } from "./sql-text";
import type { ConnectorStatus, StoredStatus } from "./status";

export interface StateChangeSpec {
  /** Procedure name used in messages, e.g. `RESUME_CONNECTOR`. */
  readonly operation: string;
  /** Privileges the application must hold; not overridable. */
  readonly requiredPrivileges: readonly string[];
  /** Statuses the change starts from (phase 2). */
  readonly allowedStatuses: readonly ConnectorStatus[];
  /** Status written before the internal callback (phase 4). */
  readonly inProgressStatus: ConnectorStatus;
  /** Status written at the end (phase 7). */
  readonly targetStatus: ConnectorStatus;
  /** Status restored when the callback answers ROLLBACK. */
  readonly rollbackStatus: ConnectorStatus;
  readonly validateProcedure: string;
  readonly internalProcedure: string;
  /** Phase 6: what happens to the scheduler task and to each Task Reactor instance. */
  readonly taskReactorAction: "resume" | "pause";
  readonly successMessage: string;
}

/** Custom state validation (phase 3). A non-OK answer is returned to the caller unchanged. */
export type StateValidator = () => ConnectorResponse;
/** Custom internal callback (phase 5). OK continues, ROLLBACK restores the status, anything else is an error. */
export type StateChangeCallback = () => ConnectorResponse;
/** Turns an exception into the answer of the procedure. */
export type ErrorHelper = (error: unknown, operation: string) => ConnectorResponse;

/**
 * The default error helper: a ConnectorError answers its own response (PROCEDURE_NOT_FOUND,
 * UNKNOWN_SQL_ERROR, INVALID_RESPONSE...), anything else UNKNOWN_ERROR with its message.
 */
export function defaultErrorHelper(error: unknown, _operation: string): ConnectorResponse {
  return responseOf(error);
}

function describeAnswer(raw: unknown): string {
  if (raw === undefined || raw === null) return "NULL";
  try {
    const text = JSON.stringify(raw);
    return text.length > 200 ? text.slice(0, 200) + "..." : text;
  } catch (_e) {
    return String(raw);
  }
}

/**
 * Calls a hook procedure and returns its answer when it is a response. Throws ConnectorError
 * with PROCEDURE_NOT_FOUND when the procedure does not exist, UNKNOWN_SQL_ERROR (naming the
 * procedure) when it raises an error, INVALID_RESPONSE when its answer has no response_code
 * or is not OK and has no message.
 */
export function callHookProcedure(ports: Pick<LifecyclePorts, "procedures">, procedure: string, args: readonly unknown[]): ConnectorResponse {
  let raw: unknown;
  try {
    raw = ports.procedures.call(procedure, args);
  } catch (e) {
    if (e instanceof ProcedureCallError && e.failure === "missing") throw new ConnectorError(procedureNotFound(procedure));
    throw new ConnectorError(unknownSqlError(procedure, errorMessage(e)));
  }
  const check = checkResponse(raw);
  if (!check.ok) throw new ConnectorError(invalidResponse(procedure, describeAnswer(raw), check.reason));
  return check.response;
}

/**
 * An instance name from the registry, resolved as Snowflake reads it: an unquoted name is
 * upper-cased, a quoted one kept. Anything else answers INVALID_IDENTIFIER, as the reference does.
 */
function instanceName(stored: string): string {
  const resolved = resolveIdentifier(stored);
  if (resolved === null) {
    throw new ConnectorError({
      response_code: "INVALID_IDENTIFIER",
      message: "'" + stored + "' in TASK_REACTOR_INSTANCES.INSTANCE_REGISTRY is not a valid Snowflake identifier.",
    });
  }
  return resolved;
}

/**
 * Phase 6: what a state change does to the app's tasks (driveTasks), or null for an app with
 * neither a scheduler task nor Task Reactor, whose procedures then carry none of that code.
 */
export type TaskPhase = (spec: StateChangeSpec, ports: StateChangePorts) => void;

/**
 * Runs all phases and returns the procedure's answer. Never throws. A free function rather than
 * a method of StateChangeHandler so that a procedure body carries it without the builders.
 */
export function runStateChange(
  spec: StateChangeSpec,
  ports: StateChangePorts,
  validator: StateValidator,
  callback: StateChangeCallback,
  errorHelper: ErrorHelper,
): ConnectorResponse {
  return runPhases(spec, ports, validator, callback, errorHelper, driveTasks);
}

/** runStateChange with phase 6 given: `tasks` null skips it. */
export function runPhases(
  spec: StateChangeSpec,
  ports: StateChangePorts,
  validator: StateValidator,
  callback: StateChangeCallback,
  errorHelper: ErrorHelper,
  tasks: TaskPhase | null,
): ConnectorResponse {
  const inProgress: StatusFields = { status: spec.inProgressStatus, configurationStatus: "FINALIZED" };
  try {
    const gate = checkPrivilegesAndStatus(spec, ports);
    if ("response_code" in gate) return gate;
    const validation = validator();
    if (!isOk(validation)) return validation;
    if (!moveStatus(ports, gate, spec.inProgressStatus)) {
      return {
        response_code: "INVALID_CONNECTOR_STATUS",
        message:
          "The connector status changed while " + spec.operation + " was running (it was " + gate.status +
          " when read); another lifecycle call is in progress. Nothing was changed; check GET_CONNECTOR_STATUS and try again.",
      };
    }
  } catch (e) {
    return errorHelper(e, spec.operation);
  }

  const outcome = runCallback(spec, ports, callback, inProgress);
  if (outcome !== null) return outcome;

  // A failure from here on leaves the in-progress status, which phase 2 accepts: the call can be retried.
  try {
    if (tasks !== null) tasks(spec, ports);
    if (!moveStatus(ports, inProgress, spec.targetStatus)) {
      return unknownError(
        "The connector status was changed by another call while " + spec.operation + " was running; it is no longer " +
          spec.inProgressStatus + ". Check it with GET_CONNECTOR_STATUS.",
      );
    }
  } catch (e) {
    return errorHelper(e, spec.operation);
  }
  return okResponse(spec.successMessage);
}

/**
 * The state change with the default validator, callback and error helper (the hook procedures'
 * answers decide), as the procedures run it; `tasks` as for runPhases.
 */
export function runDefaultStateChange(spec: StateChangeSpec, ports: StateChangePorts, tasks: TaskPhase | null): ConnectorResponse {
  return runPhases(spec, ports, hookCall(ports, spec.validateProcedure), hookCall(ports, spec.internalProcedure), defaultErrorHelper, tasks);
}

/** The default validator or callback: calls the `*_VALIDATE` or `*_INTERNAL` procedure. */
export function hookCall(ports: Pick<LifecyclePorts, "procedures">, procedure: string): () => ConnectorResponse {
  return () => callHookProcedure(ports, procedure, []);
}

/** Compare-and-set from `from` to `status` with the configuration FINALIZED, as every state change writes it. */
function moveStatus(ports: StateChangePorts, from: StatusFields, status: ConnectorStatus): boolean {
  return ports.status.compareAndSet({ status: from.status, configurationStatus: from.configurationStatus }, { status: status, configurationStatus: "FINALIZED" });
}

/** Phases 1 and 2. Returns the status read, or the answer that ends the call. */
function checkPrivilegesAndStatus(spec: StateChangeSpec, ports: StateChangePorts): StoredStatus | ConnectorResponse {
  const missing = ports.privileges.missing(spec.requiredPrivileges);
  if (missing.length > 0) return privilegesMissing(missing);
  const read = ports.status.read();
  if (read.kind === "missing") return statusNotFound();
  if (read.kind === "unreadable") return unreadableStatus(read.raw);
  const status = read.stored.status;
  if (status === null || spec.allowedStatuses.indexOf(status) < 0) return invalidStatus(spec.operation, spec.allowedStatuses, status);
  return read.stored;
}

/**
 * Phase 5, with the reference's rollback handling: OK continues (null); ROLLBACK restores
 * the status and is returned; anything else — another code, an invalid answer, a missing or
 * failing procedure, an exception — sets ERROR and answers UNKNOWN_ERROR.
 */
function runCallback(spec: StateChangeSpec, ports: StateChangePorts, callback: StateChangeCallback, inProgress: StatusFields): ConnectorResponse | null {
  let answer: ConnectorResponse;
  try {
    answer = callback();
  } catch (e) {
    if (e instanceof ConnectorError) answer = e.response;
    else return failAfterCallback(ports, inProgress, spec.internalProcedure + "() raised an error: " + errorMessage(e));
  }
  if (isOk(answer)) return null;
  if (answer.response_code === "ROLLBACK") {
    try {
      if (moveStatus(ports, inProgress, spec.rollbackStatus)) return answer;
    } catch (e) {
      return unspecifiedState("the callback rolled back, but the status could not be restored: " + errorMessage(e));
    }
    return unspecifiedState("the callback rolled back, but another call changed the status, which was not restored");
  }
  const detail = answer.message === undefined ? "" : ": " + answer.message;
  return failAfterCallback(ports, inProgress, spec.internalProcedure + "() answered " + answer.response_code + detail);
}

function failAfterCallback(ports: StateChangePorts, inProgress: StatusFields, detail: string): ConnectorResponse {
  try {
    moveStatus(ports, inProgress, "ERROR");
  } catch (e) {
    return unspecifiedState(detail + "; the ERROR status could not be written either: " + errorMessage(e));
  }
  return unspecifiedState(detail);
}

/**
 * Phase 6, as the reference orders it: the scheduler task (when the app has one), then every
 * initialized Task Reactor instance (when the app includes Task Reactor). Resume queues
 * RESUME_INSTANCE and resumes each dispatcher, then recreates each instance's streams; pause
 * queues PAUSE_INSTANCE and leaves the dispatchers running so that they handle it.
 */
export function driveTasks(spec: StateChangeSpec, ports: StateChangePorts): void {
  const scheduler = ports.scheduler;
  const resume = spec.taskReactorAction === "resume";
  if (scheduler !== undefined) {
    if (resume) scheduler.resume();
    else scheduler.suspend();
  }
  const reactor = ports.taskReactor;
  if (reactor === undefined) return;
  const instances = reactor.instances().map(instanceName);
  for (let i = 0; i < instances.length; i++) {
    if (resume) reactor.resumeInstance(instances[i]);
    else reactor.pauseInstance(instances[i]);
  }
  if (resume) for (let i = 0; i < instances.length; i++) reactor.recreateStreams(instances[i]);
}

/** A state change with its validator, callback and error helper chosen (see builder.ts). */
export class StateChangeHandler {
  private readonly spec: StateChangeSpec;
  private readonly ports: StateChangePorts;
  private readonly validator: StateValidator;
  private readonly callback: StateChangeCallback;
  private readonly errorHelper: ErrorHelper;

  constructor(
    spec: StateChangeSpec,
    ports: StateChangePorts,
    validator: StateValidator,
    callback: StateChangeCallback,
    errorHelper: ErrorHelper,
  ) {
    this.spec = spec;
    this.ports = ports;
    this.validator = validator;
    this.callback = callback;
    this.errorHelper = errorHelper;
  }

  /** Runs all phases and returns the procedure's answer. Never throws. */
  run(): ConnectorResponse {
    return runStateChange(this.spec, this.ports, this.validator, this.callback, this.errorHelper);
  }
}
