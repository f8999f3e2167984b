/**
 * The hooks reader: reads a hooks file, type-checks it against the hook API, finds its
 * `defineResumeHooks` / `definePauseHooks` exports and compiles each hook into a procedure body.
 *
 * Everything it refuses comes back at once as a SourceError with file:line:col and the line.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Node, type CallExpression, type Project, type SourceFile } from "ts-morph";
import { FloeError, locate, SourceError, type SourceDiagnostic } from "./errors";
import { HOOK_API_NAMES, compileHookMember, loadSourceFile, toSourceDiagnostic } from "./compile/procedure-code";
import { sharedProject } from "./compile/project";

export type HookKind = "resume" | "pause";
export type HookStep = "validate" | "internal";

/** One compiled hook: plain data, no ts-morph nodes. */
export interface CompiledHook {
  readonly kind: HookKind;
  readonly step: HookStep;
  /** The procedure it becomes, e.g. `PUBLIC.RESUME_CONNECTOR_VALIDATE`. */
  readonly procedure: string;
  /** Absolute path of the hooks file. */
  readonly file: string;
  readonly line: number;
  /** The JavaScript procedure body. */
  readonly body: string;
}

const DEFINERS: Record<string, HookKind> = { defineResumeHooks: "resume", definePauseHooks: "pause" };
const STEPS: readonly HookStep[] = ["validate", "internal"];

export function hookProcedure(kind: HookKind, step: HookStep): string {
  return `PUBLIC.${kind.toUpperCase()}_CONNECTOR_${step.toUpperCase()}`;
}

/** TypeScript codes that mean "this function can end without returning". */
const MISSING_RETURN_CODES = new Set([7030, 2366]);
/** TypeScript "cannot find name" codes; the closure check reports those names more clearly. */
const UNKNOWN_NAME_CODES = new Set([2304, 2580, 2591, 2584, 2552, 2582]);

function diagnosticAt(node: Node, message: string): SourceDiagnostic {
  const file = node.getSourceFile();
  return locate(file.getFilePath(), file.getFullText(), node.getStart(), message);
}

/** The `defineXHooks(...)` call an export is, or undefined. */
function definerCall(node: Node | undefined): { call: CallExpression; kind: HookKind } | undefined {
  if (node === undefined || !Node.isCallExpression(node)) return undefined;
  const callee = node.getExpression();
  if (!Node.isIdentifier(callee)) return undefined;
  const kind = DEFINERS[callee.getText()];
  return kind === undefined ? undefined : { call: node, kind };
}

function checkImports(file: SourceFile, diagnostics: SourceDiagnostic[]): void {
  for (const decl of file.getImportDeclarations()) {
    const specifier = decl.getModuleSpecifierValue();
    if (specifier !== "floe") {
      diagnostics.push(
        diagnosticAt(decl, `hooks may import only the hook API from "floe", not '${specifier}': the code runs inside Snowflake, where no other module exists.`),
      );
      continue;
    }
    if (decl.getNamespaceImport() !== undefined || decl.getDefaultImport() !== undefined) {
      diagnostics.push(diagnosticAt(decl, `import the hook API by name: import { defineResumeHooks, ok, error, rollback } from "floe".`));
    }
    for (const named of decl.getNamedImports()) {
      if (!HOOK_API_NAMES.has(named.getName())) {
        diagnostics.push(diagnosticAt(named, `'${named.getName()}' is not part of the hook API; hooks may import ${[...HOOK_API_NAMES].slice(0, 5).join(", ")} and its types.`));
      }
    }
  }
  for (const decl of file.getExportDeclarations()) {
    if (decl.getModuleSpecifier() !== undefined) diagnostics.push(diagnosticAt(decl, "a hooks file cannot re-export other modules."));
  }
}

