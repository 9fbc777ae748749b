// The tray a read document belongs in: bank statements in BANK_STATEMENTS, invoices and credit
// notes by their direction, receipts in RECEIPTS — unless people usually file the supplier's documents
// elsewhere. Shown on the card (SUGGEST) or acted on (AUTO_FILE).
import { DataKind, TrayKind } from "../documents/document.entity.js";
import { InvoiceDirection } from "../invoices/invoice.entity.js";
import { InvoiceKind } from "../invoices/invoice-model.js";

/** `usual`: the tray people filed this supplier's documents into (usual-tray.ts), which wins over the kind and direction. */
export function suggestedTray(
  dataKind: DataKind | null,
  invoice: { kind: InvoiceKind; direction: InvoiceDirection } | null,
  usual: TrayKind | null = null,
): Exclude<TrayKind, TrayKind.ARCHIVE> | null {
  if (dataKind === DataKind.BANK_STATEMENT) return TrayKind.BANK_STATEMENTS;
  if (!invoice) return null;
  if (usual === TrayKind.PURCHASE || usual === TrayKind.SALES || usual === TrayKind.RECEIPTS) return usual;
  if (invoice.kind === InvoiceKind.RECEIPT) return TrayKind.RECEIPTS;
  return invoice.direction === InvoiceDirection.SALES ? TrayKind.SALES : TrayKind.PURCHASE;
}
