// The Nederlandse Taxonomie (NT) names that the Belastingdienst messages use: namespaces and concept
// names. Which releases exist, when each is used and their entry points: nt-releases.ts.
//
// Based on NT20, Belastingdienst release 20251210 (in production for 2026 filings:
// bd-rpt-ob-aangifte-2026 and bd-rpt-icp-opgaaf-2026). Sources checked, none of them the taxonomy
// download itself: accounting packages that submit through Digipoort (their expected NT19 and NT20
// instances), and a listing of the NT20 OB presentation linkbase (bd-ob-aangifte-pre.xml).
//
// How sure:
// - VAT box concepts, 5a/5b/5g, entry point file names, the bd-data namespace, the identifier scheme:
//   high (two independent sources agree; unchanged from NT19 to NT20).
// - ICP typed dimensions and amount concepts: high for NT20 (one expected NT20 instance, used in a
//   package's tests). NT20 expresses an ICP line as a context with two typed dimensions; no bd-t
//   tuple is involved, so no bd-t namespace is declared.
// - Header concepts (DateTimeCreation, MessageReference*, SoftwareVendorAccountNumber, Contact*):
//   names high, but which of them the Belastingdienst requires in NT20 was NOT confirmed.
// - NT20.2 (BD release 20260916) and NT21 (20261209, for 2027 filings) were not inspected: whether
//   they republish these entry points under a new folder is unknown. Check before each filing year.
// - Boxes 5c, 5d, 5e and 5f have no concept in the 2026 entry point (the subtotal, the old
//   small-business reduction and the two estimates are not part of the electronic return).

import type { NtRelease } from "./nt-releases.js";

/** The namespaces that do not depend on the release. */
export const XBRL_NAMESPACES = {
  xbrli: "http://www.xbrl.org/2003/instance",
  link: "http://www.xbrl.org/2003/linkbase",
  xlink: "http://www.w3.org/1999/xlink",
  iso4217: "http://www.xbrl.org/2003/iso4217",
  xbrldi: "http://xbrl.org/2006/xbrldi",
} as const;

/** The namespaces of an instance written with `release` (the dictionary and validation parts move with each release). */
export function namespacesOf(release: NtRelease) {
  return {
    ...XBRL_NAMESPACES,
    "bd-i": `${release.base}/dictionary/bd-data`,
    "bd-axes": `${release.base}/validation/bd-axes`,
    "bd-domains": `${release.base}/validation/bd-domains`,
  } as const;
}

/** The entity identifier scheme: the value is the omzetbelastingnummer (e.g. 123456782B01, no "NL"). */
export const OB_NUMBER_SCHEME = "www.belastingdienst.nl/omzetbelastingnummer";

/** VAT return box → bd-i concept. Keys are the box keys of VatReturnFacts. */
export const VAT_BOX_CONCEPTS = {
  "1a_turnover": "TaxedTurnoverSuppliesServicesGeneralTariff",
  "1a_vat": "ValueAddedTaxSuppliesServicesGeneralTariff",
  "1b_turnover": "TaxedTurnoverSuppliesServicesReducedTariff",
  "1b_vat": "ValueAddedTaxSuppliesServicesReducedTariff",
  "1c_turnover": "TaxedTurnoverSuppliesServicesOtherRates",
  "1c_vat": "ValueAddedTaxSuppliesServicesOtherRates",
  "1d_turnover": "TaxedTurnoverPrivateUse",
  "1d_vat": "ValueAddedTaxPrivateUse",
  "1e_turnover": "SuppliesServicesNotTaxed",
  "2a_turnover": "TurnoverSuppliesServicesByWhichVATTaxationIsTransferred",
  "2a_vat": "ValueAddedTaxSuppliesServicesByWhichVATTaxationIsTransferred",
  "3a_turnover": "SuppliesToCountriesOutsideTheEC",
  "3b_turnover": "SuppliesToCountriesWithinTheEC",
  "3c_turnover": "InstallationDistanceSalesWithinTheEC",
  "4a_turnover": "TurnoverFromTaxedSuppliesFromCountriesOutsideTheEC",
  "4a_vat": "ValueAddedTaxOnSuppliesFromCountriesOutsideTheEC",
  "4b_turnover": "TurnoverFromTaxedSuppliesFromCountriesWithinTheEC",
  "4b_vat": "ValueAddedTaxOnSuppliesFromCountriesWithinTheEC",
  "5a": "ValueAddedTaxOwed",
  "5b": "ValueAddedTaxOnInput",
  "5g": "ValueAddedTaxOwedToBePaidBack",
} as const;

export type VatBoxWithConcept = keyof typeof VAT_BOX_CONCEPTS;

export const ICP_CONCEPTS = {
  goods: "SuppliesAmount",
  services: "ServicesAmount",
  triangular: "ABCSuppliesAmount",
  countryDimension: "CountryCodeEUDimension",
  countryDomain: "CountryCodeEUDomain",
  vatNumberDimension: "VATNumberDimension",
  vatNumberDomain: "VATNumberDomain",
} as const;

/** Message header concepts (bd-i), per message kind where they differ. */
export const HEADER_CONCEPTS = {
  // The suppletie's header concept is taken to be the return's: not confirmed.
  messageReference: { VAT_RETURN: "MessageReferenceSupplierVAT", VAT_CORRECTION: "MessageReferenceSupplierVAT", ICP_DECLARATION: "MessageReferenceSupplierICP" },
  softwarePackageName: "SoftwarePackageName",
  softwarePackageVersion: "SoftwarePackageVersion",
  softwareVendorAccountNumber: "SoftwareVendorAccountNumber",
  dateTimeCreation: "DateTimeCreation",
  contactType: "ContactType",
  contactInitials: "ContactInitials",
  contactPrefix: "ContactPrefix",
  contactSurname: "ContactSurname",
  contactTelephoneNumber: "ContactTelephoneNumber",
  taxConsultantNumber: "TaxConsultantNumber",
} as const;

/** MessageReferenceSupplierVAT/ICP is a string of at most 20 characters. */
export const MESSAGE_REFERENCE_MAX_LENGTH = 20;