/** Finds the exported definer calls: `export default defineResumeHooks({...})`, `export const x = definePauseHooks({...})`. */
function findDefinitions(file: SourceFile, diagnostics: SourceDiagnostic[]): { call: CallExpression; kind: HookKind }[] {
  const found: { call: CallExpression; kind: HookKind }[] = [];
  for (const statement of file.getStatements()) {
    if (Node.isExportAssignment(statement)) {
      const definition = definerCall(statement.getExpression());
      if (definition !== undefined) found.push(definition);
    } else if (Node.isVariableStatement(statement)) {
      for (const decl of statement.getDeclarations()) {
        const definition = definerCall(decl.getInitializer());
        if (definition === undefined) continue;
        if (!statement.isExported()) {
          diagnostics.push(diagnosticAt(decl, `these hooks are not exported; export them (export const ${decl.getName()} = ...) or floe will not find them.`));
          continue;
        }
        found.push(definition);
      }
    }
  }
  // A definer call anywhere else (inside a function, not exported) would be silently ignored.
  file.forEachDescendant((node) => {
    const definition = definerCall(node);
    if (definition === undefined || found.some((f) => f.call === node)) return;
    const parent = node.getParent();
    const handled = parent !== undefined && Node.isVariableDeclaration(parent) && parent.getVariableStatement()?.getParent() === file;
    if (!handled) diagnostics.push(diagnosticAt(node, "hooks must be defined at the top level and exported (export default or export const)."));
  });
  return found;
}

