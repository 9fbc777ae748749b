import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Passkeys (WebAuthn): a person's credentials (public key, signature counter), for passwordless
 * sign-in and as a second factor; and the one-time tokens a WebAuthn ceremony's challenge is derived
 * from (only their hash is kept).
 */
export class Passkeys1765800000000 implements MigrationInterface {
  name = "Passkeys1765800000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE passkeys (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        credential_id varchar(1400) NOT NULL UNIQUE,
        public_key bytea NOT NULL,
        counter bigint NOT NULL DEFAULT 0,
        transports text[] NOT NULL DEFAULT '{}',
        name varchar(100) NOT NULL,
        backed_up boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz
      );
      CREATE INDEX passkeys_user_idx ON passkeys (user_id);
      CREATE TABLE webauthn_challenges (
        token_hash bytea PRIMARY KEY,
        purpose varchar(20) NOT NULL CHECK (purpose IN ('REGISTER', 'SIGN_IN')),
        user_id uuid REFERENCES users(id) ON DELETE CASCADE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("DROP TABLE webauthn_challenges; DROP TABLE passkeys;");
  }
}
