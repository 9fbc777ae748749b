// The one place that reads the environment. Everything else receives a Config.
import path from "node:path";
import { bool, cleanEnv, makeValidator, str, EnvError, EnvMissingError } from "envalid";

/** Budgets per time window (server/request-limits.ts). */
export interface RequestLimitSettings {
  enabled: boolean;
  windowSeconds: number;
  /** Query cost per person or API token per window. */
  perViewer: number;
  /** Query cost per client address per window (an office behind one address has many people). */
  perAddress: number;
  /** What one file download costs. */
  fileWeight: number;
  /** Counted in Redis when set, else in PostgreSQL. */
  redisUrl: string | null;
}

/** A positive integer, refused with a message naming the variable otherwise. */
const positiveInt = makeValidator<number>((input) => {
  const value = Number(input);
  if (!Number.isInteger(value) || value <= 0) throw new EnvError(`must be a positive whole number, got "${input}"`);
  return value;
});

/** A byte size such as `500mb`, `2gb`, `1048576`. */
const byteSize = makeValidator<number>((input) => {
  const match = /^(\d+)\s*(b|kb|mb|gb)?$/i.exec(String(input).trim());
  if (!match) throw new EnvError(`must be a size such as 25mb or 1048576, got "${input}"`);
  const unit = (match[2] ?? "b").toLowerCase();
  const factor = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[unit]!;
  return Number(match[1]) * factor;
});

/** A duration such as `15m`, `12h`, `30d`, `90s`; returned in seconds. */
/** "90s", "15m", "12h", "30d" in seconds. */
function parseDuration(input: string): number {
  const match = /^(\d+)\s*(s|m|h|d)$/i.exec(input.trim());
  if (!match) throw new EnvError(`must be a duration such as 90s, 15m, 12h or 30d, got "${input}"`);
  const factor = { s: 1, m: 60, h: 3600, d: 86400 }[match[2]!.toLowerCase() as "s" | "m" | "h" | "d"];
  return Number(match[1]) * factor;
}

const duration = makeValidator<number>((input) => parseDuration(String(input)));

/** Comma-separated durations ("5s,5m,30m"), in seconds. */
const durationList = makeValidator<number[]>((input) => {
  const list = String(input)
    .split(",")
    .filter((part) => part.trim() !== "");
  if (list.length === 0) throw new EnvError("must list at least one duration, such as 5s,5m,30m");
  return list.map(parseDuration);
});

/** A TCP port; 0 picks a free one (tests). */
const listenPort = makeValidator<number>((input) => {
  const value = Number(input);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new EnvError(`must be a port number from 0 to 65535, got "${input}"`);
  return value;
});

/** A five-field cron expression (minute hour day month weekday). */
const cron = makeValidator<string>((input) => {
  const fields = String(input).trim().split(/\s+/);
  if (fields.length !== 5 || !fields.every((f) => /^[\d*,/-]+$/.test(f))) throw new EnvError(`must be a cron expression such as "0 7 * * *", got "${input}"`);
  return fields.join(" ");
});

/** An IANA time zone such as Europe/Amsterdam. */
const timeZone = makeValidator<string>((input) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: String(input) });
  } catch {
    throw new EnvError(`must be a time zone such as Europe/Amsterdam, got "${input}"`);
  }
  return String(input);
});

const optionalUrl = makeValidator<string>((input) => {
  if (input === "") return "";
  try {
    new URL(input);
  } catch {
    throw new EnvError(`must be a URL, got "${input}"`);
  }
  return input;
});

export interface MailInSettings {
  port: number;
  host: string;
  /** Lower-case; addresses are <slug>-<key>@domain. */
  domain: string;
  /** MAIL_IN=true was given: the server does not start without its intake (else it starts without, warning). */
  required: boolean;
  maxSize: number;
  maxAttachments: number;
  /** The relay whose Authentication-Results confirm a member's mail; null: the envelope sender is trusted. */
  authservId: string | null;
  /** PEM files for STARTTLS; null: plain SMTP only (TLS ends at the relay in front). */
  tls: { certFile: string; keyFile: string } | null;
}

export interface WebhookSettings {
  /** Private, loopback and link-local targets, and plain http, allowed (tests, closed networks). */
  allowPrivate: boolean;
  timeoutMs: number;
  /** Waits before each retry; a message failing once more than this lists is given up. */
  retryScheduleSeconds: number[];
  disableAfterSeconds: number;
  pollMs: number;
  concurrency: number;
  /** Delivered and given-up messages older than this are removed daily. */
  retentionSeconds: number;
}

