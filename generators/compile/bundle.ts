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
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
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

/**
 * esbuild in a worker thread of floe's own, started before it is needed. esbuild's synchronous
 * API starts its worker thread and its Go service on the first call and waits for both (~60 ms
 * on the main thread); a render that is about to type-check hooks starts this one instead, and
 * the thread and the service come up on the other core while the type check runs. A call still
 * blocks the main thread until its bundle is back (Atomics.wait), as buildSync's do.
 *
 * The thread also builds batches: the bundles of a hooks file's hooks, asked for together
 * (prefetchBundles) and built by one esbuild run with one entry per hook, which parses the
 * runtime they share once. Each entry's output is the bytes its own build gives (the entry's
 * module comment, which names the entry, is written as the single build writes it); a batch
 * that fails is forgotten, and each bundle is then built alone, with its own error.
 */
const WORKER_SOURCE = `
const { workerData, parentPort } = require("node:worker_threads");
const port = workerData.port;
let esbuild, failure;
try {
  esbuild = require(workerData.esbuild);
  // Starts the Go service now, not on the first bundle.
  esbuild.transform("", {}).catch(() => undefined);
} catch (e) {
  failure = String(e && e.message ? e.message : e);
}
const OUT = "/floe-batch";
async function buildBatch(list) {
  const entries = list.map((options, i) => ({ in: "floe-entry:" + i, out: "e" + i }));
  const { stdin: _stdin, ...common } = list[0];
  const result = await esbuild.build({
    ...common,
    entryPoints: entries,
    outdir: OUT,
    plugins: [{
      name: "floe-entries",
      setup(build) {
        build.onResolve({ filter: /^floe-entry:\\d+$/ }, (args) => ({ path: args.path.slice(11), namespace: "floe-entry" }));
        build.onLoad({ filter: /.*/, namespace: "floe-entry" }, (args) => {
          const stdin = list[Number(args.path)].stdin;
          return { contents: stdin.contents, loader: stdin.loader, resolveDir: stdin.resolveDir };
        });
      },
    }],
  });
  return list.map((options, i) => {
    const file = (result.outputFiles || []).find((f) => f.path === OUT + "/e" + i + ".js");
    if (!file) throw new Error("no output for entry " + i);
    const marker = "// floe-entry:" + i + "\\n";
    if (file.text.split(marker).length !== 2) throw new Error("no single module comment for entry " + i);
    return file.text.replace(marker, "// " + options.stdin.sourcefile + "\\n");
  });
}
parentPort.on("message", async ({ id, shared, options, batch }) => {
  let reply;
  try {
    if (failure !== undefined) throw new Error(failure);
    if (batch !== undefined) {
      reply = { id, texts: await buildBatch(batch) };
    } else {
      const result = await esbuild.build(options);
      reply = { id, text: result.outputFiles && result.outputFiles[0] ? result.outputFiles[0].text : "" };
    }
  } catch (e) {
    const errors = Array.isArray(e && e.errors) ? e.errors.map((m) => ({ text: m.text, location: m.location ? { file: m.location.file, line: m.location.line } : null })) : [];
    reply = { id, error: { message: String(e && e.message ? e.message : e), errors } };
  }
  port.postMessage(reply);
  const view = new Int32Array(shared);
  Atomics.store(view, 0, 1);
  Atomics.notify(view, 0);
});
`;

/** How long a bundle may take before floe stops waiting for the worker (it has died, say). */
const WORKER_TIMEOUT_MS = 120_000;

interface Reply {
  readonly id: number;
  readonly text?: string;
  readonly texts?: string[];
  readonly error?: { message: string; errors: Esbuild.Message[] };
}

interface BundlerWorker {
  readonly worker: Worker;
  readonly port: MessagePort;
  next: number;
  /** Requests not answered yet: their flag, set by the thread once the reply is posted. */
  readonly flags: Map<number, Int32Array>;
  /** Replies received and not yet claimed. */
  readonly replies: Map<number, Reply>;
}

let bundler: BundlerWorker | undefined;

/** How this process's bundles were built: taken from a batch, built alone by the thread, or by buildSync. */
export const bundleStats = { batched: 0, threaded: 0, direct: 0 };

/** Prefetched bundles by sourcefile and source: the batch that builds each, and its place in it. */
const prefetched = new Map<string, { id: number; index: number }>();

const prefetchKey = (source: string, sourcefile: string) => `${sourcefile}\0${source}`;

/**
 * Starts the bundler thread (and esbuild's service) in the background, if it is not running; the
 * bundles built afterwards go through it. Without it, bundleModule uses esbuild's buildSync.
 */
