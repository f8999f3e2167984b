/**
 * Collects what a piece of code needs to run on its own: every top-level function, constant
 * and class it references, transitively and across files, in an order where each declaration
 * comes after what it uses. This is how both a user's hook and a lifecycle entry point become
 * one self-contained procedure body.
 *
 * While walking it refuses what cannot run inside a Snowflake JavaScript procedure: async
 * code, promises and timers, Node globals, and top-level `let`/`var` state.
 */
import * as path from "node:path";
import { Node, SyntaxKind, ts, type SourceFile, type Statement, type Type } from "ts-morph";
import { locate, type SourceDiagnostic } from "../../errors";

/** Decides which files' declarations may be collected and which imports are allowed. */
export interface ClosurePolicy {
  /** True when top-level declarations of this file may be compiled into the procedure. */
  collectable(file: SourceFile): boolean;
  /**
   * True when the bundler brings this file's code into the procedure itself (the hook API):
   * what it declares is neither collected nor refused.
   */
  provided(file: SourceFile): boolean;
  /** Returns an error message for a disallowed import, or null. */
  checkImport(moduleSpecifier: string, importedName: string, file: SourceFile): string | null;
  /** Describes the code being compiled in messages, e.g. "hook 'validate'". */
  readonly subject: string;
}

export interface CollectedDeclaration {
  readonly file: string;
  readonly names: readonly string[];
  /** TypeScript text of the declaration without `export` / `default`. */
  readonly text: string;
  /** Where the declaration starts, and its text as written: for messages about it. */
  readonly at: Omit<SourceDiagnostic, "message">;
  readonly source: string;
}

/** Names that exist in Node but not in Snowflake's JavaScript runtime. */
const NODE_GLOBALS = new Set([
  "process",
  "require",
  "module",
  "exports",
  "Buffer",
  "__dirname",
  "__filename",
  "global",
  "fs",
  "console",
  "fetch",
  "URL",
  "TextEncoder",
  "TextDecoder",
  "structuredClone",
]);

/** Names of asynchronous machinery: a procedure returns before any of it would run. */
const ASYNC_GLOBALS = new Set(["Promise", "setTimeout", "setInterval", "setImmediate", "queueMicrotask", "clearTimeout", "clearInterval"]);

function isTypePosition(node: Node): boolean {
  let current: Node | undefined = node;
  while (current !== undefined && !Node.isSourceFile(current)) {
    const parent: Node | undefined = current.getParent();
    if (ts.isTypeNode(current.compilerNode)) {
      // `class A extends B` names a value even though the syntax is a type node.
      if (Node.isExpressionWithTypeArguments(current)) {
        const clause = current.getParent();
        if (Node.isHeritageClause(clause) && clause.getToken() === SyntaxKind.ExtendsKeyword && Node.isClassDeclaration(clause.getParent())) {
          return false;
        }
      }
      return true;
    }
    if (Node.isStatement(current) || Node.isExpressionStatement(current)) return false;
    current = parent;
  }
  return false;
}

/** True when `id` is a property or member name rather than a reference. */
function isMemberName(id: Node): boolean {
  const parent = id.getParent();
  if (parent === undefined) return false;
  if (Node.isPropertyAccessExpression(parent)) return parent.getNameNode() === id;
  if (Node.isQualifiedName(parent)) return parent.getRight() === id;
  if (
    Node.isPropertyAssignment(parent) ||
    Node.isMethodDeclaration(parent) ||
    Node.isPropertyDeclaration(parent) ||
    Node.isPropertySignature(parent) ||
    Node.isMethodSignature(parent) ||
    Node.isGetAccessorDeclaration(parent) ||
    Node.isSetAccessorDeclaration(parent) ||
    Node.isEnumMember(parent)
  ) {
    return parent.getNameNode() === id;
  }
  if (Node.isBindingElement(parent)) return parent.getPropertyNameNode() === id;
  return false;
}

/** True when `id` names a label (`outer:`, `break outer`, `continue outer`), which is not a reference. */
function isLabel(id: Node): boolean {
  const parent = id.getParent();
  if (Node.isLabeledStatement(parent)) return parent.getLabel() === id;
  return Node.isBreakStatement(parent) || Node.isContinueStatement(parent);
}

