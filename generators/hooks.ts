/**
 * The hooks reader: reads a hooks file, type-checks it against the hook API, finds its
 * `define*Hooks` exports (HOOK_KINDS) and compiles each hook into a procedure body.
 *
 * Everything it refuses comes back at once as a SourceError with file:line:col and the line.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Node, SyntaxKind, ts, type CallExpression, type Project, type SourceFile } from "ts-morph";
import { FloeError, locate, SourceError, type SourceDiagnostic } from "../errors";
import { HOOK_API_NAMES, completeHookMember, loadSourceFile, prepareHookMember, toSourceDiagnostic } from "./compile/procedure-code";
import { BODY_SOURCEFILE, bodySource, regexMayFollow } from "./compile/body";
import { prefetchBundles } from "./compile/bundle";
import { commentText } from "./compile/comment";
import { sharedProject } from "./compile/project";
import { qualifiedName } from "./procedures";
import { checkHooksPath, HOOK_KINDS, hookProcedureSpec, type CompiledHook, type HookKind, type HookStep } from "./hook-kinds";

export { HOOK_KINDS, hookProcedure, hookProcedureSpec, type CompiledHook, type HookKind, type HookStep } from "./hook-kinds";

const DEFINERS: Record<string, HookKind> = Object.fromEntries(
  (Object.keys(HOOK_KINDS) as HookKind[]).map((kind) => [HOOK_KINDS[kind].definer, kind]),
);

function listed(items: readonly string[]): string {
  const quoted = items.map((i) => `'${i}'`);
  return quoted.length <= 1 ? quoted.join("") : `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`;
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
    const shape = HOOK_KINDS[kind].steps.map((step) => `${step}(ctx) {...}`).join(", ");
    diagnostics.push(diagnosticAt(call, `pass the ${kind} hooks to ${call.getExpression().getText()} as an object literal: { ${shape} }.`));
    return [];
  }
  const steps = HOOK_KINDS[kind].steps;
  const members: { step: HookStep; node: Node }[] = [];
  for (const property of literal.getProperties()) {
    if (Node.isSpreadAssignment(property)) {
      diagnostics.push(diagnosticAt(property, `spread hooks are not supported; name each hook: ${steps.join(", ")}.`));
      continue;
    }
    const name = property.getNameNode().getText().replace(/^["']|["']$/g, "");
    if (!steps.includes(name as HookStep)) {
      diagnostics.push(diagnosticAt(property, `unknown ${kind} hook '${name}'; the ${kind} hooks are ${listed(steps)}.`));
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
    if (member !== undefined && (MISSING_RETURN_CODES.has(d.getCode()) || /undefined.* is not assignable to type '(HookAnswer|ConnectionValidation)\b/.test(toSourceDiagnostic(d, file).message))) {
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
 * Brackets may nest this deep in a hooks file. TypeScript's parser and checker recurse once per
 * level and overflow the stack near a thousand; real hooks stay far below this limit.
 */
export const MAX_NESTING = 128;

const OPENERS = new Set([ts.SyntaxKind.OpenParenToken, ts.SyntaxKind.OpenBracketToken, ts.SyntaxKind.OpenBraceToken, ts.SyntaxKind.TemplateHead]);
const CLOSERS = new Set([ts.SyntaxKind.CloseParenToken, ts.SyntaxKind.CloseBracketToken, ts.SyntaxKind.CloseBraceToken, ts.SyntaxKind.TemplateTail]);

/**
 * Finds brackets nested deeper than {@link MAX_NESTING}, with a flat scan, before TypeScript
 * parses the file: 20,000 nested parentheses must give a located error, not a stack overflow.
 */
