/**
 * The app model: everything a connector app consists of, as plain data frozen all the way down
 * (an array or object of it that a renderer tries to change throws). The hooks reader and the
 * templates feed it; the renderers, the plan and the Pulumi components read it. No renderer
 * ever sees a ts-morph node or re-reads a source file.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { readStatement, type CatalogStatement } from "../sql/statements";
import { splitStatements, SqlLexError } from "../sql/lexer";
import { SqlReadError } from "../errors";
import { openCache, type CacheStore } from "./cache/store";
import { compileDefaultHook, compileLifecycleProcedure } from "./compile/lifecycle-procedure";
import { compileHooksFiles } from "./compiled-hooks";
import { resolveDefinition, type ConnectorDefinition } from "./definition";
import { FloeError, locate, SourceError } from "../errors";
import { selectFeatures, type FeatureName } from "./features";
import { hookProcedureSpec, type CompiledHook } from "./hook-kinds";
import { lintOverride, type OverrideStatement } from "./override-lint";
import type { PrerequisiteModel } from "./prerequisites";
import { PROCEDURES, qualifiedName, signatureText, type ProcedureSpec } from "./procedures";
import { checkOverrideFile, setupRuleViolation } from "./setup-rules";
import { quoteName } from "../lifecycle/sql-text";

export type ProcedureOrigin =
  | { readonly kind: "lifecycle"; readonly entry: string }
  | { readonly kind: "default-hook" }
  | { readonly kind: "hook"; readonly file: string; readonly line: number }
  | { readonly kind: "override"; readonly file: string };

/**
 * How an origin reads in summaries and plans: `hook hooks/resume.ts:30`. Rendered SQL uses it
 * without the line (`withLine: false`), so that moving a hook within its file changes no byte
 * of the bundle.
 */
export function originText(origin: ProcedureOrigin, options: { readonly withLine?: boolean } = {}): string {
  switch (origin.kind) {
    case "lifecycle":
      return `lifecycle ${origin.entry}`;
    case "default-hook":
      return "default hook";
    case "hook":
      return options.withLine === false ? `hook ${origin.file}` : `hook ${origin.file}:${origin.line}`;
    case "override":
      return `override ${origin.file}`;
  }
}

export interface ProcedureModel {
  readonly schema: string;
  readonly name: string;
  readonly args: readonly { readonly name: string; readonly type: string }[];
  /** `PUBLIC.NAME(VARIANT, STRING)`. */
  readonly signature: string;
  readonly returns: string;
  readonly language: string;
  readonly executeAs: string;
  readonly body: string;
  /** sha256 of signature, returns, language, EXECUTE AS and body (first 16 hex digits). */
  readonly hash: string;
  /** Bundle file whose statement defines the procedure that takes effect. */
  readonly file: string;
  /** Application roles granted USAGE. */
  readonly grants: readonly string[];
  readonly origin: ProcedureOrigin;
}

export interface GrantModel {
  readonly privilege: string;
  /** `ACCOUNT`, `SCHEMA PUBLIC`, `VIEW PUBLIC.CONNECTOR_CONFIGURATION`, `PROCEDURE PUBLIC.X(VARIANT)`. */
  readonly on: string;
  /** `APPLICATION ROLE ADMIN`. */
  readonly to: string;
  /** Bundle file the grant is in. */
  readonly file: string;
}

export interface SqlFileModel {
  /** Bundle-relative path. */
  readonly path: string;
  readonly feature: FeatureName;
  /** The template text, comments included, rendered as is. */
  readonly templateText: string;
  /** Procedures defined at the end of this file, in order (default bodies for hooks). */
  readonly procedures: readonly ProcedureModel[];
}

export interface OverrideModel {
  readonly procedure: string;
  /** The user's SQL file, relative to the connector's root. */
  readonly source: string;
  /** Bundle-relative path it is copied to. */
  readonly path: string;
  readonly content: string;
}

export interface ManifestPrivilege {
  readonly name: string;
  readonly description: string;
}

