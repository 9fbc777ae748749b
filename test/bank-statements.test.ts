// Bank statements through the API, as a portal or an accounting package uses them: uploaded files
// are read in the background into statements and entries, each account's continuity is guarded
// (problems come and go as files arrive or are removed, and are notified), and malformed or hostile
// files are kept as plain documents that say what is wrong with them.
import {
  AdministrationEventsDocument,
  BankAccountsDocument,
  BankProblemKind,
  BankStatementEntriesDocument,
  type BankStatementEntriesQuery,
  DocumentBankStatementsDocument,
  DocumentChange,
  DocumentDataKind,
  DocumentDataStatus,
  NotificationKind,
  NotificationsDocument,
  RemoveDocumentDocument,
  UploadDocumentsDocument,
  upload,
  unwrap,
  type PortalDeskClient,
} from "@portaldesk/sdk";
import { expect } from "chai";
import { accountStatements, hostileXml, seeded, shuffled, type StatementModel, toCamt053, toMt940 } from "./support/bank-fixtures.js";
import { eventually, gid, nextWithin, PASSWORD, settle, TestEnv, type World } from "./support/harness.js";

describe("bank statements", () => {
  let env: TestEnv;
  let world: World;
  let client: PortalDeskClient;
  let accountant: PortalDeskClient;
  let administrationId: string;

  before(async () => {
    env = await TestEnv.create({ UPLOAD_MAX_FILE_SIZE: "80mb", UPLOAD_MAX_TOTAL_SIZE: "100mb", BANK_PROBLEM_NOTICE_DELAY: "1s" });
    world = await env.createWorld({ administrations: 3 });
    // This client reads Dutch: its portal asks for nl.
    client = await env.signIn(world.clients[0]!.email, PASSWORD, env.server, "nl");
    accountant = await env.signIn(world.accountant.email);
    administrationId = gid("Administration", world.administrations[0]!.id);
  });
  after(() => env.close());

  async function uploadFiles(files: Array<[string | Buffer, string]>, as = client, administration = administrationId) {
    const result = unwrap(
      (
        await as.request(UploadDocumentsDocument, {
          input: { administrationId: administration, files: files.map(([content, filename]) => upload(Buffer.isBuffer(content) ? content : Buffer.from(content), { filename })) },
        })
      ).uploadDocuments,
    );
    return result.documents.map((d) => d.id);
  }

  /** The document once its data has been read (or failed to be). */
  async function readDocument(id: string, as = client, first = 100) {
    return eventually(async () => {
      const { node } = await as.request(DocumentBankStatementsDocument, { id, first });
      return node?.__typename === "Document" && node.dataStatus !== DocumentDataStatus.Pending ? node : null;
    }, 30_000);
  }

  const entriesOf = (model: StatementModel) => model.entries;

  it("reads an MT940 file with two accounts into statements and entries, exact to the cent, entries page by page", async () => {
    const first = accountStatements({ seed: 41, days: 3, account: "NL20INGB0001234567", maxEntries: 5, withCardPayments: true });
    const second = accountStatements({ seed: 42, days: 2, account: "NL18ABNA0484869868", firstNumber: 90, openingBalance: "-1200.35", maxEntries: 5 });
    const events = accountant.subscribe(AdministrationEventsDocument, { administrationId });
    await settle();
    const [id] = await uploadFiles([[toMt940([...first, ...second], "ING"), "ing-2026.sta"]]);
    // The reading is announced, so a portal shows the statement without polling.
    while ((await nextWithin(events, 30_000)).administrationEvents.change !== DocumentChange.DataRead);
    await events.return?.();

    const document = await readDocument(id!);
    expect(document.dataStatus).to.equal(DocumentDataStatus.Read);
    expect(document.dataProblem).to.equal(null);
    expect(document.bankStatements.map((s) => [s.account, s.number, s.from, s.to, s.openingBalance, s.closingBalance, s.entryCount])).to.deep.equal(
      [...first, ...second].map((s) => [s.account, s.number, s.from, s.to, s.openingBalance, s.closingBalance, s.entries.length]),
    );
    document.bankStatements.forEach((statement, i) => expect(statement.entries.nodes).to.deep.equal(entriesOf([...first, ...second][i]!)));

    // Entries a page at a time: the cursors walk the statement in order.
    const busiest = document.bankStatements.reduce((a, b) => (b.entryCount > a.entryCount ? b : a));
    const walked: unknown[] = [];
    let after: string | null | undefined = null;
    do {
      const page: BankStatementEntriesQuery = await client.request(BankStatementEntriesDocument, { id: busiest.id, first: 2, after });
      const node = page.node;
      if (node?.__typename !== "BankStatement") throw new Error("statement not found");
      expect(node.entries.totalCount).to.equal(busiest.entryCount);
      expect(node.document?.id).to.equal(id);
      walked.push(...node.entries.nodes);
      after = node.entries.pageInfo.hasNextPage ? node.entries.pageInfo.endCursor : null;
    } while (after);
    expect(walked).to.deep.equal(busiest.entries.nodes);

    const { administration } = await accountant.request(BankAccountsDocument, { administrationId });
    expect(administration.bankAccounts.map((a) => [a.iban, a.currency, a.lastStatement?.number, a.problems])).to.deep.equal([
      ["NL18ABNA0484869868", "EUR", "91", []],
      ["NL20INGB0001234567", "EUR", "3", []],
    ]);
  });

  it("finds in a year of statements, handed in shuffled over many files, exactly the three missing and the one break, notifies them, and drops each as it is filled", async () => {
    const account = "NL02RABO0123456789";
    const year = accountStatements({ seed: 2026, days: 365, account, breaksAt: [200], maxEntries: 2 });
    const absent = new Set(["45", "46", "300"]);
    const random = seeded(99);
    const handedIn = shuffled(
      year.filter((s) => !absent.has(s.number)),
      random,
    );
    // Nine files of about forty statements each, as MT940 and CAMT.053 mixed.
    const files: Array<[string, string]> = [];
    for (let i = 0; i < handedIn.length; i += 41) {
      const part = handedIn.slice(i, i + 41);
      files.push(i % 2 ? [toCamt053(part, "08"), `camt-${i}.xml`] : [toMt940(part, "RABOBANK"), `rabo-${i}.swi`]);
    }
    const ids = await uploadFiles(files);
    for (const id of ids) expect((await readDocument(id)).dataStatus).to.equal(DocumentDataStatus.Read);

    const problems = async (as: PortalDeskClient) => {
      const { administration } = await as.request(BankAccountsDocument, { administrationId });
      return administration.bankAccounts.find((a) => a.iban === account)!.problems;
    };
    const found = await problems(client);
    expect(found.map((p) => `${p.kind} ${p.statementNumber}`).sort()).to.deep.equal(["BALANCE_BREAK 201", "MISSING_STATEMENT 300", "MISSING_STATEMENT 45", "MISSING_STATEMENT 46"]);
    // In the viewer's language (this client reads Dutch), with the balances of the break.
    expect(found.find((p) => p.statementNumber === "45")!.message).to.equal(`Afschrift 45 van ${account} ontbreekt.`);
    expect(found.find((p) => p.kind === BankProblemKind.BalanceBreak)!.message).to.match(
      /^Afschrift 201 van NL02RABO0123456789 begint met €\s-?[\d.]+,\d\d, maar het vorige afschrift sloot met €\s-?[\d.]+,\d\d\.$/,
    );

    // Client and staff heard of the new problems (once each: the problems, not every file, are told).
    const told = async (as: PortalDeskClient, kind: NotificationKind) => {
      const { notifications } = await as.request(NotificationsDocument, { first: 100 });
      return notifications.nodes.filter((n) => n.kind === kind);
    };
    // Told a little after the files (BANK_PROBLEM_NOTICE_DELAY; a tell may run between two files), so wait for all four.
    const clientTold = await eventually(async () => {
      const body = (await told(client, NotificationKind.BankStatementProblems)).map((n) => n.body).join("\n");
      const gaps = [...absent].every((number) => body.includes(`Afschrift ${number} van ${account} ontbreekt.`));
      return gaps && body.includes(`Afschrift 201 van ${account} begint met`) ? body : null;
    }, 30_000);
    expect(clientTold.match(/Afschrift 45 van/g)).to.have.length(1);
    const staffTold = await eventually(async () => (await told(accountant, NotificationKind.BankAccountProblems)).map((n) => n.body).join("\n"), 30_000);
    expect(staffTold).to.contain(`Afschrift 45 van ${account} ontbreekt.`);

    // The missing ones arrive, one file each: their gaps close, the break stays.
    for (const number of [...absent].sort()) {
      const [id] = await uploadFiles([[toMt940([year.find((s) => s.number === number)!], "ABN_AMRO"), `abn-${number}.sta`]]);
      await readDocument(id!);
      expect((await problems(accountant)).map((p) => p.statementNumber)).not.to.include(number);
    }
    expect((await problems(accountant)).map((p) => `${p.kind} ${p.statementNumber}`)).to.deep.equal(["BALANCE_BREAK 201"]);
  });

  it("shows a duplicate statement, and brings a gap back when the file filling it is removed", async () => {
    const other = gid("Administration", world.administrations[1]!.id);
    const otherClient = await env.signIn(world.clients[1]!.email);
    const days = accountStatements({ seed: 5, days: 5, account: "NL91ABNA0417164300" });
    const [a, b, c, d] = await uploadFiles(
      [
        [toCamt053(days.slice(0, 2), "02"), "week-a.xml"],
        [toCamt053(days.slice(2, 3), "04"), "day-3.xml"],
        [toMt940(days.slice(2, 3), "ING"), "day-3-again.sta"],
        [toMt940(days.slice(3), "ABN_AMRO"), "rest.sta"],
      ],
      otherClient,
      other,
    );
    for (const id of [a, b, c, d]) await readDocument(id!, otherClient);
    const problems = async () =>
      (await otherClient.request(BankAccountsDocument, { administrationId: other })).administration.bankAccounts[0]!.problems.map((p) => `${p.kind} ${p.statementNumber}`);
    expect(await problems()).to.deep.equal(["DUPLICATE_STATEMENT 3"]);
    unwrap((await otherClient.request(RemoveDocumentDocument, { input: { documentId: c! } })).removeDocument);
    expect(await problems()).to.deep.equal([]);
    unwrap((await otherClient.request(RemoveDocumentDocument, { input: { documentId: b! } })).removeDocument);
    expect(await problems()).to.deep.equal(["MISSING_STATEMENT 3"]);
    // Another firm's people cannot reach these statements by id.
    const statementId = (await readDocument(a!, otherClient)).bankStatements[0]!.id;
    const stranger = await env.signIn((await env.createWorld()).clients[0]!.email);
    expect((await stranger.request(BankStatementEntriesDocument, { id: statementId })).node).to.equal(null);
    expect((await client.request(BankStatementEntriesDocument, { id: statementId })).node).to.equal(null);
  });

  it("keeps malformed, hostile and oversized files as plain documents that say what is wrong, and stays up", async () => {
    const good = toCamt053(accountStatements({ seed: 8, days: 2 }), "05");
    // A 50 MB statement file: larger than what is read (READ_MAX_SIZE, 16 MB by default).
    const entry = good.slice(good.indexOf("<Ntry>"), good.indexOf("</Ntry>") + 7);
    const big = `${good.slice(0, good.indexOf("<Ntry>"))}${entry.repeat(Math.ceil((50 * 1024 ** 2) / entry.length))}</Stmt></BkToCstmrStmt></Document>`;
    const cases: Array<[string, string, RegExp]> = [
      [hostileXml.billionLaughs, "laughs.xml", /document type \(<!DOCTYPE>\), which is refused/],
      [hostileXml.externalEntity, "xxe.xml", /document type/],
      [hostileXml.wrongNamespace, "camt052.xml", /camt\.052\.001\.02\}Document, not a CAMT\.053 Document/],
      [hostileXml.deepNesting, "deep.xml", /could not be read/],
      [good.slice(0, Math.floor(good.length * 0.6)), "truncated.xml", /Not well-formed XML/],
      [toMt940(accountStatements({ seed: 3, days: 1 }), "ING").replace(/:62F:[^\r\n]+/, ""), "broken.sta", /lacks :62F:/],
      [big, "huge.xml", /larger than the 16 MB whose data is read/],
    ];
    const ids = await uploadFiles(cases.map(([content, name]) => [content, name]));
    for (const [index, id] of ids.entries()) {
      const document = await readDocument(id);
      expect(document.dataStatus, cases[index]![1]).to.equal(DocumentDataStatus.Failed);
      expect(document.dataProblem, cases[index]![1]).to.match(cases[index]![2]);
      expect(document.bankStatements).to.deep.equal([]);
    }
    expect((await readDocument(ids[1]!)).dataProblem).not.to.match(/root:/);
    // Nothing was lost: the files are on the desk, and the server answers the next reading as before.
    const [fine] = await uploadFiles([[good, "fine.xml"]]);
    const read = await readDocument(fine!);
    expect([read.dataStatus, read.bankStatements.length]).to.deep.equal([DocumentDataStatus.Read, 2]);
    expect(DocumentDataKind.BankStatement).to.equal("BANK_STATEMENT");
  });
});
