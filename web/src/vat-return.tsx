// A VAT return as the Belastingdienst's form has it: the rubrieken in their order and words, under
// their section headings, with the amount to pay or reclaim as the headline; and, for the firm, the
// same form to change a draft's amounts.
import { useState } from "preact/hooks";
import { UpdateVatReturnDocument, type FilingFieldsFragment, type VatReturnBoxesInput } from "@portaldesk/sdk";
import { api } from "./api.js";
import { formatMoney, useI18n, type Language } from "./i18n.js";
import { Scrollable } from "./scrollable.js";
import { BusyForm, SubmitButton } from "./busy.js";

type VatReturn = Extract<FilingFieldsFragment, { __typename: "VatReturn" }>;
type Boxes = VatReturn["boxes"];
type BoxKey = Exclude<keyof Boxes, "__typename">;

interface Rubriek {
  key: BoxKey;
  /** "1a" */
  code: string;
  words: Record<Language, string>;
  /** Turnover and VAT (two amounts), or one amount. */
  pair: boolean;
  /** Worked out from the others, never entered. */
  computed?: boolean;
}

/** The form's sections and rubrieken, in the form's order and words (aangifte omzetbelasting). */
export const VAT_FORM: Array<{ heading: Record<Language, string>; rubrieken: Rubriek[] }> = [
  {
    heading: { nl: "1. Prestaties binnenland", en: "1. Supplies in the Netherlands" },
    rubrieken: [
      { key: "box1a", code: "1a", pair: true, words: { nl: "Leveringen/diensten belast met hoog tarief", en: "Supplies/services taxed at the standard rate" } },
      { key: "box1b", code: "1b", pair: true, words: { nl: "Leveringen/diensten belast met laag tarief", en: "Supplies/services taxed at the reduced rate" } },
      {
        key: "box1c",
        code: "1c",
        pair: true,
        words: { nl: "Leveringen/diensten belast met overige tarieven, behalve 0%", en: "Supplies/services taxed at other rates, except 0%" },
      },
      { key: "box1d", code: "1d", pair: true, words: { nl: "Privégebruik", en: "Private use" } },
      { key: "box1e", code: "1e", pair: false, words: { nl: "Leveringen/diensten belast met 0% of niet bij u belast", en: "Supplies/services taxed at 0% or not taxed with you" } },
    ],
  },
  {
    heading: { nl: "2. Verleggingsregelingen binnenland", en: "2. Domestic reverse charge" },
    rubrieken: [
      {
        key: "box2a",
        code: "2a",
        pair: true,
        words: { nl: "Leveringen/diensten waarbij de omzetbelasting naar u is verlegd", en: "Supplies/services where the VAT is reverse-charged to you" },
      },
    ],
  },
  {
    heading: { nl: "3. Prestaties naar of in het buitenland", en: "3. Supplies to or in other countries" },
    rubrieken: [
      { key: "box3a", code: "3a", pair: false, words: { nl: "Leveringen naar landen buiten de EU (uitvoer)", en: "Supplies to countries outside the EU (exports)" } },
      { key: "box3b", code: "3b", pair: false, words: { nl: "Leveringen naar of diensten in landen binnen de EU", en: "Supplies to or services in EU countries" } },
      { key: "box3c", code: "3c", pair: false, words: { nl: "Installatie/afstandsverkopen binnen de EU", en: "Installation/distance sales within the EU" } },
    ],
  },
  {
    heading: { nl: "4. Prestaties vanuit het buitenland aan u verricht", en: "4. Supplies from other countries to you" },
    rubrieken: [
      { key: "box4a", code: "4a", pair: true, words: { nl: "Leveringen/diensten uit landen buiten de EU", en: "Supplies/services from countries outside the EU" } },
      { key: "box4b", code: "4b", pair: true, words: { nl: "Leveringen/diensten uit landen binnen de EU", en: "Supplies/services from EU countries" } },
    ],
  },
  {
    heading: { nl: "5. Voorbelasting en totaal", en: "5. Input VAT and total" },
    rubrieken: [
      { key: "box5a", code: "5a", pair: false, computed: true, words: { nl: "Verschuldigde omzetbelasting (rubrieken 1a t/m 4b)", en: "VAT due (boxes 1a to 4b)" } },
      { key: "box5b", code: "5b", pair: false, words: { nl: "Voorbelasting", en: "Input VAT" } },
      { key: "box5c", code: "5c", pair: false, computed: true, words: { nl: "Subtotaal (rubriek 5a min 5b)", en: "Subtotal (box 5a minus 5b)" } },
      { key: "box5g", code: "5g", pair: false, computed: true, words: { nl: "Totaal te betalen of terug te vragen", en: "Total to pay or to reclaim" } },
    ],
  },
];

