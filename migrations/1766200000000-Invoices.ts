import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Invoices and credit notes read from e-invoices (UBL, CII / Factur-X), as tables: the invoice with
 * both parties, its lines and its VAT breakdown. Indexed for the duplicate checks (supplier and
 * number; supplier, date and total) and for finding an invoice by its PDF rendition.
 */
export class Invoices1766200000000 implements MigrationInterface {
  name = "Invoices1766200000000";

  async up(q: QueryRunner): Promise<void> {
    const party = (role: string) => `
        ${role}_name varchar(200),
        ${role}_vat_number varchar(30),
        ${role}_kvk_number varchar(20),
        ${role}_iban varchar(40),
        ${role}_address varchar(300),
        ${role}_country char(2),`;
    await q.query(`
      ALTER TABLE documents DROP CONSTRAINT documents_format_check,
        ADD CONSTRAINT documents_format_check CHECK (format IN ('PDF', 'JPEG', 'PNG', 'TIFF', 'HEIC', 'UBL', 'CII', 'MT940', 'CAMT053'));
      CREATE TABLE invoices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        firm_id uuid NOT NULL REFERENCES firms(id) ON DELETE CASCADE,
        administration_id uuid NOT NULL REFERENCES administrations(id) ON DELETE CASCADE,
        document_id uuid NOT NULL UNIQUE REFERENCES documents(id) ON DELETE CASCADE,
        source varchar(10) NOT NULL CHECK (source IN ('E_INVOICE', 'TEXT', 'OCR')),
        kind varchar(12) NOT NULL CHECK (kind IN ('INVOICE', 'CREDIT_NOTE', 'RECEIPT')),
        direction varchar(10) NOT NULL CHECK (direction IN ('PURCHASE', 'SALES')),
        syntax varchar(4) NOT NULL,
        customization_id varchar(200),
        number varchar(100),
        issue_date date,
        due_date date,
        currency char(3),
        net_cents bigint,
        vat_cents bigint,
        gross_cents bigint,
        payable_cents bigint,
        payment_reference varchar(140),
        preceding_number varchar(100),
        ${party("supplier")}
        ${party("customer")}
        supplier_key varchar(200),
        warnings jsonb NOT NULL DEFAULT '[]',
        rendition_sha256 char(64),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX invoices_supplier_number_idx ON invoices (administration_id, supplier_key, number);
      CREATE INDEX invoices_supplier_date_idx ON invoices (administration_id, supplier_key, issue_date, gross_cents);
      CREATE INDEX invoices_blob_idx ON invoices (rendition_sha256) WHERE rendition_sha256 IS NOT NULL;
      CREATE INDEX invoices_rendition_idx ON invoices (administration_id, rendition_sha256) WHERE rendition_sha256 IS NOT NULL;
      CREATE TABLE invoice_lines (
        invoice_id uuid NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
        position int NOT NULL,
        line_id varchar(50),
        description text,
        quantity varchar(30),
        unit_code varchar(10),
        unit_price varchar(30),
        amount_cents bigint NOT NULL,
        vat_category varchar(4),
        vat_rate varchar(10),
        PRIMARY KEY (invoice_id, position)
      );
      CREATE TABLE invoice_vat_lines (
        invoice_id uuid NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
        position int NOT NULL,
        category varchar(4) NOT NULL,
        rate varchar(10),
        taxable_cents bigint NOT NULL,
        vat_cents bigint NOT NULL,
        PRIMARY KEY (invoice_id, position)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE invoice_vat_lines;
      DROP TABLE invoice_lines;
      DROP TABLE invoices;
      DELETE FROM documents WHERE format = 'CII';
      ALTER TABLE documents DROP CONSTRAINT documents_format_check,
        ADD CONSTRAINT documents_format_check CHECK (format IN ('PDF', 'JPEG', 'PNG', 'TIFF', 'HEIC', 'UBL', 'MT940', 'CAMT053'));
    `);
  }
}
