// The Snowflake JavaScript API of a stored procedure, as code that runs INSIDE the procedure's
// node:vm context. It is never loaded by Node as a module: vm-engine.cjs evaluates this file's
// text in each fresh context, which makes the file's value the `install` function below.
//
// Why it lives inside the context: every object a procedure can touch — `snowflake`, statements,
// result sets, errors, argument values — must be made by the context's own constructors, so
// that `x.constructor.constructor` and every prototype chain end at the context's Function and
// Object, never at the host's (which would hand out `process` and `require`). The only host
// object the context ever holds is `hostCall`, kept in this closure and never exposed: it takes
// a JSON string and returns a JSON string, and runs no procedure code while it works.
//
// Wire format (JSON strings):
//   request  {"sql": text, "binds": [string | number | boolean | null | {"$date": ms}],
//             "events": [{"name": text, "attributes": {key: string | number | boolean}}]}
//            with the trace events added since the previous statement (addEvent)
//   reply    {"ok": true, "columns": [{"name", "type"}], "rows": [[value]], "rowsAffected": n}
//            with TIMESTAMP_NTZ/DATE values as epoch milliseconds, or
//            {"ok": false, "code", "state", "message"}
//   setup    {"procedure": name, "args": [{"name", "value"} | {"name", "date": ms}]}
//   outcome  {"kind": "value", "json": text} | {"kind": "thrown", "message"} |
//            {"kind": "error", "code", "state", "message"}   (what `run` returns)
(function install(hostCall, setupText, body, runKey) {
  "use strict";
  // Captured before any procedure code runs: the procedure may replace globals and prototypes.
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  const ErrorCtor = Error;
  const DateCtor = Date;
  const isArray = Array.isArray;
  const isInteger = Number.isInteger;
  const defineProperty = Object.defineProperty;
  const objectKeys = Object.keys;
  const apply = Reflect.apply;
  const getTime = Date.prototype.getTime;
  const toISOString = Date.prototype.toISOString;
  const objectToString = Object.prototype.toString;
  const StringCtor = String;
  const globalObject = globalThis;

  const setup = parse(setupText);
  const procedure = setup.procedure;
  let finished = false;
  let counter = 0;
  // Trace events added since the last statement; they travel with the next one.
  let events = [];

  function sqlError(code, state, message) {
    const error = new ErrorCtor(message);
    defineProperty(error, "code", { value: code, writable: true, configurable: true });
    defineProperty(error, "state", { value: state, writable: true, configurable: true });
    return error;
  }

  function isDate(value) {
    return value !== null && typeof value === "object" && apply(objectToString, value, []) === "[object Date]";
  }

  function bindsOf(binds) {
    if (binds === undefined || binds === null) return [];
    if (!isArray(binds)) throw sqlError("100183", "P0000", "Bind variables must be given as an array.");
    const out = [];
    for (let i = 0; i < binds.length; i++) {
      const bind = binds[i];
      const type = typeof bind;
      if (bind === undefined) throw sqlError("100183", "P0000", "Invalid binds argument: bind " + (i + 1) + " is undefined.");
      if (bind === null || type === "string" || type === "boolean") out[i] = bind;
      else if (type === "number") out[i] = bind;
      else if (isDate(bind)) out[i] = { $date: apply(getTime, bind, []) };
      else throw sqlError("100183", "P0000", "Invalid binds argument: bind " + (i + 1) + " has unsupported type " + type + ".");
    }
    return out;
  }

  // Runs one statement through the host. Only strings cross; whatever the host throws is dropped
  // here, so no host object ever reaches procedure code.
  function run(sqlText, binds) {
    if (finished) throw sqlError("100183", "P0000", "The procedure has already returned; it can no longer run statements.");
    if (typeof sqlText !== "string" || sqlText.trim().length === 0) {
      throw sqlError("100183", "P0000", "sqlText must be a non-empty string.");
    }
    const request = stringify({ sql: sqlText, binds: bindsOf(binds), events: events });
    events = [];
    let reply;
    try {
      reply = hostCall(request);
    } catch (_ignored) {
      reply = undefined;
    }
    if (typeof reply !== "string") throw sqlError("000603", "XX000", "SQL execution internal error: floe sandbox could not run the statement.");
    const data = parse(reply);
    if (data.ok !== true) throw sqlError(StringCtor(data.code), StringCtor(data.state), StringCtor(data.message));
    counter++;
    return { columns: data.columns, rows: data.rows, rowsAffected: data.rowsAffected, queryId: procedure + "-" + counter };
  }

  function fromWire(value, type) {
    if (value === null || value === undefined) return null;
    if (type === "TIMESTAMP_NTZ" || type === "DATE") return new DateCtor(value);
    // A fresh copy each time, as Snowflake hands out a new object per call.
    if (typeof value === "object") return parse(stringify(value));
    return value;
  }

  function makeResultSet(result) {
    let row = -1;
    const columns = result.columns;
    const rows = result.rows;
    function columnIndex(column) {
      if (typeof column === "number") {
        if (column < 1 || column > columns.length || !isInteger(column)) {
          throw sqlError("100185", "P0000", "Invalid column index " + column + ".");
        }
        return column - 1;
      }
      const name = StringCtor(column);
      for (let i = 0; i < columns.length; i++) {
        if (columns[i].name === name || columns[i].name === name.toUpperCase()) return i;
      }
      throw sqlError("100185", "P0000", "Given column name/index does not exist: " + name + ".");
    }
    function current(column) {
      if (row < 0 || row >= rows.length) throw sqlError("100183", "P0000", "ResultSet is empty or not prepared (call next() first).");
      const index = columnIndex(column);
      return fromWire(rows[row][index], columns[index].type);
    }
    return {
      next() {
        row++;
        return row < rows.length;
      },
      getColumnValue(column) {
        return current(column);
      },
      getColumnValueAsString(column) {
        const value = current(column);
        if (value === null) return "";
        if (isDate(value)) return apply(toISOString, value, []).replace("T", " ").replace("Z", "");
        return typeof value === "object" ? stringify(value) : StringCtor(value);
      },
      getColumnCount() {
        return columns.length;
      },
      getColumnName(column) {
        return columns[columnIndex(column)].name;
      },
      getRowCount() {
        return rows.length;
      },
      getQueryId() {
        return result.queryId;
      },
      getNumRowsAffected() {
        return result.rowsAffected === undefined || result.rowsAffected === null ? -1 : result.rowsAffected;
      },
    };
  }

  function commandOf(command) {
    if (command === null || typeof command !== "object") throw sqlError("100183", "P0000", "Expected an object {sqlText, binds}.");
    return { sqlText: command.sqlText, binds: command.binds };
  }

  const snowflake = {
    execute(command) {
      const { sqlText, binds } = commandOf(command);
      return makeResultSet(run(sqlText, binds));
    },
    createStatement(command) {
      const { sqlText, binds } = commandOf(command);
      let executed;
      function done() {
        if (executed === undefined) throw sqlError("100183", "P0000", "Statement has not been executed yet.");
        return executed;
      }
      return {
        execute() {
          executed = run(sqlText, binds);
          return makeResultSet(executed);
        },
        getSqlText() {
          return sqlText;
        },
        getColumnCount() {
          return done().columns.length;
        },
        getColumnName(column) {
          const columns = done().columns;
          if (column < 1 || column > columns.length) throw sqlError("100185", "P0000", "Invalid column index " + column + ".");
          return columns[column - 1].name;
        },
        getColumnType(column) {
          const found = done().columns[column - 1];
          return found === undefined ? undefined : found.type.toLowerCase();
        },
        getRowCount() {
          return done().rows.length;
        },
        getNumRowsAffected() {
          const rows = done().rowsAffected;
          return rows === undefined || rows === null ? -1 : rows;
        },
        getQueryId() {
          return done().queryId;
        },
      };
    },
    log() {
      return undefined;
    },
    // Snowflake records the event in the procedure's trace span; the sandbox hands it to the host
    // with the next statement, which records it beside that statement.
    addEvent(name, attributes) {
      if (arguments.length < 1 || arguments.length > 2) throw new ErrorCtor("addEvent takes a name and, optionally, attributes.");
      if (typeof name !== "string") throw new ErrorCtor("The name of an event must be a string.");
      const copied = {};
      if (attributes !== undefined) {
        if (attributes === null || typeof attributes !== "object" || isArray(attributes)) throw new ErrorCtor("The attributes of an event must be an object.");
        const keys = objectKeys(attributes);
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i];
          const value = attributes[key];
          const type = typeof value;
          if (type !== "string" && type !== "number" && type !== "boolean") {
            throw sqlError("000002", "0A000", "unsupported by the floe sandbox: event attribute " + key + " of type " + type + " (strings, numbers and booleans only)");
          }
          copied[key] = value;
        }
      }
      events[events.length] = { name: name, attributes: copied };
      return undefined;
    },
    setSpanAttribute() {
      return undefined;
    },
  };

  // A FinalizationRegistry's callbacks run on the thread's event loop after the call has
  // returned, outside its time limit: one that loops would hold the worker and fail the next
  // call. Nothing else in the language schedules code for later outside the context's own
  // microtask queue, which is drained before the call ends.
  delete globalObject.FinalizationRegistry;

  const writableGlobal = (value) => ({ value, writable: true, enumerable: true, configurable: true });
  defineProperty(globalObject, "snowflake", writableGlobal(snowflake));
  for (const arg of setup.args) {
    const value = "date" in arg ? new DateCtor(arg.date) : arg.value;
    defineProperty(globalObject, arg.name, writableGlobal(value));
  }

  function bigintAsNumber(_key, value) {
    return typeof value === "bigint" ? Number(value) : value;
  }

  function errorOutcome(message) {
    return stringify({ kind: "error", code: "100132", state: "P0000", message: "JavaScript execution error: " + message });
  }

  // What the procedure returned, as JSON text. Reading `then`, `toJSON`, getters and proxy traps
  // runs procedure code: it happens here, inside the context and inside the time limit.
  function encodeReturn(value) {
    if (value !== null && typeof value === "object" && typeof value.then === "function") {
      return errorOutcome(procedure + " returned a Promise; procedures must return synchronously.");
    }
    if (typeof value === "function") return errorOutcome(procedure + " returned a function.");
    const json = stringify(value === undefined ? null : value, bigintAsNumber);
    return stringify({ kind: "value", json: json === undefined ? "null" : json });
  }

  // The message of what the procedure threw, read here for the same reason.
  function encodeThrown(thrown) {
    let message;
    try {
      const field = thrown !== null && (typeof thrown === "object" || typeof thrown === "function") ? thrown.message : undefined;
      message = StringCtor(field === undefined || field === null ? thrown : field);
    } catch (_ignored) {
      message = "an exception whose message cannot be read";
    }
    return stringify({ kind: "thrown", message });
  }

  function runBody() {
    delete globalObject[runKey];
    let outcome;
    try {
      outcome = encodeReturn(body());
    } catch (thrown) {
      try {
        outcome = encodeThrown(thrown);
      } catch (_ignored) {
        outcome = stringify({ kind: "thrown", message: "an exception whose message cannot be read" });
      }
    }
    finished = true;
    return outcome;
  }
  defineProperty(globalObject, runKey, { value: runBody, configurable: true });
});
