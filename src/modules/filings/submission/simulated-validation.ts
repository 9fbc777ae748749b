// The simulator's stand-in for Digipoort's validation step (status 301/311): structural XBRL checks
// against the concepts we know from nt-taxonomy.ts. Far less than the Belastingdienst's taxonomy and
// business-rule validation, but enough to catch what our own code could get wrong.
import { HEADER_CONCEPTS, ICP_CONCEPTS, namespacesOf, OB_NUMBER_SCHEME, VAT_BOX_CONCEPTS, XBRL_NAMESPACES } from "./nt-taxonomy.js";
import { taxonomyOfEntryPoint } from "./nt-releases.js";
import type { MessageKind } from "./gateway.js";
import { attributeValue, childNamed, childText, descendants, parseXml, type XmlElement } from "../../../core/xml-tree.js";

const XBRLI = XBRL_NAMESPACES.xbrli;

const REQUIRED_CONCEPTS: Readonly<Record<MessageKind, readonly string[]>> = {
  // 5a, 5b and 5g: the totals of the return.
  VAT_RETURN: [VAT_BOX_CONCEPTS["5a"], VAT_BOX_CONCEPTS["5b"], VAT_BOX_CONCEPTS["5g"], HEADER_CONCEPTS.messageReference.VAT_RETURN],
  VAT_CORRECTION: [VAT_BOX_CONCEPTS["5a"], VAT_BOX_CONCEPTS["5b"], VAT_BOX_CONCEPTS["5g"], HEADER_CONCEPTS.messageReference.VAT_CORRECTION],
  ICP_DECLARATION: [HEADER_CONCEPTS.messageReference.ICP_DECLARATION],
};

const HEADER_CONCEPT_NAMES: string[] = Object.values(HEADER_CONCEPTS).flatMap((concept) => (typeof concept === "string" ? [concept] : []));
const VAT_CONCEPTS = new Set<string>([...Object.values(VAT_BOX_CONCEPTS), ...HEADER_CONCEPT_NAMES, HEADER_CONCEPTS.messageReference.VAT_RETURN]);
const KNOWN_CONCEPTS: Readonly<Record<MessageKind, ReadonlySet<string>>> = {
  VAT_RETURN: VAT_CONCEPTS,
  VAT_CORRECTION: VAT_CONCEPTS,
  ICP_DECLARATION: new Set<string>([ICP_CONCEPTS.goods, ICP_CONCEPTS.services, ICP_CONCEPTS.triangular, ...HEADER_CONCEPT_NAMES, HEADER_CONCEPTS.messageReference.ICP_DECLARATION]),
};

/** Is this an XBRL instance at all (root xbrli:xbrl with a schemaRef)? Null when it is, otherwise why not. */
export function notAnXbrlInstance(xbrl: string): string | null {
  let root: XmlElement;
  try {
    root = parseXml(xbrl);
  } catch (error) {
    return `De berichtinhoud is geen goedgevormde XML: ${(error as Error).message}`;
  }
  if (root.localName !== "xbrl" || root.namespace !== XBRLI) return "De berichtinhoud is geen XBRL-instance (root is geen xbrli:xbrl)";
  if (schemaRefOf(root) === null) return "De XBRL-instance heeft geen link:schemaRef";
  return null;
}

