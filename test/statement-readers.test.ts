// The bank statement readers on generated files: every flavour and version gives back exactly the
// model it was written from (amounts to the cent), and the continuity guard finds exactly the
// problems a year of statements has, in any order.
import { expect } from "chai";
import { formatCents } from "../src/core/money.js";
import { continuityProblems, type StatementSummary } from "../src/modules/bank-statements/continuity.js";
import type { ParsedStatement } from "../src/modules/bank-statements/statement-model.js";
import { sniffFormat } from "../src/modules/files/file-format.js";
import { readContent } from "../src/modules/reading/read-content.js";
import { accountStatements, CAMT_VERSIONS, hostileXml, MT940_FLAVOURS, seeded, shuffled, type StatementModel, toCamt053, toMt940 } from "./support/bank-fixtures.js";

const decimal = formatCents;

/** A parsed statement in the fixtures' model, to compare whole. */
function asModel(s: ParsedStatement): StatementModel {
  return {
    account: s.account,
    currency: s.currency,
    number: s.number!,
    sequence: s.sequence,
    from: s.opening.date,
    to: s.closing.date,
    openingBalance: decimal(s.opening.cents),
    closingBalance: decimal(s.closing.cents),
    entries: s.entries.map((e) => ({
      bookingDate: e.bookingDate,
      valueDate: e.valueDate!,
      amount: decimal(e.cents),
      counterpartyName: e.counterpartyName,
      counterpartyIban: e.counterpartyIban,
      counterpartyBic: e.counterpartyBic,
      description: e.description,
      endToEndId: e.endToEndId,
      bankReference: e.bankReference,
    })),
  };
}

async function read(format: "MT940" | "CAMT053", text: string): Promise<StatementModel[]> {
  const outcome = await readContent(format as never, Buffer.from(text));
  if (outcome.kind !== "BANK_STATEMENT") throw new Error(`not read: ${JSON.stringify(outcome)}`);
  return outcome.statements.map(asModel);
}

function twoAccounts(seed: number): StatementModel[] {
  return [
    ...accountStatements({ seed, days: 4, maxEntries: 6, withCardPayments: true }),
    ...accountStatements({ seed: seed + 1, days: 3, account: "NL18ABNA0484869868", firstNumber: 41, openingBalance: "-310.07", maxEntries: 5, withCardPayments: true }),
  ];
}

describe("bank statement readers", () => {
  for (const flavour of MT940_FLAVOURS) {
    it(`reads MT940 as ${flavour} writes it, every field and amount exact, several accounts in one file`, async () => {
      for (const seed of [1, 2, 3]) {
        const model = twoAccounts(seed * 100);
        const text = toMt940(model, flavour);
        expect(await sniffFormat(Buffer.from(text))).to.equal("MT940");
        expect(await read("MT940", text)).to.deep.equal(model);
      }
    });
  }

  for (const version of CAMT_VERSIONS) {
    it(`reads CAMT.053.001.${version}, every field and amount exact`, async () => {
      const model = twoAccounts(Number(version) * 7);
      const xml = toCamt053(model, version);
      expect(await sniffFormat(Buffer.from(xml))).to.equal("CAMT053");
      expect(await read("CAMT053", xml)).to.deep.equal(model);
    });
  }

  it("reads CAMT.053 whose elements carry a namespace prefix, and MT940 in ISO 8859-1", async () => {
    const model = accountStatements({ seed: 5, days: 2, maxEntries: 3 });
    const prefixed = toCamt053(model, "02", { prefix: "ns2" });
    expect(await sniffFormat(Buffer.from(prefixed))).to.equal("CAMT053");
    expect(await read("CAMT053", prefixed)).to.deep.equal(model);
    const latin = accountStatements({ seed: 6, days: 1, maxEntries: 2 });
    latin[0]!.entries.forEach((e) => e.counterpartyName && (e.counterpartyName = "Café Señor Müller"));
    const outcome = await readContent("MT940" as never, Buffer.from(toMt940(latin, "ABN_AMRO"), "latin1"));
    expect(outcome.kind === "BANK_STATEMENT" && outcome.statements.map(asModel)).to.deep.equal(latin);
  });

  it("keeps ING's end-to-end id whole where a nested field follows it (/EREF/E2E1//CNTP/…)", async () => {
    const text = [
      ":20:P1",
      ":25:NL20INGB0001234567EUR",
      ":28C:00001",
      ":60F:C260101EUR100,00",
      ":61:2601020102C25,50NTRFE2E1//BR1",
      ":86:/EREF/E2E1//CNTP/NL91ABNA0417164300/ABNANL2A/Jansen/AMSTERDAM//REMI/USTD//Nota 2026/17/",
      ":62F:C260102EUR125,50",
      "-",
    ].join("\n");
    const [statement] = await read("MT940", text);
    expect(statement!.account).to.equal("NL20INGB0001234567");
    expect(statement!.entries[0]).to.include({
      endToEndId: "E2E1",
      counterpartyIban: "NL91ABNA0417164300",
      counterpartyBic: "ABNANL2A",
      counterpartyName: "Jansen",
      description: "Nota 2026/17",
      amount: "25.50",
    });
  });

  it("names what is wrong with a malformed or hostile file, and never reads outside it", async () => {
    const problem = async (format: "MT940" | "CAMT053", text: string) => {
      const outcome = await readContent(format as never, Buffer.from(text));
      expect(outcome.kind, text.slice(0, 80)).to.equal("FAILED");
      return (outcome as { problem: string }).problem;
    };
    const good = toCamt053(accountStatements({ seed: 9, days: 2 }), "05");
    expect(await problem("CAMT053", good.slice(0, good.length / 2))).to.match(/Not well-formed XML/);
    expect(await problem("CAMT053", hostileXml.billionLaughs)).to.match(/document type/);
    const external = await problem("CAMT053", hostileXml.externalEntity);
    expect(external).to.match(/document type/);
    expect(external).not.to.match(/root:/);
    expect(await problem("CAMT053", hostileXml.wrongNamespace)).to.match(/camt\.052.*not a CAMT\.053 Document/);
    expect(await problem("CAMT053", hostileXml.deepNesting)).to.match(/could not be read|statement/);
    expect(await problem("CAMT053", good.replace(/camt\.053\.001\.05/, "camt.053.001.11"))).to.match(/version \.001\.11 is not read/);
    expect(await problem("CAMT053", good.replace(/<CdtDbtInd>CRDT<\/CdtDbtInd>/, "<CdtDbtInd>UP</CdtDbtInd>"))).to.match(/CdtDbtInd is "UP"/);
    const mt = toMt940(accountStatements({ seed: 4, days: 1, maxEntries: 2 }), "ING");
    expect(await problem("MT940", mt.replace(/:60F:C(\d{6})EUR[\d,]+/, ":60F:C$1EUR12.3.4"))).to.match(/line \d+ \(:60F:\)/);
    expect(await problem("MT940", mt.replace(/:60F:C\d{6}/, ":60F:C261345"))).to.match(/not a calendar date/);
    expect(await problem("MT940", mt.replace(/:62F:[^\r\n]+/, ""))).to.match(/lacks :62F:/);
  });
});