export interface AppModel {
  readonly name: string;
  readonly description: string;
  readonly version: string;
  readonly manifestVersion: 1 | 2;
  readonly features: readonly FeatureName[];
  readonly roles: readonly string[];
  readonly files: readonly SqlFileModel[];
  /** User hook procedures, rendered in setup.sql after the files. */
  readonly hooks: readonly ProcedureModel[];
  readonly overrides: readonly OverrideModel[];
  /** The procedures that take effect, one per name, in catalog order. */
  readonly procedures: readonly ProcedureModel[];
  readonly grants: readonly GrantModel[];
  readonly privileges: readonly ManifestPrivilege[];
  /**
   * The prerequisites seeded at install and upgrade (rendered after the prerequisites
   * template); undefined when the definition declares none and the table is left alone.
   */
  readonly prerequisites?: readonly PrerequisiteModel[];
  readonly warnings: readonly string[];
}

const PRIVILEGE_DESCRIPTIONS: Record<string, string> = {
  "EXECUTE TASK": "Run the connector's tasks; RESUME_CONNECTOR and PAUSE_CONNECTOR require it.",
  "EXECUTE MANAGED TASK": "Run serverless tasks.",
  "CREATE DATABASE": "Create the databases the connector ingests into.",
  "CREATE WAREHOUSE": "Create a warehouse for the connector's work.",
};

/** Paths in the model use forward slashes, whatever the platform, so renders are identical everywhere. */
function toPosix(file: string): string {
  return file.split(path.sep).join("/");
}

function hashOf(parts: readonly string[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part).update("\0");
  return hash.digest("hex").slice(0, 16);
}

/** Freezes a value and every object and array it holds. */
function deepFreeze<T>(value: T, seen = new Set<object>()): T {
  if (value === null || typeof value !== "object" || seen.has(value)) return value;
  seen.add(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key], seen);
  return Object.freeze(value);
}

function procedureModel(
  spec: { schema: string; name: string; args: readonly { name: string; type: string }[] },
  fields: { returns: string; language: string; executeAs: string; body: string; file: string; grants: readonly string[]; origin: ProcedureOrigin },
): ProcedureModel {
  const signature = signatureText(spec);
  return {
    schema: spec.schema,
    name: spec.name,
    args: spec.args.map((a) => ({ name: a.name, type: a.type })),
    signature,
    ...fields,
    grants: [...fields.grants],
    hash: hashOf([signature, fields.returns, fields.language, fields.executeAs, fields.body]),
  };
}

/** Places a lexer or reader error (offset relative to `base`) in the file and throws it. */
function statementProblem(file: string, text: string, error: unknown, base: number): never {
  if (error instanceof SqlReadError || error instanceof SqlLexError) {
    throw new SourceError([locate(file, text, base + error.offset, error.message.replace(/ at line \d+, column \d+/, ""))]);
  }
  throw error;
}

/** Reads the catalog statements of a SQL text (template or override). */
function readStatements(file: string, text: string): OverrideStatement[] {
  let parts: ReturnType<typeof splitStatements>;
  try {
    parts = splitStatements(text);
  } catch (e) {
    return statementProblem(file, text, e, 0);
  }
  return parts.map((part) => {
    try {
      return { text: part.text, start: part.start, tokens: part.tokens, statement: readStatement(part.text, part.tokens) };
    } catch (e) {
      return statementProblem(file, text, e, part.start);
    }
  });
}

function grantFromStatement(statement: CatalogStatement, file: string): GrantModel[] {
  if (statement.kind !== "grant") return [];
  const on =
    statement.on.kind === "ACCOUNT"
      ? "ACCOUNT"
      : "signature" in statement.on && statement.on.signature !== undefined
        ? `${statement.on.kind} ${quoteName(statement.on.name)}(${statement.on.signature.join(", ")})`
        : `${statement.on.kind} ${quoteName((statement.on as { name: readonly string[] }).name)}`;
  return statement.privileges.map((privilege) => ({ privilege, on, to: `${statement.to.kind} ${quoteName(statement.to.name)}`, file }));
}

function procedureGrants(procedure: ProcedureModel): GrantModel[] {
  return procedure.grants.map((role) => ({ privilege: "USAGE", on: `PROCEDURE ${procedure.signature}`, to: `APPLICATION ROLE ${role}`, file: procedure.file }));
}

