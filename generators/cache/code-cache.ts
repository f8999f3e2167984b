/**
 * A V8 code cache for the compiler floe loads to check hooks (ts-morph and the TypeScript it
 * bundles, ~10 MB of JavaScript). Without it every render that checks a hooks file spends a
 * quarter of a second compiling that JavaScript again, and more compiling its functions lazily
 * as the type check first calls them. With it, V8 takes the bytecode it produced in an earlier
 * run — including the functions the type check compiled — from the project's cache folder.
 * (Node 22 has `module.enableCompileCache()` for this; floe supports Node 20.)
 *
 * Only third-party modules (under node_modules) are cached: floe's own sources change as a
 * checkout is edited. An entry names the module's path, size and modification time, the Node and
 * V8 versions and the architecture, and carries the sha256 of its data: an entry that does not
 * match, or that V8 itself refuses, is ignored and written again, never trusted. It lives in the
 * same folder as floe's other cache entries (whose owner and mode are checked by store.ts) and
 * is switched off with the rest of the cache (`FLOE_CACHE=0`), or alone with `FLOE_CODE_CACHE=0`
 * (to measure what it saves).
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import Module from "node:module";
import * as path from "node:path";
import * as vm from "node:vm";
import { applyV8Flags } from "../v8-flags";

const FORMAT = 1;
const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

interface Header {
  readonly format: number;
  readonly file: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly node: string;
  readonly v8: string;
  readonly arch: string;
  readonly sum: string;
}

/** A module compiled while the cache was in use: its data is written when it had none that fit. */
interface Compiled {
  readonly file: string;
  readonly script: vm.Script;
  readonly header: Omit<Header, "sum">;
  readonly hit: boolean;
}

/** The parts of Node's CommonJS loader this module takes over while it loads modules. */
interface LoaderModule {
  exports: unknown;
  filename: string;
  paths: string[];
  require(id: string): unknown;
}
interface Loader {
  prototype: { _compile(this: LoaderModule, content: string, filename: string): unknown };
  wrap(script: string): string;
  _resolveFilename(request: string, parent: LoaderModule, isMain: boolean, options?: { paths?: string[] }): string;
  _extensions: unknown;
  _cache: unknown;
  _nodeModulePaths(from: string): string[];
}

const loader = Module as unknown as Loader;

/** What the code cache did in this process: modules compiled from an entry, without one, or whose entry was refused. */
export const codeCacheStats = { hits: 0, misses: 0, rejected: 0 };

const pending: { dir: string; compiled: Compiled[] }[] = [];

function sha256(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function entryFile(dir: string, file: string): string {
  return path.join(dir, `${createHash("sha256").update(file).digest("hex").slice(0, 40)}.v8`);
}

function headerOf(file: string): Omit<Header, "sum"> | undefined {
  try {
    const stat = fs.statSync(file);
    return { format: FORMAT, file, size: stat.size, mtimeMs: stat.mtimeMs, node: process.version, v8: process.versions.v8, arch: process.arch };
  } catch {
    return undefined;
  }
}

/** The cached data of `file`, when an entry exists whose header matches and whose data is intact. */
function readEntry(dir: string, header: Omit<Header, "sum">): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(entryFile(dir, header.file));
  } catch {
    return undefined;
  }
  const newline = bytes.indexOf(10);
  try {
    const stored = JSON.parse(bytes.subarray(0, newline < 0 ? bytes.length : newline).toString("utf8")) as Partial<Header>;
    const data = bytes.subarray(newline + 1);
    const same = (Object.keys(header) as (keyof typeof header)[]).every((k) => stored[k] === header[k]);
    if (newline >= 0 && same && stored.sum === sha256(data)) return data;
  } catch {
    // Not an entry: refused below.
  }
  codeCacheStats.rejected++;
  return undefined;
}

function writeEntry(dir: string, header: Omit<Header, "sum">, data: Buffer): void {
  const file = entryFile(dir, header.file);
  const staging = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(staging, Buffer.concat([Buffer.from(JSON.stringify({ ...header, sum: sha256(data) }) + "\n"), data]), { mode: 0o600 });
    fs.renameSync(staging, file);
  } catch {
    fs.rmSync(staging, { force: true });
  }
}

/** A `require` for a module compiled here, as Node's loader gives one. */
function requireFor(module: LoaderModule): NodeJS.Require {
  const require = ((id: string) => module.require(id)) as NodeJS.Require;
  const resolve = ((request: string, options?: { paths?: string[] }) => loader._resolveFilename(request, module, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => (request.startsWith(".") || path.isAbsolute(request) ? null : loader._nodeModulePaths(path.dirname(module.filename)));
  require.resolve = resolve;
  require.main = process.mainModule;
  require.extensions = loader._extensions as NodeJS.Require["extensions"];
  require.cache = loader._cache as NodeJS.Require["cache"];
  return require;
}

/**
 * Runs `load` (which requires modules) with the code cache in `dir`: third-party modules it
 * loads are compiled from their cached bytecode when an entry fits. `dir` null: no cache.
 * saveCodeCache() writes the entries that were missing, once the loaded code has done its work.
 */
export function requireWithCodeCache<T>(dir: string | null, load: () => T): T {
  if (dir === null || process.env.FLOE_CODE_CACHE === "0") return load();
  applyV8Flags();
  const compiled: Compiled[] = [];
  const original = loader.prototype._compile;
  loader.prototype._compile = function (this: LoaderModule, content: string, filename: string): unknown {
    const header = filename.endsWith(".js") && filename.includes(NODE_MODULES) ? headerOf(filename) : undefined;
    if (header === undefined) return original.call(this, content, filename);
    // Node's wrapper; a module file that starts with `#!` is left to Node, which strips that line.
    if (content.startsWith("#!")) return original.call(this, content, filename);
    const cachedData = readEntry(dir, header);
    const script = new vm.Script(loader.wrap(content), { filename, cachedData });
    const hit = cachedData !== undefined && script.cachedDataRejected !== true;
    if (hit) codeCacheStats.hits++;
    else codeCacheStats.misses++;
    if (cachedData !== undefined && !hit) codeCacheStats.rejected++;
    compiled.push({ file: filename, script, header, hit });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, requireFor(this), this, filename, path.dirname(filename));
  };
  try {
    return load();
  } finally {
    loader.prototype._compile = original;
    if (compiled.some((c) => !c.hit)) pending.push({ dir, compiled });
  }
}

/**
 * Writes the code cache entries that were missing or refused when the modules were loaded. Run
 * after the loaded code has worked (a type check), so that the data holds the functions it
 * compiled on the way, not only the modules' top level.
 */
export function saveCodeCache(): void {
  for (const { dir, compiled } of pending.splice(0)) {
    for (const c of compiled) if (!c.hit) writeEntry(dir, c.header, c.script.createCachedData());
  }
}
