/**
 * The hostile-input corpus: one row per input a careless or malicious user may give floe, with
 * the outcome floe must produce. Each row runs as a real `floe` process (corpus.test.ts) in a
 * temporary folder of its own.
 *
 * A row says what is written before the run (`files`, `setup`), the arguments (`{dir}` is the
 * row's folder, `{port}` a port `setup` provides), and what must come out:
 * - `refused`: exit 1; stderr names the place at fault — `file:line:col` (`where: "location"`)
 *   or the argument / definition field (`where: "--out"`, `where: "[name]"`) — with the given
 *   text; no stack trace; nothing written that was not there (`unchanged` folders compared
 *   byte for byte);
 * - `warned`: exit 0, and stderr carries the warning;
 * - `accepted`: exit 0 — input that looks hostile but is fine (a labelled loop, a hooks file name
 *   with a newline) and must not be refused.
 */
import { HOOKS_CASES } from "./hooks";
import { INPUT_CASES } from "./inputs";
import type { CorpusCase } from "./kit";
import { OUTPUT_PATH_CASES } from "./output-paths";

export type { Category, CorpusCase, Outcome, SetupResult, SharedOutputs } from "./kit";

/** Every row, in one order: output paths, hooks, then the other inputs. */
export const CASES: readonly CorpusCase[] = [...OUTPUT_PATH_CASES, ...HOOKS_CASES, ...INPUT_CASES];