function readOverride(spec: ProcedureSpec, source: string, shown: string): { override: OverrideModel; procedure: ProcedureModel; warnings: readonly string[] } {
  if (!fs.existsSync(source)) throw new FloeError(`[overrides] ${qualifiedName(spec)}: file ${source} does not exist.`);
  const content = fs.readFileSync(source, "utf8");
  checkOverrideFile(source, content);
  const statements = readStatements(source, content);
  const lint = lintOverride(source, content, statements, shown);
  if (lint.errors.length > 0) throw new SourceError(lint.errors);
  const creates = statements.filter((s) => s.statement?.kind === "create_procedure");
  const expected = `${spec.schema}.${spec.name}`;
  const fail = (offset: number, message: string): never => {
    throw new SourceError([locate(source, content, offset, message)]);
  };
  if (creates.length !== 1) fail(0, `an override file must hold exactly one CREATE OR REPLACE PROCEDURE ${expected}; found ${creates.length}.`);
  const create = creates[0];
  const statement = create.statement as Extract<CatalogStatement, { kind: "create_procedure" }>;
  const name = statement.name.length === 1 ? [spec.schema, statement.name[0]] : statement.name;
  if (quoteName(name) !== expected) fail(create.start, `this file overrides ${expected}, but the procedure it creates is ${quoteName(statement.name)}.`);
  if (!statement.orReplace) fail(create.start, `use CREATE OR REPLACE PROCEDURE: setup.sql runs again on every upgrade.`);
  const types = statement.args.map((a) => a.type.replace(/\(.*\)$/, ""));
  const wanted = spec.args.map((a) => a.type);
  const normalize = (t: string) => (["VARCHAR", "TEXT", "STRING", "CHAR"].includes(t) ? "STRING" : t);
  if (types.length !== wanted.length || types.some((t, i) => normalize(t) !== normalize(wanted[i]))) {
    fail(create.start, `${expected} must take (${wanted.join(", ")}) to replace floe's procedure; this one takes (${types.join(", ")}).`);
  }
  if (statement.returns.replace(/ NOT NULL$/, "") !== "VARIANT") {
    fail(create.start, `${expected} must RETURN VARIANT (a {response_code, message} object); this one returns ${statement.returns}.`);
  }
  const bundlePath = `overrides/${spec.name.toLowerCase()}.sql`;
  const procedure = procedureModel(spec, {
    returns: statement.returns,
    language: statement.language,
    executeAs: statement.executeAs,
    body: statement.body,
    file: bundlePath,
    grants: spec.grants,
    origin: { kind: "override", file: shown },
  });
  return { override: { procedure: expected, source: shown, path: bundlePath, content }, procedure, warnings: lint.warnings };
}

/**
 * Builds the model of a connector app: selects features, compiles the lifecycle procedures
 * and the hooks, reads the templates and overrides, and derives roles, grants and privileges.
 */
export interface BuildOptions {
  /** The cache of compiled hooks; default the connector's (`.floe-cache/` in its root), null for none. */
  readonly cache?: CacheStore | null;
}

