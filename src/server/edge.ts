// What every response gets at the edge: security headers (helmet), compression, and CORS for the
// origins CORS_ORIGINS names (frontend teams serving their portal from another origin).
import compression from "compression";
import cors from "cors";
import type { Request, RequestHandler, Response } from "express";
import helmet from "helmet";

/**
 * The portal's policy: its scripts, styles and images come from this origin only, nothing inline,
 * nothing may frame it. Stored files set their own, stricter one (file-routes.ts).
 */
const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    // data: for the 2FA QR code, blob: for page images and downloads made in the browser.
    imgSrc: ["'self'", "data:", "blob:"],
    fontSrc: ["'self'"],
    // 'self' covers the WebSocket of this origin too (ws:/wss:).
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/** Security headers on every route. */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    // Signed file links and firm logos are shown by portals on other origins (and in mail): their
    // routes allow it (crossOrigin below); everything else stays same-origin.
    crossOriginResourcePolicy: { policy: "same-origin" },
    referrerPolicy: { policy: "no-referrer" },
    xFrameOptions: { action: "deny" },
  });
}

/** For routes whose responses other origins may embed (signed file links, firm logos). */
export const crossOrigin: RequestHandler = (_req, res, next) => {
  res.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
  next();
};

/**
 * gzip or brotli for what compresses (JSON, the portal's scripts and styles), by Accept-Encoding.
 * Stored files are left alone: they are compressed already (PDF, JPEG, PNG) and are served in ranges.
 */
export function compressResponses(): RequestHandler {
  return compression({
    filter: (req: Request, res: Response) => !req.path.startsWith("/files/") && !req.path.startsWith("/branding/") && compression.filter(req, res),
  });
}

/** Headers a browser client of the API sends besides the simple ones (the SDK's among them). */
const REQUEST_HEADERS = ["authorization", "content-type", "apollo-require-preflight", "x-apollo-operation-name", "x-request-id", "accept-language"];

/**
 * CORS for the API and file links: an allowed origin gets the answers a browser asks for, any
 * other origin gets no CORS header (so its browser refuses). Credentials are bearer tokens the
 * page sends itself, never cookies, so no Access-Control-Allow-Credentials.
 */
export function corsAllowlist(origins: string[]): RequestHandler[] {
  const any = origins.includes("*");
  const allowed = new Set(origins);
  return [
    cors({
      origin: (origin, done) => done(null, origin !== undefined && (any || allowed.has(origin))),
      methods: ["GET", "POST", "OPTIONS"],
      allowedHeaders: REQUEST_HEADERS,
      exposedHeaders: ["x-request-id", "retry-after", "content-disposition"],
      maxAge: 600,
    }),
    // A preflight from an origin not allowed: answered without CORS headers, not run as a request.
    (req, res, next) => {
      if (req.method !== "OPTIONS") return next();
      res.setHeader("Vary", "Origin");
      res.status(204).end();
    },
  ];
}
