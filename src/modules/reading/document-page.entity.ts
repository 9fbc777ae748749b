import { Column, Entity, PrimaryColumn } from "typeorm";
import type { PageSource, PageWord } from "../files/page-words.js";

/** One page of a document as read: its words with their boxes (text layer or OCR). */
@Entity({ name: "document_pages" })
export class DocumentPage {
  @PrimaryColumn({ type: "uuid" })
  documentId: string;

  @PrimaryColumn({ type: "int" })
  pageNumber: number;

  @Column({ type: "varchar", length: 5 })
  source: PageSource;

  /** Clockwise degrees the page was turned to read it; word boxes are of the turned (upright) page. */
  @Column({ type: "int" })
  rotation: number;

  @Column({ type: "text" })
  text: string;

  @Column({ type: "jsonb" })
  words: PageWord[];

  /** Barcodes on a scanned page with little text (a separator sheet's code). */
  @Column({ type: "text", array: true })
  barcodes: string[];

  /** Mean word confidence (0–1); null on a blank page. */
  @Column({ type: "real", nullable: true })
  confidence: number | null;

  @Column({ type: "timestamptz" })
  readAt: Date;
}
