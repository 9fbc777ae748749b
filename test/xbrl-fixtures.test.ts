// The XBRL of a sample VAT return and ICP declaration, kept as fixtures a person can read
// (test/fixtures/xbrl/). The generator must reproduce them byte for byte; after a deliberate change,
// regenerate with UPDATE_FIXTURES=1 and review the diff.
import { expect } from "chai";
import { XMLValidator } from "fast-xml-parser";
import fs from "node:fs/promises";
import { icpDeclarationXbrl, taxonomyFor, vatReturnXbrl, type XbrlContext } from "../src/modules/filings/submission/index.js";

const FIXTURES = new URL("./fixtures/xbrl/", import.meta.url);

// Written on a day NT20 is in use, for a 2026 period.
const SENT_ON = new Date("2026-10-15T10:00:00Z");
const context: XbrlContext = {
  taxonomy: taxonomyFor("VAT_RETURN", 2026, SENT_ON),
  taxpayerVatNumber: "NL123456782B01",
  taxpayerName: "Bakkerij De Demo B.V.",
  periodStart: "2026-07-01",
  periodEnd: "2026-09-30",
  softwarePackageName: "PortalDesk",
  softwarePackageVersion: "0.1.0",
  contactType: "INT",
};
const icpContext: XbrlContext = { ...context, taxonomy: taxonomyFor("ICP_DECLARATION", 2026, SENT_ON) };

const samples: Record<string, () => string> = {
  "vat-return-2026-Q3.xbrl": () =>
    vatReturnXbrl(context, {
      boxes: {
        "1a_turnover": 84250,
        "1a_vat": 17693,
        "1b_turnover": 152300,
        "1b_vat": 13707,
        "1c_turnover": 0,
        "1c_vat": 0,
        "1d_turnover": 0,
        "1d_vat": 0,
        "1e_turnover": 1200,
        "2a_turnover": 0,
        "2a_vat": 0,
        "3a_turnover": 0,
        "3b_turnover": 6400,
        "3c_turnover": 0,
        "4a_turnover": 0,
        "4a_vat": 0,
        "4b_turnover": 2100,
        "4b_vat": 441,
        "5a": 31841,
        "5b": 21480,
        "5c": 10361,
        "5g": 10361,
      },
    }),
  "icp-declaration-2026-Q3.xbrl": () =>
    icpDeclarationXbrl(icpContext, [
      { countryCode: "BE", vatNumber: "BE0123456749", goods: 6000, services: 0, triangular: 0 },
      { countryCode: "DE", vatNumber: "DE136695976", goods: 0, services: 300, triangular: 100 },
    ]),
};

describe("XBRL fixtures", () => {
  for (const [name, generate] of Object.entries(samples)) {
    it(`reproduces ${name}: well-formed, the taxonomy's names and contexts`, async () => {
      const xbrl = generate();
      expect(XMLValidator.validate(xbrl), "well-formed XML").to.equal(true);
      const file = new URL(name, FIXTURES);
      if (process.env.UPDATE_FIXTURES) await fs.writeFile(file, xbrl);
      expect(xbrl).to.equal(await fs.readFile(file, "utf8"));
      expect(xbrl).to.match(/<link:schemaRef [^>]*xlink:href="http:\/\/www\.nltaxonomie\.nl\/nt20\/bd\/20251210\/entrypoints\/bd-rpt-(ob-aangifte|icp-opgaaf)-2026\.xsd"/);
      expect(xbrl).to.include('<xbrli:identifier scheme="www.belastingdienst.nl/omzetbelastingnummer">123456782B01</xbrli:identifier>');
      expect(xbrl).to.include("<xbrli:startDate>2026-07-01</xbrli:startDate>").and.include("<xbrli:endDate>2026-09-30</xbrli:endDate>");
    });
  }
});