export interface Config {
  nodeEnv: "development" | "production" | "test";
  port: number;
  host: string;
  /** Unset: the embedded PostgreSQL under `dataDir`. */
  databaseUrl: string | null;
  /** The owner's URL for migrations and grants, when the server's own role (databaseUrl) is a restricted one. */
  databaseOwnerUrl: string | null;
  dataDir: string;
  /** Base URL for links; when PUBLIC_URL is unset the server uses the address it listens on. */
  publicUrl: string;
  publicUrlGiven: boolean;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  smtpUrl: string | null;
  mail: {
    /** Sender of every mail. */
    from: string;
    /** Where mail is written when SMTP_URL is unset. */
    folder: string;
    /** When the daily digest goes out (cron, in `timeZone`). */
    digestCron: string;
  };
  /** Time zone of daily schedules (digest, reminders) and of "today" for reminders. */
  timeZone: string;
  reminders: {
    /** A desk document older than this (seconds) makes its client users due for a reminder. */
    deskAgeSeconds: number;
    /** When the daily reminder run happens (cron, in `timeZone`). */
    cron: string;
  };
  demoPassword: string | null;
  uploads: { maxFileSize: number; maxFiles: number; maxTotalSize: number };
  auth: {
    sessionTtlSeconds: number;
    invitationTtlSeconds: number;
    signInMaxFailures: number;
    signInWindowSeconds: number;
    passwordResetTtlSeconds: number;
    passwordResetsPerAddress: number;
    passwordResetsPerEmail: number;
    /** Anyone may start a firm (signUpFirm). */
    signUpOpen: boolean;
    signUpsPerAddress: number;
  };
  graphql: {
    maxDepth: number;
    maxCost: number;
    maxAliases: number;
    maxTokens: number;
    /** Tokens per document before signing in (signing in needs few). */
    maxTokensAnonymous: number;
    /** Validation's pairwise field comparisons a document may cost (sum of k² over repeated response names). */
    maxFieldComparisons: number;
    maxPageSize: number;
    /** Whether the schema answers introspection queries (off in production by default). */
    introspection: boolean;
    /** Live subscriptions per WebSocket connection, and per user or API token on one instance. */
    maxSubscriptionsPerConnection: number;
    maxSubscriptionsPerActor: number;
  };
  /** Budgets per time window of GraphQL query cost and downloads (server/request-limits.ts). */
  requestLimits: RequestLimitSettings;
  /** Bearer token /metrics requires; null: /metrics answers only on loopback. */
  metricsToken: string | null;
  /** TRUST_PROXY as given: "" none, a hop count, or a comma-separated list of addresses and subnets. */
  trustProxy: string;
  /** Origins whose pages may call the API from a browser (CORS): exact origins, or "*" for any. */
  corsOrigins: string[];
  /** Largest image (width × height) any image decoder is given; larger ones are refused. */
  imageMaxPixels: number;
  storage:
    | { kind: "local"; root: string }
    | { kind: "s3"; endpoint: string | null; region: string; bucket: string; accessKeyId: string; secretAccessKey: string; forcePathStyle: boolean };
  /** Lifetime of signed download URLs, in seconds. */
  downloadUrlTtlSeconds: number;
  /** A blob unreferenced for this long (seconds) is removed by the sweep. */
  blobSweepGraceSeconds: number;
  /** Largest bank statement or e-invoice file whose data is read (bytes); larger ones stay plain documents. */
  readMaxBytes: number;
  /** How long after a statement file is read its account's new problems are told (seconds): a batch of files is told once. */
  bankProblemNoticeDelaySeconds: number;
  ocr: { concurrency: number; languages: string };
  /** Run background jobs in this process (false: only `npm run worker` processes run them). */
  runJobs: boolean;
  webhooks: WebhookSettings;
  /** The SMTP intake for documents by mail (null: off). */
  mailIn: MailInSettings | null;
  mailQuarantine: { retentionSeconds: number; maxAttachments: number };
  /** Adds per-request SQL statement counts to response extensions (tests, diagnostics). */
  exposeQueryStats: boolean;
  /** Count SQL statements per request (AsyncLocalStorage): for EXPOSE_QUERY_STATS or the statements metric. */
  countStatements: boolean;
  /** Pool size per server instance. */
  databasePoolSize: number;
  filings: {
    /** Seconds between status requests to the gateway while a submission is pending. */
    pollIntervalSeconds: number;
    /** Days before a return's due date that whoever has its next step is reminded. */
    reminderDays: number;
    /** When the daily filing reminder run happens (cron, in `timeZone`). */
    reminderCron: string;
    gateway:
      | ({ kind: "simulator"; stepDelayMs: number } & DigipoortSigning)
      | ({
          kind: "digipoort";
          submitUrl: string;
          statusUrl: string;
          /** The firm's certificate: a PKCS#12 file, or PEM certificate and key files. */
          credentials: { p12File: string } | { certFile: string; keyFile: string };
          /** Opens the PKCS#12 file, or decrypts an encrypted PEM key. */
          passphrase: string | null;
          caFile: string | null;
          /** Authorities of Digipoort's signing certificate (its answers are signed). */
          signingCaFile: string;
          timeoutMs: number;
        } & DigipoortSigning);
  };
}

