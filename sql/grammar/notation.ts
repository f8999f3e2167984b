/**
 * Snowflake's syntax notation, read into a tree the matcher walks.
 *
 * The forms floe accepts are written in the notation of Snowflake's reference pages, so that a
 * refusal can quote the documented form and a reviewer can compare the two side by side:
 *
 *   CREATE [ OR REPLACE ]#orReplace APPLICATION ROLE ! [ IF NOT EXISTS ]#ifNotExists <name>
 *
 * - `WORD` is a keyword; `( ) = , =>` are punctuation;
 * - `[ x ]` is optional, `{ a | b }` a choice (ordered: the first alternative that matches wins);
 * - `x [ , ... ]` repeats `x` separated by commas, as the reference pages write lists;
 * - `<slot>` is a value read by a slot reader (a name, a data type, a body...); `'<slot>'` a
 *   string literal;
 * - `#label` after a group or slot names what it captured; `!` marks the point after which the
 *   statement is known to be of this form (errors past it are this form's errors).
 *
 * Labels and `!` are floe's additions; `display` strips them, giving the documented text.
 */

export type GrammarNode =
  | { readonly kind: "keyword"; readonly word: string }
  | { readonly kind: "punct"; readonly symbol: string }
  | { readonly kind: "slot"; readonly slot: string; readonly quoted: boolean; readonly label: string }
  | { readonly kind: "seq"; readonly items: readonly GrammarNode[] }
  | { readonly kind: "optional"; readonly item: GrammarNode; readonly label?: string }
  | { readonly kind: "choice"; readonly alternatives: readonly GrammarNode[]; readonly label?: string }
  | { readonly kind: "list"; readonly item: GrammarNode }
  | { readonly kind: "commit" };

type NotationToken =
  | { readonly kind: "open" | "close"; readonly bracket: "[" | "{" }
  | { readonly kind: "bar" | "ellipsis" | "commit" }
  | { readonly kind: "word"; readonly word: string }
  | { readonly kind: "punct"; readonly symbol: string }
  | { readonly kind: "slot"; readonly slot: string; readonly quoted: boolean }
  | { readonly kind: "label"; readonly label: string };

const PUNCTUATION = ["=>", "(", ")", "=", ",", ":"];

function tokenizeNotation(text: string): NotationToken[] {
  const tokens: NotationToken[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "[" || ch === "{") {
      tokens.push({ kind: "open", bracket: ch });
      i++;
    } else if (ch === "]" || ch === "}") {
      tokens.push({ kind: "close", bracket: ch === "]" ? "[" : "{" });
      i++;
    } else if (ch === "|") {
      tokens.push({ kind: "bar" });
      i++;
    } else if (ch === "!") {
      tokens.push({ kind: "commit" });
      i++;
    } else if (text.startsWith("...", i)) {
      tokens.push({ kind: "ellipsis" });
      i += 3;
    } else if (ch === "#") {
      const match = /^#([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i));
      if (match === null) throw new Error(`notation: a label must follow '#' at ${i} in: ${text}`);
      tokens.push({ kind: "label", label: match[1] });
      i += match[0].length;
    } else if (ch === "<" || (ch === "'" && text[i + 1] === "<")) {
      const quoted = ch === "'";
      const close = text.indexOf(quoted ? ">'" : ">", i);
      if (close < 0) throw new Error(`notation: unclosed slot at ${i} in: ${text}`);
      tokens.push({ kind: "slot", slot: text.slice(i + (quoted ? 2 : 1), close), quoted });
      i = close + (quoted ? 2 : 1);
    } else if (/[A-Z_]/.test(ch)) {
      const match = /^[A-Z_][A-Z0-9_$]*/.exec(text.slice(i))!;
      tokens.push({ kind: "word", word: match[0] });
      i += match[0].length;
    } else {
      const symbol = PUNCTUATION.find((p) => text.startsWith(p, i));
      if (symbol === undefined) throw new Error(`notation: unexpected ${JSON.stringify(ch)} at ${i} in: ${text}`);
      tokens.push({ kind: "punct", symbol });
      i += symbol.length;
    }
  }
  return tokens;
}

class NotationParser {
  private index = 0;
  constructor(
    private readonly tokens: readonly NotationToken[],
    private readonly text: string,
  ) {}

  private peek(): NotationToken | undefined {
    return this.tokens[this.index];
  }

  private fail(message: string): never {
    throw new Error(`notation: ${message} in: ${this.text}`);
  }

  parse(): GrammarNode {
    const node = this.alternatives();
    if (this.peek() !== undefined) this.fail("unbalanced brackets");
    return node;
  }

