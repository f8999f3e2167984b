/**
 * Loading the user's own TypeScript (connector.ts) from floe's compiled code.
 *
 * The loader is tsx (esbuild underneath): it transpiles one file in milliseconds without type
 * checking (floe type-checks hooks itself, and `tsc` is the user's to run), handles CommonJS and
 * ES module syntax alike, resolves `import ... from "floe"` through node_modules like Node does,
 * and is what Pulumi.yaml preloads for the program, so connector.ts means the same thing to
 * `floe render` and to `pulumi up`.
 *
 * Its hook is registered only around the require of the user's file. Registered for the whole
 * process it would also see every JavaScript module loaded afterwards, and inspecting the
 * compiler's 9 MB typescript.js alone more than doubles the time `floe render` takes to load.
 * Modules already loaded are shared with the user's file, so "floe" is one instance.
 */

/** `require(file)` for a TypeScript (or JavaScript) file of the user's. */
export function requireTypeScript(file: string): unknown {
  // Already under a TypeScript loader: floe's checkout (tsx), a test runner, Pulumi's nodeargs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the user's file, known only at run time
  if (require.extensions[".ts"] !== undefined) return require(file);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- tsx loads only around the user's file (above)
  const { register } = require("tsx/cjs/api") as typeof import("tsx/cjs/api");
  const unregister = register();
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the user's file, known only at run time
    return require(file);
  } finally {
    unregister();
  }
}
