// Filing submission: XBRL instances for the Belastingdienst, and the real Digipoort WUS client
// talking HTTPS (mutual TLS) to the local simulator. Needs no database.
import { expect } from "chai";
import fs from "node:fs/promises";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import net from "node:net";
import type { AddressInfo } from "node:net";
import {
  DigipoortClient,
  DigipoortSimulator,
  GatewayError,
  XbrlInputError,
  icpDeclarationXbrl,
  outcomeOf,
  vatReturnXbrl,
  type GatewayStatus,
  type IcpLineFacts,
  type SubmissionRequest,
  type XbrlContext,
  NoTaxonomyError,
  taxonomyFor,
} from "../src/modules/filings/submission/index.js";
import { validationProblems } from "../src/modules/filings/submission/simulated-validation.js";
import { createSimulatorCertificates } from "../src/modules/filings/submission/simulator-certificates.js";
import { CredentialsError } from "../src/modules/filings/submission/credentials.js";
import { openGateway } from "../src/modules/filings/open-gateway.js";
import { loadConfig } from "../src/config/config.js";
import { p12Of } from "./support/pkcs12.js";
import { postSoap } from "../src/modules/filings/submission/soap-transport.js";
import { signEnvelope } from "../src/modules/filings/submission/ws-security.js";
import { ACTIONS, newMessageId, soapEnvelope } from "../src/modules/filings/submission/wus-protocol.js";
import { attributeValue, childNamed, descendants, parseXml, type XmlElement } from "../src/core/xml-tree.js";

const BD_DATA = "http://www.nltaxonomie.nl/nt20/bd/20251210/dictionary/bd-data";
const STEP_DELAY_MS = 20;

// Written on a day NT20 is in use, for a 2026 period.
const SENT_ON = new Date("2026-10-15T10:00:00Z");
const context: XbrlContext = {
  taxonomy: taxonomyFor("VAT_RETURN", 2026, SENT_ON),
  taxpayerVatNumber: "NL123456782B01",
  taxpayerName: "Bakker & Zn <Holding> B.V.",
  periodStart: "2026-07-01",
  periodEnd: "2026-09-30",
  softwarePackageName: "PortalDesk",
  softwarePackageVersion: "0.1.0",
};
const icpContext: XbrlContext = { ...context, taxonomy: taxonomyFor("ICP_DECLARATION", 2026, SENT_ON) };

/** A consistent return: 5a is the VAT of 1a–4b, 5c = 5a − 5b, 5g = 5c. */
function vatBoxes(overrides: Record<string, number> = {}): Record<string, number> {
  return {
    "1a_turnover": 10000,
    "1a_vat": 2100,
    "1b_turnover": 2000,
    "1b_vat": 180,
    "1c_turnover": 0,
    "1c_vat": 0,
    "1d_turnover": 0,
    "1d_vat": 0,
    "1e_turnover": 300,
    "2a_turnover": 1000,
    "2a_vat": 210,
    "3a_turnover": 0,
    "3b_turnover": 4500,
    "3c_turnover": 0,
    "4a_turnover": 0,
    "4a_vat": 0,
    "4b_turnover": 800,
    "4b_vat": 168,
    "5a": 2658,
    "5b": 900,
    "5c": 1758,
    "5d": 0,
    "5g": 1758,
    ...overrides,
  };
}

const icpLines: IcpLineFacts[] = [
  { countryCode: "DE", vatNumber: "DE136695976", goods: 3000, services: 0, triangular: 0 },
  { countryCode: "BE", vatNumber: "0477 472 701", goods: 0, services: 1500, triangular: 0 },
];

/** Facts of an instance by concept name (bd-i namespace), with their contextRef. */
function factsOf(xbrl: string): Array<{ concept: string; value: string; contextRef: string; element: XmlElement }> {
  return parseXml(xbrl)
    .children.filter((child) => child.namespace === BD_DATA)
    .map((element) => ({ concept: element.localName, value: element.text, contextRef: attributeValue(element, "contextRef")!, element }));
}

function factValue(xbrl: string, concept: string): string | undefined {
  return factsOf(xbrl).find((fact) => fact.concept === concept)?.value;
}

/** Per ICP customer context: its typed dimension values and the amounts reported in it. */
function icpCustomers(xbrl: string): Array<{ members: Record<string, string>; amounts: Record<string, string> }> {
  const facts = factsOf(xbrl);
  const typedMembers = (element: XmlElement): XmlElement[] => descendants(element).filter((candidate) => candidate.localName === "typedMember");
  return parseXml(xbrl)
    .children.filter((child) => child.localName === "context" && typedMembers(child).length > 0)
    .map((customer) => ({
      members: Object.fromEntries(typedMembers(customer).map((member) => [attributeValue(member, "dimension")!, member.children[0]!.text])),
      amounts: Object.fromEntries(facts.filter((fact) => fact.contextRef === attributeValue(customer, "id")).map((fact) => [fact.concept, fact.value])),
    }));
}