  /** `a | b | c` inside a group (or at the top). */
  private alternatives(): GrammarNode {
    const alternatives = [this.sequence()];
    while (this.peek()?.kind === "bar") {
      this.index++;
      alternatives.push(this.sequence());
    }
    return alternatives.length === 1 ? alternatives[0] : { kind: "choice", alternatives };
  }

  private sequence(): GrammarNode {
    const items: GrammarNode[] = [];
    for (;;) {
      const t = this.peek();
      if (t === undefined || t.kind === "bar" || t.kind === "close") break;
      const item = this.item();
      // `x [ , ... ]`: the reference pages' way of writing a comma-separated list of x.
      if (item.kind === "optional" && isEllipsisGroup(item.item)) {
        const previous = items.pop();
        if (previous === undefined) this.fail("'[ , ... ]' must follow the element it repeats");
        items.push(listOf(previous));
        continue;
      }
      items.push(item);
    }
    return items.length === 1 ? items[0] : { kind: "seq", items };
  }

  private item(): GrammarNode {
    const t = this.peek()!;
    this.index++;
    let node: GrammarNode;
    switch (t.kind) {
      case "open": {
        const inner = this.alternatives();
        const close = this.peek();
        if (close?.kind !== "close" || close.bracket !== t.bracket) this.fail(`unclosed '${t.bracket}'`);
        this.index++;
        node = t.bracket === "[" ? { kind: "optional", item: inner } : inner.kind === "choice" ? inner : { kind: "choice", alternatives: [inner] };
        break;
      }
      case "word":
        node = { kind: "keyword", word: t.word };
        break;
      case "punct":
        node = { kind: "punct", symbol: t.symbol };
        break;
      case "slot":
        node = { kind: "slot", slot: t.slot, quoted: t.quoted, label: t.slot };
        break;
      case "ellipsis":
        return { kind: "seq", items: [] };
      case "commit":
        return { kind: "commit" };
      default:
        return this.fail(`unexpected '${t.kind}'`);
    }
    const label = this.peek();
    if (label?.kind === "label") {
      this.index++;
      if (node.kind === "slot") return { ...node, label: label.label };
      if (node.kind === "optional" || node.kind === "choice") return { ...node, label: label.label };
      // A labelled keyword captures that it was there: `ON ACCOUNT#account`.
      if (node.kind === "keyword") return { kind: "choice", alternatives: [node], label: label.label };
      this.fail(`a label cannot follow '${node.kind}' (#${label.label})`);
    }
    return node;
  }
}

function isEllipsisGroup(node: GrammarNode): boolean {
  return node.kind === "seq" && node.items.length === 2 && node.items[0].kind === "punct" && node.items[0].symbol === "," && node.items[1].kind === "seq" && node.items[1].items.length === 0;
}

/** A list of optional items is an optional list: `( [ a ] [ , ... ] )` accepts `()`, never `(,)`. */
function listOf(item: GrammarNode): GrammarNode {
  if (item.kind === "optional" && item.label === undefined) return { kind: "optional", item: { kind: "list", item: item.item } };
  return { kind: "list", item };
}

/** Reads a form written in Snowflake's notation. Throws on a malformed notation (a bug in floe). */
export function parseNotation(text: string): GrammarNode {
  return new NotationParser(tokenizeNotation(text), text).parse();
}

/** The documented text of a notation: labels and commit marks removed, spaces normalized. */
export function displayNotation(text: string): string {
  return text
    .replace(/#[A-Za-z_][A-Za-z0-9_]*/g, "")
    .replace(/(^|\s)!(?=\s|$)/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** The keywords that open an optional clause or a choice: what "out of order" can mean. */
export function clauseKeywords(node: GrammarNode): Set<string> {
  const found = new Set<string>();
  const first = (n: GrammarNode): string[] => {
    switch (n.kind) {
      case "keyword":
        return [n.word];
      case "seq":
        return n.items.length > 0 ? first(n.items[0]) : [];
      case "optional":
      case "list":
        return first(n.item);
      case "choice":
        return n.alternatives.flatMap(first);
      default:
        return [];
    }
  };
  const walk = (n: GrammarNode): void => {
    switch (n.kind) {
      case "seq":
        n.items.forEach(walk);
        return;
      case "optional":
        for (const word of first(n.item)) found.add(word);
        walk(n.item);
        return;
      case "choice":
        n.alternatives.forEach(walk);
        return;
      case "list":
        walk(n.item);
        return;
      default:
        return;
    }
  };
  walk(node);
  return found;
}
