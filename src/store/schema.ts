/**
 * The SQL schema of a campaign store file, version {@link SCHEMA_VERSION}.
 * A store identifies itself by `store_info.format` = {@link STORE_FORMAT}; readers refuse
 * foreign files and files of a newer schema version with a FormatError.
 */

/** Identifies an sdfl campaign store among SQLite files. */
export const STORE_FORMAT = "sdfl-campaign-store";

/** Bump when the schema changes; add a migration from the previous version. */
export const SCHEMA_VERSION = 2;

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

/**
 * Tables of schema version 2: experiments of any problem. A condition, its set points and
 * the measured outcomes are JSON objects keyed by name; the objective is a column. The
 * problem itself is part of the campaign's settings (`settings.problem`; absent = the
 * built-in problem).
 */
export const SCHEMA_V2 = SCHEMA_V1.replace(/CREATE TABLE experiments \([\s\S]*?\n\);\n/, "") + EXPERIMENTS_V2("experiments");

/** The generic experiments table under a given name (the migration builds it beside the old one). */
function EXPERIMENTS_V2(name: string): string {
  return `
CREATE TABLE ${name} (
  campaign_id      INTEGER NOT NULL REFERENCES campaigns(id),
  idx              INTEGER NOT NULL,
  phase            TEXT NOT NULL CHECK (phase IN ('init', 'optimizer', 'exploit')),
  source           TEXT NOT NULL CHECK (source IN ('lab', 'dataset')),
  status           TEXT NOT NULL CHECK (status IN ('proposed', 'running', 'done', 'failed')),
  condition        TEXT NOT NULL,
  set_points       TEXT NOT NULL,
  proposal_info    TEXT,
  proposed_at      TEXT NOT NULL,
  run_condition    TEXT,
  run_set_points   TEXT,
  outcomes         TEXT,
  objective        REAL,
  lab_started_at   REAL,
  lab_finished_at  REAL,
  measured_at      TEXT,
  measurement_meta TEXT,
  error            TEXT,
  PRIMARY KEY (campaign_id, idx)
);
`;
}

/**
 * Version 1 (the paper's five inputs as columns) to version 2, in one transaction: every
 * row is copied; PFO becomes a set point, Abs300/PLA/peak446 outcomes, the PLQY proxy the
 * objective.
 */
export const MIGRATE_V1_TO_V2 =
  EXPERIMENTS_V2("experiments_v2") +
  `
INSERT INTO experiments_v2 (campaign_id, idx, phase, source, status, condition, set_points, proposal_info, proposed_at,
  run_condition, run_set_points, outcomes, objective, lab_started_at, lab_finished_at, measured_at, measurement_meta, error)
SELECT campaign_id, idx, phase, source, status,
  json_object('T', T, 'CuI', CuI, 'ZnI2', ZnI2, 'CsOA', CsOA, 'ODE', ODE),
  json_object('PFO', PFO),
  proposal_info, proposed_at,
  CASE WHEN run_condition IS NULL THEN NULL ELSE json_remove(run_condition, '$.PFO') END,
  CASE WHEN run_condition IS NULL THEN NULL ELSE json_object('PFO', json_extract(run_condition, '$.PFO')) END,
  CASE WHEN status <> 'done' THEN NULL
       WHEN peak446 IS NULL THEN json_object('abs300', abs300, 'pla', pla)
       ELSE json_object('abs300', abs300, 'pla', pla, 'peak446', peak446) END,
  plqy, lab_started_at, lab_finished_at, measured_at, measurement_meta, error
FROM experiments;
DROP TABLE experiments;
ALTER TABLE experiments_v2 RENAME TO experiments;
UPDATE store_info SET value = '2' WHERE key = 'schema_version';
`;
