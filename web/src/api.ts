// The SDK client of this page: one per session, its token kept in sessionStorage (a tab signs in
// once; closing the browser signs out).
import { AdministrationEventsDocument, createClient, FilingUpdatedDocument, type PortalDeskClient } from "@portaldesk/sdk";
import { languageNow } from "./i18n.js";

const TOKEN_KEY = "portaldesk.token";

let client: PortalDeskClient | null = null;

export function api(): PortalDeskClient {
  // The server words its sentences (userErrors, what was read) in the language on the screen.
  client ??= createClient({ url: `${location.origin}/graphql`, token: () => sessionStorage.getItem(TOKEN_KEY), language: languageNow });
  return client;
}

export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function rememberToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
  api().setToken(() => sessionStorage.getItem(TOKEN_KEY));
}

/** Calls `load` now and again whenever the administration changes (live events), at most every 150 ms. */
export function followAdministration(administrationId: string, load: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const again = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      load();
    }, 150);
  };
  load();
  return subscribeEach(administrationId, again);
}

function subscribeEach(administrationId: string, onEvent: () => void): () => void {
  const iterators = [api().subscribe(AdministrationEventsDocument, { administrationId }), api().subscribe(FilingUpdatedDocument, { administrationId })];
  for (const iterator of iterators) {
    void (async () => {
      try {
        for await (const _event of iterator as AsyncIterable<unknown>) onEvent();
      } catch {
        // the subscription ended (signed out, server gone): the view stops updating
      }
    })();
  }
  return () => {
    for (const iterator of iterators) void iterator.return?.();
  };
}
