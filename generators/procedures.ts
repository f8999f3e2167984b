/**
 * The procedures floe defines, where each lives, who may call it and what code it runs. A new
 * procedure is one row here; every renderer and the plan read this table.
 */
import type { FeatureName } from "./features";
import type { HookKind, HookStep } from "./hook-kinds";

export type ApplicationRole = "ADMIN" | "VIEWER" | "DATA_READER";

export interface ProcedureArgumentSpec {
  readonly name: string;
  /** As the reference declares it: its grants and overrides name the procedure by these types. */
  readonly type: "STRING" | "VARCHAR" | "BOOLEAN" | "VARIANT";
}

/** Where a procedure's body comes from. */
export type ProcedureCode =
  | { readonly kind: "entry"; readonly entry: string }
  | { readonly kind: "hook"; readonly hook: HookKind; readonly step: HookStep };

export interface ProcedureSpec {
  readonly schema: "PUBLIC";
  readonly name: string;
  readonly args: readonly ProcedureArgumentSpec[];
  readonly feature: FeatureName;
  /** Application roles granted USAGE. Hooks are granted to nobody. */
  readonly grants: readonly ApplicationRole[];
  readonly code: ProcedureCode;
}

const VARIANT_ARG = (name: string): ProcedureArgumentSpec => ({ name, type: "VARIANT" });
const entry = (name: string, feature: FeatureName, grants: readonly ApplicationRole[], code: string, args: readonly ProcedureArgumentSpec[] = []): ProcedureSpec => ({
  schema: "PUBLIC",
  name,
  args,
  feature,
  grants,
  code: { kind: "entry", entry: code },
});
/** A hook procedure: granted to no role, called only by its procedure (owner's rights). */
const hook = (name: string, feature: FeatureName, kind: HookKind, step: HookStep, args: readonly ProcedureArgumentSpec[] = []): ProcedureSpec => ({
  schema: "PUBLIC",
  name,
  args,
  feature,
  grants: [],
  code: { kind: "hook", hook: kind, step },
});

const CONFIG = [VARIANT_ARG("CONFIG")];
const CONNECTION_CONFIGURATION = [VARIANT_ARG("CONNECTION_CONFIGURATION")];
const CUSTOM_CONFIGURATION = [VARIANT_ARG("CUSTOM_CONFIGURATION")];

/** The SDK's procedure surface, with its argument names and grants (LIFECYCLE.md). */
export const PROCEDURES: readonly ProcedureSpec[] = [
  entry("GET_CONNECTOR_STATUS", "core", ["ADMIN", "VIEWER"], "getConnectorStatusEntry"),
  entry("RECOVER_CONNECTOR_STATE", "core", ["ADMIN"], "recoverConnectorStateEntry", [{ name: "NEW_CONNECTOR_STATUS", type: "STRING" }]),
  entry("COMPLETE_PREREQUISITES_STEP", "prerequisites", ["ADMIN"], "completePrerequisitesStepEntry"),
  entry("UPDATE_PREREQUISITE", "prerequisites", ["ADMIN"], "updatePrerequisiteEntry", [
    { name: "ID", type: "VARCHAR" },
    { name: "IS_COMPLETED", type: "BOOLEAN" },
  ]),
  entry("MARK_ALL_PREREQUISITES_AS_DONE", "prerequisites", ["ADMIN"], "markAllPrerequisitesAsDoneEntry"),
  entry("CONFIGURE_CONNECTOR", "connector_configuration", ["ADMIN"], "configureConnectorEntry", CONFIG),
  hook("CONFIGURE_CONNECTOR_VALIDATE", "connector_configuration", "configure", "validate", CONFIG),
  hook("CONFIGURE_CONNECTOR_INTERNAL", "connector_configuration", "configure", "internal", CONFIG),
  entry("SET_CONNECTION_CONFIGURATION", "connection_configuration", ["ADMIN"], "setConnectionConfigurationEntry", CONNECTION_CONFIGURATION),
  hook("SET_CONNECTION_CONFIGURATION_VALIDATE", "connection_configuration", "connection", "validate", CONNECTION_CONFIGURATION),
  hook("SET_CONNECTION_CONFIGURATION_INTERNAL", "connection_configuration", "connection", "internal", CONNECTION_CONFIGURATION),
  hook("TEST_CONNECTION", "connection_configuration", "connection", "testConnection"),
  entry("GET_CONNECTION_CONFIGURATION", "connection_configuration", ["ADMIN", "VIEWER"], "getConnectionConfigurationEntry"),
  entry("FINALIZE_CONNECTOR_CONFIGURATION", "finalize", ["ADMIN"], "finalizeConnectorConfigurationEntry", CUSTOM_CONFIGURATION),
  hook("FINALIZE_CONNECTOR_CONFIGURATION_VALIDATE", "finalize", "finalize", "validate", CUSTOM_CONFIGURATION),
  hook("VALIDATE_SOURCE", "finalize", "finalize", "validateSource", CUSTOM_CONFIGURATION),
  hook("FINALIZE_CONNECTOR_CONFIGURATION_INTERNAL", "finalize", "finalize", "internal", CUSTOM_CONFIGURATION),
  entry("RESUME_CONNECTOR", "resume", ["ADMIN"], "resumeConnectorEntry"),
  hook("RESUME_CONNECTOR_VALIDATE", "resume", "resume", "validate"),
  hook("RESUME_CONNECTOR_INTERNAL", "resume", "resume", "internal"),
  entry("PAUSE_CONNECTOR", "pause", ["ADMIN"], "pauseConnectorEntry"),
  hook("PAUSE_CONNECTOR_VALIDATE", "pause", "pause", "validate"),
  hook("PAUSE_CONNECTOR_INTERNAL", "pause", "pause", "internal"),
];

/** The procedure a hook becomes. */
export function hookSpec(kind: HookKind, step: HookStep): ProcedureSpec | undefined {
  return PROCEDURES.find((p) => p.code.kind === "hook" && p.code.hook === kind && p.code.step === step);
}

export function qualifiedName(spec: { readonly schema: string; readonly name: string }): string {
  return `${spec.schema}.${spec.name}`;
}

/** `PUBLIC.X(VARIANT, STRING)`: how a procedure is named in grants and plans. */
export function signatureText(spec: { readonly schema: string; readonly name: string; readonly args: readonly { readonly type: string }[] }): string {
  return `${qualifiedName(spec)}(${spec.args.map((a) => a.type).join(", ")})`;
}
