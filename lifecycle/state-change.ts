/**
 * The one engine behind RESUME_CONNECTOR and PAUSE_CONNECTOR. Both walk the same seven phases
 * (LIFECYCLE.md); a `StateChangeSpec` says which statuses and procedures each uses.
 *
 * Phases 1 (privileges) and 2 (status) are fixed: nothing a builder accepts can replace them.
 * Compiled into the stored procedures: synchronous, no Node APIs.
 */
import type { LifecyclePorts } from "./ports";
import { ProcedureCallError } from "./ports";
import {
  asConnectorResponse,
  errorMessage,
  internalError,
  invalidStatus,
  isOk,
  okResponse,
  privilegesMissing,
  ResponseCodes,
  statusNotFound,
  unknownError,
  type ConnectorResponse,
} from "./responses";
import type { ConnectorStatus, FullConnectorStatus } from "./status";

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
  readonly taskReactorAction: "resume" | "pause";
  readonly successMessage: string;
}

/** Custom state validation (phase 3). A non-OK answer is returned to the caller unchanged. */
export type StateValidator = () => ConnectorResponse;
/** Custom internal callback (phase 5). OK continues, ROLLBACK restores the status, anything else is an error. */
export type StateChangeCallback = () => ConnectorResponse;
/** Turns an unexpected exception into the answer of the procedure. */
export type ErrorHelper = (error: unknown, operation: string) => ConnectorResponse;

/** The default error helper: an INTERNAL_ERROR naming the operation and the cause. */
export function defaultErrorHelper(error: unknown, operation: string): ConnectorResponse {
  return internalError(operation + " failed: " + errorMessage(error));
}

function procedureLabel(procedure: string): string {
  return procedure + "()";
}

/**
 * Calls a hook procedure and checks its answer. Missing procedure, SQL error and malformed
 * answer each give their own INTERNAL_ERROR message.
 */
