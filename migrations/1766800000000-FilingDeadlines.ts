import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Deadlines: how often each administration files its VAT return and ICP declaration and from when
 * the firm files them; the reminders sent (one per period, kind and step); and the Digipoort
 * simulator's messages, so that every server instance's simulator can answer for every kenmerk.
 */
export class FilingDeadlines1766800000000 implements MigrationInterface {
  name = "FilingDeadlines1766800000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE administrations
        ADD COLUMN vat_filing_frequency varchar(10) NOT NULL DEFAULT 'QUARTERLY' CHECK (vat_filing_frequency IN ('MONTHLY', 'QUARTERLY', 'NONE')),
        ADD COLUMN icp_filing_frequency varchar(10) NOT NULL DEFAULT 'NONE' CHECK (icp_filing_frequency IN ('MONTHLY', 'QUARTERLY', 'NONE')),
        ADD COLUMN filings_from date NOT NULL DEFAULT current_date;
      -- Existing administrations: from when they were added, or their first filing's period if earlier.
      UPDATE administrations a SET filings_from = least(a.created_at::date, coalesce(
        (SELECT min(make_date(f.period_year, coalesce(f.period_month, f.period_quarter * 3 - 2), 1)) FROM filings f WHERE f.administration_id = a.id), a.created_at::date));
      -- Administrations that already filed ICP declarations keep doing so, as often as their VAT return.
      UPDATE administrations a SET icp_filing_frequency = a.vat_filing_frequency
       WHERE EXISTS (SELECT 1 FROM filings f WHERE f.administration_id = a.id AND f.kind = 'ICP_DECLARATION');

      CREATE TABLE filing_reminders (
        administration_id uuid NOT NULL REFERENCES administrations(id) ON DELETE CASCADE,
        kind varchar(20) NOT NULL,
        -- "2026-Q1" or "2026-03" (filing-period.ts periodLabel).
        period varchar(10) NOT NULL,
        -- PREPARE and SUBMIT go to staff, APPROVE to the client's approvers.
        step varchar(10) NOT NULL,
        filing_id uuid REFERENCES filings(id) ON DELETE SET NULL,
        due_date date NOT NULL,
        recipient_user_ids uuid[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (administration_id, kind, period, step)
      );

      CREATE TABLE digipoort_simulator_processes (
        kenmerk uuid PRIMARY KEY,
        identity jsonb NOT NULL,
        statuses jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE digipoort_simulator_processes;
      DROP TABLE filing_reminders;
      ALTER TABLE administrations DROP COLUMN vat_filing_frequency, DROP COLUMN icp_filing_frequency, DROP COLUMN filings_from;
    `);
  }
}
