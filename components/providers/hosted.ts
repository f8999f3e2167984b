/**
 * The providers a Pulumi program gets when floe is installed in it (under node_modules).
 *
 * Pulumi stores each dynamic provider in the state as JavaScript text, made by
 * `pulumi.runtime.serializeFunction`: functions are captured by value, and so is every module of
 * the program's own files, but a module under node_modules is captured by reference, as
 * `require("<package>/<subpath>")` reverse-mapped through the package's `exports`. floe's
 * providers reach a dozen internal modules (facade, quoting, connection handling) that are not
 * exported, so capturing them as they are fails with `package.json export path for
 * "floe/..." not found`, and the provider process, plain Node, could not load TypeScript anyway.
 *
 * So an installed floe hands Pulumi these stand-ins: each method requires `floe/providers`
 * (the compiled providers, one public entry point) in the provider process and calls the same
 * method there. What Pulumi serializes is the five small functions below and two strings; the
 * provider process, whose working directory is the Pulumi project, resolves floe from the
 * project's node_modules and snowflake-sdk from floe's dependencies.
 *
 * Consequence: an existing resource is updated and deleted by the floe version installed when
 * `pulumi up` runs — as any provider plugin is — not by the code that created it.
 * In floe's own checkout (sources run through tsx, not under node_modules) the providers are
 * serialized by value instead (resources.ts).
 */
import * as path from "node:path";
import type { FloeProvider } from "./common";
import type { Providers } from "./index";

/**
 * The specifier the provider process requires, `floe/providers` (or `<alias>/providers` when
 * installed under another name), when `packageRoot` lies under node_modules; undefined otherwise.
 */
export function installedSpecifier(packageRoot: string): string | undefined {
  const parts = packageRoot.split(path.sep);
  const at = parts.lastIndexOf("node_modules");
  if (at < 0 || at === parts.length - 1) return undefined;
  return [...parts.slice(at + 1), "providers"].join("/");
}

/**
 * A provider that loads `specifier` in the provider process and delegates to its provider of
 * `kind`. Everything it needs is in its closure (the two strings) or a Node global (`require`,
 * `process`), because only this text reaches the provider process.
 */
export function hostedProvider<I, O>(specifier: string, kind: keyof Providers): FloeProvider<I, O> {
  const load = (): FloeProvider<I, O> => {
    let loaded: { sdkProviders?: Record<string, FloeProvider<I, O>> };
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the specifier is known only in the provider process
      loaded = require(specifier);
    } catch (e) {
      const error = e as { code?: unknown; message?: unknown };
      if (error.code === "MODULE_NOT_FOUND" && String(error.message).includes(specifier)) {
        throw new Error(
          `floe's Pulumi providers run the floe package installed in the Pulumi project, but ${specifier} cannot be loaded from ${process.cwd()}. ` +
            `Run npm install there; floe must stay a dependency of the project while its resources exist.`,
          { cause: e },
        );
      }
      throw e;
    }
    const provider = loaded.sdkProviders?.[kind];
    if (provider === undefined) throw new Error(`${specifier} has no ${kind} provider: the installed floe is older than the one that created this resource; update it.`);
    return provider;
  };
  return {
    create: (inputs) => load().create(inputs),
    diff: (id, olds, news) => load().diff(id, olds, news),
    update: (id, olds, news) => load().update(id, olds, news),
    delete: (id, props) => load().delete(id, props),
    read: (id, props) => load().read(id, props),
  };
}

/**
 * A stand-in for every provider of `providers` (the real ones, so that a new kind is never
 * forgotten here), each delegating to the provider of the same kind in `specifier`.
 */
export function hostedProviders(specifier: string, providers: Providers): Providers {
  const kinds = Object.keys(providers) as (keyof Providers)[];
  return Object.fromEntries(kinds.map((kind) => [kind, hostedProvider(specifier, kind)])) as unknown as Providers;
}
