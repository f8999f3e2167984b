/**
 * Compiled hooks, through the cache: a hooks file whose bytes, path and compiler (floe's
 * fingerprint and the compiler options) are the same as in an earlier render is not read by
 * the TypeScript compiler again — the cache holds its procedure bodies. The compiler (ts-morph,
 * through hooks.ts) is loaded only for a file the cache does not know. Files with errors are
 * never cached: their diagnostics come from a fresh check every time.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { floeFingerprint } from "./cache/fingerprint";
import { saveCodeCache } from "./cache/code-cache";
import type { CacheStore } from "./cache/store";
import { BUNDLE_OPTIONS, startBundler } from "./compile/bundle";
import { HOOK_CHECK_OPTIONS } from "./compile/options";
import { hooksCompiler } from "./deferred";
import { FloeError, SourceError, type SourceDiagnostic } from "../errors";
import { checkHooksPath, HOOK_KINDS, type CompiledHook, type HookKind, type HookStep } from "./hook-kinds";

/** What a hook's compilation depends on besides its file: part of its cache key. */
export interface HookCompiler {
  /** floe's fingerprint (its sources and version). */
  readonly fingerprint: string;
  /** The type-check and bundle options. */
  readonly options: string;
}

export function currentCompiler(): HookCompiler {
  return { fingerprint: floeFingerprint(), options: JSON.stringify({ check: HOOK_CHECK_OPTIONS, bundle: BUNDLE_OPTIONS }) };
}

/** A cached hook: a CompiledHook without its absolute file path (the key has the relative one). */
type CachedHook = Omit<CompiledHook, "file">;

function isCachedHooks(value: unknown): value is CachedHook[] {
  return (
    Array.isArray(value) &&
    value.every((h: Partial<CachedHook> | null) => {
      if (h === null || typeof h !== "object") return false;
      const steps: readonly string[] | undefined = HOOK_KINDS[h.kind as HookKind]?.steps;
      return steps !== undefined && steps.includes(h.step as HookStep) && typeof h.procedure === "string" && typeof h.line === "number" && typeof h.body === "string";
    })
  );
}

export interface CompileHooksOptions {
  readonly cache?: CacheStore | null;
  readonly compiler?: HookCompiler;
}

/** The cache key of a hooks file: its compiler, its path as the bodies show it, its bytes. */
export function hooksFileKey(compiler: HookCompiler, relative: string, content: Buffer): string[] {
  return ["hooks-file", compiler.fingerprint, compiler.options, relative, createHash("sha256").update(content).digest("hex")];
}

/** A hooks file's cached hooks, or its cache key when the cache does not have them (undefined without a cache). */
function lookUp(hooksFile: string, root: string, options: CompileHooksOptions): { hooks: CompiledHook[] } | { key: string[] | undefined } {
  const file = path.resolve(hooksFile);
  checkHooksPath(hooksFile, file);
  const cache = options.cache ?? null;
  if (cache === null) return { key: undefined };
  const relative = path.relative(root, file).split(path.sep).join("/");
  const key = hooksFileKey(options.compiler ?? currentCompiler(), relative, fs.readFileSync(file));
  const cached = cache.get("hooks", key, isCachedHooks);
  return cached === undefined ? { key } : { hooks: cached.map((h) => ({ ...h, file })) };
}

/** Compiles a hooks file the cache does not know, and caches its hooks. */
function compileAndStore(hooksFile: string, root: string, key: string[] | undefined, options: CompileHooksOptions): CompiledHook[] {
  const compiled = hooksCompiler(options.cache?.dir ?? null).readHooksFile(hooksFile, undefined, root);
  if (options.cache != null && key !== undefined) options.cache.put("hooks", key, compiled.map(({ file: _file, ...rest }) => rest));
  return compiled;
}

/** Reads one hooks file's hooks: from the cache, or compiled (and then cached). */
export function compileHooksFile(hooksFile: string, root: string, options: CompileHooksOptions = {}): CompiledHook[] {
  const found = lookUp(hooksFile, root, options);
  if ("hooks" in found) return found.hooks;
  try {
    return compileAndStore(hooksFile, root, found.key, options);
  } finally {
    hooksCompiler().releaseHooksFiles([hooksFile]);
  }
}

/**
 * Every file's hooks, in the order given: cached ones as they are; the others compiled in one
 * program (they are all added to the compiler's project before the first is checked, and leave
 * it together afterwards), with a SourceError per file collected.
 */
function compileAll(files: readonly string[], root: string, options: CompileHooksOptions): (CompiledHook[] | SourceError)[] {
  const found = files.map((file) => lookUp(file, root, options));
  const misses = files.filter((_file, i) => !("hooks" in found[i]));
  if (misses.length > 0) {
    // esbuild's thread and service start on the other core while the compiler loads and checks.
    startBundler();
    hooksCompiler(options.cache?.dir ?? null).loadHooksFiles(misses);
  }
  try {
    return files.map((file, i) => {
      const entry = found[i];
      if ("hooks" in entry) return entry.hooks;
      try {
        return compileAndStore(file, root, entry.key, options);
      } catch (e) {
        if (e instanceof SourceError) return e;
        throw e;
      }
    });
  } finally {
    if (misses.length > 0) {
      hooksCompiler().releaseHooksFiles(misses);
      // Now that the check has compiled the compiler's functions, its code cache holds them too.
      saveCodeCache();
    }
  }
}

/** Reads several hooks files; a kind and step defined in two files is an error naming both. */
export function compileHooksFiles(files: readonly string[], root: string, options: CompileHooksOptions = {}): CompiledHook[] {
  const all: CompiledHook[] = [];
  const problems: string[] = [];
  const errors: SourceDiagnostic[] = [];
  for (const result of compileAll(files, root, options)) {
    if (result instanceof SourceError) {
      errors.push(...result.diagnostics);
      continue;
    }
    for (const hook of result) {
      const clash = all.find((h) => h.procedure === hook.procedure);
      if (clash !== undefined) {
        problems.push(`${hook.procedure} is defined by two hooks files: ${clash.file}:${clash.line} and ${hook.file}:${hook.line}.`);
        continue;
      }
      all.push(hook);
    }
  }
  if (errors.length > 0) throw new SourceError(errors);
  if (problems.length > 0) throw new FloeError(problems.join("\n"));
  return all;
}