/** WS-Security settings, the same for Digipoort and the simulator. */
export interface DigipoortSigning {
  signatureAlgorithm: "rsa-sha1" | "rsa-sha256";
  digestAlgorithm: "sha1" | "sha256";
  clockSkewSeconds: number;
}

export class ConfigError extends Error {}

/** A budget smaller than the largest request allowed would refuse that request for ever. */
function atLeast(value: number, minimum: number, name: string): number {
  if (value < minimum) throw new ConfigError(`Invalid configuration:\n  ${name}: must be at least GRAPHQL_MAX_COST (${minimum}), got ${value}`);
  return value;
}

function requiredFor(value: string, name: string, when: string): string {
  if (!value) throw new ConfigError(`Invalid configuration:\n  ${name}: is required when ${when}`);
  return value;
}

/** CORS_ORIGINS: each entry an origin as a browser sends it (scheme, host, port; no path), or "*". */
function corsOrigins(value: string): string[] {
  return value
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      if (entry === "*") return entry;
      const url = URL.canParse(entry) ? new URL(entry) : null;
      const bare = url && /^https?:$/.test(url.protocol) && url.pathname === "/" && !url.search && !url.hash && !url.username && !url.password;
      if (!bare) throw new ConfigError(`Invalid configuration:\n  CORS_ORIGINS: "${entry}" is not an origin (like https://app.example.nl, without a path)`);
      return url.origin;
    });
}

function required(value: string, name: string): string {
  return requiredFor(value, name, "STORAGE=s3");
}

