// Every migration, in order. A landed migration is never edited; add a new one.
import { Foundation1764200000000 } from "./1764200000000-Foundation.js";
import { Documents1764300000000 } from "./1764300000000-Documents.js";
import { Archive1764400000000 } from "./1764400000000-Archive.js";
import { FolderNamesPerViewer1764500000000 } from "./1764500000000-FolderNamesPerViewer.js";
import { Mail1764600000000 } from "./1764600000000-Mail.js";
import { Filings1764700000000 } from "./1764700000000-Filings.js";
import { Figures1764800000000 } from "./1764800000000-Figures.js";
import { Reports1764900000000 } from "./1764900000000-Reports.js";
import { DeskReminders1765000000000 } from "./1765000000000-DeskReminders.js";
import { Hardening1765100000000 } from "./1765100000000-Hardening.js";
import { ArchiveRoots1765200000000 } from "./1765200000000-ArchiveRoots.js";
import { Accounts1765300000000 } from "./1765300000000-Accounts.js";
import { FirmSettings1765400000000 } from "./1765400000000-FirmSettings.js";
import { TwoFactor1765500000000 } from "./1765500000000-TwoFactor.js";
import { ApprovalProof1765600000000 } from "./1765600000000-ApprovalProof.js";
import { FirmLogo1765700000000 } from "./1765700000000-FirmLogo.js";
import { Passkeys1765800000000 } from "./1765800000000-Passkeys.js";
import { ApprovalPasskey1765900000000 } from "./1765900000000-ApprovalPasskey.js";
import { EmailChange1766000000000 } from "./1766000000000-EmailChange.js";
import { BankStatements1766100000000 } from "./1766100000000-BankStatements.js";
import { Invoices1766200000000 } from "./1766200000000-Invoices.js";
import { DataFiling1766300000000 } from "./1766300000000-DataFiling.js";
import { DocumentPreview1766400000000 } from "./1766400000000-DocumentPreview.js";
import { DocumentPages1766500000000 } from "./1766500000000-DocumentPages.js";
import { PageBarcodes1766600000000 } from "./1766600000000-PageBarcodes.js";
import { FilingTaxonomy1766700000000 } from "./1766700000000-FilingTaxonomy.js";
import { FilingDeadlines1766800000000 } from "./1766800000000-FilingDeadlines.js";
import { ApiTokenScopes1766900000000 } from "./1766900000000-ApiTokenScopes.js";
import { Webhooks1767000000000 } from "./1767000000000-Webhooks.js";
import { InboundEmail1767100000000 } from "./1767100000000-InboundEmail.js";
import { MailQuarantine1767200000000 } from "./1767200000000-MailQuarantine.js";

export const migrations = [
  Foundation1764200000000,
  Documents1764300000000,
  Archive1764400000000,
  FolderNamesPerViewer1764500000000,
  Mail1764600000000,
  Filings1764700000000,
  Figures1764800000000,
  Reports1764900000000,
  DeskReminders1765000000000,
  Hardening1765100000000,
  ArchiveRoots1765200000000,
  Accounts1765300000000,
  FirmSettings1765400000000,
  TwoFactor1765500000000,
  ApprovalProof1765600000000,
  FirmLogo1765700000000,
  Passkeys1765800000000,
  ApprovalPasskey1765900000000,
  EmailChange1766000000000,
  BankStatements1766100000000,
  Invoices1766200000000,
  DataFiling1766300000000,
  DocumentPreview1766400000000,
  DocumentPages1766500000000,
  PageBarcodes1766600000000,
  FilingTaxonomy1766700000000,
  FilingDeadlines1766800000000,
  ApiTokenScopes1766900000000,
  Webhooks1767000000000,
  InboundEmail1767100000000,
  MailQuarantine1767200000000,
];
