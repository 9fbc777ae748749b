// Links into the web portal (hash routes: the portal is static files served at /). One place
// decides the routes that mails and API payloads link to.
import { toGlobalId } from "../graphql/global-id.js";

const ROUTES: Record<string, string> = {
  VatReturn: "filings",
  IcpDeclaration: "filings",
  Document: "documents",
  Report: "reports",
};

export class PortalLinks {
  constructor(private readonly base: () => string) {}

  /** The server's base URL (for assets such as a firm's logo). */
  origin(): string {
    return this.base();
  }

  /** The portal's page for a node (by GraphQL type name), or the notification list. */
  forSubject(subjectType: string | null, subjectId: string | null): string {
    const route = subjectType ? ROUTES[subjectType] : undefined;
    return route && subjectId ? `${this.base()}/#/${route}/${toGlobalId(subjectType!, subjectId)}` : this.notifications();
  }

  notifications(): string {
    return `${this.base()}/#/notifications`;
  }

  preferences(): string {
    return `${this.base()}/#/settings/notifications`;
  }

  /** The firm's ID rides along, so the page shows the firm's name, colour and logo before sign-in. */
  passwordReset(token: string, firmId: string): string {
    return `${this.base()}/#/reset-password?token=${encodeURIComponent(token)}&firm=${toGlobalId("Firm", firmId)}`;
  }

  emailChange(token: string, firmId: string): string {
    return `${this.base()}/#/confirm-email?token=${encodeURIComponent(token)}&firm=${toGlobalId("Firm", firmId)}`;
  }

  account(): string {
    return `${this.base()}/#/account`;
  }

  invitation(token: string, firmId: string): string {
    return `${this.base()}/#/accept-invitation?token=${encodeURIComponent(token)}&firm=${toGlobalId("Firm", firmId)}`;
  }
}
