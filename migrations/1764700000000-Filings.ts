import type { MigrationInterface, QueryRunner } from "typeorm";

/** VAT returns and ICP declarations with their approval and submission. */
export class Filings1764700000000 implements MigrationInterface {
  name = "Filings1764700000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE filings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        firm_id uuid NOT NULL REFERENCES firms(id),
        administration_id uuid NOT NULL REFERENCES administrations(id) ON DELETE CASCADE,
        kind varchar(20) NOT NULL CHECK (kind IN ('VAT_RETURN', 'ICP_DECLARATION')),
        period_year smallint NOT NULL CHECK (period_year BETWEEN 2000 AND 2100),
        period_month smallint CHECK (period_month BETWEEN 1 AND 12),
        period_quarter smallint CHECK (period_quarter BETWEEN 1 AND 4),
        -- 0 for the original; a correction of the same period is a new filing, the old one kept.
        correction_number integer NOT NULL DEFAULT 0 CHECK (correction_number >= 0),
        corrects_id uuid REFERENCES filings(id),
        status varchar(20) NOT NULL CHECK (status IN ('DRAFT', 'AWAITING_APPROVAL', 'APPROVED', 'REJECTED', 'SUBMITTED', 'ACCEPTED', 'FAILED')),
        -- Grows with every change of the content: an approval names the version it saw.
        version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
        content jsonb NOT NULL,
        prepared_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        prepared_by_label varchar(320) NOT NULL,
        -- Set the first time approval is asked: from then on the administration's clients see it.
        first_requested_at timestamptz,
        approval_decision varchar(10) CHECK (approval_decision IN ('APPROVED', 'REJECTED')),
        approval_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        approval_by_label varchar(320),
        approval_at timestamptz,
        approval_note text,
        approval_version integer,
        approval_content_hash char(64),
        submitted_at timestamptz,
        submitted_by_label varchar(320),
        submission_reference varchar(100),
        submission_statuses jsonb NOT NULL DEFAULT '[]',
        submission_message text,
        failure_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        period_key integer GENERATED ALWAYS AS (period_year * 10000 + coalesce(period_month, period_quarter * 3) * 100 + least(correction_number, 99)) STORED,
        CHECK ((period_month IS NULL) <> (period_quarter IS NULL))
      );
      CREATE UNIQUE INDEX filings_period_key ON filings (administration_id, kind, period_year, coalesce(period_month, 0), coalesce(period_quarter, 0), correction_number);
      CREATE INDEX filings_list_idx ON filings (administration_id, period_key DESC, id DESC);
      CREATE INDEX filings_pending_idx ON filings (status) WHERE status = 'SUBMITTED';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("DROP TABLE filings");
  }
}
