/**
 * Where floe's own files are: the directory of its package.json.
 *
 * floe runs from its TypeScript sources (a checkout: tests, `npm start`, tsx) and compiled (the
 * installed package runs `dist/`). The files it reads at run time — `sql-templates/`, the
 * `lifecycle/` sources compiled into procedures, the hook API that hooks are type-checked
 * against — sit beside package.json in both, so every path is taken from this one directory
 * rather than from a module's own location, which differs by one `dist/` level between the two.
 *
 * This module must stay light: `import ... from "floe"` (a connector definition, a hooks file)
 * reaches it, and it must not load the compiler or the SQL parser.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The nearest directory at or above `from` that holds a package.json. */
export function packageRootOf(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`floe: no package.json above ${from}; the floe package is incomplete.`);
  }
}

/** floe's package directory (the checkout, or `node_modules/floe`). */
export const FLOE_ROOT = packageRootOf(__dirname);

/**
 * True when this code runs compiled from `dist/` (the installed package), false when it runs
 * from its TypeScript sources.
 */
export const FROM_DIST = path.relative(FLOE_ROOT, __dirname).split(path.sep)[0] === "dist";

/**
 * The module file of one of floe's own entry points, e.g. `ownModule("cli/floe")`: the
 * TypeScript source in a checkout, the compiled JavaScript in the package.
 */
export function ownModule(relative: string): string {
  return FROM_DIST ? path.join(FLOE_ROOT, "dist", `${relative}.js`) : path.join(FLOE_ROOT, `${relative}.ts`);
}

/** floe's version, from its package.json. */
export function floeVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(FLOE_ROOT, "package.json"), "utf8")) as { version: string }).version;
}
