/**
 * PUBLIC.INITIALIZE_TASK_REACTOR_INSTANCE(INSTANCE_NAME, WAREHOUSE): creates an instance's schema,
 * command queue and (suspended) dispatcher task, and registers it, so that RESUME_CONNECTOR and
 * PAUSE_CONNECTOR drive it. Compiled into the stored procedure: synchronous, no Node APIs.
 */
import { errorMessage, invalidInput, okResponse, unknownError, type ConnectorResponse } from "./responses";
import type { SqlRunner } from "./snowflake-api";
import { quoteIdentifier, quoteName } from "./sql-text";

const INSTANCE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_$]{0,254}$/;

export function initializeTaskReactorInstance(runner: SqlRunner, instanceName: unknown, warehouse: unknown): ConnectorResponse {
  if (typeof instanceName !== "string" || !INSTANCE_NAME_PATTERN.test(instanceName)) {
    return invalidInput("INSTANCE_NAME must be an identifier (letters, digits, _ and $, starting with a letter or _), got " + JSON.stringify(instanceName) + ".");
  }
  if (typeof warehouse !== "string" || warehouse.length === 0) {
    return invalidInput("WAREHOUSE must name the warehouse the dispatcher task runs on.");
  }
  const name = instanceName.toUpperCase();
  const schema = quoteIdentifier(name);
  try {
    runner.update("CREATE SCHEMA IF NOT EXISTS " + schema);
    runner.update(
      "CREATE TABLE IF NOT EXISTS " + schema + ".COMMANDS_QUEUE (ID STRING NOT NULL, COMMAND_TYPE STRING NOT NULL, PAYLOAD VARIANT, CREATED_AT TIMESTAMP_NTZ)",
    );
    runner.update(
      "CREATE TASK IF NOT EXISTS " + schema + ".DISPATCHER_TASK WAREHOUSE = " + quoteName([warehouse]) +
        " SCHEDULE = '1 MINUTE' AS SELECT COUNT(*) FROM " + schema + ".COMMANDS_QUEUE",
    );
    runner.update(
      "MERGE INTO TASK_REACTOR.INSTANCE_REGISTRY AS T USING (SELECT ? AS INSTANCE_NAME, ? AS WAREHOUSE) AS S " +
        "ON T.INSTANCE_NAME = S.INSTANCE_NAME " +
        "WHEN MATCHED THEN UPDATE SET IS_INITIALIZED = TRUE, WAREHOUSE = S.WAREHOUSE " +
        "WHEN NOT MATCHED THEN INSERT (INSTANCE_NAME, IS_INITIALIZED, WAREHOUSE, CREATED_AT) VALUES (S.INSTANCE_NAME, TRUE, S.WAREHOUSE, SYSDATE())",
      [name, warehouse],
    );
  } catch (e) {
    return unknownError("INITIALIZE_TASK_REACTOR_INSTANCE failed: " + errorMessage(e));
  }
  return okResponse("Task Reactor instance " + name + " initialized.");
}
