/**
 * `--watch` for `floe render` and `floe simulate`: one process that runs the command again on
 * every save of an input (the connector definition, its hooks files, overrides and templates)
 * and prints what changed. One process keeps what a fresh one would rebuild — the loaded
 * modules, the type checker with the hook API already checked, the parsed SQL templates — so a
 * re-render costs about as much as the edited file.
 *
 * Files are watched through their folders (editors save by writing a new file and renaming it
 * over the old one, which a watch on the file itself would lose). Several events of one save are
 * one round: a round starts once the folder has been quiet for a moment, and only when an input's
 * bytes changed. A save during a round starts one more round after it. A round that fails prints
 * its error and the watch goes on; Ctrl-C ends it with exit code 0.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { FLOE_ROOT } from "../generators/floe-root";
import { pc, reportError, shownPath } from "./common";

/** How long a folder must stay quiet before a round starts (editors write in several steps). */
const SETTLE_MS = 40;

export interface WatchOptions {
  /** The files whose saves start a round; asked again after every round (a definition may add hooks). */
  readonly inputs: () => readonly string[];
  /** One round. `changed` lists the inputs whose bytes changed (empty for the first). */
  readonly run: (round: number, changed: readonly string[]) => Promise<void>;
  /** Where the "watching" line goes (stderr: stdout is the command's). */
  readonly out?: NodeJS.WritableStream;
}

function digest(file: string): string {
  try {
    return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
  } catch {
    return "missing";
  }
}

/** Files below a folder input, for templates given as a folder. */
function expand(inputs: readonly string[]): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(input);
    } catch {
      stat = undefined;
    }
    if (stat?.isDirectory() === true) {
      for (const entry of fs.readdirSync(input, { recursive: true, withFileTypes: true })) {
        if (entry.isFile()) files.push(path.join(entry.parentPath, entry.name));
      }
    } else files.push(path.resolve(input));
  }
  return [...new Set(files)].sort();
}

/** Runs the first round, then a round per save, until SIGINT or SIGTERM. */
export async function watch(options: WatchOptions): Promise<number> {
  const out = options.out ?? process.stderr;
  let files = expand(options.inputs());
  const digests = new Map(files.map((f) => [f, digest(f)]));
  let round = 1;
  const runRound = async (changed: readonly string[]) => {
    try {
      await options.run(round, changed);
    } catch (e) {
      reportError(e, out);
    }
    round++;
  };
  await runRound([]);

  return new Promise<number>((resolve) => {
    const watchers = new Map<string, fs.FSWatcher>();
    let timer: NodeJS.Timeout | undefined;
    let running = false;
    let again = false;

    const announce = () => out.write(pc.dim(`watching ${files.length} file${files.length === 1 ? "" : "s"} (${files.map(shownPath).join(", ")}); Ctrl-C to stop\n`));
    const rewatch = () => {
      const folders = new Set(files.map((f) => path.dirname(f)));
      for (const [folder, watcher] of watchers) {
        if (!folders.has(folder)) {
          watcher.close();
          watchers.delete(folder);
        }
      }
      for (const folder of folders) {
        if (watchers.has(folder)) continue;
        try {
          const watcher = fs.watch(folder, () => schedule());
          // A watched folder that goes away (renamed, deleted): its files count as changed, and
          // the folder is watched again after the round if it comes back.
          watcher.on("error", () => {
            watcher.close();
            watchers.delete(folder);
            schedule();
          });
          watchers.set(folder, watcher);
        } catch (e) {
          out.write(pc.yellow("warning: ") + `cannot watch ${shownPath(folder)}: ${(e as Error).message}\n`);
        }
      }
    };
    const schedule = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => void settle(), SETTLE_MS);
    };
    const settle = async () => {
      timer = undefined;
      if (running) {
        again = true;
        return;
      }
      const changed = files.filter((f) => {
        const now = digest(f);
        if (now === digests.get(f)) return false;
        digests.set(f, now);
        return true;
      });
      if (changed.length === 0) return;
      running = true;
      await runRound(changed);
      files = expand(options.inputs());
      for (const f of files) if (!digests.has(f)) digests.set(f, digest(f));
      rewatch();
      running = false;
      if (again) {
        again = false;
        schedule();
      }
    };
    const stop = () => {
      if (timer !== undefined) clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(0);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    rewatch();
    announce();
  });
}

/**
 * Drops the connector definition, and the user's modules it loaded, from the module cache so
 * that the next load reads them again. floe's own modules and packages stay loaded: a second
 * copy of them would be a second set of classes.
 */
export function forgetConnector(file: string): void {
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    const loaded = require.cache[id];
    if (loaded === undefined) return;
    const own = id !== file && (id.split(path.sep).includes("node_modules") || id.startsWith(FLOE_ROOT + path.sep));
    if (own) return;
    delete require.cache[id];
    for (const child of loaded.children) visit(child.id);
  };
  visit(file);
}
