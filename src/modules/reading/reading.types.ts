import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { SplitReason, type SplitSuggestion } from "./split-suggestions.js";
import { type Document, PagesState } from "../documents/document.entity.js";
import { FORMATS } from "../files/file-format.js";

registerEnumType(PagesState, {
  name: "ProcessingState",
  description: "How far the reading of a document's pages (text layer, or OCR of a scan or photo) is.",
  valuesConfig: {
    QUEUED: { description: "Waiting for its turn." },
    RUNNING: { description: "Pages are being read: see `pagesDone` of `pagesTotal`." },
    DONE: { description: "Every page was read: its words can be found by search." },
    FAILED: { description: "The file could not be opened as pages; `problem` says why. It is kept as it is." },
  },
});

@ObjectType("DocumentProcessing", { description: "The reading of a document's pages: its text layer where it has one, else OCR." })
export class DocumentProcessingType {
  @Field(() => PagesState, { description: "How far it is." })
  state: PagesState;

  @Field(() => Int, { description: "Pages read so far." })
  pagesDone: number;

  @Field(() => Int, { nullable: true, description: "Pages it has; null until reading starts." })
  pagesTotal: number | null;

  @Field(() => String, { nullable: true, description: "Pages that could not be read (kept as blank), or why the file could not be opened." })
  problem: string | null;

  /** Null for a document without pages to read (e-invoice and bank statement files, HEIC photos). */
  static of(d: Document): DocumentProcessingType | null {
    if (FORMATS[d.format].text !== "pages") return null;
    return Object.assign(new DocumentProcessingType(), {
      state: d.pagesState ?? PagesState.QUEUED,
      pagesDone: d.pagesDone,
      pagesTotal: d.pagesTotal,
      problem: d.pagesProblem,
    });
  }
}

registerEnumType(SplitReason, {
  name: "SplitReason",
  description: "Why a scan is proposed to be cut before a page.",
  valuesConfig: {
    BLANK_PAGE: { description: "A blank page stands between two documents (it is dropped)." },
    SEPARATOR_SHEET: { description: "A separator sheet stands between two documents (it is dropped)." },
    PAGE_NUMBERING: { description: 'The page numbering starts again ("pagina 1 van 3").' },
    NEW_INVOICE_NUMBER: { description: "The page names another invoice number than the page before." },
    NEW_SUPPLIER: { description: "The page names another supplier (btw-id or IBAN) than the page before." },
  },
});

@ObjectType("SplitSuggestion", { description: "A proposed cut in a scan holding several documents; the page editor offers it for a person to confirm." })
export class SplitSuggestionType {
  @Field(() => Int, { description: "A new document starts at this page." })
  beforePage: number;

  @Field(() => SplitReason, { description: "Why." })
  reason: SplitReason;

  @Field(() => [Int], { description: "Pages between the two documents that belong to neither (blank pages, separator sheets): dropped." })
  dropPages: number[];

  static from(s: SplitSuggestion): SplitSuggestionType {
    return Object.assign(new SplitSuggestionType(), s);
  }
}
