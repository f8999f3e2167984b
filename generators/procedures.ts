/**
 * The procedures floe defines, where each lives, who may call it and what code it runs. A new
 * procedure is one row here; every renderer and the plan read this table.
 */
import type { FeatureName } from "./features";
import type { HookKind, HookStep } from "./hooks";

export type ApplicationRole = "ADMIN" | "VIEWER" | "DATA_READER";

export interface ProcedureArgumentSpec {
  readonly name: string;
  readonly type: "STRING" | "VARIANT";
}

/** Where a procedure's body comes from. */
export type ProcedureCode =
  | { readonly kind: "entry"; readonly entry: string }
  | { readonly kind: "hook"; readonly hook: HookKind; readonly step: HookStep }
  | { readonly kind: "default-hook" };

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

export const PROCEDURES: readonly ProcedureSpec[] = [
  { schema: "PUBLIC", name: "GET_CONNECTOR_STATUS", args: [], feature: "core", grants: ["ADMIN", "VIEWER"], code: { kind: "entry", entry: "getConnectorStatusEntry" } },
  {
    schema: "PUBLIC",
    name: "RECOVER_CONNECTOR_STATE",
    args: [{ name: "NEW_CONNECTOR_STATUS", type: "STRING" }],
    feature: "core",
    grants: ["ADMIN"],
    code: { kind: "entry", entry: "recoverConnectorStateEntry" },
  },
  {
    schema: "PUBLIC",
    name: "MARK_ALL_PREREQUISITES_AS_DONE",
    args: [],
    feature: "prerequisites",
    grants: ["ADMIN"],
    code: { kind: "entry", entry: "markAllPrerequisitesAsDoneEntry" },
  },
  {
    schema: "PUBLIC",
    name: "CONFIGURE_CONNECTOR",
    args: [VARIANT_ARG("CONFIGURATION")],
    feature: "connector_configuration",
    grants: ["ADMIN"],
    code: { kind: "entry", entry: "configureConnectorEntry" },
  },
  {
    schema: "PUBLIC",
    name: "SET_CONNECTION_CONFIGURATION",
    args: [VARIANT_ARG("CONNECTION_CONFIGURATION")],
    feature: "connection_configuration",
    grants: ["ADMIN"],
    code: { kind: "entry", entry: "setConnectionConfigurationEntry" },
  },
  {
    schema: "PUBLIC",
    name: "FINALIZE_CONNECTOR_CONFIGURATION",
    args: [VARIANT_ARG("CUSTOM_CONFIGURATION")],
    feature: "finalize",
    grants: ["ADMIN"],
    code: { kind: "entry", entry: "finalizeConnectorConfigurationEntry" },
  },
  { schema: "PUBLIC", name: "FINALIZE_CONNECTOR_CONFIGURATION_VALIDATE", args: [VARIANT_ARG("CONFIG")], feature: "finalize", grants: [], code: { kind: "default-hook" } },
  { schema: "PUBLIC", name: "FINALIZE_CONNECTOR_CONFIGURATION_INTERNAL", args: [VARIANT_ARG("CONFIG")], feature: "finalize", grants: [], code: { kind: "default-hook" } },
  {
    schema: "PUBLIC",
    name: "INITIALIZE_TASK_REACTOR_INSTANCE",
    args: [
      { name: "INSTANCE_NAME", type: "STRING" },
      { name: "WAREHOUSE", type: "STRING" },
    ],
    feature: "task_reactor",
    grants: ["ADMIN"],
    code: { kind: "entry", entry: "initializeTaskReactorInstanceEntry" },
  },
  { schema: "PUBLIC", name: "RESUME_CONNECTOR", args: [], feature: "resume", grants: ["ADMIN"], code: { kind: "entry", entry: "resumeConnectorEntry" } },
  { schema: "PUBLIC", name: "RESUME_CONNECTOR_VALIDATE", args: [], feature: "resume", grants: [], code: { kind: "hook", hook: "resume", step: "validate" } },
  { schema: "PUBLIC", name: "RESUME_CONNECTOR_INTERNAL", args: [], feature: "resume", grants: [], code: { kind: "hook", hook: "resume", step: "internal" } },
  { schema: "PUBLIC", name: "PAUSE_CONNECTOR", args: [], feature: "pause", grants: ["ADMIN"], code: { kind: "entry", entry: "pauseConnectorEntry" } },
  { schema: "PUBLIC", name: "PAUSE_CONNECTOR_VALIDATE", args: [], feature: "pause", grants: [], code: { kind: "hook", hook: "pause", step: "validate" } },
  { schema: "PUBLIC", name: "PAUSE_CONNECTOR_INTERNAL", args: [], feature: "pause", grants: [], code: { kind: "hook", hook: "pause", step: "internal" } },
];

export function qualifiedName(spec: { readonly schema: string; readonly name: string }): string {
  return `${spec.schema}.${spec.name}`;
}

/** `PUBLIC.X(VARIANT, STRING)`: how a procedure is named in grants and plans. */
export function signatureText(spec: { readonly schema: string; readonly name: string; readonly args: readonly { readonly type: string }[] }): string {
  return `${qualifiedName(spec)}(${spec.args.map((a) => a.type).join(", ")})`;
}
