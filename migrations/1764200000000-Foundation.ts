import type { MigrationInterface, QueryRunner } from "typeorm";

/** Tenancy, people, authentication, the audit chain and notifications. */
export class Foundation1764200000000 implements MigrationInterface {
  name = "Foundation1764200000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE firms (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(200) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        firm_id uuid NOT NULL REFERENCES firms(id),
        email varchar(320) NOT NULL CHECK (email = lower(email)),
        name varchar(200) NOT NULL,
        role varchar(20) NOT NULL CHECK (role IN ('FIRM_ADMIN', 'ACCOUNTANT', 'CLIENT')),
        status varchar(20) NOT NULL CHECK (status IN ('INVITED', 'ACTIVE', 'DISABLED')),
        language varchar(2) NOT NULL DEFAULT 'NL' CHECK (language IN ('NL', 'EN')),
        password_hash text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX users_email_key ON users (email);
      CREATE INDEX users_firm_idx ON users (firm_id, created_at, id);

      CREATE TABLE administrations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        firm_id uuid NOT NULL REFERENCES firms(id),
        name varchar(200) NOT NULL,
        vat_number varchar(20),
        chamber_of_commerce_number varchar(8),
        portal_enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX administrations_firm_name_idx ON administrations (firm_id, lower(name), id);

      CREATE TABLE memberships (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        administration_id uuid NOT NULL REFERENCES administrations(id) ON DELETE CASCADE,
        can_approve_filings boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (user_id, administration_id)
      );
      CREATE INDEX memberships_administration_idx ON memberships (administration_id);

      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash bytea NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      );
      CREATE INDEX sessions_user_idx ON sessions (user_id);

      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        firm_id uuid NOT NULL REFERENCES firms(id),
        name varchar(100) NOT NULL,
        token_prefix varchar(16) NOT NULL,
        token_hash bytea NOT NULL UNIQUE,
        created_by_user_id uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        revoked_at timestamptz,
        last_used_at timestamptz
      );
      CREATE INDEX api_tokens_firm_idx ON api_tokens (firm_id, created_at, id);

      CREATE TABLE invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        invited_by_user_id uuid NOT NULL REFERENCES users(id),
        token_hash bytea NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        accepted_at timestamptz
      );
      CREATE INDEX invitations_user_idx ON invitations (user_id);

      CREATE TABLE audit_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        firm_id uuid NOT NULL REFERENCES firms(id),
        administration_id uuid REFERENCES administrations(id),
        seq bigint NOT NULL CHECK (seq > 0),
        occurred_at timestamptz NOT NULL,
        actor_type varchar(20) NOT NULL,
        actor_id uuid,
        actor_label varchar(320) NOT NULL,
        action varchar(100) NOT NULL,
        subject_type varchar(50),
        subject_id uuid,
        note text,
        details jsonb NOT NULL DEFAULT '{}',
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL
      );
      -- One chain per administration, and one per firm for firm-level events.
      CREATE UNIQUE INDEX audit_events_chain_seq_key
        ON audit_events (firm_id, (coalesce(administration_id, firm_id)), seq);
      CREATE INDEX audit_events_subject_idx ON audit_events (subject_id, seq);

      -- Append-only: the API never updates or deletes a link. (The hash chain still catches
      -- changes made by someone able to bypass this, such as a superuser.)
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only';
      END $$;
      CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        recipient_user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        firm_id uuid NOT NULL REFERENCES firms(id),
        administration_id uuid REFERENCES administrations(id) ON DELETE CASCADE,
        kind varchar(60) NOT NULL,
        title varchar(300) NOT NULL,
        body text,
        subject_type varchar(50),
        subject_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz
      );
      CREATE INDEX notifications_recipient_idx ON notifications (recipient_user_id, created_at DESC, id DESC);
      CREATE INDEX notifications_unread_idx ON notifications (recipient_user_id) WHERE read_at IS NULL;

      -- Sign-in throttling counters (rate-limiter-flexible's Postgres store), shared by all instances.
      CREATE TABLE sign_in_throttle (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE sign_in_throttle, notifications, audit_events, invitations, api_tokens, sessions,
        memberships, administrations, users, firms;
      DROP FUNCTION audit_events_append_only();
    `);
  }
}