/** Methods that change the array, map, set or date they are called on. */
const MUTATING_METHODS = new Set(["push", "pop", "shift", "unshift", "splice", "sort", "reverse", "fill", "copyWithin", "set", "add", "delete", "clear"]);
const MUTABLE_COLLECTIONS = new Set(["Map", "Set", "WeakMap", "WeakSet", "Date"]);
/** Functions that change the object passed first. */
const MUTATING_CALLS = /^(Object\.(assign|defineProperty|defineProperties|setPrototypeOf)|Reflect\.(set|defineProperty|deleteProperty|setPrototypeOf))$/;

function isMutableCollection(type: Type): boolean {
  if (type.isUnion()) return type.getUnionTypes().some(isMutableCollection);
  if (type.isArray() || type.isTuple()) return true;
  const name = (type.getSymbol() ?? type.getAliasSymbol())?.getName();
  return name !== undefined && MUTABLE_COLLECTIONS.has(name);
}

function isAssignmentOperator(kind: SyntaxKind): boolean {
  return kind >= SyntaxKind.FirstAssignment && kind <= SyntaxKind.LastAssignment;
}

/**
 * When `id` (a reference to a top-level constant) is the root of a write to what the constant
 * holds, the text of that write: `S.n++`, `A.push(1)`, `delete S.k`, `Object.assign(S, x)`.
 * Aliases (`const t = S; t.n++`) and writes inside functions it is passed to are not followed.
 */
function mutationAt(id: Node): Node | undefined {
  let top: Node = id;
  let accessed = false;
  for (;;) {
    const parent = top.getParent();
    if ((Node.isPropertyAccessExpression(parent) || Node.isElementAccessExpression(parent)) && parent.getExpression() === top) {
      top = parent;
      accessed = true;
    } else if (Node.isNonNullExpression(parent) || Node.isParenthesizedExpression(parent) || Node.isAsExpression(parent) || Node.isSatisfiesExpression(parent) || Node.isTypeAssertion(parent)) {
      top = parent;
    } else break;
  }
  const parent = top.getParent();
  if (accessed) {
    if (Node.isBinaryExpression(parent) && parent.getLeft() === top && isAssignmentOperator(parent.getOperatorToken().getKind())) return parent;
    if ((Node.isPrefixUnaryExpression(parent) || Node.isPostfixUnaryExpression(parent)) && [SyntaxKind.PlusPlusToken, SyntaxKind.MinusMinusToken].includes(parent.getOperatorToken())) return parent;
    if (Node.isDeleteExpression(parent)) return parent;
    if (Node.isPropertyAccessExpression(top) && Node.isCallExpression(parent) && parent.getExpression() === top) {
      const method = top.getName();
      if ((MUTATING_METHODS.has(method) || /^set[A-Z]/.test(method)) && isMutableCollection(top.getExpression().getType())) return parent;
    }
  }
  if (Node.isCallExpression(parent) && parent.getArguments()[0] === top && MUTATING_CALLS.test(parent.getExpression().getText())) return parent;
  return undefined;
}

function topLevelStatement(node: Node): Statement | undefined {
  let current: Node | undefined = node;
  while (current !== undefined) {
    const parent = current.getParent();
    if (parent !== undefined && Node.isSourceFile(parent)) return Node.isStatement(current) ? current : undefined;
    current = parent;
  }
  return undefined;
}

function isTypeOnly(statement: Statement): boolean {
  return Node.isInterfaceDeclaration(statement) || Node.isTypeAliasDeclaration(statement);
}

function declaredNames(statement: Statement): string[] {
  if (Node.isVariableStatement(statement)) return statement.getDeclarations().map((d) => d.getName());
  if (Node.isFunctionDeclaration(statement) || Node.isClassDeclaration(statement) || Node.isEnumDeclaration(statement)) {
    const name = statement.getName();
    return name === undefined ? [] : [name];
  }
  return [];
}

