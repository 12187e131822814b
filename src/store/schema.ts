/**
 * The SQL schema of a campaign store file, version {@link SCHEMA_VERSION}.
 * A store identifies itself by `store_info.format` = {@link STORE_FORMAT}; readers refuse
 * foreign files and files of a newer schema version with a FormatError.
 */

/** Identifies an sdfl campaign store among SQLite files. */
export const STORE_FORMAT = "sdfl-campaign-store";

/** Bump when the schema changes; add a migration from the previous version. */
export const SCHEMA_VERSION = 1;

/** Tables of schema version 1. Times are ISO-8601 UTC text; lab clock times are seconds. */
export const SCHEMA_V1 = `
CREATE TABLE store_info (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE campaigns (
  id           INTEGER PRIMARY KEY,
  created_at   TEXT NOT NULL,
  finished_at  TEXT,
  status       TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
  lab          TEXT NOT NULL,
  strategy     TEXT NOT NULL,
  data_source  TEXT NOT NULL,
  seed         INTEGER NOT NULL,
  settings     TEXT NOT NULL
);
CREATE TABLE experiments (
  campaign_id      INTEGER NOT NULL REFERENCES campaigns(id),
  idx              INTEGER NOT NULL,
  phase            TEXT NOT NULL CHECK (phase IN ('init', 'optimizer', 'exploit')),
  source           TEXT NOT NULL CHECK (source IN ('lab', 'dataset')),
  status           TEXT NOT NULL CHECK (status IN ('proposed', 'running', 'done', 'failed')),
  T                REAL NOT NULL,
  CuI              REAL NOT NULL,
  ZnI2             REAL NOT NULL,
  CsOA             REAL NOT NULL,
  ODE              REAL NOT NULL,
  PFO              REAL NOT NULL,
  proposal_info    TEXT,
  proposed_at      TEXT NOT NULL,
  run_condition    TEXT,
  abs300           REAL,
  pla              REAL,
  peak446          REAL,
  plqy             REAL,
  lab_started_at   REAL,
  lab_finished_at  REAL,
  measured_at      TEXT,
  measurement_meta TEXT,
  error            TEXT,
  PRIMARY KEY (campaign_id, idx)
);
CREATE TABLE surrogate_fits (
  id          INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
  idx         INTEGER NOT NULL,
  surrogate   TEXT NOT NULL,
  seconds     REAL NOT NULL,
  meta        TEXT NOT NULL,
  warnings    TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE TABLE timings (
  id          INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
  idx         INTEGER NOT NULL,
  step        TEXT NOT NULL,
  seconds     REAL NOT NULL
);
CREATE INDEX timings_by_experiment ON timings (campaign_id, idx);
CREATE INDEX fits_by_experiment ON surrogate_fits (campaign_id, idx);
`;
