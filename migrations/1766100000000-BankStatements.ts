import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Bank statements read from MT940 and CAMT.053 files, as tables: accounts per administration,
 * statements per document (several per file), their entries. Documents get the state of that
 * reading (when, what was found, or the problem that stopped it).
 */
export class BankStatements1766100000000 implements MigrationInterface {
  name = "BankStatements1766100000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE documents
        ADD COLUMN data_read_at timestamptz,
        ADD COLUMN data_kind varchar(20) CHECK (data_kind IN ('BANK_STATEMENT', 'INVOICE')),
        ADD COLUMN data_problem text;
      CREATE TABLE bank_accounts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        firm_id uuid NOT NULL REFERENCES firms(id) ON DELETE CASCADE,
        administration_id uuid NOT NULL REFERENCES administrations(id) ON DELETE CASCADE,
        account varchar(40) NOT NULL,
        currency char(3) NOT NULL,
        -- The problems last told to its people (kind:number:statement), so each is notified once.
        told_problems text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (administration_id, account, currency)
      );
      CREATE TABLE bank_statements (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        firm_id uuid NOT NULL REFERENCES firms(id) ON DELETE CASCADE,
        administration_id uuid NOT NULL REFERENCES administrations(id) ON DELETE CASCADE,
        bank_account_id uuid NOT NULL REFERENCES bank_accounts(id) ON DELETE CASCADE,
        document_id uuid NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        position int NOT NULL,
        number varchar(35),
        sequence int NOT NULL,
        opening_date date NOT NULL,
        opening_cents bigint NOT NULL,
        closing_date date NOT NULL,
        closing_cents bigint NOT NULL,
        entry_count int NOT NULL,
        entries_cents bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (document_id, position)
      );
      CREATE INDEX bank_statements_account_idx ON bank_statements (bank_account_id, closing_date);
      CREATE TABLE bank_entries (
        statement_id uuid NOT NULL REFERENCES bank_statements(id) ON DELETE CASCADE,
        position int NOT NULL,
        booking_date date NOT NULL,
        value_date date,
        amount_cents bigint NOT NULL,
        counterparty_name varchar(140),
        counterparty_iban varchar(40),
        counterparty_bic varchar(11),
        description text,
        end_to_end_id varchar(140),
        bank_reference varchar(140),
        PRIMARY KEY (statement_id, position)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE bank_entries;
      DROP TABLE bank_statements;
      DROP TABLE bank_accounts;
      ALTER TABLE documents DROP COLUMN data_read_at, DROP COLUMN data_kind, DROP COLUMN data_problem;
    `);
  }
}
