/**
 * Compiles code into procedure bodies: the lifecycle entry points of lifecycle/procedures.ts
 * and the hooks of a user's hooks file. Both go through the same closure collector and
 * body builder, so a hook runs inside Snowflake exactly as the handlers do.
 */
import * as path from "node:path";
import { Node, ts, type Diagnostic, type Project, type SourceFile } from "ts-morph";
import { FloeError, locate, SourceError, type SourceDiagnostic } from "../../errors";
import { buildBody } from "./body";
import { cachedBody, storeBody } from "./body-cache";
import { ClosureCollector, type ClosurePolicy, type CollectedDeclaration } from "./closure";
import { HOOK_API_FILE, LIFECYCLE_DIR, sharedProject } from "./project";

const PROCEDURES_FILE = path.join(LIFECYCLE_DIR, "procedures.ts");
/** Lifecycle files that run only in Node (tests, the in-memory walk). */
const NODE_ONLY_LIFECYCLE = new Set([path.join(LIFECYCLE_DIR, "memory-ports.ts")]);

/** Names a hooks file may import from "floe". */
export const HOOK_API_NAMES: ReadonlySet<string> = new Set([
  "defineResumeHooks",
  "definePauseHooks",
  "defineConfigureHooks",
  "defineConnectionHooks",
  "defineFinalizeHooks",
  "ok",
  "okWithConfig",
  "error",
  "rollback",
  "HookContext",
  "HookAnswer",
  "ConnectionValidation",
  "Hook",
  "LifecycleHooks",
  "ResumeHooks",
  "PauseHooks",
  "ConfigureHooks",
  "ConnectionHooks",
  "FinalizeHooks",
  "ConfigureHookSet",
  "ConnectionHookSet",
  "FinalizeHookSet",
  "ConfigurationObject",
  "ConnectorConfiguration",
  "SqlBind",
]);

export function isLifecycleFile(file: string): boolean {
  return path.dirname(file) === LIFECYCLE_DIR && file.endsWith(".ts") && !NODE_ONLY_LIFECYCLE.has(file);
}

function lifecycleImportProblem(specifier: string, file: SourceFile): string | null {
  if (specifier.startsWith("./") && isLifecycleFile(path.resolve(path.dirname(file.getFilePath()), specifier) + ".ts")) return null;
  return `lifecycle code may import only other lifecycle files, not '${specifier}'`;
}

/** Hook files import the hook API from "floe" and nothing else. */
export function hookPolicy(hooksFile: string, subject: string): ClosurePolicy {
  return {
    subject,
    collectable: (file) => file.getFilePath() === hooksFile || isLifecycleFile(file.getFilePath()),
    checkImport: (specifier, name, file) => {
      if (file.getFilePath() !== hooksFile) return lifecycleImportProblem(specifier, file);
      if (specifier !== "floe") {
        return `${subject} uses '${name}' imported from '${specifier}'; hooks may import only the hook API from "floe".`;
      }
      return HOOK_API_NAMES.has(name) ? null : `'${name}' is not part of the hook API that hooks may use from "floe".`;
    },
  };
}

function lifecyclePolicy(subject: string): ClosurePolicy {
  return {
    subject,
    collectable: (file) => isLifecycleFile(file.getFilePath()),
    checkImport: (specifier, _name, file) => lifecycleImportProblem(specifier, file),
  };
}

/** A TypeScript diagnostic of a file, as floe reports it. */
export function toSourceDiagnostic(d: Diagnostic, fallbackFile: SourceFile): SourceDiagnostic {
  const file = d.getSourceFile() ?? fallbackFile;
  const message = ts.flattenDiagnosticMessageText(d.compilerObject.messageText, "\n");
  return locate(file.getFilePath(), file.getFullText(), d.getStart() ?? 0, message);
}

/** Loads a file into the project, re-reading it if it changed since the last render. */
export function loadSourceFile(project: Project, file: string): SourceFile {
  const existing = project.getSourceFile(file);
  if (existing !== undefined) {
    existing.refreshFromFileSystemSync();
    return existing;
  }
  return project.addSourceFileAtPath(file);
}

/** The JS object literal text of procedure arguments: `{"CONFIG": CONFIG}`. */
function argumentsObject(argNames: readonly string[]): string {
  return "{" + argNames.map((n) => `${JSON.stringify(n)}: ${n}`).join(", ") + "}";
}

/** What a lifecycle body is built from, besides its entry: the disk cache's fingerprint covers these folders. */
const CACHE_INPUTS = { lifecycleDir: LIFECYCLE_DIR, compilerDir: __dirname };

const lifecycleCache = new Map<string, { declarations: readonly CollectedDeclaration[] }>();
const bodyCache = new Map<string, string>();

