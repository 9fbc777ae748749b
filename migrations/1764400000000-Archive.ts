import type { MigrationInterface, QueryRunner } from "typeorm";

/** The archive: folder tree with access grants, document dates and retention, full-text search. */
export class Archive1764400000000 implements MigrationInterface {
  name = "Archive1764400000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE administrations
        ADD COLUMN financial_year_end_month smallint NOT NULL DEFAULT 12 CHECK (financial_year_end_month BETWEEN 1 AND 12),
        ADD COLUMN financial_year_end_day smallint NOT NULL DEFAULT 31 CHECK (financial_year_end_day BETWEEN 1 AND 31);

      ALTER TABLE archive_folders
        ADD COLUMN real_estate boolean NOT NULL DEFAULT false,
        ADD CONSTRAINT archive_folders_name_check CHECK (length(name) BETWEEN 1 AND 200);
      -- One root per administration; sibling names unique regardless of case.
      CREATE UNIQUE INDEX archive_folders_root_key ON archive_folders (administration_id) WHERE parent_id IS NULL;
      CREATE UNIQUE INDEX archive_folders_sibling_name_key ON archive_folders (parent_id, lower(name)) WHERE parent_id IS NOT NULL;
      CREATE INDEX archive_folders_parent_idx ON archive_folders (parent_id);

      CREATE TABLE archive_folder_grants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        folder_id uuid NOT NULL REFERENCES archive_folders(id) ON DELETE CASCADE,
        -- NULL: the default for all client users of the administration.
        user_id uuid REFERENCES users(id) ON DELETE CASCADE,
        access varchar(12) NOT NULL CHECK (access IN ('NONE', 'VIEW', 'CONTRIBUTE', 'MANAGE')),
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by_label varchar(320) NOT NULL
      );
      CREATE UNIQUE INDEX archive_folder_grants_key ON archive_folder_grants (folder_id, coalesce(user_id, '00000000-0000-0000-0000-000000000000'));

      ALTER TABLE documents
        ADD COLUMN document_date date,
        ADD COLUMN retain_until date,
        ADD COLUMN notes text,
        ADD COLUMN body_text text,
        ADD COLUMN text_extracted_at timestamptz,
        -- Name and notes weigh more than the text inside; Dutch stemming for the text, plain words for names.
        ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('simple', coalesce(filename, '')), 'A') ||
          setweight(to_tsvector('dutch', coalesce(filename, '')), 'A') ||
          setweight(to_tsvector('simple', coalesce(notes, '')), 'B') ||
          setweight(to_tsvector('dutch', coalesce(notes, '')), 'B') ||
          setweight(to_tsvector('dutch', coalesce(left(body_text, 200000), '')), 'C') ||
          setweight(to_tsvector('simple', coalesce(left(body_text, 200000), '')), 'D')
        ) STORED;
      -- Name and notes alone: small enough to stay inline, so ranking thousands of hits never reads
      -- (and decompresses) the large text vector.
      ALTER TABLE documents ADD COLUMN rank_vector tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('simple', coalesce(filename, '')), 'A') ||
          setweight(to_tsvector('dutch', coalesce(filename, '')), 'A') ||
          setweight(to_tsvector('simple', coalesce(left(notes, 2000), '')), 'B') ||
          setweight(to_tsvector('dutch', coalesce(left(notes, 2000), '')), 'B')
        ) STORED;
      CREATE INDEX documents_search_idx ON documents USING gin (search_vector);
      CREATE INDEX documents_folder_idx ON documents (folder_id, uploaded_at DESC, id DESC) WHERE folder_id IS NOT NULL AND removed_at IS NULL AND replaced_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE documents DROP COLUMN rank_vector, DROP COLUMN search_vector, DROP COLUMN text_extracted_at, DROP COLUMN body_text, DROP COLUMN notes,
        DROP COLUMN retain_until, DROP COLUMN document_date;
      DROP TABLE archive_folder_grants;
      DROP INDEX archive_folders_root_key, archive_folders_sibling_name_key, archive_folders_parent_idx;
      ALTER TABLE archive_folders DROP CONSTRAINT archive_folders_name_check, DROP COLUMN real_estate;
      ALTER TABLE administrations DROP COLUMN financial_year_end_day, DROP COLUMN financial_year_end_month;
    `);
  }
}
