/**
 * The fingerprint of the floe that is running: one hash that changes whenever anything that
 * shapes floe's output changes — its sources (lifecycle procedures, compiler, renderers, SQL
 * grammar, templates), its version, and the versions of the compilers and parser it uses.
 * Every cache entry floe writes is keyed by it, so an entry made by another floe is never used.
 *
 * From a checkout (sources run through tsx) it is computed from the source files, in a few
 * milliseconds; the installed package reads the one the package build computed from the same
 * files (dist/build-info.json), since it does not ship most of them.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { FLOE_ROOT, FROM_DIST, packageRootOf } from "../floe-root";

/** Folders of floe whose files shape what it renders, checks and plans. */
const SOURCE_DIRS = ["api", "errors", "generators", "lifecycle", "sql", "sql-templates"];
const SOURCE_FILE = /\.(ts|sql|js|cjs|mjs|json)$/;

/** The file dist/ holds the build's fingerprint in (written by scripts/build.js). */
export const BUILD_INFO_FILE = path.join(FLOE_ROOT, "dist", "build-info.json");

function listFiles(dir: string, into: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) listFiles(full, into);
    else if (entry.isFile() && SOURCE_FILE.test(entry.name)) into.push(full);
  }
}

/** The version of an installed package, or "none". */
export function packageVersion(name: string): string {
  try {
    // Resolved from floe's own folder: the copies floe itself loads. Through the package's main
    // module, since a package's `exports` may leave out its package.json.
    // A package.json without the package's name (`{"type": "module"}` in a subfolder) is skipped.
    for (let dir = path.dirname(require.resolve(name, { paths: [FLOE_ROOT] })); ; dir = path.dirname(dir)) {
      const file = path.join(packageRootOf(dir), "package.json");
      const json = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (json.name === name) return json.version ?? "none";
      if (path.dirname(file) === path.dirname(path.dirname(file))) return "none";
      dir = path.dirname(file);
    }
  } catch {
    return "none";
  }
}

/** The versions of the tools whose output ends up in floe's: part of every fingerprint. */
export function toolVersions(): Record<string, string> {
  return {
    floe: readOwnVersion(),
    typescript: packageVersion("typescript"),
    esbuild: packageVersion("esbuild"),
    sqlparser: packageVersion("@guanmingchiu/sqlparser-ts"),
    node: process.versions.node.split(".")[0],
  };
}

function readOwnVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(FLOE_ROOT, "package.json"), "utf8")) as { version: string }).version;
}

/** Hashes floe's source folders under `root` (a checkout, or the package being built). */
export function sourceFingerprint(root: string = FLOE_ROOT): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify(toolVersions())).update("\0");
  const files: string[] = [];
  for (const dir of SOURCE_DIRS) listFiles(path.join(root, dir), files);
  for (const file of files) {
    hash.update(path.relative(root, file).split(path.sep).join("/")).update("\0").update(fs.readFileSync(file)).update("\0");
  }
  return hash.digest("hex");
}

let memo: string | undefined;

/** The build's fingerprint from dist/build-info.json, or undefined when it has none. */
export function builtFingerprint(): string | undefined {
  try {
    const info = JSON.parse(fs.readFileSync(BUILD_INFO_FILE, "utf8")) as { fingerprint?: unknown };
    return typeof info.fingerprint === "string" ? info.fingerprint : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The fingerprint of this floe. An installed package whose dist/ has no build info (not made
 * by scripts/build.js) is fingerprinted by its compiled files and shipped sources instead.
 */
export function floeFingerprint(): string {
  if (memo !== undefined) return memo;
  if (!FROM_DIST) return (memo = sourceFingerprint());
  return (memo = builtFingerprint() ?? hashParts([sourceFingerprint(), sourceFingerprintOf(path.join(FLOE_ROOT, "dist"))]));
}

function sourceFingerprintOf(dir: string): string {
  const files: string[] = [];
  listFiles(dir, files);
  return hashParts(files.map((f) => `${path.relative(dir, f)}:${createHash("sha256").update(fs.readFileSync(f)).digest("hex")}`));
}

/** sha256 of `parts`, each followed by a NUL: a key no two different lists share. */
export function hashParts(parts: readonly string[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part).update("\0");
  return hash.digest("hex");
}