function lifecycleDeclarations(project: Project, entry: string) {
  const cached = lifecycleCache.get(entry);
  if (cached !== undefined) return cached;
  const file = loadSourceFile(project, PROCEDURES_FILE);
  project.resolveSourceFileDependencies();
  const problems = file
    .getPreEmitDiagnostics()
    .concat(project.getSourceFiles().filter((f) => isLifecycleFile(f.getFilePath()) && f !== file).flatMap((f) => f.getPreEmitDiagnostics()));
  if (problems.length > 0) {
    throw new SourceError(problems.map((d) => toSourceDiagnostic(d, file)));
  }
  const fn = file.getFunction(entry);
  if (fn === undefined || !fn.isExported()) throw new FloeError(`internal error: lifecycle/procedures.ts has no exported function ${entry}`);
  const collector = new ClosureCollector(lifecyclePolicy(`lifecycle entry ${entry}`));
  collector.addDeclaration(fn);
  if (collector.diagnostics.length > 0) throw new SourceError(collector.diagnostics);
  const result = { declarations: collector.declarations() };
  lifecycleCache.set(entry, result);
  return result;
}

export interface ProcedureFeatures {
  readonly taskReactor: boolean;
  readonly scheduler: boolean;
}

/**
 * The body of a lifecycle procedure: `entry` from lifecycle/procedures.ts with everything it
 * uses, called with the procedure's arguments and the features fixed at render time.
 */
export function compileLifecycleProcedure(entry: string, argNames: readonly string[], features: ProcedureFeatures, project = sharedProject()): string {
  // Lifecycle code does not change while a process runs, so each body is built once.
  const key = JSON.stringify([entry, argNames, features.taskReactor, features.scheduler]);
  const cached = bodyCache.get(key) ?? cachedBody(key, CACHE_INPUTS);
  if (cached !== undefined) {
    bodyCache.set(key, cached);
    return cached;
  }
  const { declarations } = lifecycleDeclarations(project, entry);
  const body = buildBody({
    header: `// Generated by floe render from lifecycle/procedures.ts (${entry}); do not edit.`,
    declarations,
    entry: `return ${entry}(snowflake, ${argumentsObject(argNames)}, ${JSON.stringify({ taskReactor: features.taskReactor, scheduler: features.scheduler })});`,
    subject: `lifecycle entry ${entry}`,
    argumentNames: argNames,
  });
  bodyCache.set(key, body);
  storeBody(key, body, CACHE_INPUTS);
  return body;
}

/** The body of a hook procedure with no user hook: answers `{"response_code": "OK"}`. */
export function compileDefaultHook(project = sharedProject()): string {
  return compileLifecycleProcedure("defaultHookEntry", [], { taskReactor: false, scheduler: false }, project);
}

export interface HookMember {
  /** The object-literal member: `validate(ctx) {...}`, `validate: fn`, or `validate`. */
  readonly node: Node;
  readonly step: string;
  /** The procedure's arguments, passed to the hook after its context. */
  readonly argumentNames: readonly string[];
  readonly hooksFile: string;
  readonly subject: string;
  readonly header: string;
  /** Collect and check only; build no body (the file has errors already). */
  readonly checkOnly?: boolean;
}

/** The body of a hook procedure: the hook, what it uses, and the adapter from `ctx.sql` to `snowflake`. */
export function compileHookMember(member: HookMember, project: Project): { body: string; diagnostics: SourceDiagnostic[] } {
  const collector = new ClosureCollector(hookPolicy(member.hooksFile, member.subject));
  collector.addRoot(member.node);
  const runner = loadSourceFile(project, PROCEDURES_FILE).getFunction("runHook");
  if (runner === undefined) throw new FloeError("internal error: lifecycle/procedures.ts has no runHook");
  collector.addDeclaration(runner);
  if (collector.diagnostics.length > 0 || member.checkOnly === true) return { body: "", diagnostics: collector.diagnostics };
  const file = member.node.getSourceFile();
  const { message: _unused, ...tailAt } = locate(file.getFilePath(), file.getFullText(), member.node.getStart(), "");
  const body = buildBody({
    header: member.header,
    declarations: collector.declarations(),
    tail: `const __floe_hooks = {\n${member.node.getText()}\n};`,
    tailText: member.node.getText(),
    tailAt,
    entry:
      member.argumentNames.length === 0
        ? `return runHook(snowflake, __floe_hooks, ${JSON.stringify(member.step)});`
        : `return runHook(snowflake, __floe_hooks, ${JSON.stringify(member.step)}, [${member.argumentNames.join(", ")}]);`,
    subject: member.subject,
    argumentNames: member.argumentNames,
  });
  return { body, diagnostics: [] };
}

export { HOOK_API_FILE };
