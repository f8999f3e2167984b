-- core.sql: application roles, the PUBLIC and STATE schemas, and the connector status.
-- Every statement can run again: setup.sql re-runs on each upgrade.

CREATE APPLICATION ROLE IF NOT EXISTS ADMIN;
CREATE APPLICATION ROLE IF NOT EXISTS VIEWER;
CREATE APPLICATION ROLE IF NOT EXISTS DATA_READER;

-- PUBLIC holds the procedures; it is versioned, so an upgrade replaces them as a whole.
CREATE OR ALTER VERSIONED SCHEMA PUBLIC;
GRANT USAGE ON SCHEMA PUBLIC TO APPLICATION ROLE ADMIN;
GRANT USAGE ON SCHEMA PUBLIC TO APPLICATION ROLE VIEWER;

-- STATE holds data that must survive upgrades, so it is not versioned.
CREATE SCHEMA IF NOT EXISTS STATE;

CREATE TABLE IF NOT EXISTS STATE.APP_STATE (
  KEY STRING NOT NULL,
  VALUE VARIANT NOT NULL,
  UPDATED_AT TIMESTAMP_NTZ
);

-- A fresh installation starts CONFIGURING / INSTALLED; an upgrade keeps the status it has.
INSERT INTO STATE.APP_STATE (KEY, VALUE, UPDATED_AT)
  SELECT 'connector_status', PARSE_JSON('{"status":"CONFIGURING","configurationStatus":"INSTALLED"}'), SYSDATE()
  WHERE NOT EXISTS (SELECT 1 FROM STATE.APP_STATE WHERE KEY = 'connector_status');