/** Whole euros as the form writes them: "€ 1.234" (nl), "€1,234" (en). */
export function euros(language: Language, amount: number): string {
  return formatMoney(language, amount, false);
}

/** "Te betalen: € 1.234" or "Terug te vragen: € 234", the first thing a person wants to know. */
export function VatHeadline({ boxes }: { boxes: Boxes }) {
  const { t, language } = useI18n();
  const total = boxes.box5g;
  return (
    <p class={`headline ${total < 0 ? "reclaim" : "pay"}`} data-testid="vat-headline">
      <span>{t(total < 0 ? "toReclaim" : "toPay")}</span> <strong>{euros(language, Math.abs(total))}</strong>
    </p>
  );
}

export function VatReturnForm({ boxes }: { boxes: Boxes }) {
  const { t, language } = useI18n();
  return (
    <Scrollable label={t("vatReturnBoxes")}>
      <table class="boxes vat-form" data-testid="vat-form">
        <thead>
          <tr>
            <th scope="col">{t("box")}</th>
            <th scope="col">{t("description")}</th>
            <th scope="col" class="num">
              {t("turnover")}
            </th>
            <th scope="col" class="num">
              {t("vat")}
            </th>
          </tr>
        </thead>
        {VAT_FORM.map((section) => (
          <tbody key={section.heading.en}>
            <tr class="section">
              <th scope="rowgroup" colSpan={4}>
                {section.heading[language]}
              </th>
            </tr>
            {section.rubrieken.map((r) => {
              const value = boxes[r.key];
              const [turnover, vat] = typeof value === "object" ? [value.turnover, value.vat] : r.code.startsWith("5") ? [null, value] : [value, null];
              return (
                <tr key={r.key} data-box={r.code} class={r.key === "box5g" ? "total" : undefined}>
                  <th scope="row">{r.code}</th>
                  <td>{r.words[language]}</td>
                  <td class="num">{turnover === null ? "" : euros(language, turnover)}</td>
                  <td class="num">{vat === null ? "" : euros(language, vat)}</td>
                </tr>
              );
            })}
          </tbody>
        ))}
      </table>
    </Scrollable>
  );
}

/** The firm changes a draft's amounts; the computed rubrieken follow on the server. */
export function VatReturnEditor({ filing, onDone }: { filing: VatReturn; onDone: (problem: string | null) => void }) {
  const { t, language } = useI18n();
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <button type="button" class="secondary" onClick={() => setOpen(true)} data-testid="edit-vat-return">
        {t("changeAmounts")}
      </button>
    );
  }
  const save = async (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    // Whole euros, written with or without thousands separators ("1.234", "1,234", "1234").
    const amount = (name: string) => Number(String(data.get(name) ?? "0").replace(/[^\d-]/g, "")) || 0;
    const boxes: Record<string, unknown> = {};
    for (const r of VAT_FORM.flatMap((s) => s.rubrieken).filter((x) => !x.computed)) {
      boxes[r.key] = r.pair ? { turnover: amount(`${r.key}.turnover`), vat: amount(`${r.key}.vat`) } : amount(r.key);
    }
    const { updateVatReturn } = await api().request(UpdateVatReturnDocument, { input: { filingId: filing.id, version: filing.version, boxes: boxes as VatReturnBoxesInput } });
    const problem = updateVatReturn.userErrors[0]?.message ?? null;
    if (!problem) setOpen(false);
    onDone(problem);
  };
  const input = (name: string, value: number, label: string) => (
    <input name={name} inputMode="numeric" pattern="-?[0-9.,]*" defaultValue={String(value)} aria-label={label} size={9} data-testid={`input-${name}`} />
  );
  return (
    <BusyForm class="vat-editor" onSubmit={(e) => save(e)} data-testid="vat-editor">
      <Scrollable label={t("changeAmounts")}>
        <table class="boxes vat-form">
          <tbody>
            {VAT_FORM.flatMap((s) => s.rubrieken)
              .filter((r) => !r.computed)
              .map((r) => {
                const value = filing.boxes[r.key];
                return (
                  <tr key={r.key}>
                    <th scope="row">{r.code}</th>
                    <td>{r.words[language]}</td>
                    <td>{typeof value === "object" ? input(`${r.key}.turnover`, value.turnover, `${r.code} ${t("turnover")}`) : input(r.key, value, r.code)}</td>
                    <td>{typeof value === "object" ? input(`${r.key}.vat`, value.vat, `${r.code} ${t("vat")}`) : null}</td>
                  </tr>
                );
              })}
          </tbody>
        </table>
      </Scrollable>
      <p class="hint">{t("wholeEuros")}</p>
      <SubmitButton>{t("save")}</SubmitButton>{" "}
      <button type="button" onClick={() => setOpen(false)}>
        {t("cancel")}
      </button>
    </BusyForm>
  );
}
