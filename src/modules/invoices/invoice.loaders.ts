import DataLoader from "dataloader";
import { groupByKey, type LoaderFactory } from "../../graphql/loaders.js";
import { Invoice, InvoiceVatLine } from "./invoice.entity.js";

/**
 * The invoice of each document: its own e-invoice; else, for a PDF that is an e-invoice's own
 * rendition (the same bytes), that e-invoice's (exact, where its own was read from its words); else
 * the one read from its words. Two statements for a page of documents (one when none has any).
 */
export const invoiceByDocument: LoaderFactory<string, Invoice | null> = ({ dataSource }) =>
  new DataLoader(async (ids) => {
    const pairs = (await dataSource.query(
      `SELECT d.id AS document_id, found.id AS invoice_id
         FROM unnest($1::uuid[]) AS d(id)
         CROSS JOIN LATERAL (
           SELECT id FROM (
             SELECT i.id, CASE WHEN i.source = 'E_INVOICE' THEN 0 ELSE 2 END AS rank, i.created_at FROM invoices i WHERE i.document_id = d.id
             UNION ALL
             SELECT i.id, 1, i.created_at FROM documents pdf
               JOIN invoices i ON i.administration_id = pdf.administration_id AND i.rendition_sha256 = pdf.sha256 AND i.document_id <> pdf.id
               JOIN documents xml ON xml.id = i.document_id AND xml.removed_at IS NULL
              WHERE pdf.id = d.id
           ) candidates ORDER BY rank, created_at LIMIT 1
         ) found`,
      [[...ids]],
    )) as Array<{ document_id: string; invoice_id: string }>;
    const invoices = pairs.length
      ? await dataSource
          .getRepository(Invoice)
          .createQueryBuilder("i")
          .where("i.id = ANY(:ids)", { ids: pairs.map((p) => p.invoice_id) })
          .getMany()
      : [];
    return ids.map((id) => invoices.find((i) => i.id === pairs.find((p) => p.document_id === id)?.invoice_id) ?? null);
  });

/** The e-invoice document each PDF is the own rendition of (same bytes), or null. */
export const authoritativeDocumentId: LoaderFactory<string, string | null> = ({ dataSource }) =>
  new DataLoader(async (ids) => {
    const rows = (await dataSource.query(
      `SELECT DISTINCT ON (pdf.id) pdf.id AS pdf_id, i.document_id
         FROM documents pdf
         JOIN invoices i ON i.administration_id = pdf.administration_id AND i.rendition_sha256 = pdf.sha256 AND i.document_id <> pdf.id
         JOIN documents xml ON xml.id = i.document_id AND xml.removed_at IS NULL
        WHERE pdf.id = ANY($1)
        ORDER BY pdf.id, xml.uploaded_at`,
      [[...ids]],
    )) as Array<{ pdf_id: string; document_id: string }>;
    return ids.map((id) => rows.find((r) => r.pdf_id === id)?.document_id ?? null);
  });

/** The VAT breakdown of each invoice, in order. */
export const vatLinesByInvoice: LoaderFactory<string, InvoiceVatLine[]> = ({ dataSource }) =>
  new DataLoader(async (ids) => {
    const rows = await dataSource
      .getRepository(InvoiceVatLine)
      .createQueryBuilder("v")
      .where("v.invoice_id = ANY(:ids)", { ids: [...ids] })
      .orderBy("v.position")
      .getMany();
    return groupByKey(ids, rows, (v) => v.invoiceId);
  });
