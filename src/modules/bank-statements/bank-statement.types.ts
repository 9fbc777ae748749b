import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { formatCents } from "../../core/money.js";
import { toGlobalId } from "../../graphql/global-id.js";
import { Connection, Node } from "../../graphql/relay.js";
import { Decimal, LocalDate } from "../../graphql/scalars.js";
import type { BankAccount, BankEntry, BankStatement } from "./bank-statement.entity.js";
import { BankProblemKind } from "./continuity.js";

registerEnumType(BankProblemKind, {
  name: "BankProblemKind",
  description: "What the continuity guard found on a bank account.",
  valuesConfig: {
    MISSING_STATEMENT: { description: "A statement number between two that are present was not handed in." },
    BALANCE_BREAK: { description: "A statement opens with another balance than the previous one closed with." },
    SUM_MISMATCH: { description: "Opening balance plus the entries is not the closing balance." },
    DUPLICATE_STATEMENT: { description: "The same statement was handed in more than once." },
    DATE_GAP: { description: "Unnumbered statements: days no statement covers, and the balance does not join across them." },
  },
});

@ObjectType("BankEntry", { description: "One booked entry of a bank statement." })
export class BankEntryType {
  @Field(() => LocalDate, { description: "Booking day, YYYY-MM-DD." })
  bookingDate: string;

  @Field(() => LocalDate, { nullable: true, description: "Value day, YYYY-MM-DD." })
  valueDate: string | null;

  @Field(() => Decimal, { description: "The amount, negative for a debit (money out)." })
  amount: string;

  @Field(() => String, { nullable: true, description: "The other party's name." })
  counterpartyName: string | null;

  @Field(() => String, { nullable: true, description: "The other party's IBAN." })
  counterpartyIban: string | null;

  @Field(() => String, { nullable: true, description: "The other party's bank (BIC)." })
  counterpartyBic: string | null;

  @Field(() => String, { nullable: true, description: "The remittance information (what it was for) or the bank's own description." })
  description: string | null;

  @Field(() => String, { nullable: true, description: "The end-to-end id the payer gave (EREF)." })
  endToEndId: string | null;

  @Field(() => String, { nullable: true, description: "The bank's reference of the entry." })
  bankReference: string | null;

  static from(e: BankEntry): BankEntryType {
    return Object.assign(new BankEntryType(), {
      bookingDate: e.bookingDate,
      valueDate: e.valueDate,
      amount: formatCents(e.amountCents),
      counterpartyName: e.counterpartyName,
      counterpartyIban: e.counterpartyIban,
      counterpartyBic: e.counterpartyBic,
      description: e.description,
      endToEndId: e.endToEndId,
      bankReference: e.bankReference,
    });
  }
}

export const BankEntryConnection = Connection(BankEntryType, "BankEntry");

@ObjectType("BankStatement", { implements: Node, description: "A bank statement (or one page of it) read from an MT940 or CAMT.053 file." })
export class BankStatementType extends Node {
  @Field(() => String, { nullable: true, description: "The statement number as the bank counts (MT940 :28C:, CAMT LglSeqNb or ElctrncSeqNb)." })
  number: string | null;

  @Field(() => Int, { description: "The page within the statement (1 unless the bank splits it)." })
  sequence: number;

  @Field(() => LocalDate, { description: "Day of the opening balance, YYYY-MM-DD." })
  from: string;

  @Field(() => LocalDate, { description: "Day of the closing balance, YYYY-MM-DD." })
  to: string;

  @Field(() => Decimal, { description: "Opening balance (negative when overdrawn)." })
  openingBalance: string;

  @Field(() => Decimal, { description: "Closing balance." })
  closingBalance: string;

  @Field(() => Int, { description: "How many booked entries it has." })
  entryCount: number;

  @Field(() => Decimal, { description: "The entries added up (opening balance plus this should be the closing balance)." })
  entriesTotal: string;

  entity: BankStatement;

  static from(s: BankStatement): BankStatementType {
    return Object.assign(new BankStatementType(), {
      id: toGlobalId("BankStatement", s.id),
      entity: s,
      number: s.number,
      sequence: s.sequence,
      from: s.openingDate,
      to: s.closingDate,
      openingBalance: formatCents(s.openingCents),
      closingBalance: formatCents(s.closingCents),
      entryCount: s.entryCount,
      entriesTotal: formatCents(s.entriesCents),
    });
  }
}

@ObjectType("BankProblem", { description: "Something missing or wrong in an account's statements. It goes away when the statement that fills the gap arrives." })
export class BankProblemType {
  @Field(() => BankProblemKind, { description: "What kind of problem." })
  kind: BankProblemKind;

  @Field(() => String, { nullable: true, description: "The statement it is about (for MISSING_STATEMENT the absent number); null for unnumbered statements." })
  statementNumber: string | null;

  @Field(() => String, { description: "One sentence about it, in the viewer's language." })
  message: string;

  @Field(() => LocalDate, { nullable: true, description: "For a gap or break: the day of the closing balance before it." })
  previousClosingDate: string | null;

  @Field(() => LocalDate, { nullable: true, description: "For a gap or break: the day of the opening balance after it." })
  nextOpeningDate: string | null;

  statementId: string | null;
}

@ObjectType("BankAccount", { description: "A bank account of an administration, as its statements show it, with the continuity guard's findings." })
export class BankAccountType {
  @Field(() => ID, { description: "Global id." })
  id: string;

  @Field(() => String, { description: "The IBAN (or the bank's account number where statements give no IBAN)." })
  iban: string;

  @Field(() => String, { description: "Currency (ISO 4217)." })
  currency: string;

  entity: BankAccount;

  static from(a: BankAccount): BankAccountType {
    return Object.assign(new BankAccountType(), { id: toGlobalId("BankAccount", a.id), iban: a.account, currency: a.currency, entity: a });
  }
}
