/**
 * Handler builders: the TypeScript counterparts of the reference's
 * `ResumeConnectorHandlerBuilder` / `PauseConnectorHandlerBuilder`.
 *
 * A builder can replace the state validator (phase 3), the internal callback (phase 5) and the
 * error helper. It has no way to replace the privilege and status phases: those are part of
 * `runStateChange` itself. The procedures do not use the builders: they run the defaults
 * directly (`runDefaultStateChange`), so their bodies carry no builder.
 *
 * ```ts
 * const handler = new ResumeConnectorHandlerBuilder(ports)
 *   .withStateValidator(() => ok())
 *   .withCallback(() => { resumeMyTasks(); return ok(); })
 *   .build();
 * handler.run(); // {"response_code":"OK","message":"Connector successfully resumed."}
 * ```
 */
import type { LifecyclePorts } from "./ports";
import type { ConnectorStatus } from "./status";
import {
  defaultErrorHelper,
  hookCall,
  StateChangeHandler,
  type ErrorHelper,
  type StateChangeCallback,
  type StateChangeSpec,
  type StateValidator,
} from "./state-change";

/** The privilege RESUME_CONNECTOR and PAUSE_CONNECTOR require (manifest `EXECUTE TASK`). */
export const EXECUTE_TASK = "EXECUTE TASK";

/**
 * The spec of a change from `from` through `inProgress` to `to`: it starts from either of the
 * first two (a change left in progress can be retried), a ROLLBACK returns to `from`, and its hook
 * procedures are named after the operation.
 */
function stateChangeSpec(
  operation: string,
  from: ConnectorStatus,
  inProgress: ConnectorStatus,
  to: ConnectorStatus,
  action: StateChangeSpec["taskReactorAction"],
  done: string,
): StateChangeSpec {
  return {
    operation: operation,
    requiredPrivileges: [EXECUTE_TASK],
    allowedStatuses: [from, inProgress],
    inProgressStatus: inProgress,
    targetStatus: to,
    rollbackStatus: from,
    validateProcedure: "PUBLIC." + operation + "_VALIDATE",
    internalProcedure: "PUBLIC." + operation + "_INTERNAL",
    taskReactorAction: action,
    successMessage: "Connector successfully " + done + ".",
  };
}

// Marked pure so that a body that uses one spec does not carry the other.
export const RESUME_SPEC: StateChangeSpec = /* @__PURE__ */ stateChangeSpec("RESUME_CONNECTOR", "PAUSED", "STARTING", "STARTED", "resume", "resumed");
export const PAUSE_SPEC: StateChangeSpec = /* @__PURE__ */ stateChangeSpec("PAUSE_CONNECTOR", "STARTED", "PAUSING", "PAUSED", "pause", "paused");

export class StateChangeHandlerBuilder {
  private readonly spec: StateChangeSpec;
  private readonly ports: LifecyclePorts;
  private validator: StateValidator | undefined;
  private callback: StateChangeCallback | undefined;
  private errorHelper: ErrorHelper = defaultErrorHelper;

  constructor(spec: StateChangeSpec, ports: LifecyclePorts) {
    this.spec = spec;
    this.ports = ports;
  }

  /** Replaces the default validator, which calls the `*_VALIDATE` procedure. */
  withStateValidator(validator: StateValidator): this {
    this.validator = validator;
    return this;
  }

  /** Replaces the default callback, which calls the `*_INTERNAL` procedure. */
  withCallback(callback: StateChangeCallback): this {
    this.callback = callback;
    return this;
  }

  /** Replaces the default error helper (the failure's own response, or UNKNOWN_ERROR with its message). */
  withErrorHelper(errorHelper: ErrorHelper): this {
    this.errorHelper = errorHelper;
    return this;
  }

  build(): StateChangeHandler {
    const spec = this.spec;
    const ports = this.ports;
    const validator = this.validator ?? hookCall(ports, spec.validateProcedure);
    const callback = this.callback ?? hookCall(ports, spec.internalProcedure);
    return new StateChangeHandler(spec, ports, validator, callback, this.errorHelper);
  }
}

/** Builds the RESUME_CONNECTOR handler. */
export class ResumeConnectorHandlerBuilder extends StateChangeHandlerBuilder {
  constructor(ports: LifecyclePorts) {
    super(RESUME_SPEC, ports);
  }
}

/** Builds the PAUSE_CONNECTOR handler. */
export class PauseConnectorHandlerBuilder extends StateChangeHandlerBuilder {
  constructor(ports: LifecyclePorts) {
    super(PAUSE_SPEC, ports);
  }
}
