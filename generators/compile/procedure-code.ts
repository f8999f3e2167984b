/**
 * The TypeScript side of compiling procedures: the checks of floe's lifecycle entry points
 * (run when the lifecycle artifact is built, lifecycle-build.ts) and the compilation of the
 * hooks of a user's hooks file. Both go through the same closure collector; a hook's body is
 * bundled with the same runtime the lifecycle procedures are built from (bundle.ts), so a hook
 * runs inside Snowflake exactly as the handlers do.
 */
import * as path from "node:path";
import { Node, ts, type Diagnostic, type Project, type SourceFile } from "ts-morph";
import { FloeError, locate, SourceError, type SourceDiagnostic } from "../../errors";
import { buildBody, type BodyParts } from "./body";
import { lifecycleImport } from "./bundle";
import { ClosureCollector, type ClosurePolicy } from "./closure";
import { HOOK_API_FILE, HOOK_API_TYPES, LIFECYCLE_DIR } from "./project";

export { compileDefaultHook, compileLifecycleProcedure, type ProcedureFeatures } from "./lifecycle-procedure";

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

/** True for the hook API's own files (sources or declarations): the bundle brings their code. */
export function isHookApiFile(file: string): boolean {
  return file === HOOK_API_FILE || file === HOOK_API_TYPES || path.dirname(file) === path.dirname(HOOK_API_TYPES) || isLifecycleFile(file);
}

/** Hook files import the hook API from "floe" and nothing else. */
export function hookPolicy(hooksFile: string, subject: string): ClosurePolicy {
  return {
    subject,
    collectable: (file) => file.getFilePath() === hooksFile,
    provided: (file) => isHookApiFile(file.getFilePath()),
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
    provided: () => false,
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

/**
 * The checks of a lifecycle entry point: every lifecycle file type-checks under the procedure
 * compiler options, and everything the entry reaches is code a Snowflake procedure can run.
 * Throws SourceError at the lifecycle source otherwise.
 */
export function checkLifecycleEntry(project: Project, entry: string): void {
  const file = loadSourceFile(project, PROCEDURES_FILE);
  project.resolveSourceFileDependencies();
  if (!typeChecked.has(project)) {
    const problems = file
      .getPreEmitDiagnostics()
      .concat(project.getSourceFiles().filter((f) => isLifecycleFile(f.getFilePath()) && f !== file).flatMap((f) => f.getPreEmitDiagnostics()));
    if (problems.length > 0) throw new SourceError(problems.map((d) => toSourceDiagnostic(d, file)));
    typeChecked.add(project);
  }
  const fn = file.getFunction(entry);
  if (fn === undefined || !fn.isExported()) throw new FloeError(`internal error: lifecycle/procedures.ts has no exported function ${entry}`);
  const collector = new ClosureCollector(lifecyclePolicy(`lifecycle entry ${entry}`));
  collector.addDeclaration(fn);
  if (collector.diagnostics.length > 0) throw new SourceError(collector.diagnostics);
}

const typeChecked = new WeakSet<Project>();

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

/** The import lines a hook's bundle starts with: floe's hook runner and the hook API names the hooks file imports. */
function runtimeImports(file: SourceFile): string {
  const names: string[] = [];
  for (const declaration of file.getImportDeclarations()) {
    if (declaration.getModuleSpecifierValue() !== "floe" || declaration.isTypeOnly()) continue;
    for (const named of declaration.getNamedImports()) {
      if (named.isTypeOnly() || !HOOK_API_NAMES.has(named.getName())) continue;
      const alias = named.getAliasNode()?.getText();
      names.push(alias === undefined ? named.getName() : `${named.getName()} as ${alias}`);
    }
  }
  const lines = [`import { runHook as __floe_runHook } from ${JSON.stringify(lifecycleImport("hook-runner"))};`];
  if (names.length > 0) lines.push(`import { ${names.join(", ")} } from ${JSON.stringify(lifecycleImport("hook-api"))};`);
  return lines.join("\n");
}

/** A hook whose closure is collected and checked: its body parts, unless it has problems or only checks were asked for. */
export interface PreparedHookMember {
  readonly diagnostics: SourceDiagnostic[];
  readonly parts?: BodyParts;
}

/** Collects and checks what a hook uses, and assembles the parts of its body (not bundled yet). */
export function prepareHookMember(member: HookMember): PreparedHookMember {
  const collector = new ClosureCollector(hookPolicy(member.hooksFile, member.subject));
  collector.addRoot(member.node);
  if (collector.diagnostics.length > 0 || member.checkOnly === true) return { diagnostics: collector.diagnostics };
  const file = member.node.getSourceFile();
  const { message: _unused, ...tailAt } = locate(file.getFilePath(), file.getFullText(), member.node.getStart(), "");
  const step = JSON.stringify(member.step);
  const args = member.argumentNames.length === 0 ? "" : `, [${member.argumentNames.join(", ")}]`;
  const parts: BodyParts = {
    header: member.header,
    declarations: collector.declarations(),
    tail: `const __floe_hooks = {\n${member.node.getText()}\n};`,
    tailText: member.node.getText(),
    tailAt,
    imports: runtimeImports(file),
    exports: ["__floe_hooks", "__floe_runHook"],
    entry: (names) => `return ${names.__floe_runHook}(snowflake, ${names.__floe_hooks}, ${step}${args});`,
    subject: member.subject,
    argumentNames: member.argumentNames,
  };
  return { diagnostics: [], parts };
}

/** The body of a prepared hook: bundled, protected against `$$` and checked. */
export function completeHookMember(prepared: PreparedHookMember): { body: string; diagnostics: SourceDiagnostic[] } {
  return prepared.parts === undefined ? { body: "", diagnostics: prepared.diagnostics } : { body: buildBody(prepared.parts), diagnostics: [] };
}

/** The body of a hook procedure: the hook, what it uses, and the adapter from `ctx.sql` to `snowflake`. */
export function compileHookMember(member: HookMember, _project?: Project): { body: string; diagnostics: SourceDiagnostic[] } {
  return completeHookMember(prepareHookMember(member));
}

export { HOOK_API_FILE };