export function callValidatorProcedure(ports: LifecyclePorts, procedure: string, args: readonly unknown[]): ConnectorResponse {
  let raw: unknown;
  try {
    raw = ports.procedures.call(procedure, args);
  } catch (e) {
    if (e instanceof ProcedureCallError && e.failure === "missing") {
      return internalError(
        "State validation procedure " + procedureLabel(procedure) + " does not exist. Create it, or render the app with floe, which defines it.",
      );
    }
    return internalError("State validation procedure " + procedureLabel(procedure) + " failed with an SQL error: " + errorMessage(e));
  }
  const answer = asConnectorResponse(raw);
  if (answer === null) {
    return internalError(
      "State validation procedure " + procedureLabel(procedure) + " returned " + describeAnswer(raw) +
        ", which is not a {response_code, message} object.",
    );
  }
  return answer;
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

/** Calls the internal-callback procedure; exceptions propagate to the handler. */
export function callCallbackProcedure(ports: LifecyclePorts, procedure: string, args: readonly unknown[]): ConnectorResponse {
  const raw = ports.procedures.call(procedure, args);
  const answer = asConnectorResponse(raw);
  if (answer === null) {
    return {
      response_code: ResponseCodes.INTERNAL_ERROR,
      message: procedureLabel(procedure) + " returned " + describeAnswer(raw) + ", which is not a {response_code, message} object.",
    };
  }
  return answer;
}

export class StateChangeHandler {
  private readonly spec: StateChangeSpec;
  private readonly ports: LifecyclePorts;
  private readonly validator: StateValidator;
  private readonly callback: StateChangeCallback;
  private readonly errorHelper: ErrorHelper;

  constructor(
    spec: StateChangeSpec,
    ports: LifecyclePorts,
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
    let inProgress: FullConnectorStatus;
    try {
      const gate = this.checkPrivilegesAndStatus();
      if ("response_code" in gate) return gate;
      const validation = this.validator();
      if (!isOk(validation)) return validation;
      inProgress = { status: this.spec.inProgressStatus, configurationStatus: "FINALIZED" };
      if (!this.ports.status.compareAndSet(gate, inProgress)) {
        return this.concurrentChange(gate);
      }
    } catch (e) {
      return this.errorHelper(e, this.spec.operation);
    }

    const outcome = this.runCallback(inProgress);
    if (outcome !== null) return outcome;

    // A failure from here on leaves the in-progress status, which phase 2 accepts: the call can be retried.
    try {
      this.runTaskReactor();
      const done: FullConnectorStatus = { status: this.spec.targetStatus, configurationStatus: "FINALIZED" };
      if (!this.ports.status.compareAndSet(inProgress, done)) {
        return unknownError(
          "the connector status was changed by another call while " + this.spec.operation +
            " was running; it is no longer " + inProgress.status + ". Check it with GET_CONNECTOR_STATUS.",
        );
      }
    } catch (e) {
      return this.errorHelper(e, this.spec.operation);
    }
    return okResponse(this.spec.successMessage);
  }

  /** Phases 1 and 2. Returns the status read, or the answer that ends the call. */
  private checkPrivilegesAndStatus(): FullConnectorStatus | ConnectorResponse {
    const missing = this.ports.privileges.missing(this.spec.requiredPrivileges);
    if (missing.length > 0) return privilegesMissing(missing);
    const read = this.ports.status.read();
    if (read.kind === "missing") return statusNotFound();
    if (read.kind === "unreadable") {
      return internalError("The connector status in STATE.APP_STATE cannot be read: " + read.raw);
    }
    if (this.spec.allowedStatuses.indexOf(read.status.status) < 0) {
      return invalidStatus(this.spec.allowedStatuses, read.status.status);
    }
    return read.status;
  }

  /** Phase 5. Returns null to continue, or the answer that ends the call. */
  private runCallback(inProgress: FullConnectorStatus): ConnectorResponse | null {
    let answer: ConnectorResponse;
    try {
      answer = this.callback();
    } catch (e) {
      return this.failAfterCallback(inProgress, this.spec.internalProcedure + " raised an error: " + errorMessage(e));
    }
    if (isOk(answer)) return null;
    if (answer.response_code === ResponseCodes.ROLLBACK) {
      const restored: FullConnectorStatus = { status: this.spec.rollbackStatus, configurationStatus: "FINALIZED" };
      try {
        if (this.ports.status.compareAndSet(inProgress, restored)) return answer;
      } catch (e) {
        return unknownError("the callback rolled back, but the status could not be restored: " + errorMessage(e));
      }
      return unknownError("the callback rolled back, but the status was changed by another call and was not restored.");
    }
    const detail = answer.message === undefined ? "" : ": " + answer.message;
    return this.failAfterCallback(inProgress, this.spec.internalProcedure + " answered " + answer.response_code + detail);
  }

  private failAfterCallback(inProgress: FullConnectorStatus, detail: string): ConnectorResponse {
    try {
      this.ports.status.compareAndSet(inProgress, { status: "ERROR", configurationStatus: inProgress.configurationStatus });
    } catch (e) {
      return unknownError(detail + " (and the ERROR status could not be written: " + errorMessage(e) + ")");
    }
    return unknownError(detail);
  }

  /** Phase 6: only when the app includes Task Reactor. */
  private runTaskReactor(): void {
    const reactor = this.ports.taskReactor;
    if (reactor === undefined) return;
    const instances = reactor.instances();
    for (let i = 0; i < instances.length; i++) {
      if (this.spec.taskReactorAction === "resume") reactor.resumeInstance(instances[i]);
      else reactor.pauseInstance(instances[i]);
    }
  }

  private concurrentChange(expected: FullConnectorStatus): ConnectorResponse {
    return {
      response_code: ResponseCodes.INVALID_CONNECTOR_STATUS,
      message:
        "The connector status changed while " + this.spec.operation + " was running (it was " + expected.status +
        " when read); another lifecycle call is in progress. Nothing was changed; check GET_CONNECTOR_STATUS and try again.",
    };
  }
}
