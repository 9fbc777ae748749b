// Short-lived signed download URLs served by this server: HMAC-SHA256 over what the link allows
// (what is downloaded, content hash, disposition, expiry) with a secret all instances share.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Localized } from "../../core/language.js";
import type { Services } from "../../services.js";

export type Disposition = "inline" | "attachment";

/**
 * "d" a document's file, "t" its thumbnail, "p" a PNG of one of its pages (for page editing), "r" a
 * report's file for a client (valid only while the report is published), "R" a report's file for
 * the firm (any version, withdrawn or not).
 */
export const LINK_KINDS = ["d", "t", "p", "v", "r", "R"] as const;
export type LinkKind = (typeof LINK_KINDS)[number];
const KINDS: ReadonlySet<string> = new Set(LINK_KINDS);
const MALFORMED: Localized = { en: "it is incomplete or changed", nl: "hij is onvolledig of veranderd" };

export interface LinkClaims {
  kind: LinkKind;
  /** The document or report. */
  subjectId: string;
  sha256: string;
  disposition: Disposition;
  /** Unix seconds. */
  expires: number;
  /** The page, for "p" links (from 1). */
  page?: number;
}

/** What a link serves, when it is still there. */
export interface ServedFile {
  /** The blob's key (also the ETag). */
  key: string;
  /** null: not known up front (thumbnails, page images), no ranges. */
  size: number | null;
  type: string;
  filename: string;
  /** Made on request instead of read from storage (page images). */
  render?: () => Promise<Buffer>;
}

/**
 * What a verified link of one kind points to, checked again against the database (null: gone, so a
 * removed document's or a withdrawn report's links stop working at once). Modules contribute one per
 * kind they sign (src/modules/module.ts).
 */
export type LinkResolver = (services: Services, claims: LinkClaims) => Promise<ServedFile | null>;

export class DownloadLinks {
  constructor(
    private readonly secret: string,
    private readonly ttlSeconds: number,
    private readonly baseUrl: () => string,
  ) {}

  private signature(c: LinkClaims): string {
    const page = c.kind === "p" ? `\n${c.page}` : "";
    return createHmac("sha256", this.secret).update(`${c.kind}\n${c.subjectId}\n${c.sha256}\n${c.disposition}\n${c.expires}${page}`).digest("base64url");
  }

  url(claims: Omit<LinkClaims, "expires">, filename: string): string {
    // Round the expiry so repeated requests within a minute give the same URL (browser caching).
    const expires = Math.ceil((Date.now() / 1000 + this.ttlSeconds) / 60) * 60;
    const full = { ...claims, expires };
    const query = new URLSearchParams({
      h: claims.sha256,
      d: claims.disposition === "attachment" ? "a" : "i",
      e: String(expires),
      ...(claims.kind === "p" ? { n: String(claims.page) } : {}),
      s: this.signature(full),
    });
    return `${this.baseUrl()}/files/${claims.kind}/${claims.subjectId}/${encodeURIComponent(filename)}?${query}`;
  }

  /** The claims of a presented link, or a reason it is refused. */
  verify(kind: string, subjectId: string, query: Record<string, unknown>): { claims: LinkClaims } | { refused: Localized } {
    const { h, d, e, s, n } = query;
    if (!KINDS.has(kind) || typeof h !== "string" || typeof e !== "string" || typeof s !== "string" || (d !== "a" && d !== "i")) {
      return { refused: MALFORMED };
    }
    if (kind === "p" && (typeof n !== "string" || !/^[1-9]\d{0,4}$/.test(n))) return { refused: MALFORMED };
    const claims: LinkClaims = {
      kind: kind as LinkKind,
      subjectId,
      sha256: h,
      disposition: d === "a" ? "attachment" : "inline",
      expires: Number(e),
      ...(kind === "p" ? { page: Number(n) } : {}),
    };
    const expected = Buffer.from(this.signature(claims));
    const given = Buffer.from(s);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { refused: { en: "its signature does not match", nl: "de ondertekening klopt niet" } };
    if (!Number.isFinite(claims.expires) || claims.expires * 1000 < Date.now()) return { refused: { en: "it has expired", nl: "hij is verlopen" } };
    return { claims };
  }
}
