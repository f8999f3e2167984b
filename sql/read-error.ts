/**
 * The error of the statement readers: a statement that starts like a known form but does not
 * follow its documented grammar. `offset` points into the statement text, so callers can name
 * the file, line and column in their own source.
 */
export class SqlReadError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = "SqlReadError";
    this.offset = offset;
  }
}
