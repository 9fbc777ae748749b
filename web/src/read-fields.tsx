// The fields read from a scan, photo or PDF (not an e-invoice): each with how sure the reading is,
// highlighted where it is printed on the page image, and corrected in place by those allowed to
// (the supplier's next invoice is then read with what the correction showed).
import { useState } from "preact/hooks";
import { CorrectInvoiceFieldDocument, InvoiceFieldName, type InvoiceFieldsFragment } from "@portaldesk/sdk";
import { api } from "./api.js";
import { useI18n, type WordKey } from "./i18n.js";
import { Scrollable } from "./scrollable.js";
import { BusyForm, SubmitButton } from "./busy.js";

type Field = InvoiceFieldsFragment["fields"][number];

/** The order fields are listed in, with their label. */
const FIELD_LABELS: Array<[InvoiceFieldName, WordKey]> = [
  [InvoiceFieldName.SupplierName, "fieldSupplierName"],
  [InvoiceFieldName.SupplierVatNumber, "vatNumber"],
  [InvoiceFieldName.SupplierKvkNumber, "fieldKvk"],
  [InvoiceFieldName.SupplierIban, "fieldIban"],
  [InvoiceFieldName.Number, "fieldNumber"],
  [InvoiceFieldName.IssueDate, "issueDate"],
  [InvoiceFieldName.DueDate, "dueDate"],
  [InvoiceFieldName.NetTotal, "netTotal"],
  [InvoiceFieldName.Vat21, "fieldVat21"],
  [InvoiceFieldName.Vat9, "fieldVat9"],
  [InvoiceFieldName.Taxable0, "fieldTaxable0"],
  [InvoiceFieldName.VatTotal, "vatTotal"],
  [InvoiceFieldName.GrossTotal, "fieldGross"],
  [InvoiceFieldName.Currency, "fieldCurrency"],
  [InvoiceFieldName.PaymentReference, "paymentReference"],
];

/**
 * The page image with the chosen field's box on it. Boxes are of the page as it was read (a sideways
 * photo turned upright), so the image is shown turned the same way.
 */
function PageWithBox({ url, field }: { url: string; field: Field | null }) {
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const rotation = field?.pageRotation ?? 0;
  const sideways = rotation === 90 || rotation === 270;
  const box = field?.box;
  // The upright page's proportions; the image inside is sized so that, turned, it fills them.
  const upright = size ? (sideways ? { width: size.height, height: size.width } : size) : null;
  const imageStyle = upright
    ? {
        width: `${((sideways ? upright.height : upright.width) / upright.width) * 100}%`,
        height: `${((sideways ? upright.width : upright.height) / upright.height) * 100}%`,
        transform: `translate(-50%, -50%) rotate(${rotation}deg)`,
      }
    : {};
  return (
    <div class="page-with-box" data-testid="field-page" style={upright ? { aspectRatio: `${upright.width} / ${upright.height}` } : {}}>
      <img
        src={url}
        alt=""
        style={imageStyle}
        onLoad={(e) => {
          const image = e.currentTarget as HTMLImageElement;
          setSize({ width: image.naturalWidth, height: image.naturalHeight });
        }}
      />
      {box && upright && (
        <div class="field-box" data-testid="field-box" style={{ left: `${box.x * 100}%`, top: `${box.y * 100}%`, width: `${box.width * 100}%`, height: `${box.height * 100}%` }} />
      )}
    </div>
  );
}

export function ReadFields({ documentId, fields, pageImageUrls, onCorrected }: { documentId: string; fields: Field[]; pageImageUrls: string[]; onCorrected: () => void }) {
  const { t } = useI18n();
  const [chosen, setChosen] = useState<InvoiceFieldName | null>(fields.find((f) => f.name === InvoiceFieldName.GrossTotal)?.name ?? fields[0]?.name ?? null);
  const [editing, setEditing] = useState<InvoiceFieldName | null>(null);
  const [draft, setDraft] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const byName = new Map(fields.map((f) => [f.name, f]));
  const shown = chosen ? (byName.get(chosen) ?? null) : null;
  const page = shown?.page ?? 1;

  const save = async (name: InvoiceFieldName) => {
    setProblem(null);
    try {
      const { correctInvoiceField } = await api().request(CorrectInvoiceFieldDocument, { input: { documentId, field: name, value: draft.trim() || null } });
      if (correctInvoiceField.userErrors.length) return setProblem(correctInvoiceField.userErrors[0]!.message);
      setEditing(null);
      onCorrected();
    } catch {
      setProblem(t("correctionRefused"));
    }
  };

  return (
    <section class="read-fields" aria-labelledby="read-fields-title" data-testid="read-fields">
      <h3 id="read-fields-title">{t("readFields")}</h3>
      <div class="read-fields-body">
        {pageImageUrls[page - 1] && <PageWithBox url={pageImageUrls[page - 1]!} field={shown} />}
        <Scrollable label={t("readFields")}>
          <table class="fields">
            <tbody>
              {FIELD_LABELS.map(([name, label]) => {
                const field = byName.get(name);
                const confidence = field ? Math.round(field.confidence * 100) : null;
                return (
                  <tr key={name} class={chosen === name ? "chosen" : ""} data-testid="read-field" data-field={name} onClick={() => field && setChosen(name)}>
                    <th scope="row">{t(label)}</th>
                    <td>
                      {editing === name ? (
                        <BusyForm
                          onSubmit={(e) => {
                            e.preventDefault();
                            return save(name);
                          }}
                        >
                          <input aria-label={t(label)} value={draft} onInput={(e) => setDraft((e.currentTarget as HTMLInputElement).value)} data-testid="field-input" />
                          <SubmitButton data-testid="field-save">{t("save")}</SubmitButton>{" "}
                          <button type="button" class="secondary" onClick={() => setEditing(null)}>
                            {t("cancel")}
                          </button>
                        </BusyForm>
                      ) : (
                        <>
                          <span data-testid="field-value">{field?.value ?? "—"}</span> {field?.corrected && <span class="badge">{t("corrected")}</span>}
                        </>
                      )}
                    </td>
                    <td class="confidence" title={t("confidence")}>
                      {confidence !== null && !field?.corrected && (
                        <span class={confidence < 70 ? "low" : ""}>
                          <meter min={0} max={100} value={confidence} /> {confidence}%
                        </span>
                      )}
                    </td>
                    <td>
                      {editing !== name && (
                        <button
                          type="button"
                          class="link"
                          data-testid="field-edit"
                          onClick={(e) => {
                            e.stopPropagation();
                            setDraft(field?.value ?? "");
                            setEditing(name);
                          }}
                        >
                          {t("correct")}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Scrollable>
      </div>
      {problem && (
        <p role="alert" class="error" data-testid="field-problem">
          {problem}
        </p>
      )}
    </section>
  );
}
