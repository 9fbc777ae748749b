// Test harness: a fresh database per test file (cloned from the migrated template), real
// PortalDesk servers on random ports, and SDK clients talking to them over HTTP and WebSocket.
import "reflect-metadata";
import { createClient, type PortalDeskClient, SignInDocument, unwrap } from "@portaldesk/sdk";
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { type Logger, pino } from "pino";
import { WebSocket } from "ws";
import { type Config, loadConfig } from "../../src/config/config.js";
import { APP_ROLE, withRole } from "../../src/db/app-role.js";
import { databaseUrl } from "../../src/db/embedded-postgres.js";
import { TEST_APP_PASSWORD } from "./global-fixture.js";
import { hashPassword } from "../../src/modules/auth/password.js";
import { Language, UserStatus } from "../../src/modules/users/user.entity.js";
import { UserRole } from "../../src/core/roles.js";
import { type PortalDesk, startPortalDesk } from "../../src/server/app.js";

let counter = 0;

function adminUrl(): string {
  const url = process.env.PORTALDESK_TEST_ADMIN_URL;
  if (!url) throw new Error("the mocha global fixture did not run (test/support/global-fixture.ts)");
  return url;
}

/** A fresh database cloned from the migrated template; returns its URL and a drop function. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `pd_t_${process.pid}_${++counter}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${process.env.PORTALDESK_TEST_TEMPLATE}`);
  } finally {
    await admin.end();
  }
  return {
    url: databaseUrl(adminUrl(), name),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A server's config on the database at `url` (an owner's URL): it migrates as the owner and works as the restricted role. */
export function testConfig(url: string, overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: "test",
    DATABASE_URL: withRole(url, APP_ROLE, TEST_APP_PASSWORD),
    DATABASE_OWNER_URL: url,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    EXPOSE_QUERY_STATS: "true",
    DATABASE_POOL_SIZE: "5",
    // Tests ask far faster than people do; test/rate-limits.test.ts turns the limits on.
    RATE_LIMITS: "false",
    ...overrides,
  });
}

export const PASSWORD = "correct horse battery staple";
let passwordHash: Promise<string> | null = null;

export interface TestUser {
  id: string;
  email: string;
  role: UserRole;
  firmId: string;
}

export interface World {
  firm: { id: string; name: string };
  admin: TestUser;
  accountant: TestUser;
  administrations: Array<{ id: string; name: string }>;
  /** clients[i] is a member of administrations[i] (and may approve filings). */
  clients: TestUser[];
}

/** A test environment: one database, servers on it, and helpers to act as people. */
export class TestEnv {
  readonly servers: PortalDesk[] = [];
  private readonly clients: PortalDeskClient[] = [];
  private db: pg.Pool;
  private logger: Logger | null = null;

  private constructor(
    readonly dbUrl: string,
    private readonly dropDb: () => Promise<void>,
    readonly overrides: Record<string, string>,
    /** This environment's DATA_DIR (blobs, temp files), removed at close. */
    readonly dataDir: string,
  ) {
    this.db = new pg.Pool({ connectionString: dbUrl, max: 2 });
    // An idle connection ended by the server (DROP DATABASE … FORCE) must not crash the run.
    this.db.on("error", () => undefined);
  }

