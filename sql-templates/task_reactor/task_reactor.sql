-- task_reactor/task_reactor.sql: the registry of the SDK's Task Reactor, which RESUME_CONNECTOR
-- and PAUSE_CONNECTOR read. The Task Reactor itself (the TASK_REACTOR schema, its procedures,
-- and each instance's schema with COMMANDS_QUEUE, CONFIG, QUEUE_STREAM, COMMANDS_QUEUE_STREAM
-- and DISPATCHER_TASK) is the connector's. The registry is declared here with the SDK's layout
-- and IF NOT EXISTS, so that it exists whichever of the two scripts runs first, and a connector
-- without instances yet resumes and pauses without one.

CREATE SCHEMA IF NOT EXISTS TASK_REACTOR_INSTANCES;

CREATE TABLE IF NOT EXISTS TASK_REACTOR_INSTANCES.INSTANCE_REGISTRY (
  INSTANCE_NAME VARCHAR NOT NULL UNIQUE,
  IS_INITIALIZED BOOLEAN DEFAULT FALSE,
  IS_ACTIVE BOOLEAN DEFAULT FALSE
);