/** The statement's text with its `export` and `default` keywords cut out. */
function withoutExport(statement: Statement): string {
  const text = statement.getText();
  const start = statement.getStart();
  const cuts: [number, number][] = [];
  if (Node.isModifierable(statement)) {
    for (const modifier of statement.getModifiers()) {
      const kind = modifier.getKind();
      if (kind === SyntaxKind.ExportKeyword || kind === SyntaxKind.DefaultKeyword) {
        cuts.push([modifier.getStart() - start, modifier.getEnd() - start]);
      }
    }
  }
  let result = text;
  for (const [from, to] of cuts.reverse()) {
    let end = to;
    while (end < result.length && /\s/.test(result[end])) end++;
    result = result.slice(0, from) + result.slice(end);
  }
  return result;
}

function isInLib(file: SourceFile): boolean {
  return file.isDeclarationFile() && /[\\/]typescript[\\/]lib[\\/]lib\.[^\\/]+\.d\.ts$/.test(file.getFilePath());
}

export class ClosureCollector {
  private readonly ordered: CollectedDeclaration[] = [];
  private readonly visited = new Set<Statement>();
  private readonly inProgress = new Set<Statement>();
  private readonly byName = new Map<string, string>();
  readonly diagnostics: SourceDiagnostic[] = [];

  constructor(private readonly policy: ClosurePolicy) {}

  private report(node: Node, message: string): void {
    const file = node.getSourceFile();
    const d = locate(file.getFilePath(), file.getFullText(), node.getStart(), message);
    if (!this.diagnostics.some((x) => x.file === d.file && x.line === d.line && x.column === d.column && x.message === d.message)) {
      this.diagnostics.push(d);
    }
  }

  /** Walks `root` (a hook function, an entry function) and collects what it references. */
  addRoot(root: Node): void {
    this.walk(root, root);
  }

  /** Collects a top-level declaration itself, with everything it references. */
  addDeclaration(statement: Statement): void {
    this.collect(statement);
  }

  /** The collected declarations, each after the ones it depends on. */
  declarations(): readonly CollectedDeclaration[] {
    return this.ordered;
  }

  private walk(scope: Node, owner: Node): void {
    const subject = this.policy.subject;
    const visit = (node: Node): void => {
      const kind = node.getKind();
      if (kind === SyntaxKind.AsyncKeyword) {
        this.report(node, `${subject} uses an async function; Snowflake runs procedures synchronously, so hooks must be plain functions.`);
        return;
      }
      if (kind === SyntaxKind.AwaitExpression) {
        this.report(node, `${subject} uses await; Snowflake runs procedures synchronously (ctx.sql already returns the rows).`);
        return;
      }
      if (kind === SyntaxKind.ThisKeyword && owner === scope && !this.insideClass(node, owner)) {
        this.report(node, `${subject} uses 'this'; write hooks as functions that use only their ctx argument.`);
        return;
      }
      if (Node.isShorthandPropertyAssignment(node)) {
        const symbol = node.getValueSymbol();
        if (symbol !== undefined) this.resolve(node.getNameNode(), symbol.getDeclarations(), owner, node.getName());
        return;
      }
      if (Node.isIdentifier(node)) this.identifier(node, owner);
    };
    // The scope itself counts too: a hook given as a shorthand property (`{ validate }`) is one node.
    visit(scope);
    scope.forEachDescendant(visit);
  }

  private insideClass(node: Node, owner: Node): boolean {
    for (let n: Node | undefined = node.getParent(); n !== undefined && n !== owner.getParent(); n = n.getParent()) {
      if (Node.isClassDeclaration(n) || Node.isClassExpression(n)) return true;
    }
    return false;
  }

  private identifier(id: Node, owner: Node): void {
    if (isMemberName(id) || isTypePosition(id) || isLabel(id)) return;
    const parent = id.getParent();
    if (parent !== undefined && (Node.isImportSpecifier(parent) || Node.isImportClause(parent) || Node.isNamespaceImport(parent))) return;
    const name = id.getText();
    const symbol = id.getSymbol();
    if (symbol === undefined) {
      this.checkGlobal(id, name, true);
      return;
    }
    let declarations = symbol.getDeclarations();
    if (symbol.isAlias()) {
      for (const d of declarations) this.checkImportDeclaration(d, name);
      declarations = symbol.getAliasedSymbol()?.getDeclarations() ?? [];
    }
    this.resolve(id, declarations, owner, name);
  }

