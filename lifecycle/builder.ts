/**
 * Handler builders: the TypeScript counterparts of the reference's
 * `ResumeConnectorHandlerBuilder` / `PauseConnectorHandlerBuilder`.
 *
 * A builder can replace the state validator (phase 3), the internal callback (phase 5) and the
 * error helper. It has no way to replace the privilege and status phases: those are part of
 * `StateChangeHandler.run` itself.
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
import {
  callHookProcedure,
  defaultErrorHelper,
  StateChangeHandler,
  type ErrorHelper,
  type StateChangeCallback,
  type StateChangeSpec,
  type StateValidator,
} from "./state-change";

/** The privilege RESUME_CONNECTOR and PAUSE_CONNECTOR require (manifest `EXECUTE TASK`). */
export const EXECUTE_TASK = "EXECUTE TASK";

export const RESUME_SPEC: StateChangeSpec = {
  operation: "RESUME_CONNECTOR",
  requiredPrivileges: [EXECUTE_TASK],
  allowedStatuses: ["PAUSED", "STARTING"],
  inProgressStatus: "STARTING",
  targetStatus: "STARTED",
  rollbackStatus: "PAUSED",
  validateProcedure: "PUBLIC.RESUME_CONNECTOR_VALIDATE",
  internalProcedure: "PUBLIC.RESUME_CONNECTOR_INTERNAL",
  taskReactorAction: "resume",
  successMessage: "Connector successfully resumed.",
};

export const PAUSE_SPEC: StateChangeSpec = {
  operation: "PAUSE_CONNECTOR",
  requiredPrivileges: [EXECUTE_TASK],
  allowedStatuses: ["STARTED", "PAUSING"],
  inProgressStatus: "PAUSING",
  targetStatus: "PAUSED",
  rollbackStatus: "STARTED",
  validateProcedure: "PUBLIC.PAUSE_CONNECTOR_VALIDATE",
  internalProcedure: "PUBLIC.PAUSE_CONNECTOR_INTERNAL",
  taskReactorAction: "pause",
  successMessage: "Connector successfully paused.",
};

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
    const validator = this.validator ?? (() => callHookProcedure(ports, spec.validateProcedure, []));
    const callback = this.callback ?? (() => callHookProcedure(ports, spec.internalProcedure, []));
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
