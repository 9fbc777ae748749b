// A subject's history in words, oldest first: "3 dec. 2026 07:26 — Anna de Vries: gelegd in Inkoop".
// The audit log's actions become sentences from the catalogue (never a raw code); a detail an action
// names (the tray, a new file name) fills its sentence.
import type { AuditEventFieldsFragment } from "@portaldesk/sdk";
import { fill, formatMoment, hasWord, type Translate, useI18n, type Language } from "./i18n.js";

export interface HistoryEntry {
  key: string;
  at: string;
  who: string | null;
  what: string;
  note: string | null;
  /** The audit action behind the line, for tests and styling. */
  action?: string;
}

/** The audit log's events as lines of a history. */
export function auditHistory(t: Translate, events: readonly AuditEventFieldsFragment[]): HistoryEntry[] {
  return events.map((e) => {
    const details = e.details ?? {};
    // The sentence that says most: with its tray where the action names one ("uploaded into Purchases").
    const keys = [details.tray ? `event:${e.action}:tray` : null, `event:${e.action}`].filter((k): k is string => k !== null);
    // An action the catalogue does not know yet reads as a plain word, never as its code.
    const words = t(keys.find(hasWord) ?? "eventOther");
    return { key: e.id, at: e.occurredAt, who: e.actor.label, what: fill(t, words, details), note: e.note, action: e.action };
  });
}

export function EventHistory({ entries, language }: { entries: readonly HistoryEntry[]; language: Language }) {
  const { t } = useI18n();
  if (entries.length === 0) return <p class="hint">{t("historyEmpty")}</p>;
  return (
    <ol class="history" data-testid="history">
      {entries.map((h) => (
        <li key={h.key} data-action={h.action}>
          <time dateTime={h.at}>{formatMoment(language, h.at)}</time> — {h.who ? `${h.who}: ` : ""}
          {h.what}
          {h.note ? ` — “${h.note}”` : ""}
        </li>
      ))}
    </ol>
  );
}
