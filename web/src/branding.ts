// Whose portal this is: signed in, the person's firm; before that, the firm a mail's link names
// (?firm=…) or the one last signed in to on this browser — so the sign-in page shows the firm's
// name, colour and logo too.
import { useEffect, useState } from "preact/hooks";
import { FirmBrandingDocument, type ViewerQuery } from "@portaldesk/sdk";
import { api } from "./api.js";

export interface Branding {
  name: string;
  colour: string | null;
  logoUrl: string | null;
}

const LAST_FIRM = "portaldesk.firm";

function firmOfPage(): string | null {
  return new URLSearchParams(location.hash.split("?")[1] ?? "").get("firm") ?? localStorage.getItem(LAST_FIRM);
}

export function useBranding(viewer: ViewerQuery["viewer"] | null): Branding | null {
  const [before, setBefore] = useState<Branding | null>(null);
  useEffect(() => {
    if (viewer) {
      localStorage.setItem(LAST_FIRM, viewer.firm.id);
      return;
    }
    const firm = firmOfPage();
    if (!firm) return;
    void api()
      .request(FirmBrandingDocument, { id: firm })
      .then(({ firmBranding }) => setBefore(firmBranding ? { name: firmBranding.displayName, colour: firmBranding.brandColour, logoUrl: firmBranding.logoUrl } : null))
      .catch(() => setBefore(null));
  }, [viewer]);
  if (viewer) return { name: viewer.firm.displayName, colour: viewer.firm.brandColour, logoUrl: viewer.firm.logoUrl };
  return before;
}
