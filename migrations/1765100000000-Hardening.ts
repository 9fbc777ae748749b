import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Hardening after an outside probe:
 * - email addresses are unique per firm, not across firms (inviting another firm's user must not
 *   reveal that they exist);
 * - each audit chain has a head (last seq and hash) kept by a trigger beside the events, so a
 *   deleted tail or a rewritten and re-hashed suffix no longer verifies; the head is written only
 *   by that trigger (a SECURITY DEFINER function of the owner), and TRUNCATE is refused too;
 * - API tokens show a random public id instead of the first characters of their secret (tokens
 *   made before show "pdt_" and the first characters of their row id: their secret is not shown).
 */
export class Hardening1765100000000 implements MigrationInterface {
  name = "Hardening1765100000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX users_email_key;
      CREATE UNIQUE INDEX users_firm_email_key ON users (firm_id, email);
      CREATE INDEX users_email_idx ON users (email);

      CREATE TABLE audit_chain_heads (
        chain_key uuid PRIMARY KEY,
        firm_id uuid NOT NULL,
        seq bigint NOT NULL,
        hash varchar(64) NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      INSERT INTO audit_chain_heads (chain_key, firm_id, seq, hash)
        SELECT DISTINCT ON (coalesce(administration_id, firm_id)) coalesce(administration_id, firm_id), firm_id, seq, hash
          FROM audit_events
         ORDER BY coalesce(administration_id, firm_id), seq DESC;

      CREATE FUNCTION audit_events_advance_head() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      BEGIN
        INSERT INTO audit_chain_heads (chain_key, firm_id, seq, hash, updated_at)
             VALUES (coalesce(NEW.administration_id, NEW.firm_id), NEW.firm_id, NEW.seq, NEW.hash, now())
        ON CONFLICT (chain_key) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash, updated_at = now()
             WHERE audit_chain_heads.seq < EXCLUDED.seq;
        RETURN NULL;
      END $$;
      CREATE TRIGGER audit_events_head AFTER INSERT ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_advance_head();

      CREATE FUNCTION audit_heads_written_by_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF pg_trigger_depth() < 2 THEN
          RAISE EXCEPTION 'audit_chain_heads is kept by the audit trail itself';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$;
      CREATE TRIGGER audit_heads_guard BEFORE INSERT OR UPDATE OR DELETE ON audit_chain_heads
        FOR EACH ROW EXECUTE FUNCTION audit_heads_written_by_trigger();

      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
      CREATE FUNCTION audit_heads_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_chain_heads is kept by the audit trail itself';
      END $$;
      CREATE TRIGGER audit_heads_no_truncate BEFORE TRUNCATE ON audit_chain_heads
        FOR EACH STATEMENT EXECUTE FUNCTION audit_heads_no_truncate();

      ALTER TABLE api_tokens ALTER COLUMN token_prefix TYPE varchar(24);
      UPDATE api_tokens SET token_prefix = 'pdt_' || substr(replace(id::text, '-', ''), 1, 8);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM users GROUP BY email HAVING count(*) > 1) THEN
          RAISE EXCEPTION 'cannot go back: some email addresses have accounts at more than one firm (merge or rename them first)';
        END IF;
      END $$;
      DROP TRIGGER audit_heads_no_truncate ON audit_chain_heads;
      DROP FUNCTION audit_heads_no_truncate();
      DROP TRIGGER audit_events_no_truncate ON audit_events;
      DROP TABLE audit_chain_heads;
      DROP FUNCTION audit_heads_written_by_trigger();
      DROP TRIGGER audit_events_head ON audit_events;
      DROP FUNCTION audit_events_advance_head();
      DROP INDEX users_email_idx;
      DROP INDEX users_firm_email_key;
      CREATE UNIQUE INDEX users_email_key ON users (email);
    `);
  }
}