function checkNesting(file: string, text: string): SourceDiagnostic | undefined {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  let depth = 0;
  let previous: ts.SyntaxKind | undefined;
  // Brace depth at which each open template substitution started.
  const templates: number[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if ((kind === ts.SyntaxKind.SlashToken || kind === ts.SyntaxKind.SlashEqualsToken) && regexMayFollow(previous)) kind = scanner.reScanSlashToken();
    else if (kind === ts.SyntaxKind.CloseBraceToken && templates.length > 0 && templates[templates.length - 1] === depth) {
      // The end of a substitution: the template goes on (TemplateMiddle) or ends (TemplateTail).
      kind = scanner.reScanTemplateToken(false);
      if (kind === ts.SyntaxKind.TemplateTail) templates.pop();
    }
    if (kind === ts.SyntaxKind.TemplateHead) templates.push(depth + 1);
    if (OPENERS.has(kind)) {
      depth++;
      if (depth > MAX_NESTING) {
        return locate(file, text, scanner.getTokenStart(), `brackets nest more than ${MAX_NESTING} levels deep here; TypeScript cannot check code this deep. Split the expression into named constants or functions.`);
      }
    } else if (CLOSERS.has(kind)) depth = Math.max(0, depth - 1);
    previous = kind;
  }
  return undefined;
}

/** Comments that switch TypeScript's checks off: floe's checks stand on them. */
const DIRECTIVE = /@ts-(ignore|nocheck|expect-error)\b/i;

/**
 * Refuses `@ts-ignore`, `@ts-expect-error` and `@ts-nocheck`: they silence the type errors floe
 * relies on (a hook that does not answer on every path passes with `@ts-nocheck`), and can hide
 * code that cannot run inside Snowflake. Both the directives TypeScript itself honours and any
 * comment that names one are reported.
 */
function checkDirectives(file: SourceFile, diagnostics: SourceDiagnostic[]): void {
  // Both are fields of TypeScript's source file that its public typings leave out.
  const compiler = file.compilerNode as ts.SourceFile & {
    commentDirectives?: { range: ts.TextRange }[];
    checkJsDirective?: { pos: number; end: number; enabled: boolean };
  };
  const text = file.getFullText();
  const seen = new Set<number>();
  const report = (pos: number, comment: string) => {
    if (seen.has(pos)) return;
    seen.add(pos);
    const name = DIRECTIVE.exec(comment)?.[0] ?? "@ts-nocheck";
    diagnostics.push(
      locate(file.getFilePath(), text, pos, `'${name}' is not allowed in a hooks file: it switches off the type checks that floe relies on to compile hooks that run inside Snowflake. Fix the error it hides instead.`),
    );
  };
  for (const directive of compiler.commentDirectives ?? []) report(directive.range.pos, text.slice(directive.range.pos, directive.range.end));
  const checkJs = compiler.checkJsDirective;
  if (checkJs !== undefined && !checkJs.enabled) report(checkJs.pos, text.slice(checkJs.pos, checkJs.end));
  const visitToken = (pos: number) => {
    for (const range of ts.getLeadingCommentRanges(text, pos) ?? []) {
      const comment = text.slice(range.pos, range.end);
      if (DIRECTIVE.test(comment)) report(range.pos, comment);
    }
  };
  const walk = (node: ts.Node) => {
    visitToken(node.pos);
    for (const child of node.getChildren(compiler)) walk(child);
  };
  walk(compiler);
  visitToken(compiler.endOfFileToken.pos);
}

/** Refuses `import()` and `import.meta`: there are no modules to load inside Snowflake, and the sandbox must not load the host's. */
function checkDynamicCode(file: SourceFile, diagnostics: SourceDiagnostic[]): void {
  file.forEachDescendant((node) => {
    if (Node.isCallExpression(node) && node.getExpression().getKind() === SyntaxKind.ImportKeyword) {
      diagnostics.push(diagnosticAt(node, "dynamic import() is not allowed in a hooks file: a procedure cannot load modules inside Snowflake. Use only the hook API and code of this file."));
    } else if (Node.isMetaProperty(node) && node.getKeywordToken() === SyntaxKind.ImportKeyword) {
      diagnostics.push(diagnosticAt(node, "import.meta is not allowed in a hooks file: a procedure inside Snowflake is not a module."));
    }
  });
}

/**
 * Reads one hooks file and compiles its hooks. Throws SourceError listing every problem, or
 * FloeError when the file cannot be read.
 */
