// The server works the database as a role that owns nothing: it reads and writes rows, but cannot
// change tables, disable triggers or rewrite the audit trail (UPDATE, DELETE and TRUNCATE on
// audit_events are not granted, and the chain heads are written only by the owner's trigger).
// Migrations and these grants run as the owner. The embedded database sets this up by itself
// (owner: its superuser; app: portaldesk_app); with DATABASE_URL, give DATABASE_OWNER_URL too.
import pg from "pg";

export const APP_ROLE = "portaldesk_app";

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Creates (or updates the password of) the login role `role` on the server of `adminUrl` (needs CREATEROLE). */
export async function ensureLoginRole(adminUrl: string, role: string, password: string | null): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = (await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role])).rowCount! > 0;
    const withPassword = password === null ? "" : ` PASSWORD ${client.escapeLiteral(password)}`;
    if (!exists) {
      try {
        await client.query(`CREATE ROLE ${quoteIdent(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS${withPassword}`);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== "23505" && (error as { code?: string }).code !== "42710") throw error; // created meanwhile
      }
    }
    await client.query(`ALTER ROLE ${quoteIdent(role)} LOGIN NOSUPERUSER NOBYPASSRLS${withPassword}`);
  } finally {
    await client.end();
  }
}

/** The role name in a connection URL. */
export function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username) || "postgres";
}

/** `url` with another role and password. */
export function withRole(url: string, role: string, password: string | null): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(role);
  parsed.password = password === null ? "" : encodeURIComponent(password);
  return parsed.toString();
}

type Query = (text: string) => Promise<unknown>;

/**
 * Grants `role` what the server and its job queue need, on the database `query` runs in, and
 * takes back what would let it rewrite the audit trail. Idempotent; run by the owner after
 * migrations (and after the job queue created its schema).
 */
export async function grantAppRole(query: Query, role: string): Promise<void> {
  const r = quoteIdent(role);
  await query(`
    DO $$ BEGIN EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO ${r.replace(/'/g, "''")}', current_database()); END $$;
    GRANT USAGE ON SCHEMA public TO ${r};
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r};
    GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${r};
    REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM ${r};
    REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_chain_heads FROM ${r};
    REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON migrations FROM ${r};
    REVOKE TRUNCATE ON ALL TABLES IN SCHEMA public FROM ${r};
  `);
  const [{ exists }] = (await query("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'pgboss') AS exists")) as Array<{ exists: boolean }>;
  if (exists) {
    await query(`
      GRANT USAGE ON SCHEMA pgboss TO ${r};
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pgboss TO ${r};
      GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pgboss TO ${r};
      GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgboss TO ${r};
    `);
  }
}

/**
 * Why the connected role could disable or bypass the audit trail's protection (a superuser, or the
 * owner of its table), or null when it cannot.
 */
export async function auditTrailExposure(query: Query): Promise<string | null> {
  const [row] = (await query(`
    SELECT current_user AS role,
           (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
           pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = 'audit_events'::regclass), 'USAGE') AS owner
  `)) as Array<{ role: string; superuser: boolean; owner: boolean }>;
  if (!row) return null;
  if (row.superuser) return `the database role "${row.role}" is a superuser`;
  if (row.owner) return `the database role "${row.role}" owns the audit_events table`;
  return null;
}
