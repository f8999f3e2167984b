/**
 * Matches a statement's tokens against a documented form (a PEG over the notation tree:
 * optional groups and choices backtrack, the first alternative that matches wins).
 *
 * On failure it reports the farthest position any path reached and what was expected there:
 * a statement that follows the form up to `COMMENT` and then has `EXECUTE AS` where the form
 * wants `AS` fails *at* that token, with "expected AS" — the message that tells a reader
 * where the order went wrong.
 */
import type { Token } from "../lexer";
import type { GrammarNode } from "./notation";
import { quotedSlot, SLOTS, type SlotInput } from "./slots";

/** What a successful match captured: every label with its values, in match order. */
export class Captures {
  constructor(private readonly values: ReadonlyMap<string, readonly unknown[]>) {}

  /** True when the labelled group matched (or the slot was read). */
  has(label: string): boolean {
    return (this.values.get(label)?.length ?? 0) > 0;
  }

  /** The first value captured under a label. */
  one<T = unknown>(label: string): T | undefined {
    return this.values.get(label)?.[0] as T | undefined;
  }

  /** Every value captured under a label (list items), in order. */
  all<T = unknown>(label: string): T[] {
    return [...(this.values.get(label) ?? [])] as T[];
  }
}

/** An immutable chain of captures, so that backtracking simply drops the tail. */
type Trail = { readonly label: string; readonly value: unknown; readonly previous: Trail } | null;

interface State {
  readonly pos: number;
  readonly trail: Trail;
}

export interface MatchFailure {
  /** Token index where the farthest path stopped. */
  readonly pos: number;
  /** What would have been accepted there. */
  readonly expected: readonly string[];
  /** True when the match passed the form's `!` mark: the statement is of this form. */
  readonly committed: boolean;
}

export type MatchResult = { readonly ok: true; readonly captures: Captures } | ({ readonly ok: false } & MatchFailure);

class Matcher {
  private farthest = -1;
  private expected = new Set<string>();
  private committed = false;

  constructor(private readonly input: SlotInput) {}

  private token(pos: number): Token {
    return this.input.tokens[Math.min(pos, this.input.tokens.length - 1)];
  }

  private miss(pos: number, expected: string): null {
    if (pos > this.farthest) {
      this.farthest = pos;
      this.expected = new Set([expected]);
    } else if (pos === this.farthest) {
      this.expected.add(expected);
    }
    return null;
  }

  match(node: GrammarNode, state: State): State | null {
    switch (node.kind) {
      case "keyword": {
        const t = this.token(state.pos);
        if (t.kind === "word" && t.value.toUpperCase() === node.word) return { pos: state.pos + 1, trail: state.trail };
        return this.miss(state.pos, node.word);
      }
      case "punct": {
        const t = this.token(state.pos);
        if (t.kind === "punct" && t.value === node.symbol) return { pos: state.pos + 1, trail: state.trail };
        return this.miss(state.pos, `'${node.symbol}'`);
      }
      case "slot": {
        const reader = node.quoted ? quotedSlot(node.slot) : SLOTS[node.slot];
        const result = reader(this.input, state.pos);
        if (!result.ok) return this.miss(result.at, node.quoted ? `'<${node.slot}>'` : `<${node.slot}>`);
        return { pos: result.next, trail: { label: node.label, value: result.value, previous: state.trail } };
      }
      case "seq": {
        let current: State | null = state;
        for (const item of node.items) {
          current = this.match(item, current);
          if (current === null) return null;
        }
        return current;
      }
      case "optional": {
        const matched = this.match(node.item, state);
        if (matched === null) return state;
        return node.label === undefined ? matched : { pos: matched.pos, trail: { label: node.label, value: true, previous: matched.trail } };
      }
      case "choice": {
        for (const alternative of node.alternatives) {
          const matched = this.match(alternative, state);
          if (matched === null) continue;
          if (node.label === undefined) return matched;
          const text = this.input.tokens.slice(state.pos, matched.pos).map((t) => t.value.toUpperCase()).join(" ");
          return { pos: matched.pos, trail: { label: node.label, value: text, previous: matched.trail } };
        }
        return null;
      }
      case "list": {
        let current = this.match(node.item, state);
        if (current === null) return null;
        for (;;) {
          const comma = this.token(current.pos);
          if (!(comma.kind === "punct" && comma.value === ",")) {
            this.miss(current.pos, "','");
            return current;
          }
          const next = this.match(node.item, { pos: current.pos + 1, trail: current.trail });
          if (next === null) return null;
          current = next;
        }
      }
      case "commit":
        this.committed = true;
        return state;
    }
  }

  run(root: GrammarNode): MatchResult {
    const end = this.match(root, { pos: 0, trail: null });
    if (end !== null) {
      if (this.token(end.pos).kind === "eof") return { ok: true, captures: collect(end.trail) };
      this.miss(end.pos, "the end of the statement");
    }
    return { ok: false, pos: this.farthest, expected: [...this.expected], committed: this.committed };
  }
}

function collect(trail: Trail): Captures {
  const entries: { label: string; value: unknown }[] = [];
  for (let t = trail; t !== null; t = t.previous) entries.push(t);
  const values = new Map<string, unknown[]>();
  for (const { label, value } of entries.reverse()) {
    const list = values.get(label) ?? [];
    list.push(value);
    values.set(label, list);
  }
  return new Captures(values);
}

/** Matches the whole statement (tokens end with `eof`) against a form. */
export function matchForm(root: GrammarNode, input: SlotInput): MatchResult {
  return new Matcher(input).run(root);
}

/** Throws when a notation names a slot no reader exists for (a bug in floe's forms). */
export function checkSlots(node: GrammarNode, form: string): void {
  switch (node.kind) {
    case "slot":
      if (!node.quoted && !(node.slot in SLOTS)) throw new Error(`form ${form}: no reader for the slot <${node.slot}>`);
      return;
    case "seq":
      node.items.forEach((n) => checkSlots(n, form));
      return;
    case "optional":
    case "list":
      checkSlots(node.item, form);
      return;
    case "choice":
      node.alternatives.forEach((n) => checkSlots(n, form));
      return;
    default:
      return;
  }
}
