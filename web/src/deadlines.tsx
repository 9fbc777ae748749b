// Deadlines in the portal: the firm's returns due in the coming weeks (and overdue) on the staff
// home, and an administration's filing calendar for a year with how often it files (staff change
// that here; a client sees their own calendar, never the firm's drafts).
import { useEffect, useState } from "preact/hooks";
import {
  DeadlineState,
  FilingCalendarDocument,
  FilingFrequency,
  FilingDeadlinesDocument,
  UpdateAdministrationDocument,
  type FilingCalendarQuery,
  type FilingDeadlineFieldsFragment,
  type FilingDeadlinesQuery,
} from "@portaldesk/sdk";
import { api, followAdministration } from "./api.js";
import { Alert } from "./forms.js";
import { formatDay, periodInWords, type WordKey, useI18n } from "./i18n.js";
import { Scrollable } from "./scrollable.js";
import { BusyForm, SubmitButton } from "./busy.js";

type Calendar = Extract<FilingCalendarQuery["node"], { filingCalendar: unknown }>;

/** Days ahead the staff home looks for returns due. */
const DUE_WINDOW_DAYS = 31;

/** "5 days left", "due today", "3 days late", or nothing once it is with the tax authority. */
function Standing({ deadline }: { deadline: FilingDeadlineFieldsFragment }) {
  const { t } = useI18n();
  if (deadline.state === DeadlineState.Submitted || deadline.state === DeadlineState.Accepted) return null;
  const text = deadline.overdue
    ? t("daysLate").replace("{n}", String(-deadline.daysLeft))
    : deadline.daysLeft === 0
      ? t("dueToday")
      : t("daysLeft").replace("{n}", String(deadline.daysLeft));
  return <span class={deadline.overdue ? "standing overdue" : "standing"}>{text}</span>;
}

