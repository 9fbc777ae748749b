// The PortalDesk web portal: a client's desk and trays, the firm's work queues. Talks to the
// server only through the SDK (HTTP, uploads, subscriptions).
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { SignOutDocument, ViewerDocument, type ViewerQuery } from "@portaldesk/sdk";
import { api, rememberToken, storedToken } from "./api.js";
import { languageNow, setLanguage, useI18n } from "./i18n.js";
import { SignIn } from "./sign-in.js";
import { AcceptInvitation, AccountPage, ConfirmEmail, ForgotPassword, ResetPassword, SignUpFirm } from "./account.js";
import { FirmSettingsPage } from "./firm-settings.js";
import { NotificationSettings } from "./notification-settings.js";
import { ClientHome } from "./client-home.js";
import { StaffHome } from "./staff-home.js";
import { ArchiveView } from "./archive.js";
import { FiguresView } from "./figures-chart.js";
import { FilingList, FilingView } from "./filings.js";
import { FilingCalendarPanel } from "./deadlines.js";
import { NotificationList, useUnreadCount } from "./notifications.js";
import { ReportsView } from "./reports.js";
import { useRoute } from "./route.js";
import { useBranding } from "./branding.js";

type Viewer = ViewerQuery["viewer"];

function App() {
  const [viewer, setViewer] = useState<Viewer | null>(null);
  const [checking, setChecking] = useState(Boolean(storedToken()));
  const { t, language } = useI18n();
  const [page] = useRoute();
  const brand = useBranding(viewer);

  useEffect(() => {
    document.documentElement.lang = languageNow();
    if (!storedToken()) return;
    api()
      .request(ViewerDocument)
      .then((r) => setViewer(r.viewer))
      .catch(() => rememberToken(null))
      .finally(() => setChecking(false));
  }, []);

  const signOut = async () => {
    await api()
      .request(SignOutDocument)
      .catch(() => undefined);
    rememberToken(null);
    setViewer(null);
  };

  return (
    <>
      {/* The portal is the firm's (before sign-in too, where known): its logo, name, and its colour along the header. */}
      <header class="bar" style={brand?.colour ? { borderBottom: `4px solid ${brand.colour}` } : undefined}>
        {brand?.logoUrl && <img class="brand-logo" src={brand.logoUrl} alt="" data-testid="brand-logo" />}
        <strong class="brand" data-testid="brand" style={brand?.colour ? { color: brand.colour } : undefined}>
          {brand?.name ?? t("appName")}
        </strong>
        <label class="language">
          <span class="sr-only">{t("language")}</span>
          <select value={language} onChange={(e) => setLanguage((e.currentTarget as HTMLSelectElement).value as "nl" | "en")}>
            <option value="nl">Nederlands</option>
            <option value="en">English</option>
          </select>
        </label>
        {viewer && (
          <span class="who">
            {viewer.role === "FIRM_ADMIN" && (
              <>
                <a href="#/firm" data-testid="firm-link">
                  {t("firmSettings")}
                </a>{" "}
              </>
            )}
            <a href="#/account" data-testid="account-link">
              {viewer.name}
            </a>{" "}
            <button type="button" class="link" onClick={signOut} data-testid="sign-out">
              {t("signOut")}
            </button>
          </span>
        )}
      </header>
      <main id="main">
        {checking ? null : page === "confirm-email" ? (
          // The link from the new address works signed in or not.
          <ConfirmEmail
            onConfirmed={() =>
              viewer &&
              void api()
                .request(ViewerDocument)
                .then((r) => setViewer(r.viewer))
            }
          />
        ) : !viewer ? (
          <SignedOut page={page} onSignedIn={setViewer} />
        ) : page === "account" ? (
          <AccountPage email={viewer.email} onSignedOut={() => setViewer(null)} />
        ) : page === "settings" ? (
          // #/settings/notifications: where every mail's footer links.
          <NotificationSettings />
        ) : page === "firm" && viewer.role === "FIRM_ADMIN" ? (
          <FirmSettingsPage
            firm={viewer.firm}
            onSaved={() =>
              void api()
                .request(ViewerDocument)
                .then((r) => setViewer(r.viewer))
            }
          />
        ) : viewer.role === "CLIENT" ? (
          <ClientPortal viewer={viewer} />
        ) : (
          <StaffHome firmAdmin={viewer.role === "FIRM_ADMIN"} />
        )}
      </main>
      {viewer && <FirmContact firm={viewer.firm} />}
    </>
  );
}

/** The firm's contact details, under every page (as under every mail). */
function FirmContact({ firm }: { firm: Viewer["firm"] }) {
  const parts = [firm.contactPhone, firm.contactEmail, firm.website].filter(Boolean);
  if (parts.length === 0) return null;
  return (
    <footer class="firm-contact" data-testid="firm-contact">
      {firm.displayName} · {parts.join(" · ")}
    </footer>
  );
}

/** Before signing in: the sign-in form, or the pages a mail links to (invitation, password reset). */
function SignedOut({ page, onSignedIn }: { page: string | undefined; onSignedIn: (viewer: Viewer) => void }) {
  if (page === "forgot-password") return <ForgotPassword />;
  if (page === "sign-up") return <SignUpFirm />;
  if (page === "reset-password") return <ResetPassword />;
  if (page === "accept-invitation") return <AcceptInvitation onSignedIn={onSignedIn} />;
  return <SignIn onSignedIn={onSignedIn} />;
}

/** The client's pages, one per tab; the desk is home. */
function ClientPortal({ viewer }: { viewer: Viewer }) {
  const { t } = useI18n();
  const [page, id] = useRoute();
  const unread = useUnreadCount();
  const administrationId = viewer.memberships[0]?.administration.id;
  const tabs = [
    ["desk", t("desk")],
    ["archive", t("archive")],
    ["filings", t("filings")],
    ["reports", t("reports")],
    ["figures", t("figures")],
    ["notifications", `${t("notifications")}${unread ? ` (${unread})` : ""}`],
  ] as const;
  const current = page ?? "desk";
  return (
    <>
      <nav class="tabs" aria-label="PortalDesk">
        {tabs.map(([route, label]) => (
          <a key={route} href={`#/${route}`} aria-current={current === route ? "page" : undefined} data-testid={`tab-${route}`}>
            {label}
          </a>
        ))}
      </nav>
      {!administrationId ? null : current === "archive" ? (
        <ArchiveView administrationId={administrationId} />
      ) : current === "filings" && id ? (
        <FilingView id={id} administrationId={administrationId} staff={false} />
      ) : current === "filings" ? (
        <>
          <FilingList administrationId={administrationId} />
          <FilingCalendarPanel administrationId={administrationId} staff={false} />
        </>
      ) : current === "reports" ? (
        <ReportsView administrationId={administrationId} />
      ) : current === "figures" ? (
        <FiguresView administrationId={administrationId} />
      ) : current === "notifications" ? (
        <NotificationList />
      ) : (
        <ClientHome viewer={viewer} />
      )}
    </>
  );
}

render(<App />, document.getElementById("app")!);