export function buildModel(input: ConnectorDefinition, options: BuildOptions = {}): AppModel {
  const definition = resolveDefinition(input);
  const cache = options.cache === undefined ? openCache(definition.root) : options.cache;
  const selection = selectFeatures(definition.features, definition.templatesDir);
  const selected = new Set(selection.features.map((f) => f.name));
  const warnings = [...selection.warnings];
  const features = { taskReactor: selected.has("task_reactor"), scheduler: selected.has("scheduler") };

  const hooks: CompiledHook[] = compileHooksFiles(definition.hooks, definition.root, { cache });
  for (const hook of hooks) {
    const feature = hookProcedureSpec(hook.kind, hook.step).feature;
    if (!selected.has(feature)) {
      throw new FloeError(`${hook.file}:${hook.line}: ${hook.kind} hooks are defined, but the '${feature}' feature they belong to is left out.`);
    }
  }
  if (definition.prerequisites !== undefined && !selected.has("prerequisites")) {
    throw new FloeError("[prerequisites] are declared, but the 'prerequisites' feature is left out; turn it on or remove the list.");
  }

  const defaultHookBody = compileDefaultHook(definition.root);
  const effective = new Map<string, ProcedureModel>();
  const files: SqlFileModel[] = [];
  const roles: string[] = [];
  const grants: GrantModel[] = [];
  for (const feature of selection.features) {
    const templatePath = path.join(definition.templatesDir, feature.file);
    const templateText = fs.readFileSync(templatePath, "utf8");
    for (const { statement, start } of readStatements(templatePath, templateText)) {
      if (statement === null) continue;
      const violation = setupRuleViolation(statement);
      if (violation !== null) throw new SourceError([locate(templatePath, templateText, start, violation)]);
      if (statement.kind === "create_application_role") roles.push(quoteName(statement.name));
      grants.push(...grantFromStatement(statement, feature.file));
    }
    const procedures = PROCEDURES.filter((p) => p.feature === feature.name).map((spec) => {
      const code = spec.code;
      const body =
        code.kind === "entry"
          ? compileLifecycleProcedure(code.entry, spec.args.map((a) => a.name), features, definition.root)
          : defaultHookBody;
      const origin: ProcedureOrigin = code.kind === "entry" ? { kind: "lifecycle", entry: code.entry } : { kind: "default-hook" };
      const model = procedureModel(spec, { returns: "VARIANT", language: "JAVASCRIPT", executeAs: "OWNER", body, file: feature.file, grants: spec.grants, origin });
      effective.set(qualifiedName(spec), model);
      return model;
    });
    files.push({ path: feature.file, feature: feature.name, templateText, procedures });
  }

  const hookModels: ProcedureModel[] = [];
  for (const spec of PROCEDURES) {
    if (spec.code.kind !== "hook" || !selected.has(spec.feature)) continue;
    const code = spec.code;
    const hook = hooks.find((h) => h.kind === code.hook && h.step === code.step);
    if (hook === undefined) continue;
    const model = procedureModel(spec, {
      returns: "VARIANT",
      language: "JAVASCRIPT",
      executeAs: "OWNER",
      body: hook.body,
      file: "setup.sql",
      grants: spec.grants,
      origin: { kind: "hook", file: toPosix(path.relative(definition.root, hook.file)), line: hook.line },
    });
    hookModels.push(model);
    effective.set(qualifiedName(spec), model);
  }

  const overrides: OverrideModel[] = [];
  const seenOverrides = new Set<string>();
  for (const o of definition.overrides) {
    const spec = PROCEDURES.find((p) => qualifiedName(p) === o.procedure || p.name === o.procedure);
    if (spec === undefined) {
      throw new FloeError(`[overrides] ${o.procedure} is not a procedure floe defines; the procedures are: ${PROCEDURES.map(qualifiedName).join(", ")}.`);
    }
    if (!selected.has(spec.feature)) throw new FloeError(`[overrides] ${qualifiedName(spec)} belongs to the '${spec.feature}' feature, which is left out.`);
    if (seenOverrides.has(qualifiedName(spec))) throw new FloeError(`[overrides] ${qualifiedName(spec)} is overridden twice.`);
    seenOverrides.add(qualifiedName(spec));
    const { override, procedure, warnings: lintWarnings } = readOverride(spec, o.file, toPosix(path.relative(definition.root, o.file)));
    warnings.push(...lintWarnings);
    const previous = effective.get(qualifiedName(spec));
    if (previous?.origin.kind === "hook") {
      warnings.push(`${qualifiedName(spec)} is defined by a hook (${previous.origin.file}:${previous.origin.line}) and by the override ${procedure.origin.kind === "override" ? procedure.origin.file : o.file}; the override runs later in setup.sql and replaces the hook.`);
    }
    overrides.push(override);
    effective.set(qualifiedName(spec), procedure);
  }

  const procedures = PROCEDURES.filter((p) => selected.has(p.feature)).map((p) => effective.get(qualifiedName(p)) as ProcedureModel);
  for (const procedure of procedures) grants.push(...procedureGrants(procedure));
  const privileges = definition.privileges.map((name) => ({ name, description: PRIVILEGE_DESCRIPTIONS[name] ?? `Requested by ${definition.name}.` }));
  const prerequisites = definition.prerequisites === undefined ? {} : { prerequisites: definition.prerequisites };

  return deepFreeze({
    name: definition.name,
    description: definition.description,
    version: definition.version,
    manifestVersion: definition.manifestVersion,
    features: selection.features.map((f) => f.name),
    roles,
    files,
    hooks: hookModels,
    overrides,
    procedures,
    grants,
    privileges,
    ...prerequisites,
    warnings,
  });
}