export function startBundler(): void {
  if (bundler !== undefined) return;
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { esbuild: require.resolve("esbuild"), port: port2 }, transferList: [port2], execArgv: [] });
  // Neither keeps the process alive: a render that is done exits, and the thread with it.
  worker.unref();
  port1.unref();
  bundler = { worker, port: port1, next: 0, flags: new Map(), replies: new Map() };
}

function post(worker: BundlerWorker, message: { options?: Esbuild.BuildOptions; batch?: Esbuild.BuildOptions[] }): number {
  const shared = new SharedArrayBuffer(4);
  const id = worker.next++;
  worker.flags.set(id, new Int32Array(shared));
  worker.worker.postMessage({ id, shared, ...message });
  return id;
}

/** Waits for the reply to request `id`, keeping the replies to others that arrive first. */
function reply(worker: BundlerWorker, id: number): Reply {
  for (;;) {
    const done = worker.replies.get(id);
    if (done !== undefined) {
      worker.replies.delete(id);
      return done;
    }
    const flag = worker.flags.get(id);
    if (flag === undefined) throw new FloeError("internal error: floe's bundler thread was asked for a reply it never owed.");
    if (Atomics.wait(flag, 0, 0, WORKER_TIMEOUT_MS) === "timed-out") {
      bundler = undefined;
      prefetched.clear();
      void worker.worker.terminate();
      throw new FloeError(`internal error: floe's bundler thread did not answer in ${WORKER_TIMEOUT_MS / 1000} s.`);
    }
    for (let message = receiveMessageOnPort(worker.port); message !== undefined; message = receiveMessageOnPort(worker.port)) {
      const received = message.message as Reply;
      worker.flags.delete(received.id);
      worker.replies.set(received.id, received);
    }
  }
}

function optionsFor(source: string, sourcefile: string): Esbuild.BuildOptions & { stdin: Esbuild.StdinOptions } {
  return {
    ...BUNDLE_OPTIONS,
    tsconfigRaw: { ...BUNDLE_OPTIONS.tsconfigRaw },
    stdin: { contents: source, resolveDir: FLOE_ROOT, sourcefile, loader: "ts" },
    absWorkingDir: FLOE_ROOT,
  };
}

/**
 * Asks the bundler thread, without waiting, for the bundles of these sources (bundleModule's
 * arguments), built together; bundleModule then takes each from the batch. Without the thread,
 * or for fewer than two sources, it does nothing.
 */
export function prefetchBundles(sources: readonly { readonly source: string; readonly sourcefile: string }[]): void {
  if (bundler === undefined || sources.length < 2) return;
  // Batches whose bundles were never asked for (their hooks file failed first) are let go.
  prefetched.clear();
  const id = post(bundler, { batch: sources.map((s) => optionsFor(s.source, s.sourcefile)) });
  sources.forEach((s, index) => prefetched.set(prefetchKey(s.source, s.sourcefile), { id, index }));
}

/** A bundle's text from the batch that was asked to build it, or undefined when that batch failed. */
function fromBatch(worker: BundlerWorker, batch: { id: number; index: number }): string | undefined {
  // Replies hold every text of the batch; the last of its bundles to be claimed lets it go.
  const answer = worker.replies.get(batch.id) ?? reply(worker, batch.id);
  worker.replies.set(batch.id, answer);
  if (![...prefetched.values()].some((p) => p.id === batch.id)) worker.replies.delete(batch.id);
  return answer.texts?.[batch.index];
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
  const options = optionsFor(source, sourcefile);
  const failed = (message: string, errors: readonly Esbuild.Message[] = []) => {
    const text = errors.length > 0 ? errors.map((m) => `${m.location === null ? "" : `${m.location.file}:${m.location.line}: `}${m.text}`).join("; ") : message;
    return new FloeError(`internal error: floe could not bundle ${subject}: ${text}`);
  };
  let output: string | undefined;
  if (bundler !== undefined) {
    const key = prefetchKey(source, sourcefile);
    const batch = prefetched.get(key);
    if (batch !== undefined) {
      prefetched.delete(key);
      output = fromBatch(bundler, batch);
      if (output !== undefined) bundleStats.batched++;
    }
    if (output === undefined) {
      const answer = reply(bundler, post(bundler, { options }));
      if (answer.error !== undefined) throw failed(answer.error.message, answer.error.errors);
      output = answer.text ?? "";
      bundleStats.threaded++;
    }
  } else {
    try {
      output = load().buildSync(options).outputFiles?.[0]?.text ?? "";
      bundleStats.direct++;
    } catch (e) {
      throw failed((e as Error).message, (e as { errors?: Esbuild.Message[] }).errors);
    }
  }
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