describe("XBRL instances for the Belastingdienst", () => {
  describe("VAT return", () => {
    const xbrl = vatReturnXbrl(context, { boxes: vatBoxes() });

    it("references the NT20 OB entry point and identifies the taxpayer by omzetbelastingnummer", () => {
      const root = parseXml(xbrl);
      expect(root.namespace).to.equal("http://www.xbrl.org/2003/instance");
      expect(root.localName).to.equal("xbrl");
      const schemaRef = childNamed(root, "schemaRef", "http://www.xbrl.org/2003/linkbase")!;
      expect(attributeValue(schemaRef, "href", "http://www.w3.org/1999/xlink")).to.equal("http://www.nltaxonomie.nl/nt20/bd/20251210/entrypoints/bd-rpt-ob-aangifte-2026.xsd");
      const identifier = descendants(root).find((element) => element.localName === "identifier")!;
      expect(attributeValue(identifier, "scheme")).to.equal("www.belastingdienst.nl/omzetbelastingnummer");
      expect(identifier.text).to.equal("123456782B01");
      expect(xbrl).to.contain("<xbrli:startDate>2026-07-01</xbrli:startDate>").and.contain("<xbrli:endDate>2026-09-30</xbrli:endDate>");
      expect(xbrl).to.contain(`<xbrli:unit id="EUR">`).and.contain("<xbrli:measure>iso4217:EUR</xbrli:measure>");
    });

    it("uses the taxonomy's concept for each box, in whole euros with decimals INF", () => {
      const expected: Record<string, string> = {
        TaxedTurnoverSuppliesServicesGeneralTariff: "10000", // 1a
        ValueAddedTaxSuppliesServicesGeneralTariff: "2100",
        ValueAddedTaxSuppliesServicesReducedTariff: "180", // 1b
        TurnoverSuppliesServicesByWhichVATTaxationIsTransferred: "1000", // 2a
        SuppliesToCountriesWithinTheEC: "4500", // 3b
        ValueAddedTaxOnSuppliesFromCountriesWithinTheEC: "168", // 4b
        ValueAddedTaxOwed: "2658", // 5a
        ValueAddedTaxOnInput: "900", // 5b
        ValueAddedTaxOwedToBePaidBack: "1758", // 5g
      };
      for (const [concept, value] of Object.entries(expected)) expect(factValue(xbrl, concept), concept).to.equal(value);
      for (const fact of factsOf(xbrl).filter((candidate) => attributeValue(candidate.element, "unitRef") !== null)) {
        expect(attributeValue(fact.element, "unitRef")).to.equal("EUR");
        expect(attributeValue(fact.element, "decimals")).to.equal("INF");
      }
      // 21 amounts (5c, 5d, 5e and 5f have no concept in the 2026 entry point) and the three header facts.
      expect(factsOf(xbrl)).to.have.length(24);
    });

    it("escapes text: names with <, & and > keep the document well-formed and round-trip exactly", () => {
      const tricky = vatReturnXbrl(
        { ...context, taxpayerName: "A <&> B -- C-", contactSurname: `O'Brien & <Zn> "Holding"`, contactInitials: "J.", contactPhone: "+31 20 123 4567" },
        { boxes: vatBoxes() },
      );
      expect(() => parseXml(tricky)).not.to.throw();
      expect(factValue(tricky, "ContactSurname")).to.equal(`O'Brien & <Zn> "Holding"`);
      expect(tricky).to.contain("O&apos;Brien &amp; &lt;Zn&gt; &quot;Holding&quot;");
      expect(tricky).to.contain("<!-- Aangifte omzetbelasting 2026-07-01 t/m 2026-09-30, A <&> B - - C- ");
      expect(() => vatReturnXbrl({ ...context, contactSurname: "bell\u0007" }, { boxes: vatBoxes() })).to.throw(XbrlInputError, /not allowed/);
      // SBR filing rule FR-NL-1.02: only Latin characters (and currency signs) in the instance.
      expect(factValue(vatReturnXbrl({ ...context, contactSurname: "Łukasiewicz-Müller" }, { boxes: vatBoxes() }), "ContactSurname")).to.equal("Łukasiewicz-Müller");
      expect(() => vatReturnXbrl({ ...context, contactSurname: "Smith 🙂" }, { boxes: vatBoxes() })).to.throw(XbrlInputError, /not allowed/);
      expect(vatReturnXbrl({ ...context, taxpayerName: "Café 🙂" }, { boxes: vatBoxes() })).to.contain(", Café ? (NT20");
    });

    it("is deterministic, and takes the creation time only from the input", () => {
      expect(vatReturnXbrl(context, { boxes: vatBoxes() })).to.equal(xbrl);
      const created = { ...context, createdAt: new Date("2026-03-12T09:41:00Z"), messageReference: "OB-2026-Q3-0001" };
      const first = vatReturnXbrl(created, { boxes: vatBoxes() });
      expect(vatReturnXbrl({ ...created }, { boxes: { ...vatBoxes() } })).to.equal(first);
      expect(factValue(first, "DateTimeCreation")).to.equal("202603121041"); // Dutch local time (CET)
      expect(factValue(first, "MessageReferenceSupplierVAT")).to.equal("OB-2026-Q3-0001");
    });

    it("refuses input that cannot become a valid return", () => {
      expect(() => vatReturnXbrl(context, { boxes: vatBoxes({ "1a_vat": 2100.5 }) })).to.throw(XbrlInputError, /whole number/);
      expect(() => vatReturnXbrl(context, { boxes: vatBoxes({ "5d": 100, "5g": 1658 }) })).to.throw(XbrlInputError, /5d must be 0/);
      expect(() => vatReturnXbrl(context, { boxes: vatBoxes({ "5a": 2000 }) })).to.throw(XbrlInputError, /5a/);
      expect(() => vatReturnXbrl(context, { boxes: vatBoxes({ "9z": 1 }) })).to.throw(XbrlInputError, /Unknown VAT boxes: 9z/);
      const { "5g": _omitted, ...without5g } = vatBoxes();
      expect(() => vatReturnXbrl(context, { boxes: without5g })).to.throw(XbrlInputError, /Missing VAT boxes: 5g/);
      expect(() => vatReturnXbrl({ ...context, taxpayerVatNumber: "DE136695976" }, { boxes: vatBoxes() })).to.throw(XbrlInputError, /Dutch VAT number/);
      expect(() => vatReturnXbrl({ ...context, periodEnd: "2026-02-30" }, { boxes: vatBoxes() })).to.throw(XbrlInputError, /not a date/);
    });
  });

  describe("taxonomy releases", () => {
    it("chooses the release by the Dutch day a message is sent: NT20 up to 8 December 2026, NT21 from the 9th", () => {
      const lastNt20 = taxonomyFor("VAT_RETURN", 2026, new Date("2026-12-08T22:59:59Z")); // 23:59:59 in Amsterdam
      expect(lastNt20.release.name).to.equal("NT20 / bd 20251210");
      expect(lastNt20.entryPoint).to.equal("http://www.nltaxonomie.nl/nt20/bd/20251210/entrypoints/bd-rpt-ob-aangifte-2026.xsd");
      const firstNt21 = taxonomyFor("VAT_RETURN", 2026, new Date("2026-12-08T23:00:00Z")); // midnight in Amsterdam
      expect(firstNt21.release.name).to.equal("NT21 / bd 20261209");
      expect(firstNt21.entryPoint).to.equal("http://www.nltaxonomie.nl/nt21/bd/20261209/entrypoints/bd-rpt-ob-aangifte-2026.xsd");
      expect(taxonomyFor("VAT_RETURN", 2027, new Date("2027-02-01T09:00:00Z")).entryPoint).to.match(/\/nt21\/.*bd-rpt-ob-aangifte-2027\.xsd$/);
      const written = vatReturnXbrl({ ...context, taxonomy: firstNt21 }, { boxes: vatBoxes() });
      expect(written).to.include('xmlns:bd-i="http://www.nltaxonomie.nl/nt21/bd/20261209/dictionary/bd-data"').and.include("(NT21 / bd 20261209)");
    });

    it("refuses a period or a day no release covers, never guessing", () => {
      expect(() => taxonomyFor("VAT_RETURN", 2025, new Date("2026-06-01T10:00:00Z"))).to.throw(
        NoTaxonomyError,
        "NT20 / bd 20251210, in use on 2026-06-01, has no VAT return for periods in 2025 (it has: 2026)",
      );
      expect(() => taxonomyFor("ICP_DECLARATION", 2027, new Date("2026-12-08T10:00:00Z"))).to.throw(NoTaxonomyError, /no ICP declaration for periods in 2027/);
      expect(() => taxonomyFor("VAT_RETURN", 2026, new Date("2025-12-01T10:00:00Z"))).to.throw(NoTaxonomyError, "No taxonomy release is known for messages sent on 2025-12-01");
    });

    it("writes a suppletie with its own entry point, and the simulator takes it only as berichtsoort OBSUP", () => {
      const taxonomy = taxonomyFor("VAT_CORRECTION", 2026, SENT_ON);
      const suppletie = vatReturnXbrl({ ...context, taxonomy }, { boxes: vatBoxes() }, { correction: true });
      expect(suppletie).to.include("bd-rpt-ob-suppletie-2026.xsd").and.include("<!-- Suppletie omzetbelasting 2026-07-01 t/m 2026-09-30");
      expect(validationProblems("VAT_CORRECTION", "123456782B01", suppletie)).to.deep.equal([]);
      expect(validationProblems("VAT_RETURN", "123456782B01", suppletie)).to.deep.equal([`Het entrypoint ${taxonomy.entryPoint} hoort niet bij deze berichtsoort`]);
    });

    it("identifies a sole trader by the omzetbelastingnummer, never by the btw-id", () => {
      const xbrl = vatReturnXbrl({ ...context, taxpayerVatNumber: "NL000099998B57", omzetbelastingnummer: "111222333B01" }, { boxes: vatBoxes() });
      expect(xbrl).to.include(">111222333B01</xbrli:identifier>").and.not.include("000099998");
    });
  });

  describe("ICP declaration", () => {
    const xbrl = icpDeclarationXbrl(icpContext, icpLines);

    it("gives every customer a context with the VAT number and country as typed dimensions", () => {
      const schemaRef = childNamed(parseXml(xbrl), "schemaRef", "http://www.xbrl.org/2003/linkbase")!;
      expect(attributeValue(schemaRef, "href", "http://www.w3.org/1999/xlink")).to.match(/\/nt20\/bd\/20251210\/entrypoints\/bd-rpt-icp-opgaaf-2026\.xsd$/);
      expect(icpCustomers(xbrl)).to.deep.equal([
        { members: { "bd-axes:VATNumberDimension": "136695976", "bd-axes:CountryCodeEUDimension": "DE" }, amounts: { SuppliesAmount: "3000" } },
        { members: { "bd-axes:VATNumberDimension": "0477472701", "bd-axes:CountryCodeEUDimension": "BE" }, amounts: { ServicesAmount: "1500" } },
      ]);
      expect(factValue(xbrl, "MessageReferenceSupplierICP")).to.match(/^PD[0-9A-F]{18}$/);
    });

    it("writes triangular supplies, leaves zero amounts out, and refuses unusable lines", () => {
      const triangular = icpDeclarationXbrl(icpContext, [{ countryCode: "GR", vatNumber: "EL094259216", goods: 0, services: 0, triangular: -250 }]);
      expect(icpCustomers(triangular)).to.deep.equal([
        { members: { "bd-axes:VATNumberDimension": "094259216", "bd-axes:CountryCodeEUDimension": "GR" }, amounts: { ABCSuppliesAmount: "-250" } },
      ]);
      expect(() => icpDeclarationXbrl(icpContext, [...icpLines, { ...icpLines[0]!, goods: 1 }])).to.throw(XbrlInputError, /more than once/);
      expect(() => icpDeclarationXbrl(icpContext, [{ ...icpLines[0]!, goods: 0 }])).to.throw(XbrlInputError, /all zero/);
      expect(() => icpDeclarationXbrl(icpContext, [{ ...icpLines[0]!, countryCode: "NL" }])).to.throw(XbrlInputError, /member state/);
      expect(() => icpDeclarationXbrl(icpContext, [{ ...icpLines[0]!, services: 0.5 }])).to.throw(XbrlInputError, /whole number/);
      expect(() => icpDeclarationXbrl(icpContext, [])).to.throw(XbrlInputError, /at least one line/);
    });
  });
});