function membersOf(call: CallExpression, kind: HookKind, diagnostics: SourceDiagnostic[]): { step: HookStep; node: Node }[] {
  const args = call.getArguments();
  const literal = args[0];
  if (args.length !== 1 || !Node.isObjectLiteralExpression(literal)) {
    diagnostics.push(diagnosticAt(call, `pass the ${kind} hooks to ${call.getExpression().getText()} as an object literal: { validate(ctx) {...}, internal(ctx) {...} }.`));
    return [];
  }
  const members: { step: HookStep; node: Node }[] = [];
  for (const property of literal.getProperties()) {
    if (Node.isSpreadAssignment(property)) {
      diagnostics.push(diagnosticAt(property, "spread hooks are not supported; name each hook: validate, internal."));
      continue;
    }
    const name = property.getNameNode().getText().replace(/^["']|["']$/g, "");
    if (!STEPS.includes(name as HookStep)) {
      diagnostics.push(diagnosticAt(property, `unknown hook '${name}'; the hooks are 'validate' and 'internal'.`));
      continue;
    }
    if (Node.isGetAccessorDeclaration(property) || Node.isSetAccessorDeclaration(property)) {
      diagnostics.push(diagnosticAt(property, `hook '${name}' must be a function, not an accessor.`));
      continue;
    }
    members.push({ step: name as HookStep, node: property });
  }
  return members;
}

/** Type errors of the hooks file, with clearer words for a hook that can end without an answer. */
function typeDiagnostics(file: SourceFile, members: { step: HookStep; node: Node }[]): SourceDiagnostic[] {
  const result: SourceDiagnostic[] = [];
  for (const d of file.getPreEmitDiagnostics()) {
    if (d.getSourceFile() !== undefined && d.getSourceFile() !== file) {
      result.push(toSourceDiagnostic(d, file));
      continue;
    }
    if (UNKNOWN_NAME_CODES.has(d.getCode())) continue;
    const start = d.getStart() ?? 0;
    const member = members.find((m) => start >= m.node.getStart() && start < m.node.getEnd());
    if (member !== undefined && (MISSING_RETURN_CODES.has(d.getCode()) || /undefined.* is not assignable to type 'HookAnswer'/.test(toSourceDiagnostic(d, file).message))) {
      result.push(locate(file.getFilePath(), file.getFullText(), start, `hook '${member.step}' does not return an answer on every path; end each path with return ok(), error(...) or rollback(...).`));
      continue;
    }
    result.push(toSourceDiagnostic(d, file));
  }
  return result;
}

function dedupe(diagnostics: SourceDiagnostic[]): SourceDiagnostic[] {
  const seen = new Set<string>();
  return diagnostics
    .filter((d) => {
      const key = `${d.file}:${d.line}:${d.column}:${d.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * Reads one hooks file and compiles its hooks. Throws SourceError listing every problem, or
 * FloeError when the file cannot be read.
 */
export function readHooksFile(hooksFile: string, project: Project = sharedProject(), root: string = process.cwd()): CompiledHook[] {
  const file = path.resolve(hooksFile);
  if (!fs.existsSync(file)) throw new FloeError(`hooks file ${hooksFile} does not exist.`);
  if (!/\.(ts|mts|cts)$/.test(file)) throw new FloeError(`hooks file ${hooksFile} must be a TypeScript file (.ts).`);
  const source = loadSourceFile(project, file);
  project.resolveSourceFileDependencies();
  const diagnostics: SourceDiagnostic[] = [];
  checkImports(source, diagnostics);
  const definitions = findDefinitions(source, diagnostics);
  const seen = new Map<HookKind, CallExpression>();
  const members: { kind: HookKind; step: HookStep; node: Node }[] = [];
  for (const definition of definitions) {
    const earlier = seen.get(definition.kind);
    if (earlier !== undefined) {
      diagnostics.push(diagnosticAt(definition.call, `${definition.kind} hooks are defined twice in this file (first at line ${earlier.getStartLineNumber()}).`));
      continue;
    }
    seen.set(definition.kind, definition.call);
    for (const member of membersOf(definition.call, definition.kind, diagnostics)) members.push({ kind: definition.kind, ...member });
  }
  diagnostics.push(...typeDiagnostics(source, members));
  if (definitions.length === 0 && diagnostics.length === 0) {
    throw new FloeError(`hooks file ${hooksFile} defines no hooks: export defineResumeHooks({...}) or definePauseHooks({...}).`);
  }
  const compiled: CompiledHook[] = [];
  // Shown in the rendered body: relative to the connector's root, so renders do not depend on the cwd.
  const relative = path.relative(root, file);
  for (const member of members) {
    const line = member.node.getStartLineNumber();
    const procedure = hookProcedure(member.kind, member.step);
    const result = compileHookMember(
      {
        node: member.node,
        step: member.step,
        hooksFile: file,
        subject: `hook '${member.step}'`,
        // No line number: a hook that only moves within its file must not change its body (a
        // changed body is a new patch and an upgrade).
        header: `// Generated by floe render from ${relative.split(path.sep).join("/")} (${member.kind} ${member.step}); do not edit.`,
      },
      project,
    );
    diagnostics.push(...result.diagnostics);
    if (result.diagnostics.length === 0 && diagnostics.length === 0) {
      compiled.push({ kind: member.kind, step: member.step, procedure, file, line, body: result.body });
    }
  }
  if (diagnostics.length > 0) throw new SourceError(dedupe(diagnostics));
  return compiled;
}

/** Reads several hooks files; a kind and step defined in two files is an error naming both. */
export function readHooksFiles(files: readonly string[], root: string = process.cwd(), project: Project = sharedProject()): CompiledHook[] {
  const all: CompiledHook[] = [];
  const problems: string[] = [];
  const errors: SourceDiagnostic[] = [];
  for (const file of files) {
    try {
      for (const hook of readHooksFile(file, project, root)) {
        const clash = all.find((h) => h.procedure === hook.procedure);
        if (clash !== undefined) {
          problems.push(`${hook.procedure} is defined by two hooks files: ${clash.file}:${clash.line} and ${hook.file}:${hook.line}.`);
          continue;
        }
        all.push(hook);
      }
    } catch (e) {
      if (e instanceof SourceError) errors.push(...e.diagnostics);
      else throw e;
    }
  }
  if (errors.length > 0) throw new SourceError(errors);
  if (problems.length > 0) throw new FloeError(problems.join("\n"));
  return all;
}