/** Reads and validates the environment; throws a ConfigError naming every wrong variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = cleanEnv(
    env,
    {
      NODE_ENV: str({ choices: ["development", "production", "test"], default: "development" }),
      PORT: listenPort({ default: 4000, desc: "HTTP and WebSocket port" }),
      HOST: str({ default: "0.0.0.0" }),
      DATABASE_URL: optionalUrl({ default: "", desc: "PostgreSQL URL; unset runs the embedded database" }),
      DATABASE_OWNER_URL: optionalUrl({ default: "", desc: "the owner's URL for migrations and grants; DATABASE_URL then names a restricted role" }),
      DATA_DIR: str({ default: "./data", desc: "embedded database, blobs and outgoing mail" }),
      PUBLIC_URL: optionalUrl({ default: "", desc: "the address users reach the server at (links in mail)" }),
      LOG_LEVEL: str({ choices: ["fatal", "error", "warn", "info", "debug", "trace", "silent"], default: "info" }),
      SMTP_URL: optionalUrl({ default: "", desc: "smtp(s)://user:pass@host:port; unset writes mail to DATA_DIR/mail" }),
      MAIL_FROM: str({ default: "PortalDesk <no-reply@portaldesk.localhost>" }),
      DIGEST_CRON: cron({ default: "0 7 * * *", desc: "when the daily digest mail goes out" }),
      SCHEDULE_TIME_ZONE: timeZone({ default: "Europe/Amsterdam", desc: "time zone of the daily digest and reminders" }),
      REMINDER_DESK_AGE: duration({ default: 7 * 86400, desc: "age of a desk document that makes its clients due for a reminder" }),
      REMINDER_CRON: cron({ default: "0 9 * * *", desc: "when the daily desk reminders go out" }),
      DEMO_PASSWORD: str({ default: "" }),
      UPLOAD_MAX_FILE_SIZE: byteSize({ default: 200 * 1024 ** 2 }),
      UPLOAD_MAX_FILES: positiveInt({ default: 50 }),
      UPLOAD_MAX_TOTAL_SIZE: byteSize({ default: 1024 ** 3 }),
      BANK_PROBLEM_NOTICE_DELAY: duration({ default: 300, desc: "wait after a statement file before its account's new problems are notified" }),
      READ_MAX_SIZE: byteSize({ default: 16 * 1024 ** 2, desc: "largest bank statement or e-invoice file whose data is read" }),
      OCR_CONCURRENCY: positiveInt({ default: 2, desc: "pages of one scan read by OCR side by side in a process (one Tesseract each)" }),
      OCR_LANGUAGES: str({ default: "nld+eng", desc: "Tesseract languages scans are read in" }),
      SESSION_TTL: duration({ default: 12 * 3600 }),
      INVITATION_TTL: duration({ default: 7 * 86400 }),
      SIGN_IN_MAX_FAILURES: positiveInt({ default: 5 }),
      SIGN_IN_WINDOW: duration({ default: 15 * 60 }),
      PASSWORD_RESET_TTL: duration({ default: 3600, desc: "how long a password-reset link works" }),
      PASSWORD_RESET_PER_ADDRESS: positiveInt({ default: 10, desc: "password-reset requests per hour from one address" }),
      PASSWORD_RESET_PER_EMAIL: positiveInt({ default: 3, desc: "password-reset mails per hour to one email address" }),
      SIGNUP: str({ choices: ["closed", "open"], default: "closed", desc: "open: anyone may start a firm (signUpFirm); closed: the operator makes firms (npm run firm:create)" }),
      SIGNUP_PER_ADDRESS: positiveInt({ default: 5, desc: "firm sign-ups per hour from one address" }),
      GRAPHQL_MAX_DEPTH: positiveInt({ default: 12 }),
      GRAPHQL_MAX_COST: positiveInt({ default: 20000 }),
      GRAPHQL_MAX_ALIASES: positiveInt({ default: 30 }),
      GRAPHQL_MAX_TOKENS: positiveInt({ default: 5000 }),
      GRAPHQL_MAX_TOKENS_ANONYMOUS: positiveInt({ default: 1000, desc: "tokens per document before signing in" }),
      GRAPHQL_MAX_FIELD_COMPARISONS: positiveInt({ default: 10000, desc: "validation work a document may cost (repeated fields)" }),
      GRAPHQL_INTROSPECTION: str({ choices: ["", "true", "false"], default: "", desc: "answer introspection queries; default: on except in production" }),
      SUBSCRIPTIONS_PER_CONNECTION: positiveInt({ default: 20 }),
      SUBSCRIPTIONS_PER_USER: positiveInt({ default: 50 }),
      TRUST_PROXY: str({
        default: "",
        desc: "proxies whose X-Forwarded-For is believed: a number of hops (1: one load balancer) or addresses/subnets (loopback, 10.0.0.0/8, …); unset: none",
      }),
      METRICS_TOKEN: str({ default: "", desc: "bearer token for /metrics; unset: loopback only" }),
      CORS_ORIGINS: str({ default: "", desc: "origins whose pages may call the API (https://app.example.nl, comma-separated; * for any); unset: the portal's own only" }),
      IMAGE_MAX_PIXELS: positiveInt({ default: 100_000_000, desc: "largest image (width × height) decoded" }),
      GRAPHQL_MAX_PAGE_SIZE: positiveInt({ default: 100 }),
      EXPOSE_QUERY_STATS: bool({ default: false }),
      SQL_STATEMENT_METRICS: bool({ default: false, desc: "count each request's SQL statements for /metrics (tracks async context on every request)" }),
      RATE_LIMITS: bool({ default: true, desc: "limit how much each person, API token and client address may ask per window" }),
      RATE_LIMIT_WINDOW: duration({ default: 60, desc: "the window the request budgets are counted over" }),
      RATE_LIMIT_PER_VIEWER: positiveInt({ default: 300_000, desc: "query cost a person or API token may spend per window (at least GRAPHQL_MAX_COST)" }),
      RATE_LIMIT_PER_ADDRESS: positiveInt({ default: 1_200_000, desc: "query cost one client address may spend per window (at least GRAPHQL_MAX_COST)" }),
      RATE_LIMIT_FILE_WEIGHT: positiveInt({ default: 200, desc: "what one file download takes from its address's budget" }),
      REDIS_URL: optionalUrl({ default: "", desc: "redis://host:port to count request budgets in (unset: PostgreSQL)" }),
      STORAGE: str({ choices: ["local", "s3"], default: "local", desc: "where blobs live" }),
      S3_ENDPOINT: optionalUrl({ default: "", desc: "S3-compatible endpoint; empty for AWS" }),
      S3_REGION: str({ default: "us-east-1" }),
      S3_BUCKET: str({ default: "" }),
      S3_ACCESS_KEY_ID: str({ default: "" }),
      S3_SECRET_ACCESS_KEY: str({ default: "" }),
      S3_FORCE_PATH_STYLE: bool({ default: true }),
      DOWNLOAD_URL_TTL: duration({ default: 300 }),
      BLOB_SWEEP_GRACE: duration({ default: 3600 }),
      RUN_JOBS: bool({ default: true, desc: "run background jobs in the server process" }),
      MAIL_IN: bool({
        default: undefined,
        desc: "receive documents by mail: an SMTP intake with one address per administration (default: on for the embedded demo database, off otherwise)",
      }),
      MAIL_IN_PORT: listenPort({ default: 2525, desc: "port of the SMTP intake (MAIL_IN=true; 0 picks a free one)" }),
      MAIL_IN_HOST: str({ default: "", desc: "address the SMTP intake listens on (default: HOST)" }),
      MAIL_IN_DOMAIN: str({ default: "", desc: "the domain of the administrations' addresses (<name>-<key>@MAIL_IN_DOMAIN); its MX must point here" }),
      MAIL_IN_MAX_SIZE: byteSize({ default: 25 * 1024 ** 2, desc: "largest mail the intake takes" }),
      MAIL_IN_MAX_ATTACHMENTS: positiveInt({ default: 20, desc: "most attachments one mail may bring" }),
      MAIL_IN_TLS_CERT: str({ default: "", desc: "PEM file of the certificate (chain) the SMTP intake offers with STARTTLS; with MAIL_IN_TLS_KEY" }),
      MAIL_IN_TLS_KEY: str({ default: "", desc: "PEM file of the private key for MAIL_IN_TLS_CERT" }),
      MAIL_IN_AUTHSERV_ID: str({
        default: "",
        desc: "authserv-id of the relay in front of the intake whose Authentication-Results (SPF/DKIM/DMARC) confirm a member's mail; unconfirmed mail goes to the quarantine",
      }),
      MAIL_IN_QUARANTINE_RETENTION: duration({ default: 30 * 86400, desc: "how long mail waits in an administration's quarantine before it is forgotten" }),
      WEBHOOK_ALLOW_PRIVATE: bool({ default: false, desc: "let webhooks reach private, loopback and link-local addresses, and plain http (tests, closed networks)" }),
      WEBHOOK_TIMEOUT: duration({ default: 10, desc: "how long a webhook endpoint has to answer" }),
      WEBHOOK_RETRY_SCHEDULE: durationList({
        default: [5, 300, 1800, 7200, 18000, 36000, 36000, 50400, 72000, 86400],
        desc: "waits before each retry of a failed webhook delivery (default: 5s … 24h, 3.6 days in all)",
      }),
      WEBHOOK_DISABLE_AFTER: duration({ default: 5 * 86400, desc: "a webhook endpoint failing without a success for this long is disabled and its firm admins told" }),
      WEBHOOK_POLL: duration({ default: 5, desc: "how often deliverers look for webhook messages due (new ones are sent at once)" }),
      WEBHOOK_CONCURRENCY: positiveInt({ default: 4, desc: "webhook deliveries one process makes side by side" }),
      WEBHOOK_RETENTION: duration({ default: 30 * 86400, desc: "how long delivered and given-up webhook messages and their attempts are kept" }),
      DATABASE_POOL_SIZE: positiveInt({ default: 10 }),
      FILING_POLL_INTERVAL: duration({ default: 30, desc: "time between status requests for a submitted filing" }),
      FILING_REMINDER_DAYS: positiveInt({ default: 7, desc: "days before a VAT return or ICP declaration is due that its preparer, approver or submitter is reminded" }),
      FILING_REMINDER_CRON: cron({ default: "0 8 * * *", desc: "when the daily filing deadline reminders go out" }),
      DIGIPOORT: str({ choices: ["simulator", "digipoort"], default: "simulator", desc: "where filings go: the built-in simulator, or Digipoort" }),
      DIGIPOORT_SUBMIT_URL: optionalUrl({ default: "", desc: "AanleverService endpoint (DIGIPOORT=digipoort)" }),
      DIGIPOORT_STATUS_URL: optionalUrl({ default: "", desc: "StatusinformatieService endpoint (DIGIPOORT=digipoort)" }),
      DIGIPOORT_P12_FILE: str({ default: "", desc: "PKCS#12 file (.p12/.pfx) with the firm's PKIoverheid certificate and key (or DIGIPOORT_CERT_FILE + DIGIPOORT_KEY_FILE)" }),
      DIGIPOORT_P12_PASSPHRASE: str({ default: "", desc: "passphrase of DIGIPOORT_P12_FILE (or of an encrypted DIGIPOORT_KEY_FILE)" }),
      DIGIPOORT_CERT_FILE: str({ default: "", desc: "PEM client certificate (PKIoverheid), optionally followed by its chain" }),
      DIGIPOORT_KEY_FILE: str({ default: "", desc: "PEM private key of the client certificate" }),
      DIGIPOORT_CA_FILE: str({ default: "", desc: "PEM roots trusted for Digipoort's server certificate; Node's defaults when empty" }),
      DIGIPOORT_SIGNING_CA_FILE: str({ default: "", desc: "PEM authorities of the certificate Digipoort signs its answers with; DIGIPOORT_CA_FILE when empty" }),
      DIGIPOORT_SIGNATURE_ALGORITHM: str({ choices: ["rsa-sha1", "rsa-sha256"], default: "rsa-sha1", desc: "WS-Security signature algorithm (Digipoort's policy: RSA-SHA1)" }),
      DIGIPOORT_DIGEST_ALGORITHM: str({ choices: ["sha1", "sha256"], default: "sha1", desc: "WS-Security digest algorithm (Digipoort's policy: SHA-1)" }),
      DIGIPOORT_CLOCK_SKEW: duration({ default: 300, desc: "how far Digipoort's clock may differ from ours when its signed answers are checked" }),
      DIGIPOORT_TIMEOUT: duration({ default: 60 }),
      DIGIPOORT_SIMULATOR_STEP_MS: positiveInt({ default: 2000, desc: "time between the simulator's successive statuses" }),
    },
    {
      reporter: ({ errors }) => {
        const names = Object.keys(errors);
        if (names.length === 0) return;
        const lines = names.map((name) => {
          const error = errors[name as keyof typeof errors];
          const reason = error instanceof EnvMissingError ? "is required" : (error?.message ?? "is invalid");
          return `  ${name}: ${reason}`;
        });
        throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
      },
    },
  );
  const portNumber = raw.PORT;
  const signing: DigipoortSigning = {
    signatureAlgorithm: raw.DIGIPOORT_SIGNATURE_ALGORITHM as DigipoortSigning["signatureAlgorithm"],
    digestAlgorithm: raw.DIGIPOORT_DIGEST_ALGORITHM as DigipoortSigning["digestAlgorithm"],
    clockSkewSeconds: raw.DIGIPOORT_CLOCK_SKEW,
  };
  return {
    nodeEnv: raw.NODE_ENV as Config["nodeEnv"],
    port: portNumber,
    host: raw.HOST,
    databaseUrl: raw.DATABASE_URL || null,
    databaseOwnerUrl: raw.DATABASE_OWNER_URL || null,
    dataDir: path.resolve(raw.DATA_DIR),
    publicUrl: (raw.PUBLIC_URL || `http://localhost:${portNumber}`).replace(/\/$/, ""),
    publicUrlGiven: Boolean(raw.PUBLIC_URL),
    logLevel: raw.LOG_LEVEL as Config["logLevel"],
    smtpUrl: raw.SMTP_URL || null,
    mail: {
      from: raw.MAIL_FROM,
      folder: path.join(path.resolve(raw.DATA_DIR), "mail"),
      digestCron: raw.DIGEST_CRON,
    },
    timeZone: raw.SCHEDULE_TIME_ZONE,
    reminders: { deskAgeSeconds: raw.REMINDER_DESK_AGE, cron: raw.REMINDER_CRON },
    demoPassword: raw.DEMO_PASSWORD || null,
    uploads: {
      maxFileSize: raw.UPLOAD_MAX_FILE_SIZE,
      maxFiles: raw.UPLOAD_MAX_FILES,
      maxTotalSize: raw.UPLOAD_MAX_TOTAL_SIZE,
    },
    auth: {
      sessionTtlSeconds: raw.SESSION_TTL,
      invitationTtlSeconds: raw.INVITATION_TTL,
      signInMaxFailures: raw.SIGN_IN_MAX_FAILURES,
      signInWindowSeconds: raw.SIGN_IN_WINDOW,
      passwordResetTtlSeconds: raw.PASSWORD_RESET_TTL,
      passwordResetsPerAddress: raw.PASSWORD_RESET_PER_ADDRESS,
      passwordResetsPerEmail: raw.PASSWORD_RESET_PER_EMAIL,
      signUpOpen: raw.SIGNUP === "open",
      signUpsPerAddress: raw.SIGNUP_PER_ADDRESS,
    },
    graphql: {
      maxDepth: raw.GRAPHQL_MAX_DEPTH,
      maxCost: raw.GRAPHQL_MAX_COST,
      maxAliases: raw.GRAPHQL_MAX_ALIASES,
      maxTokens: raw.GRAPHQL_MAX_TOKENS,
      maxTokensAnonymous: raw.GRAPHQL_MAX_TOKENS_ANONYMOUS,
      maxFieldComparisons: raw.GRAPHQL_MAX_FIELD_COMPARISONS,
      maxPageSize: raw.GRAPHQL_MAX_PAGE_SIZE,
      introspection: raw.GRAPHQL_INTROSPECTION === "" ? raw.NODE_ENV !== "production" : raw.GRAPHQL_INTROSPECTION === "true",
      maxSubscriptionsPerConnection: raw.SUBSCRIPTIONS_PER_CONNECTION,
      maxSubscriptionsPerActor: raw.SUBSCRIPTIONS_PER_USER,
    },
    requestLimits: {
      enabled: raw.RATE_LIMITS,
      windowSeconds: raw.RATE_LIMIT_WINDOW,
      perViewer: atLeast(raw.RATE_LIMIT_PER_VIEWER, raw.GRAPHQL_MAX_COST, "RATE_LIMIT_PER_VIEWER"),
      perAddress: atLeast(raw.RATE_LIMIT_PER_ADDRESS, raw.GRAPHQL_MAX_COST, "RATE_LIMIT_PER_ADDRESS"),
      fileWeight: raw.RATE_LIMIT_FILE_WEIGHT,
      redisUrl: raw.REDIS_URL || null,
    },
    metricsToken: raw.METRICS_TOKEN || null,
    trustProxy: raw.TRUST_PROXY.trim(),
    corsOrigins: corsOrigins(raw.CORS_ORIGINS),
    imageMaxPixels: raw.IMAGE_MAX_PIXELS,
    exposeQueryStats: raw.EXPOSE_QUERY_STATS,
    countStatements: raw.EXPOSE_QUERY_STATS || raw.SQL_STATEMENT_METRICS,
    storage:
      raw.STORAGE === "s3"
        ? {
            kind: "s3",
            endpoint: raw.S3_ENDPOINT || null,
            region: raw.S3_REGION,
            bucket: required(raw.S3_BUCKET, "S3_BUCKET"),
            accessKeyId: required(raw.S3_ACCESS_KEY_ID, "S3_ACCESS_KEY_ID"),
            secretAccessKey: required(raw.S3_SECRET_ACCESS_KEY, "S3_SECRET_ACCESS_KEY"),
            forcePathStyle: raw.S3_FORCE_PATH_STYLE,
          }
        : { kind: "local", root: path.join(path.resolve(raw.DATA_DIR), "blobs") },
    downloadUrlTtlSeconds: raw.DOWNLOAD_URL_TTL,
    blobSweepGraceSeconds: raw.BLOB_SWEEP_GRACE,
    readMaxBytes: raw.READ_MAX_SIZE,
    bankProblemNoticeDelaySeconds: raw.BANK_PROBLEM_NOTICE_DELAY,
    ocr: { concurrency: raw.OCR_CONCURRENCY, languages: raw.OCR_LANGUAGES },
    runJobs: raw.RUN_JOBS,
    mailIn:
      raw.MAIL_IN || (raw.MAIL_IN === undefined && !raw.DATABASE_URL)
        ? {
            port: raw.MAIL_IN_PORT,
            host: raw.MAIL_IN_HOST || raw.HOST,
            // The demo's addresses end in a name that stays on this machine (RFC 6761).
            domain: (raw.MAIL_IN === undefined ? raw.MAIL_IN_DOMAIN || "portaldesk.localhost" : requiredFor(raw.MAIL_IN_DOMAIN, "MAIL_IN_DOMAIN", "MAIL_IN=true")).toLowerCase(),
            // Asked for: a taken port stops the start. The demo's default: it starts without mail-in.
            required: raw.MAIL_IN === true,
            maxSize: raw.MAIL_IN_MAX_SIZE,
            maxAttachments: raw.MAIL_IN_MAX_ATTACHMENTS,
            authservId: raw.MAIL_IN_AUTHSERV_ID || null,
            tls:
              raw.MAIL_IN_TLS_CERT || raw.MAIL_IN_TLS_KEY
                ? {
                    certFile: requiredFor(raw.MAIL_IN_TLS_CERT, "MAIL_IN_TLS_CERT", "MAIL_IN_TLS_KEY is set"),
                    keyFile: requiredFor(raw.MAIL_IN_TLS_KEY, "MAIL_IN_TLS_KEY", "MAIL_IN_TLS_CERT is set"),
                  }
                : null,
          }
        : null,
    // Mail kept while MAIL_IN was on is still reviewed, and forgotten, when it is off.
    mailQuarantine: { retentionSeconds: raw.MAIL_IN_QUARANTINE_RETENTION, maxAttachments: raw.MAIL_IN_MAX_ATTACHMENTS },
    webhooks: {
      allowPrivate: raw.WEBHOOK_ALLOW_PRIVATE,
      timeoutMs: raw.WEBHOOK_TIMEOUT * 1000,
      retryScheduleSeconds: raw.WEBHOOK_RETRY_SCHEDULE,
      disableAfterSeconds: raw.WEBHOOK_DISABLE_AFTER,
      pollMs: raw.WEBHOOK_POLL * 1000,
      concurrency: raw.WEBHOOK_CONCURRENCY,
      retentionSeconds: raw.WEBHOOK_RETENTION,
    },
    databasePoolSize: raw.DATABASE_POOL_SIZE,
    filings: {
      pollIntervalSeconds: raw.FILING_POLL_INTERVAL,
      reminderDays: raw.FILING_REMINDER_DAYS,
      reminderCron: raw.FILING_REMINDER_CRON,
      gateway:
        raw.DIGIPOORT === "digipoort"
          ? {
              kind: "digipoort",
              submitUrl: requiredFor(raw.DIGIPOORT_SUBMIT_URL, "DIGIPOORT_SUBMIT_URL", "DIGIPOORT=digipoort"),
              statusUrl: requiredFor(raw.DIGIPOORT_STATUS_URL, "DIGIPOORT_STATUS_URL", "DIGIPOORT=digipoort"),
              credentials: raw.DIGIPOORT_P12_FILE
                ? { p12File: raw.DIGIPOORT_P12_FILE }
                : {
                    certFile: requiredFor(raw.DIGIPOORT_CERT_FILE, "DIGIPOORT_CERT_FILE (or DIGIPOORT_P12_FILE)", "DIGIPOORT=digipoort"),
                    keyFile: requiredFor(raw.DIGIPOORT_KEY_FILE, "DIGIPOORT_KEY_FILE (or DIGIPOORT_P12_FILE)", "DIGIPOORT=digipoort"),
                  },
              passphrase: raw.DIGIPOORT_P12_PASSPHRASE || null,
              caFile: raw.DIGIPOORT_CA_FILE || null,
              signingCaFile: requiredFor(raw.DIGIPOORT_SIGNING_CA_FILE || raw.DIGIPOORT_CA_FILE, "DIGIPOORT_SIGNING_CA_FILE (or DIGIPOORT_CA_FILE)", "DIGIPOORT=digipoort"),
              timeoutMs: raw.DIGIPOORT_TIMEOUT * 1000,
              ...signing,
            }
          : { kind: "simulator", stepDelayMs: raw.DIGIPOORT_SIMULATOR_STEP_MS, ...signing },
    },
  };
}