export function readHooksFile(hooksFile: string, project: Project = sharedProject(), root: string = process.cwd()): CompiledHook[] {
  const file = path.resolve(hooksFile);
  checkHooksPath(hooksFile, file);
  const nesting = checkNesting(file, fs.readFileSync(file, "utf8"));
  if (nesting !== undefined) throw new SourceError([nesting]);
  try {
    return readCheckedHooksFile(hooksFile, file, project, root);
  } catch (e) {
    // A limit the nesting scan does not see (a very long chain of operators, say).
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throw new FloeError(`hooks file ${hooksFile}: TypeScript ran out of stack reading it (code nested too deeply); split deeply nested expressions into named constants or functions.`);
    }
    throw e;
  }
}

function readCheckedHooksFile(hooksFile: string, file: string, project: Project, root: string): CompiledHook[] {
  const source = loadSourceFile(project, file);
  project.resolveSourceFileDependencies();
  const diagnostics: SourceDiagnostic[] = [];
  checkDirectives(source, diagnostics);
  checkDynamicCode(source, diagnostics);
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
    throw new FloeError(`hooks file ${hooksFile} defines no hooks: export one of ${Object.values(HOOK_KINDS).map((k) => `${k.definer}({...})`).join(", ")}.`);
  }
  const compiled: CompiledHook[] = [];
  // Shown in the rendered body: relative to the connector's root, so renders do not depend on the cwd.
  const relative = path.relative(root, file);
  // First what every hook uses, checked, and the source of its body; then the bodies, whose
  // bundles the bundler builds together meanwhile (prefetchBundles). Problems come out as they
  // would hook by hook: a hook after one with problems is only checked.
  let problems = diagnostics.length;
  const prepared = members.map((member) => {
    const spec = hookProcedureSpec(member.kind, member.step);
    const result = prepareHookMember({
      node: member.node,
      step: member.step,
      argumentNames: spec.args.map((a) => a.name),
      hooksFile: file,
      subject: `hook '${member.step}'`,
      // No line number: a hook that only moves within its file must not change its body (a
      // changed body is a new patch and an upgrade).
      header: `// Generated by floe render from ${commentText(relative.split(path.sep).join("/"))} (${member.kind} ${member.step}); do not edit.`,
      // With errors already found the file is refused anyway: check what the hook uses, but
      // do not build a body from code that may not even parse.
      checkOnly: problems > 0,
    });
    problems += result.diagnostics.length;
    return result;
  });
  prefetchBundles(prepared.flatMap((p) => (p.parts === undefined ? [] : [{ source: bodySource(p.parts), sourcefile: BODY_SOURCEFILE }])));
  for (const [i, member] of members.entries()) {
    const line = member.node.getStartLineNumber();
    const procedure = qualifiedName(hookProcedureSpec(member.kind, member.step));
    const result = completeHookMember(prepared[i]);
    diagnostics.push(...result.diagnostics);
    if (result.diagnostics.length === 0 && diagnostics.length === 0) {
      compiled.push({ kind: member.kind, step: member.step, procedure, file, line, body: result.body });
    }
  }
  if (diagnostics.length > 0) throw new SourceError(dedupe(diagnostics));
  return compiled;
}

/**
 * Adds the hooks files a render is about to compile to the project together, so that they are
 * checked in one program, built once; a file that cannot be read, or is nested too deeply to
 * parse, is left for readHooksFile to report.
 */
export function loadHooksFiles(hooksFiles: readonly string[], project: Project = sharedProject()): void {
  for (const hooksFile of hooksFiles) {
    const file = path.resolve(hooksFile);
    try {
      checkHooksPath(hooksFile, file);
      // Nesting too deep for the parser: readHooksFile reports it, before parsing.
      if (checkNesting(file, fs.readFileSync(file, "utf8")) !== undefined) continue;
      loadSourceFile(project, file);
    } catch (e) {
      if (e instanceof FloeError || e instanceof RangeError) continue;
      throw e;
    }
  }
}

/**
 * Drops hooks files from the project once their hooks are compiled, so that the next render's
 * files are checked in a program of the hook API, the library and themselves: a program that
 * kept every file checked before would be rebuilt, larger each time, for every new one. (The
 * files stay on disk; a later check reads them again.)
 */
export function releaseHooksFiles(hooksFiles: readonly string[], project: Project = sharedProject()): void {
  for (const hooksFile of hooksFiles) {
    const source = project.getSourceFile(path.resolve(hooksFile));
    if (source !== undefined) project.removeSourceFile(source);
  }
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