/** Problems found in a submitted instance, in Dutch as Digipoort reports them; empty when it passes. */
export function validationProblems(kind: MessageKind, taxpayerNumber: string, xbrl: string): string[] {
  const root = parseXml(xbrl);
  const problems: string[] = [];
  const entryPoint = schemaRefOf(root);
  // The entry point says which release the instance follows; its namespaces must be that release's.
  const taxonomy = entryPoint === null ? null : taxonomyOfEntryPoint(entryPoint);
  if (taxonomy === null) return [`Het entrypoint ${entryPoint} is geen bekend entrypoint van de Belastingdienst`];
  if (taxonomy.kind !== kind) problems.push(`Het entrypoint ${entryPoint} hoort niet bij deze berichtsoort`);
  const namespaces = namespacesOf(taxonomy.release);

  const contextIds = new Set<string>();
  const unitIds = new Set<string>();
  const facts: XmlElement[] = [];
  for (const child of root.children) {
    if (child.namespace === XBRLI && child.localName === "context") {
      contextIds.add(attributeValue(child, "id") ?? "");
      problems.push(...identifierProblems(child, taxpayerNumber));
    } else if (child.namespace === XBRLI && child.localName === "unit") unitIds.add(attributeValue(child, "id") ?? "");
    else if (child.namespace === namespaces["bd-i"]) facts.push(child);
    else if (!(child.namespace === namespaces.link && child.localName === "schemaRef")) problems.push(`Onbekend element ${child.qualifiedName}`);
  }

  const seen = new Set<string>();
  for (const fact of facts) {
    const contextRef = attributeValue(fact, "contextRef") ?? "";
    const unitRef = attributeValue(fact, "unitRef");
    const value = fact.text.trim();
    if (!KNOWN_CONCEPTS[kind].has(fact.localName)) problems.push(`Onbekend concept ${fact.localName}`);
    if (!contextIds.has(contextRef)) problems.push(`${fact.localName}: context ${contextRef} bestaat niet`);
    if (seen.has(`${fact.localName}@${contextRef}`)) problems.push(`${fact.localName} komt meer dan eens voor in context ${contextRef}`);
    seen.add(`${fact.localName}@${contextRef}`);
    if (unitRef !== null) {
      if (!unitIds.has(unitRef)) problems.push(`${fact.localName}: unit ${unitRef} bestaat niet`);
      if (attributeValue(fact, "decimals") !== "INF") problems.push(`${fact.localName}: decimals moet INF zijn`);
      if (!/^-?\d+$/.test(value)) problems.push(`${fact.localName}: "${value}" is geen bedrag in hele euro's`);
    } else if (value === "") problems.push(`${fact.localName} is leeg`);
  }
  for (const concept of REQUIRED_CONCEPTS[kind]) {
    if (!facts.some((fact) => fact.localName === concept)) problems.push(`Verplicht element ${concept} ontbreekt`);
  }
  return problems;
}

function schemaRefOf(root: XmlElement): string | null {
  const schemaRef = childNamed(root, "schemaRef", XBRL_NAMESPACES.link);
  return schemaRef && attributeValue(schemaRef, "href", XBRL_NAMESPACES.xlink);
}

/** Digipoort matches the identifier in the message against identiteitBelanghebbende. */
function identifierProblems(context: XmlElement, taxpayerNumber: string): string[] {
  const entity = childNamed(context, "entity", XBRLI);
  const identifier = entity && childNamed(entity, "identifier", XBRLI);
  const id = attributeValue(context, "id");
  if (identifier === null) return [`Context ${id} heeft geen identifier`];
  const problems: string[] = [];
  if (attributeValue(identifier, "scheme") !== OB_NUMBER_SCHEME) problems.push(`Context ${id}: scheme moet ${OB_NUMBER_SCHEME} zijn`);
  if (identifier.text.trim() !== taxpayerNumber) {
    problems.push(`Context ${id}: het nummer ${identifier.text.trim()} komt niet overeen met de identiteit van de belanghebbende (${taxpayerNumber})`);
  }
  const period = childNamed(context, "period", XBRLI);
  if (period === null || childText(period, "startDate", XBRLI) === null || childText(period, "endDate", XBRLI) === null) {
    problems.push(`Context ${id} heeft geen periode met begin- en einddatum`);
  }
  const typedMembers = descendants(context).filter((element) => element.localName === "typedMember" && element.namespace === XBRL_NAMESPACES.xbrldi);
  if (typedMembers.some((member) => member.children.length !== 1 || member.children[0]!.text.trim() === "")) {
    problems.push(`Context ${id}: lege dimensiewaarde`);
  }
  return problems;
}
