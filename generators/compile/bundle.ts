/**
 * Procedure bodies as esbuild bundles: an entry (a lifecycle entry point, or one user hook with
 * the runtime that calls it) bundled with tree-shaking, so a body holds only the code reachable
 * from its entry, lowered to ECMAScript 2019 (Snowflake's JavaScript runtime), with no module
 * system and no Node API (platform "neutral": an import of a Node module fails the build).
 *
 * The bundle is an ES module whose last statement exports the entry; that statement is replaced
 * by the call Snowflake's wrapper returns (`return entry(snowflake, {...});`). esbuild renames a
 * symbol only when two modules declare the same name, so the export clause is read back to learn
 * the entry's final name. Output is deterministic: module order follows imports, paths in its
 * module comments are relative to floe's folder, and every other comment is dropped: those of
 * the sources (esbuild keeps some, inside object literals) and the `@__PURE__` annotations
 * esbuild writes, which mean nothing to Snowflake and only lengthen a body.
 */
import * as path from "node:path";
import { parse as parseJavaScript } from "acorn";
import type * as Esbuild from "esbuild";
import { FloeError } from "../../errors";
import { FLOE_ROOT } from "../floe-root";

/** The esbuild options every body is built with; part of every cache key of a body. */
export const BUNDLE_OPTIONS = {
  bundle: true,
  write: false,
  format: "esm",
  target: "es2019",
  platform: "neutral",
  treeShaking: true,
  legalComments: "none",
  charset: "ascii",
  logLevel: "silent",
  // TypeScript's own semantics for class fields at this target (declared fields are not emitted).
  tsconfigRaw: { compilerOptions: { useDefineForClassFields: false, verbatimModuleSyntax: false } },
} as const;

let esbuild: typeof Esbuild | undefined;

/** esbuild, loaded on first use (tsx, which loads connector.ts, has usually started it already). */
function load(): typeof Esbuild {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  esbuild ??= require("esbuild") as typeof Esbuild;
  return esbuild;
}

export interface Bundled {
  /** The declarations, without the export clause. */
  readonly code: string;
  /** Exported name → its name in `code`. */
  readonly names: Readonly<Record<string, string>>;
}

/** Splits the trailing `export { a, b as c };` off a bundle. */
function splitExports(text: string, subject: string): Bundled {
  const match = /(?:^|\n)export \{([^}]*)\};\s*$/.exec(text);
  if (match === null) throw new FloeError(`internal error: the bundle of ${subject} does not end with its export clause.`);
  const names: Record<string, string> = {};
  for (const part of match[1].split(",")) {
    const item = part.trim();
    if (item === "") continue;
    const [local, exported] = item.split(/\s+as\s+/);
    names[exported ?? local] = local;
  }
  return { code: text.slice(0, match.index).trimEnd(), names };
}

/**
 * Bundles `source` (TypeScript, which imports floe's lifecycle modules by paths relative to
 * floe's folder) and returns its declarations and exported names.
 */
export function bundleModule(source: string, subject: string, sourcefile = "entry.ts"): Bundled {
  let result: Esbuild.BuildResult<{ write: false }>;
  try {
    result = load().buildSync({
      ...BUNDLE_OPTIONS,
      tsconfigRaw: { ...BUNDLE_OPTIONS.tsconfigRaw },
      stdin: { contents: source, resolveDir: FLOE_ROOT, sourcefile, loader: "ts" },
      absWorkingDir: FLOE_ROOT,
    });
  } catch (e) {
    const errors = (e as { errors?: Esbuild.Message[] }).errors ?? [];
    const text = errors.length > 0 ? errors.map((m) => `${m.location === null ? "" : `${m.location.file}:${m.location.line}: `}${m.text}`).join("; ") : (e as Error).message;
    throw new FloeError(`internal error: floe could not bundle ${subject}: ${text}`);
  }
  const output = result.outputFiles?.[0]?.text ?? "";
  return splitExports(dropComments(output, subject), subject);
}

/** esbuild's `// lifecycle/flow.ts` line before each module's code: kept, it says where code comes from. */
const MODULE_MARKER = /^ [\w./-]+\.ts$/;

/** Removes every comment but the module markers; a line left empty by a removal goes too. */
export function dropComments(code: string, subject: string): string {
  const ranges: { start: number; end: number }[] = [];
  try {
    parseJavaScript(code, {
      ecmaVersion: "latest",
      sourceType: "module",
      onComment: (block, text, start, end) => {
        const atLineStart = start === 0 || code[start - 1] === "\n";
        if (!block && atLineStart && MODULE_MARKER.test(text)) return;
        ranges.push(widen(code, start, end, block));
      },
    });
  } catch (e) {
    throw new FloeError(`internal error: the bundle of ${subject} does not parse: ${(e as Error).message}`);
  }
  let out = "";
  let at = 0;
  for (const range of ranges) {
    out += code.slice(at, range.start);
    at = range.end;
  }
  return out + code.slice(at);
}

/**
 * The text a comment's removal takes: its whole line when the comment stands alone on it, else
 * the comment and, after an inline annotation (`(/* @__PURE__ *\/ new Date())`), one space.
 */
function widen(code: string, start: number, end: number, block: boolean): { start: number; end: number } {
  const lineStart = code.lastIndexOf("\n", start - 1) + 1;
  let lineEnd = code.indexOf("\n", end);
  if (lineEnd < 0) lineEnd = code.length;
  if (code.slice(lineStart, start).trim() === "" && code.slice(end, lineEnd).trim() === "") return { start: lineStart, end: Math.min(lineEnd + 1, code.length) };
  return { start, end: block && code[end] === " " ? end + 1 : end };
}

/** The import path of a lifecycle module from floe's folder, e.g. `./lifecycle/procedures`. */
export function lifecycleImport(module: string): string {
  return "./" + path.posix.join("lifecycle", module);
}

/** Bundles one lifecycle entry point of lifecycle/procedures.ts. */
export function bundleLifecycleEntry(entry: string): Bundled {
  return bundleModule(`export { ${entry} } from ${JSON.stringify(lifecycleImport("procedures"))};\n`, `lifecycle entry ${entry}`);
}