describe("outcomeOf", () => {
  const status = (code: number, error: GatewayStatus["error"] = null): GatewayStatus => ({ code, description: `status ${code}`, at: new Date(), error });

  it("is pending until a final status arrives, including Digipoort's intermediate codes", () => {
    expect(outcomeOf([])).to.deep.equal({ state: "PENDING" });
    expect(outcomeOf([status(105), status(100), status(110), status(200), status(301), status(405)])).to.deep.equal({ state: "PENDING" });
  });

  it("is accepted on 400 and failed on a final failure, with the reason", () => {
    expect(outcomeOf([status(100), status(200), status(301), status(400)])).to.deep.equal({ state: "ACCEPTED" });
    expect(outcomeOf([status(100), status(200), status(311, { code: "VAS500", description: "bedrag onjuist" })])).to.deep.equal({
      state: "FAILED",
      reason: "311 status 311: VAS500 bedrag onjuist",
    });
  });
});

describe("Digipoort over HTTPS: real client, simulated Digipoort", () => {
  let simulator: DigipoortSimulator;
  let client: DigipoortClient;
  const vatXbrl = vatReturnXbrl(context, { boxes: vatBoxes() });
  let referenceCounter = 0;

  const vatRequest = (overrides: Partial<SubmissionRequest> = {}): SubmissionRequest => ({
    kind: "VAT_RETURN",
    senderReference: `portaldesk-test-${++referenceCounter}`,
    taxpayerVatNumber: context.taxpayerVatNumber,
    xbrl: vatXbrl,
    filename: "omzetbelasting-2026-Q3.xbrl",
    ...overrides,
  });

  /** Polls until the outcome is final, as the filings module will; fails the test after the deadline. */
  async function finalStatuses(reference: string, deadlineMs = 5000): Promise<GatewayStatus[]> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const statuses = await client.statuses(reference);
      if (outcomeOf(statuses).state !== "PENDING") return statuses;
      if (Date.now() > deadline) throw new Error(`Still pending after ${deadlineMs} ms: ${statuses.map((status) => status.code).join(", ")}`);
      await new Promise((resolve) => setTimeout(resolve, STEP_DELAY_MS));
    }
  }

  async function gatewayErrorOf(promise: Promise<unknown>): Promise<GatewayError> {
    try {
      await promise;
    } catch (error) {
      expect(error).to.be.instanceOf(GatewayError);
      return error as GatewayError;
    }
    throw new Error("expected a GatewayError");
  }

  before(async () => {
    simulator = await DigipoortSimulator.start({ stepDelayMs: STEP_DELAY_MS });
    client = new DigipoortClient(simulator.clientOptions());
  });
  after(() => simulator.stop());
  afterEach(() => simulator.failAt(null));

  it("delivers a VAT return intact and reports 105, 100 → 110, 200 → 301 → 405, 400, 500, as Digipoort does", async () => {
    const receipt = await client.submit(vatRequest());
    const received = simulator.received.find((message) => message.reference === receipt.reference)!;
    expect(received.berichtsoort).to.equal("Omzetbelasting");
    expect(Buffer.from(received.xbrl, "utf8").equals(Buffer.from(vatXbrl, "utf8"))).to.equal(true);
    expect(Math.abs(receipt.submittedAt.getTime() - Date.now())).to.be.below(5000);

    const statuses = await finalStatuses(receipt.reference);
    expect(statuses.map((status) => status.code)).to.deep.equal([105, 100, 110, 200, 301, 405, 400, 500]);
    expect(statuses.filter((status) => [100, 200, 301, 400].includes(status.code)).map((status) => status.description)).to.deep.equal([
      "Aanleveren gelukt",
      "Authenticatie gelukt",
      "Validatie gelukt",
      "Afleveren uitvragende partij gelukt",
    ]);
    expect(statuses.every((status, index) => index === 0 || status.at >= statuses[index - 1]!.at)).to.equal(true);
    expect(statuses.every((status) => status.error === null)).to.equal(true);
    expect(outcomeOf(statuses)).to.deep.equal({ state: "ACCEPTED" });
  });

  it("shows statuses as they appear, not all at once", async () => {
    const slow = await DigipoortSimulator.start({ stepDelayMs: 60_000 });
    try {
      const slowClient = new DigipoortClient(slow.clientOptions());
      const statuses = await slowClient.statuses((await slowClient.submit(vatRequest())).reference);
      expect(statuses.map((status) => status.code)).to.deep.equal([105, 100]);
      expect(outcomeOf(statuses)).to.deep.equal({ state: "PENDING" });
    } finally {
      await slow.stop();
    }
  });

  it("delivers an ICP declaration as berichtsoort ICP", async () => {
    const xbrl = icpDeclarationXbrl(icpContext, icpLines);
    const receipt = await client.submit(vatRequest({ kind: "ICP_DECLARATION", xbrl, filename: "icp-2026-Q3.xbrl" }));
    expect(simulator.received.find((message) => message.reference === receipt.reference)).to.deep.include({ berichtsoort: "ICP", xbrl });
    expect(outcomeOf(await finalStatuses(receipt.reference))).to.deep.equal({ state: "ACCEPTED" });
  });

  it("reports a failed authentication as 210, with Digipoort's foutcode", async () => {
    simulator.failAt("AUTHENTICATION");
    const statuses = await finalStatuses((await client.submit(vatRequest())).reference);
    expect(statuses.map((status) => status.code)).to.deep.equal([105, 100, 110, 210]);
    expect(statuses.at(-1)!.error).to.include({ code: "AUS100" });
    const outcome = outcomeOf(statuses);
    expect(outcome.state).to.equal("FAILED");
    expect(outcome.state === "FAILED" && outcome.reason).to.match(/^210 Authenticatie niet gelukt: AUS100 /);
  });

  it("reports a rejection at validation as 311", async () => {
    simulator.failAt("VALIDATION");
    const statuses = await finalStatuses((await client.submit(vatRequest())).reference);
    expect(statuses.map((status) => status.code)).to.deep.equal([105, 100, 110, 200, 311]);
    expect(outcomeOf(statuses)).to.deep.include({ state: "FAILED" });
  });

  it("rejects XBRL that is really invalid with 311 and says why", async () => {
    const cases: Array<{ xbrl: string; kind?: SubmissionRequest["kind"]; reason: RegExp }> = [
      {
        xbrl: vatXbrl.replace(">10000</bd-i:TaxedTurnoverSuppliesServicesGeneralTariff>", ">10000.50</bd-i:TaxedTurnoverSuppliesServicesGeneralTariff>"),
        reason: /TaxedTurnoverSuppliesServicesGeneralTariff: "10000\.50" is geen bedrag in hele euro's/,
      },
      { xbrl: vatXbrl.replace(/\n\s*<bd-i:ValueAddedTaxOwedToBePaidBack [^\n]*/, ""), reason: /Verplicht element ValueAddedTaxOwedToBePaidBack ontbreekt/ },
      { xbrl: vatXbrl, kind: "ICP_DECLARATION", reason: /entrypoint .*bd-rpt-ob-aangifte-2026\.xsd hoort niet bij deze berichtsoort/ },
    ];
    for (const { xbrl, kind, reason } of cases) {
      const statuses = await finalStatuses((await client.submit(vatRequest({ xbrl, kind: kind ?? "VAT_RETURN" }))).reference);
      expect(statuses.map((status) => status.code)).to.deep.equal([105, 100, 110, 200, 311]);
      expect(statuses.at(-1)!.error!.code).to.equal("VAS500");
      const outcome = outcomeOf(statuses);
      expect(outcome.state === "FAILED" && outcome.reason).to.match(reason);
    }
  });

  it("rejects a return filed for another taxpayer than the one in the XBRL", async () => {
    const statuses = await finalStatuses((await client.submit(vatRequest({ taxpayerVatNumber: "NL999999999B01" }))).reference);
    expect(statuses.at(-1)!.code).to.equal(311);
    expect(statuses.at(-1)!.error!.description).to.match(/komt niet overeen met de identiteit van de belanghebbende/);
  });

  it("reports a failed delivery as 410", async () => {
    simulator.failAt("DELIVERY");
    const statuses = await finalStatuses((await client.submit(vatRequest())).reference);
    expect(statuses.map((status) => status.code)).to.deep.equal([105, 100, 110, 200, 301, 405, 410]);
    expect(statuses.at(-1)!.error).to.include({ code: "AFS400" });
    expect(outcomeOf(statuses)).to.deep.include({ state: "FAILED" });
  });

  it("answers a status request for an unknown kenmerk with a SOAP fault", async () => {
    const error = await gatewayErrorOf(client.statuses("00000000-0000-0000-0000-000000000000"));
    expect(error.code).to.equal("STS101");
    expect(error.retryable).to.equal(false);
    expect(error.message).to.match(/kenmerk is niet bekend/);
  });

  it("refuses a submission whose content is not an XBRL instance with a fault, and keeps nothing", async () => {
    const before = simulator.received.length;
    const error = await gatewayErrorOf(client.submit(vatRequest({ xbrl: "<html><body>not xbrl</body></html>" })));
    expect(error.code).to.equal("ALS100");
    expect(error.retryable).to.equal(false);
    expect(error.message).to.match(/geen XBRL-instance/);
    expect(simulator.received).to.have.length(before);
  });

  it("checks a submission before sending it", async () => {
    const error = await gatewayErrorOf(client.submit(vatRequest({ senderReference: "x".repeat(41) })));
    expect([error.code, error.retryable]).to.deep.equal(["INVALID_REQUEST", false]);
  });

  describe("WS-Security: only signed requests get in, only signed answers are believed", () => {
    /** Posts an envelope as it is (no client in between) and returns the WS-Security fault code of the answer. */
    const postRaw = async (envelope: string): Promise<string | null> => {
      const { cert, key, ca } = simulator.clientCredentials;
      const reply = await postSoap({ url: simulator.submitUrl, soapAction: ACTIONS.aanleverenRequest, envelope, tls: { cert, key, ca }, timeoutMs: 5000, idempotent: false });
      expect(reply.httpStatus).to.equal(500);
      return /<faultcode>wsse:(\w+)<\/faultcode>/.exec(reply.body)?.[1] ?? null;
    };
    const submission = (): string =>
      soapEnvelope(
        { action: ACTIONS.aanleverenRequest, to: simulator.submitUrl, messageId: newMessageId() },
        `<aanleverRequest xmlns="http://logius.nl/digipoort/koppelvlakservices/1.2/"><berichtsoort>Omzetbelasting</berichtsoort></aanleverRequest>`,
      );
    const signer = () => ({
      cert: simulator.clientCredentials.cert,
      key: simulator.clientCredentials.key,
      signatureAlgorithm: "rsa-sha1" as const,
      digestAlgorithm: "sha1" as const,
    });

    it("answers an unsigned, a changed and an expired request with the WS-Security fault for each, and keeps none", async () => {
      const before = simulator.received.length;
      expect(await postRaw(submission())).to.equal("InvalidSecurity");
      const signed = signEnvelope(submission(), signer());
      expect(await postRaw(signed.replace("<berichtsoort>Omzetbelasting</berichtsoort>", "<berichtsoort>ICP</berichtsoort>"))).to.equal("FailedCheck");
      expect(await postRaw(signEnvelope(submission(), signer(), new Date(Date.now() - 3600_000)))).to.equal("MessageExpired");
      expect(simulator.received).to.have.length(before);
      expect(simulator.refused.slice(-3).map((r) => r.fault)).to.deep.equal(["InvalidSecurity", "FailedCheck", "MessageExpired"]);
    });

    it("refuses a request signed with a certificate its CA did not issue, though the TLS certificate is good (not retryable)", async () => {
      const stranger = await createSimulatorCertificates("127.0.0.1");
      const before = simulator.received.length;
      const impostor = new DigipoortClient(simulator.clientOptions({ signer: { ...signer(), ...stranger.client } }));
      const error = await gatewayErrorOf(impostor.submit(vatRequest()));
      expect([error.code, error.retryable]).to.deep.equal(["WSS_FailedAuthentication", false]);
      expect(error.message).to.match(/not issued by a trusted authority/);
      expect(simulator.received).to.have.length(before);
    });

    it("does not believe an answer changed on its way: a submission's outcome is then unknown, a status request may be repeated", async () => {
      const receipt = await client.submit(vatRequest());
      simulator.tamperWithAnswers("ALL");
      try {
        const submitted = await gatewayErrorOf(client.submit(vatRequest()));
        expect([submitted.code, submitted.retryable]).to.deep.equal(["ANSWER_NOT_TRUSTED", false]);
        expect(submitted.message).to.match(/FailedCheck.*may have arrived/);
        const status = await gatewayErrorOf(client.statuses(receipt.reference));
        expect([status.code, status.retryable]).to.deep.equal(["ANSWER_NOT_TRUSTED", true]);
      } finally {
        simulator.tamperWithAnswers(null);
      }
      expect((await client.statuses(receipt.reference)).map((s) => s.code)).to.include(100);
    });

    it("does not believe answers signed by an authority it was not told to trust", async () => {
      const stranger = await createSimulatorCertificates("127.0.0.1");
      const wary = new DigipoortClient(simulator.clientOptions({ answers: { trusted: stranger.ca.cert, clockSkewSeconds: 60 } }));
      const error = await gatewayErrorOf(wary.statuses("some-kenmerk"));
      expect([error.code, error.retryable]).to.deep.equal(["ANSWER_NOT_TRUSTED", true]);
      expect(error.message).to.match(/FailedAuthentication/);
    });

    it("submits with the firm's certificate from a .p12 file, configured as for production (DIGIPOORT=digipoort)", async () => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), "pd-p12-"));
      try {
        const { cert, key, ca } = simulator.clientCredentials;
        await fs.writeFile(path.join(dir, "firm.p12"), p12Of(key, [cert], "PKIo geheim"));
        await fs.writeFile(path.join(dir, "ca.pem"), ca);
        const settings = {
          DIGIPOORT: "digipoort",
          DIGIPOORT_SUBMIT_URL: simulator.submitUrl,
          DIGIPOORT_STATUS_URL: simulator.statusUrl,
          DIGIPOORT_CA_FILE: path.join(dir, "ca.pem"),
        };
        const opened = await openGateway(loadConfig({ ...settings, DIGIPOORT_P12_FILE: path.join(dir, "firm.p12"), DIGIPOORT_P12_PASSPHRASE: "PKIo geheim" }).filings.gateway);
        const receipt = await opened.gateway.submit(vatRequest());
        expect(simulator.received.map((m) => m.reference)).to.include(receipt.reference);
        expect((await opened.gateway.statuses(receipt.reference)).map((s) => s.code)).to.include(100);
        const wrong = loadConfig({ ...settings, DIGIPOORT_P12_FILE: path.join(dir, "firm.p12"), DIGIPOORT_P12_PASSPHRASE: "fout" }).filings.gateway;
        const refusal = await openGateway(wrong).catch((error: unknown) => error);
        expect(refusal).to.be.instanceOf(CredentialsError);
        expect((refusal as Error).message).to.include("cannot be opened with this passphrase");
        expect(() => loadConfig({ DIGIPOORT: "digipoort", DIGIPOORT_SUBMIT_URL: simulator.submitUrl, DIGIPOORT_STATUS_URL: simulator.statusUrl })).to.throw(
          /DIGIPOORT_CERT_FILE \(or DIGIPOORT_P12_FILE\)/,
        );
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    });

    it("talks RSA-SHA256 with SHA-256 digests end to end when both sides are set to it", async () => {
      const strong = await DigipoortSimulator.start({ stepDelayMs: STEP_DELAY_MS, signatureAlgorithm: "rsa-sha256", digestAlgorithm: "sha256" });
      try {
        const strongClient = new DigipoortClient(strong.clientOptions());
        const receipt = await strongClient.submit(vatRequest());
        expect(strong.received.map((m) => m.reference)).to.include(receipt.reference);
      } finally {
        await strong.stop();
      }
    });
  });

  describe("TLS: only a client certificate signed by the gateway's CA gets in", () => {
    const withTls = (tls: { cert: string; key: string; ca: string }): DigipoortClient => new DigipoortClient(simulator.clientOptions(tls));

    it("refuses a client that presents no certificate (not retryable: configuration)", async () => {
      const before = simulator.received.length;
      const error = await gatewayErrorOf(withTls({ ...simulator.clientCredentials, cert: "", key: "" }).submit(vatRequest()));
      expect([error.code, error.retryable]).to.deep.equal(["TLS_CLIENT_REJECTED", false]);
      expect(simulator.received).to.have.length(before);
    });

    it("refuses a client certificate from another CA (not retryable)", async () => {
      const stranger = await createSimulatorCertificates("127.0.0.1");
      const before = simulator.received.length;
      const error = await gatewayErrorOf(withTls({ ...stranger.client, ca: simulator.clientCredentials.ca }).submit(vatRequest()));
      expect(["TLS_CLIENT_REJECTED", "TLS_HANDSHAKE_ABORTED"]).to.include(error.code);
      expect(error.retryable).to.equal(false);
      expect(simulator.received).to.have.length(before);
    });

    it("does not talk to a server it does not trust", async () => {
      const stranger = await createSimulatorCertificates("127.0.0.1");
      const error = await gatewayErrorOf(withTls({ ...simulator.clientCredentials, ca: stranger.ca.cert }).statuses("whatever"));
      expect([error.code, error.retryable]).to.deep.equal(["TLS_SERVER_UNTRUSTED", false]);
    });
  });

  describe("transport failures say whether a retry is safe", () => {
    it("an unreachable gateway is retryable", async () => {
      const port = await closedPort();
      const unreachable = new DigipoortClient(
        simulator.clientOptions({
          submitUrl: `https://127.0.0.1:${port}/wus/2.0/aanleverservice/1.2`,
          statusUrl: `https://127.0.0.1:${port}/wus/2.0/statusinformatieservice/1.2`,
          timeoutMs: 2000,
        }),
      );
      const error = await gatewayErrorOf(unreachable.submit(vatRequest()));
      expect([error.code, error.retryable]).to.deep.equal(["UNREACHABLE", true]);
    });

    it("a submission whose answer is lost is not retryable; a lost status answer is", async () => {
      const certificates = await createSimulatorCertificates("127.0.0.1");
      // Reads the whole request, then hangs up without answering.
      const server = https.createServer({ ...certificates.server, ca: certificates.ca.cert, requestCert: true, rejectUnauthorized: true }, (request) => {
        request.resume();
        request.on("end", () => request.socket.destroy());
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      try {
        const base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const lossy = new DigipoortClient(
          simulator.clientOptions({
            submitUrl: `${base}/wus/2.0/aanleverservice/1.2`,
            statusUrl: `${base}/wus/2.0/statusinformatieservice/1.2`,
            ...certificates.client,
            ca: certificates.ca.cert,
          }),
        );
        const submitError = await gatewayErrorOf(lossy.submit(vatRequest()));
        expect([submitError.code, submitError.retryable]).to.deep.equal(["SUBMISSION_OUTCOME_UNKNOWN", false]);
        const statusError = await gatewayErrorOf(lossy.statuses("some-kenmerk"));
        expect([statusError.code, statusError.retryable]).to.deep.equal(["CONNECTION_LOST", true]);
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  });
});

/** A local port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