function DeadlineRows({ deadlines, withAdministration, onOpen }: { deadlines: FilingDeadlineFieldsFragment[]; withAdministration: boolean; onOpen?: (id: string) => void }) {
  const { t, language } = useI18n();
  return (
    <Scrollable label={t("filingsDue")}>
      <table class="deadlines">
        <thead>
          <tr>
            <th scope="col">{t("filingDueDate")}</th>
            {withAdministration && <th scope="col">{t("administration")}</th>}
            <th scope="col">{t("return")}</th>
            <th scope="col">{t("state")}</th>
          </tr>
        </thead>
        <tbody>
          {deadlines.map((d) => (
            <tr key={`${d.administration.id}-${d.kind}-${d.period.label}`} data-testid="deadline" class={d.overdue ? "overdue" : undefined}>
              <td>
                {formatDay(language, d.dueDate)} <Standing deadline={d} />
              </td>
              {withAdministration && (
                <td>
                  {onOpen ? (
                    <button type="button" class="link" onClick={() => onOpen(d.administration.id)}>
                      {d.administration.name}
                    </button>
                  ) : (
                    d.administration.name
                  )}
                </td>
              )}
              <td>
                {d.filing ? <a href={`#/filings/${d.filing.id}`}>{`${t(d.kind)} ${periodInWords(language, d.period)}`}</a> : `${t(d.kind)} ${periodInWords(language, d.period)}`}
              </td>
              <td>
                <span class={`status ${d.state}`}>{t(d.state as WordKey)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scrollable>
  );
}

/** The staff home's list: every return of the firm due within a month or overdue, soonest first. */
export function FilingsDuePanel({ onOpen }: { onOpen: (administrationId: string) => void }) {
  const { t } = useI18n();
  const [due, setDue] = useState<FilingDeadlinesQuery["filingDeadlines"] | null>(null);
  useEffect(() => {
    const dueBefore = new Date(Date.now() + DUE_WINDOW_DAYS * 86_400_000).toISOString().slice(0, 10);
    void api()
      .request(FilingDeadlinesDocument, { dueBefore, first: 50 })
      .then((r) => setDue(r.filingDeadlines));
  }, []);
  if (!due) return null;
  return (
    <section aria-labelledby="due-title" class="due">
      <h2 id="due-title">{t("filingsDue")}</h2>
      {due.nodes.length === 0 ? (
        <p role="status">{t("nothingDue")}</p>
      ) : (
        <>
          <DeadlineRows deadlines={due.nodes} withAdministration onOpen={onOpen} />
          {due.totalCount > due.nodes.length && <p class="summary">{t("andMore").replace("{n}", String(due.totalCount - due.nodes.length))}</p>}
        </>
      )}
    </section>
  );
}

const FREQUENCIES = [FilingFrequency.Monthly, FilingFrequency.Quarterly, FilingFrequency.None];

/** An administration's returns for one year, by due date; staff also set how often it files. */
export function FilingCalendarPanel({ administrationId, staff }: { administrationId: string; staff: boolean }) {
  const { t, language } = useI18n();
  const [year, setYear] = useState(new Date().getFullYear());
  const [calendar, setCalendar] = useState<Calendar | null>(null);
  const [editing, setEditing] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const load = () =>
    void api()
      .request(FilingCalendarDocument, { administrationId, year })
      .then((r) => setCalendar(r.node as Calendar));
  useEffect(() => followAdministration(administrationId, load), [administrationId, year]);

  const save = async (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    try {
      const { updateAdministration } = await api().request(UpdateAdministrationDocument, {
        input: {
          id: administrationId,
          vatFilingFrequency: data.get("vat") as FilingFrequency,
          icpFilingFrequency: data.get("icp") as FilingFrequency,
          filingsFrom: String(data.get("from")),
        },
      });
      setProblem(updateAdministration.userErrors[0]?.message ?? null);
      if (!updateAdministration.userErrors.length) {
        setEditing(false);
        load();
      }
    } catch (error) {
      setProblem((error as Error).message);
    }
  };

  const frequency = (name: string, value: FilingFrequency) => (
    <select name={name} value={value}>
      {FREQUENCIES.map((f) => (
        <option key={f} value={f}>
          {t(`frequency${f}` as WordKey)}
        </option>
      ))}
    </select>
  );

  return (
    <section aria-labelledby="calendar-title" class="calendar">
      <h2 id="calendar-title">{t("filingCalendar")}</h2>
      <p class="year-nav">
        <button type="button" class="secondary" aria-label={t("previousYear")} onClick={() => setYear(year - 1)}>
          ‹
        </button>{" "}
        <strong data-testid="calendar-year">{year}</strong>{" "}
        <button type="button" class="secondary" aria-label={t("nextYear")} onClick={() => setYear(year + 1)}>
          ›
        </button>
      </p>
      {calendar && (
        <>
          <p class="summary" data-testid="frequencies">
            {t("VAT_RETURN")}: {t(`frequency${calendar.vatFilingFrequency}` as WordKey)} · {t("ICP_DECLARATION")}: {t(`frequency${calendar.icpFilingFrequency}` as WordKey)} ·{" "}
            {t("filingsFrom")} {formatDay(language, calendar.filingsFrom)}
            {staff && !editing && (
              <>
                {" "}
                <button type="button" class="link" onClick={() => setEditing(true)}>
                  {t("change")}
                </button>
              </>
            )}
          </p>
          {editing && (
            <BusyForm class="stack" onSubmit={(e) => save(e)} data-testid="frequency-form">
              <label>
                {t("VAT_RETURN")} {frequency("vat", calendar.vatFilingFrequency)}
              </label>
              <label>
                {t("ICP_DECLARATION")} {frequency("icp", calendar.icpFilingFrequency)}
              </label>
              <label>
                {t("filingsFrom")} <input name="from" type="date" required value={calendar.filingsFrom} />
              </label>
              <div>
                <SubmitButton>{t("save")}</SubmitButton>{" "}
                <button type="button" class="secondary" onClick={() => setEditing(false)}>
                  {t("cancel")}
                </button>
              </div>
              <Alert text={problem} />
            </BusyForm>
          )}
          {calendar.filingCalendar.length === 0 ? <p>{t("nothingDue")}</p> : <DeadlineRows deadlines={calendar.filingCalendar} withAdministration={false} />}
        </>
      )}
    </section>
  );
}
