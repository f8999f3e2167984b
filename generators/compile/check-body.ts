/**
 * The check that a JavaScript body compiles as Snowflake wraps it. Kept apart from the body
 * builder so that the parser gate can use it without loading the TypeScript compiler.
 */
import * as vm from "node:vm";
import { FloeError } from "../../errors";

/** Checks that a body parses as the inside of a function, as Snowflake wraps it. */
export function checkBodyCompiles(body: string, subject: string): void {
  try {
    new vm.Script("(function () {\n" + body + "\n})");
  } catch (e) {
    throw new FloeError(`internal error: the JavaScript body of ${subject} does not compile: ${(e as Error).message}`);
  }
}
