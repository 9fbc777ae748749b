import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A second factor for sign-in:
 * - an authenticator app (TOTP): its shared secret, confirmed once a code from the app matched, and
 *   the last time step used (a code is accepted once only);
 * - ten one-time recovery codes per person, only their SHA-256 kept;
 * - sign-in challenges: after the right password, a short-lived token for the second step (or for
 *   enrolment when the firm requires a second factor), with its failed attempts;
 * - the firm's requirement of a second factor for its staff and for its clients.
 */
export class TwoFactor1765500000000 implements MigrationInterface {
  name = "TwoFactor1765500000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE totp_credentials (
        user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        secret varchar(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        confirmed_at timestamptz,
        last_time_step bigint
      );
      CREATE TABLE recovery_codes (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        code_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz,
        UNIQUE (user_id, code_hash)
      );
      CREATE TABLE sign_in_challenges (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash bytea NOT NULL UNIQUE,
        enrolment boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        failures int NOT NULL DEFAULT 0,
        used_at timestamptz,
        address varchar(100),
        user_agent varchar(300)
      );
      CREATE INDEX sign_in_challenges_user_idx ON sign_in_challenges (user_id, created_at);
      ALTER TABLE firms
        ADD COLUMN require_two_factor_staff boolean NOT NULL DEFAULT false,
        ADD COLUMN require_two_factor_clients boolean NOT NULL DEFAULT false;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE firms DROP COLUMN require_two_factor_staff, DROP COLUMN require_two_factor_clients;
      DROP TABLE sign_in_challenges;
      DROP TABLE recovery_codes;
      DROP TABLE totp_credentials;
    `);
  }
}
