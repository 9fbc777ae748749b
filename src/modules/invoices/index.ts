// The invoices module: invoices and credit notes read from e-invoices (UBL, CII, Factur-X), checked, with direction and duplicates.
import type { PortalDeskModule } from "../module.js";
import { Invoice, InvoiceLine, InvoiceVatLine, SupplierProfileRow } from "./invoice.entity.js";
import { DocumentInvoiceResolver, InvoiceResolver } from "./invoice.resolver.js";
import { INVOICE_SCOPES } from "./invoice.policy.js";

export const invoicesModule: PortalDeskModule = {
  name: "invoices",
  scopes: INVOICE_SCOPES,
  blobColumns: ["invoices.rendition_sha256"],
  entities: [Invoice, InvoiceLine, InvoiceVatLine, SupplierProfileRow],
  resolvers: [DocumentInvoiceResolver, InvoiceResolver],
};