describe("the continuity guard", () => {
  const summaries = (models: StatementModel[], random: () => number): StatementSummary[] =>
    shuffled(models, random).map((m, i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      number: m.number,
      sequence: m.sequence,
      openingDate: m.from,
      closingDate: m.to,
      openingCents: BigInt(m.openingBalance.replace(".", "")),
      closingCents: BigInt(m.closingBalance.replace(".", "")),
      entriesCents: m.entries.reduce((sum, e) => sum + BigInt(e.amount.replace(".", "")), 0n),
      receivedAt: new Date(1_800_000_000_000 + i),
    }));

  it("finds in a year of daily statements exactly the three missing numbers and the one balance break, in any order, and nothing once they arrive", () => {
    const year = accountStatements({ seed: 2026, days: 365, breaksAt: [200] });
    const absent = new Set(["45", "46", "300"]);
    const handedIn = year.filter((s) => !absent.has(s.number));
    const random = seeded(7);
    for (let round = 0; round < 5; round += 1) {
      const problems = continuityProblems(summaries(handedIn, random)).map((p) => `${p.kind} ${p.statementNumber}`);
      expect(problems.sort()).to.deep.equal(["BALANCE_BREAK 201", "MISSING_STATEMENT 300", "MISSING_STATEMENT 45", "MISSING_STATEMENT 46"]);
    }
    expect(continuityProblems(summaries(year, random)).map((p) => `${p.kind} ${p.statementNumber}`)).to.deep.equal(["BALANCE_BREAK 201"]);
  });

  it("tells a duplicate, a statement that does not add up, a new year's numbering and unnumbered gaps apart", () => {
    const random = seeded(3);
    const days = accountStatements({ seed: 11, days: 6 });
    const twice = summaries([...days, days[2]!], random);
    expect(continuityProblems(twice).map((p) => `${p.kind} ${p.statementNumber}`)).to.deep.equal(["DUPLICATE_STATEMENT 3"]);
    const wrong = summaries(days, random).map((s) => (s.number === "4" ? { ...s, entriesCents: s.entriesCents + 1n } : s));
    expect(continuityProblems(wrong).map((p) => p.kind)).to.deep.equal(["SUM_MISMATCH"]);
    // Numbering starts again at 1 in January: no gap.
    const yearEnd = accountStatements({ seed: 12, days: 2, firstDate: "2026-12-30", firstNumber: 250 });
    const next = accountStatements({ seed: 13, days: 2, firstDate: "2027-01-01", openingBalance: yearEnd[1]!.closingBalance });
    expect(continuityProblems(summaries([...yearEnd, ...next], random))).to.deep.equal([]);
    // Unnumbered: a balance that does not join across uncovered days is a date gap; on adjacent days a break.
    const unnumbered = summaries(days, random).map((s) => ({ ...s, number: null }));
    const gap = unnumbered.filter((s) => s.openingDate !== days[3]!.from);
    expect(continuityProblems(gap).map((p) => p.kind)).to.deep.equal(["DATE_GAP"]);
    expect(continuityProblems(unnumbered)).to.deep.equal([]);
  });
});