  private checkImportDeclaration(declaration: Node, name: string): void {
    const importDecl = declaration.getFirstAncestorByKind(SyntaxKind.ImportDeclaration);
    if (importDecl === undefined) return;
    const problem = this.policy.checkImport(importDecl.getModuleSpecifierValue(), name, importDecl.getSourceFile());
    if (problem !== null) this.report(declaration, problem);
  }

  private checkGlobal(id: Node, name: string, undeclared: boolean): void {
    const subject = this.policy.subject;
    if (NODE_GLOBALS.has(name)) {
      this.report(id, `${subject} uses '${name}', a Node.js global that Snowflake's JavaScript runtime does not have.`);
    } else if (ASYNC_GLOBALS.has(name)) {
      this.report(id, `${subject} uses '${name}'; promises and timers never run inside a Snowflake procedure, which returns synchronously.`);
    } else if (undeclared) {
      this.report(id, `${subject} uses '${name}', which is not declared.`);
    }
  }

  private resolve(id: Node, declarations: Node[], owner: Node, name: string): void {
    for (const declaration of declarations) {
      const file = declaration.getSourceFile();
      if (this.policy.provided(file)) continue;
      if (file.isDeclarationFile()) {
        if (isInLib(file)) this.checkGlobal(id, name, false);
        else this.report(id, `${this.policy.subject} uses '${name}' from ${path.basename(file.getFilePath())}, which is not part of the hook API.`);
        continue;
      }
      // Declared inside the code being compiled: a local, a parameter.
      if (declaration === owner || declaration.getAncestors().includes(owner)) continue;
      if (Node.isImportSpecifier(declaration) || Node.isImportClause(declaration) || Node.isNamespaceImport(declaration)) continue;
      const statement = topLevelStatement(declaration);
      if (statement === undefined) {
        this.report(id, `${this.policy.subject} uses '${name}' from an enclosing function; only top-level functions and constants can be compiled into a procedure.`);
        continue;
      }
      if (isTypeOnly(statement)) continue;
      if (Node.isVariableStatement(statement) && statement.getDeclarationKind() !== "const") {
        this.report(
          id,
          `${this.policy.subject} reads '${name}', mutable outer state (declared with ${statement.getDeclarationKind()}); ` +
            "each procedure call starts fresh, so use a const or move it into the hook.",
        );
        continue;
      }
      if (Node.isVariableStatement(statement)) {
        const write = mutationAt(id);
        if (write !== undefined) {
          const text = write.getText().replace(/\s+/g, " ");
          this.report(
            id,
            `${this.policy.subject} changes '${name}', a top-level constant (${text.length > 60 ? text.slice(0, 57) + "..." : text}); ` +
              "each procedure call starts fresh inside Snowflake, so the change would not outlast the call. Use a local variable, or keep state in a table with ctx.sql.",
          );
          continue;
        }
      }
      if (!this.policy.collectable(file)) {
        this.report(id, `${this.policy.subject} uses '${name}' from ${file.getFilePath()}, which cannot be compiled into a procedure.`);
        continue;
      }
      this.collect(statement);
    }
  }

  private collect(statement: Statement): void {
    if (this.visited.has(statement) || this.inProgress.has(statement)) return;
    this.inProgress.add(statement);
    const file = statement.getSourceFile().getFilePath();
    for (const name of declaredNames(statement)) {
      const other = this.byName.get(name);
      if (other !== undefined && other !== file) {
        this.report(statement, `'${name}' is declared both here and in ${other}; names compiled into one procedure must be unique.`);
      }
      this.byName.set(name, file);
    }
    this.walk(statement, statement);
    this.inProgress.delete(statement);
    this.visited.add(statement);
    const { message: _unused, ...at } = locate(file, statement.getSourceFile().getFullText(), statement.getStart(), "");
    this.ordered.push({ file, names: declaredNames(statement), text: withoutExport(statement), at, source: statement.getText() });
  }
}