  /** `options.logger`: the servers log there (default: silent, or TEST_LOG_LEVEL). */
  static async create(overrides: Record<string, string> = {}, options: { logger?: Logger } = {}): Promise<TestEnv> {
    const { url, drop } = await createTestDatabase();
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "portaldesk-env-"));
    const env = new TestEnv(url, drop, { DATA_DIR: dataDir, ...overrides }, dataDir);
    env.logger = options.logger ?? null;
    await env.startServer();
    return env;
  }

  get server(): PortalDesk {
    return this.servers[0]!;
  }

  /** Starts one more server instance on the same database (to test cross-instance behaviour). */
  async startServer(extra: Record<string, string> = {}): Promise<PortalDesk> {
    const config = testConfig(this.dbUrl, { ...this.overrides, ...extra });
    const server = await startPortalDesk(config, { logger: this.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }) });
    this.servers.push(server);
    return server;
  }

  /**
   * A client of `server` (default: the first), optionally with a token. It asks for English sentences
   * (as an integration would), whatever the test user's language setting (NL); `language` changes that.
   */
  client(token?: string | null, server: PortalDesk = this.server, language: "nl" | "en" = "en"): PortalDeskClient {
    const client = createClient({ url: `${server.url}/graphql`, token, webSocketImpl: WebSocket, language });
    this.clients.push(client);
    return client;
  }

  /** Signs in through the API and returns a client carrying the session token. */
  async signIn(email: string, password = PASSWORD, server: PortalDesk = this.server, language: "nl" | "en" = "en"): Promise<PortalDeskClient> {
    const result = unwrap((await this.client(null, server).request(SignInDocument, { input: { email, password } })).signIn);
    return this.client(result.token, server, language);
  }

  /** Direct SQL, for arranging data and inspecting what the API did. */
  sql<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
    return this.db.query<R>(text, values);
  }

  /**
   * Waits until no background job is due or running (thumbnails, reading, notifications): a test that
   * pages through what jobs also write (the audit trail) must not have rows appear between its pages.
   */
  async jobsDone(ms = 120_000): Promise<void> {
    await eventually(async () => {
      const { rows } = await this.sql<{ n: number }>(
        "SELECT count(*)::int AS n FROM pgboss.job WHERE state IN ('created', 'retry', 'active') AND start_after < now() + interval '5 seconds'",
      );
      return rows[0]!.n === 0;
    }, ms);
  }

  /** Runs `fn` on one dedicated connection (for session settings such as bypassing triggers). */
  async withConnection<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.db.connect();
    try {
      return await fn(client);
    } finally {
      client.release();
    }
  }

  /** Inserts a firm with an admin, an accountant and `administrations` administrations each with one client. */
  async createWorld(options: { name?: string; administrations?: number } = {}): Promise<World> {
    passwordHash ??= hashPassword(PASSWORD);
    const hash = await passwordHash;
    const tag = randomUUID().slice(0, 8);
    const firm = { id: randomUUID(), name: options.name ?? `Firm ${tag}` };
    await this.sql("INSERT INTO firms (id, name) VALUES ($1, $2)", [firm.id, firm.name]);
    const addUser = async (role: UserRole, label: string): Promise<TestUser> => {
      const user = { id: randomUUID(), email: `${label}-${tag}@example.test`, role, firmId: firm.id };
      await this.sql("INSERT INTO users (id, firm_id, email, name, role, status, language, password_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", [
        user.id,
        firm.id,
        user.email,
        `${label} ${tag}`,
        role,
        UserStatus.ACTIVE,
        Language.NL,
        hash,
      ]);
      return user;
    };
    const admin = await addUser(UserRole.FIRM_ADMIN, "admin");
    const accountant = await addUser(UserRole.ACCOUNTANT, "accountant");
    const administrations: World["administrations"] = [];
    const clients: TestUser[] = [];
    for (let i = 0; i < (options.administrations ?? 2); i++) {
      const administration = { id: randomUUID(), name: `Administration ${String(i).padStart(3, "0")} ${tag}` };
      await this.sql("INSERT INTO administrations (id, firm_id, name) VALUES ($1, $2, $3)", [administration.id, firm.id, administration.name]);
      const client = await addUser(UserRole.CLIENT, `client${i}`);
      await this.sql("INSERT INTO memberships (user_id, administration_id, can_approve_filings) VALUES ($1, $2, true)", [client.id, administration.id]);
      administrations.push(administration);
      clients.push(client);
    }
    return { firm, admin, accountant, administrations, clients };
  }

  /** Adds another client user to `world.administrations[index]`. */
  async addClient(world: World, index: number, label: string): Promise<TestUser> {
    passwordHash ??= hashPassword(PASSWORD);
    const user = { id: randomUUID(), email: `${label}-${randomUUID().slice(0, 8)}@example.test`, role: UserRole.CLIENT, firmId: world.firm.id };
    await this.sql("INSERT INTO users (id, firm_id, email, name, role, status, language, password_hash) VALUES ($1, $2, $3, $4, 'CLIENT', 'ACTIVE', 'NL', $5)", [
      user.id,
      world.firm.id,
      user.email,
      label,
      await passwordHash,
    ]);
    await this.sql("INSERT INTO memberships (user_id, administration_id, can_approve_filings) VALUES ($1, $2, false)", [user.id, world.administrations[index]!.id]);
    return user;
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.dispose().catch(() => undefined)));
    for (const server of this.servers.splice(0)) await server.stop();
    await this.db.end();
    await this.dropDb();
    await fs.rm(this.dataDir, { recursive: true, force: true });
  }
}

/** Global ID as the server makes it (tests need it to address rows they inserted). */
export function gid(type: string, id: string): string {
  return Buffer.from(`${type}:${id}`).toString("base64url");
}

/** The database id inside a global ID. */
export function uuidOf(globalId: string): string {
  return Buffer.from(globalId, "base64url").toString("utf8").split(":")[1]!;
}

/** Resolves when `predicate` holds, polling; rejects after `ms`. */
export async function eventually<T>(fn: () => Promise<T | null | undefined | false>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  while (true) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The next value of an async iterator, or a rejection after `ms`. */
export async function nextWithin<T>(iterator: AsyncIterator<T>, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no event within ${ms} ms`)), ms);
  });
  try {
    const result = await Promise.race([iterator.next(), timeout]);
    if (result.done) throw new Error("the subscription ended");
    return result.value;
  } finally {
    clearTimeout(timer);
  }
}

/** Gives freshly opened subscriptions time to connect and register before an event is caused. */
export function settle(ms = 500): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether the iterator yields nothing within `ms`. */
export async function staysQuiet<T>(iterator: AsyncIterator<T>, ms = 700): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const quiet = new Promise<"quiet">((resolve) => {
    timer = setTimeout(() => resolve("quiet"), ms);
  });
  const next = iterator.next().then(() => "event" as const);
  const result = await Promise.race([next, quiet]);
  clearTimeout(timer);
  return result === "quiet";
}
