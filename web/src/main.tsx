// The PortalDesk web portal: a client's desk and trays, the firm's work queues. Talks to the
// server only through the SDK (HTTP, uploads, subscriptions).
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { SignOutDocument, ViewerDocument, type ViewerQuery } from "@portaldesk/sdk";
import { api, rememberToken, storedToken } from "./api.js";
import { languageNow, setLanguage, useI18n } from "./i18n.js";
import { SignIn } from "./sign-in.js";
import { ClientHome } from "./client-home.js";
import { StaffHome } from "./staff-home.js";

type Viewer = ViewerQuery["viewer"];

function App() {
  const [viewer, setViewer] = useState<Viewer | null>(null);
  const [checking, setChecking] = useState(Boolean(storedToken()));
  const { t, language } = useI18n();

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
    await api().request(SignOutDocument).catch(() => undefined);
    rememberToken(null);
    setViewer(null);
  };

  return (
    <>
      <header class="bar">
        <strong class="brand">{t("appName")}</strong>
        <label class="language">
          <span class="sr-only">{t("language")}</span>
          <select value={language} onChange={(e) => setLanguage((e.currentTarget as HTMLSelectElement).value as "nl" | "en")}>
            <option value="nl">Nederlands</option>
            <option value="en">English</option>
          </select>
        </label>
        {viewer && (
          <span class="who">
            {viewer.name}{" "}
            <button type="button" class="link" onClick={signOut}>
              {t("signOut")}
            </button>
          </span>
        )}
      </header>
      <main id="main">
        {checking ? null : !viewer ? (
          <SignIn onSignedIn={setViewer} />
        ) : viewer.role === "CLIENT" ? (
          <ClientHome viewer={viewer} />
        ) : (
          <StaffHome />
        )}
      </main>
    </>
  );
}

render(<App />, document.getElementById("app")!);
