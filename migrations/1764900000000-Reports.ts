import type { MigrationInterface, QueryRunner } from "typeorm";

/** Reports the firm publishes for an administration: versions of the file, scheduling, read receipts. */
export class Reports1764900000000 implements MigrationInterface {
  name = "Reports1764900000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        firm_id uuid NOT NULL REFERENCES firms(id),
        administration_id uuid NOT NULL REFERENCES administrations(id) ON DELETE CASCADE,
        kind varchar(20) NOT NULL CHECK (kind IN ('BALANCE_SHEET', 'PROFIT_AND_LOSS', 'OPEN_RECEIVABLES', 'OPEN_PAYABLES', 'VAT_OVERVIEW', 'ANNUAL_ACCOUNTS', 'OTHER')),
        title varchar(200) NOT NULL CHECK (length(title) > 0),
        period_start date NOT NULL,
        period_end date NOT NULL CHECK (period_end >= period_start),
        -- Clients see it from this moment (the moment of publishing when not scheduled).
        publish_at timestamptz NOT NULL,
        -- When the clients were told (by the publishing job, once).
        announced_at timestamptz,
        withdrawn_at timestamptz,
        withdrawn_by_label varchar(320),
        version integer NOT NULL DEFAULT 1,
        created_by_label varchar(320) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX reports_list_idx ON reports (administration_id, publish_at DESC, id DESC);
      CREATE INDEX reports_due_idx ON reports (publish_at) WHERE announced_at IS NULL AND withdrawn_at IS NULL;

      CREATE TABLE report_versions (
        report_id uuid NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        version integer NOT NULL,
        sha256 char(64) NOT NULL,
        filename varchar(255) NOT NULL,
        byte_size bigint NOT NULL,
        page_count integer,
        uploaded_by_label varchar(320) NOT NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (report_id, version)
      );
      CREATE INDEX report_versions_blob_idx ON report_versions (sha256);

      -- One receipt per user and version: the first time they opened it.
      CREATE TABLE report_reads (
        report_id uuid NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        version integer NOT NULL,
        read_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (report_id, user_id, version)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("DROP TABLE report_reads; DROP TABLE report_versions; DROP TABLE reports;");
  }
}
