// The notification bell (unread count, live) and the list, each entry linking to what it is about.
import { useEffect, useState } from "preact/hooks";
import {
  MarkNotificationsReadDocument,
  NotificationReceivedDocument,
  NotificationsDocument,
  UnreadNotificationCountDocument,
  type NotificationFieldsFragment,
} from "@portaldesk/sdk";
import { api } from "./api.js";
import { useI18n } from "./i18n.js";
import { ActionButton } from "./busy.js";

const ROUTES: Record<string, string> = { VatReturn: "filings", IcpDeclaration: "filings", Report: "reports", Document: "desk" };

export function linkOf(n: NotificationFieldsFragment): string {
  const route = n.subject ? ROUTES[n.subject.__typename] : undefined;
  return route === "filings" ? `#/filings/${n.subject!.id}` : route ? `#/${route}` : "#/notifications";
}

/**
 * Calls `fn` for each new notification of the viewer of one of `kinds` (views whose changes come
 * only as notifications: a report published at its moment, new figures).
 */
export function onNotification(kinds: string[], fn: () => void): () => void {
  const live = api().subscribe(NotificationReceivedDocument);
  void (async () => {
    try {
      for await (const { notificationReceived } of live) if (kinds.includes(notificationReceived.kind)) fn();
    } catch {
      // signed out
    }
  })();
  return () => void live.return?.();
}

/** Unread count, kept current by the live subscription. */
export function useUnreadCount(): number {
  const [count, setCount] = useState(0);
  useEffect(() => {
    const load = () =>
      void api()
        .request(UnreadNotificationCountDocument)
        .then((r) => setCount(r.unreadNotificationCount));
    load();
    const live = api().subscribe(NotificationReceivedDocument);
    void (async () => {
      try {
        for await (const _n of live) load();
      } catch {
        // signed out
      }
    })();
    addEventListener("portaldesk:notifications-read", load);
    return () => {
      void live.return?.();
      removeEventListener("portaldesk:notifications-read", load);
    };
  }, []);
  return count;
}

export function NotificationList() {
  const { t } = useI18n();
  const [items, setItems] = useState<NotificationFieldsFragment[]>([]);
  const load = () =>
    void api()
      .request(NotificationsDocument, { first: 50 })
      .then((r) => setItems(r.notifications.nodes));
  useEffect(load, []);
  const open = async (n: NotificationFieldsFragment) => {
    if (!n.read) await api().request(MarkNotificationsReadDocument, { input: { ids: [n.id] } });
    dispatchEvent(new Event("portaldesk:notifications-read"));
    location.hash = linkOf(n);
  };
  return (
    <section aria-labelledby="notifications-title">
      <h1 id="notifications-title">{t("notifications")}</h1>
      <ActionButton
        class="secondary"
        onClick={async () => {
          await api().request(MarkNotificationsReadDocument, { input: {} });
          dispatchEvent(new Event("portaldesk:notifications-read"));
          load();
        }}
      >
        {t("markAllRead")}
      </ActionButton>{" "}
      <a href="#/settings/notifications" data-testid="notification-settings-link">
        {t("notificationSettings")}
      </a>
      <ul class="notifications">
        {items.map((n) => (
          <li key={n.id} class={n.read ? "read" : "unread"} data-testid="notification">
            <ActionButton class="link" onClick={() => open(n)}>
              {n.title}
            </ActionButton>
            {n.body && <p>{n.body}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}
