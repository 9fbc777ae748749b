import type { MigrationInterface, QueryRunner } from "typeorm";

/** The desk and the trays: documents, their blobs, archive folders (minimal), duplicate policy. */
export class Documents1764300000000 implements MigrationInterface {
  name = "Documents1764300000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- Secrets shared by every instance (URL signing); made once, here.
      CREATE TABLE server_secrets (
        name varchar(50) PRIMARY KEY,
        value text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      INSERT INTO server_secrets (name, value)
        VALUES ('url_signing', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));

      ALTER TABLE administrations
        ADD COLUMN duplicate_policy varchar(10) NOT NULL DEFAULT 'WARN' CHECK (duplicate_policy IN ('REJECT', 'WARN', 'ALLOW'));

      CREATE TABLE archive_folders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        firm_id uuid NOT NULL REFERENCES firms(id),
        administration_id uuid NOT NULL REFERENCES administrations(id) ON DELETE CASCADE,
        parent_id uuid REFERENCES archive_folders(id),
        name varchar(200) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX archive_folders_administration_idx ON archive_folders (administration_id, parent_id);

      CREATE TABLE documents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        firm_id uuid NOT NULL REFERENCES firms(id),
        administration_id uuid NOT NULL REFERENCES administrations(id),
        filename varchar(255) NOT NULL,
        content_type varchar(100) NOT NULL,
        format varchar(10) NOT NULL CHECK (format IN ('PDF', 'JPEG', 'PNG', 'TIFF', 'HEIC', 'UBL', 'MT940', 'CAMT053')),
        byte_size bigint NOT NULL CHECK (byte_size > 0),
        sha256 char(64) NOT NULL,
        page_count integer,
        location varchar(10) NOT NULL CHECK (location IN ('DESK', 'TRAY')),
        tray varchar(20) CHECK (tray IN ('PURCHASE', 'SALES', 'RECEIPTS', 'BANK_STATEMENTS', 'ARCHIVE')),
        folder_id uuid REFERENCES archive_folders(id),
        status varchar(12) NOT NULL CHECK (status IN ('ON_DESK', 'SUBMITTED', 'PROCESSED', 'RETURNED')),
        uploaded_by_user_id uuid REFERENCES users(id),
        uploaded_by_token_id uuid REFERENCES api_tokens(id),
        uploaded_at timestamptz NOT NULL DEFAULT now(),
        submitted_at timestamptz,
        processed_at timestamptz,
        return_reason text,
        returned_at timestamptz,
        duplicate_of_id uuid REFERENCES documents(id),
        derived_from_ids uuid[] NOT NULL DEFAULT '{}',
        thumbnail_sha256 char(64),
        removed_at timestamptz,
        replaced_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((location = 'DESK') = (tray IS NULL)),
        CHECK ((tray = 'ARCHIVE') = (folder_id IS NOT NULL)),
        CHECK ((location = 'DESK') = (status IN ('ON_DESK', 'RETURNED')))
      );
      -- Live documents (not removed or replaced) per place and status, newest first: desk, trays, lists.
      CREATE INDEX documents_place_idx ON documents (administration_id, location, tray, status, uploaded_at DESC, id DESC)
        WHERE removed_at IS NULL AND replaced_at IS NULL;
      -- The desk (ON_DESK and RETURNED together), newest first.
      CREATE INDEX documents_desk_idx ON documents (administration_id, uploaded_at DESC, id DESC)
        WHERE location = 'DESK' AND removed_at IS NULL AND replaced_at IS NULL;
      CREATE INDEX documents_uploaded_idx ON documents (administration_id, uploaded_at DESC, id DESC)
        WHERE removed_at IS NULL AND replaced_at IS NULL;
      CREATE INDEX documents_sha_idx ON documents (administration_id, sha256);
      CREATE INDEX documents_blob_idx ON documents (sha256);
      CREATE INDEX documents_thumbnail_idx ON documents (thumbnail_sha256) WHERE thumbnail_sha256 IS NOT NULL;
      CREATE INDEX documents_uploader_idx ON documents (uploaded_by_user_id);
      CREATE EXTENSION IF NOT EXISTS pg_trgm;
      -- Search by part of the filename (ILIKE '%…%').
      CREATE INDEX documents_filename_trgm_idx ON documents USING gin (lower(filename) gin_trgm_ops);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE documents, archive_folders, server_secrets;
      ALTER TABLE administrations DROP COLUMN duplicate_policy;
    `);
  }
}
