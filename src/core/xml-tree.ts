// A small namespace-aware view of an XML document, built on fast-xml-parser.
// SOAP and XBRL are defined by namespaces, not by the prefixes a sender happens to choose,
// so every lookup here goes by (namespace, local name).
import { XMLParser, XMLValidator } from "fast-xml-parser";

export interface XmlAttribute {
  readonly localName: string;
  /** null for an unprefixed attribute (attributes do not take the default namespace). */
  readonly namespace: string | null;
  readonly value: string;
}

export interface XmlElement {
  /** The name as written, with its prefix, e.g. "soapenv:Body". */
  readonly qualifiedName: string;
  readonly localName: string;
  readonly namespace: string | null;
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlElement[];
  /** The element's own text (CDATA included), without that of child elements. */
  readonly text: string;
}

export class XmlSyntaxError extends Error {}

const XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace";

// preserveOrder keeps mixed content and repeated siblings in document order;
// htmlEntities makes the parser decode numeric character references (&#38;).
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: "#cdata",
  htmlEntities: true,
});

type OrderedNode = Record<string, unknown> & { ":@"?: Record<string, string> };

/**
 * Parses a whole document and returns its root element; throws XmlSyntaxError for anything not
 * well-formed. A document type declaration is refused outright: nothing PortalDesk reads (SOAP,
 * XBRL, e-invoices, bank statements) has one, and it is how entity expansion ("billion laughs")
 * and external entities get in.
 */
export function parseXml(xml: string): XmlElement {
  if (/<!(DOCTYPE|ENTITY)/i.test(xml)) throw new XmlSyntaxError("The XML declares a document type (<!DOCTYPE>), which is refused: entities could expand it or read other files");
  const validation = XMLValidator.validate(xml);
  if (validation !== true) throw new XmlSyntaxError(`Not well-formed XML: ${validation.err.msg} (line ${validation.err.line})`);
  let parsed: OrderedNode[];
  try {
    parsed = parser.parse(xml) as OrderedNode[];
  } catch (error) {
    // The parser's own limits (nesting depth, …) make it throw plain errors: the document's fault.
    throw new XmlSyntaxError(`The XML could not be read: ${(error as Error).message}`);
  }
  const roots = parsed.filter((node) => elementNameOf(node) !== null);
  if (roots.length !== 1) throw new XmlSyntaxError(`Expected one root element, found ${roots.length}`);
  return toElement(roots[0]!, new Map([["xml", XML_NAMESPACE]]));
}

function elementNameOf(node: OrderedNode): string | null {
  const name = Object.keys(node).find((key) => key !== ":@");
  return name === undefined || name.startsWith("#") ? null : name;
}

function toElement(node: OrderedNode, inheritedScope: ReadonlyMap<string, string>): XmlElement {
  const qualifiedName = elementNameOf(node)!;
  const rawAttributes = node[":@"] ?? {};
  const scope = new Map(inheritedScope);
  for (const [name, value] of Object.entries(rawAttributes)) {
    if (name === "xmlns") scope.set("", value);
    else if (name.startsWith("xmlns:")) scope.set(name.slice("xmlns:".length), value);
  }
  const attributes: XmlAttribute[] = [];
  for (const [name, value] of Object.entries(rawAttributes)) {
    if (name === "xmlns" || name.startsWith("xmlns:")) continue;
    const [prefix, localName] = splitName(name);
    attributes.push({ localName, namespace: prefix === null ? null : resolvePrefix(prefix, scope, name), value });
  }
  const [prefix, localName] = splitName(qualifiedName);
  const children: XmlElement[] = [];
  let text = "";
  for (const child of node[qualifiedName] as OrderedNode[]) {
    if ("#text" in child) text += String(child["#text"]);
    else if ("#cdata" in child) text += (child["#cdata"] as OrderedNode[]).map((part) => String(part["#text"] ?? "")).join("");
    else if (elementNameOf(child) !== null) children.push(toElement(child, scope));
  }
  const namespace = prefix === null ? scope.get("") || null : resolvePrefix(prefix, scope, qualifiedName);
  return { qualifiedName, localName, namespace, attributes, children, text };
}

function splitName(name: string): [string | null, string] {
  const colon = name.indexOf(":");
  return colon < 0 ? [null, name] : [name.slice(0, colon), name.slice(colon + 1)];
}

function resolvePrefix(prefix: string, scope: ReadonlyMap<string, string>, name: string): string {
  const namespace = scope.get(prefix);
  if (namespace === undefined) throw new XmlSyntaxError(`Undeclared namespace prefix in ${name}`);
  return namespace;
}

/** Child elements with this local name, in this namespace when one is given. */
export function childrenNamed(parent: XmlElement, localName: string, namespace?: string): XmlElement[] {
  return parent.children.filter((child) => child.localName === localName && (namespace === undefined || child.namespace === namespace));
}

/** The first child with this name, or null. */
export function childNamed(parent: XmlElement, localName: string, namespace?: string): XmlElement | null {
  return childrenNamed(parent, localName, namespace)[0] ?? null;
}

/** The trimmed text of the first child with this name, or null when there is no such child. */
export function childText(parent: XmlElement, localName: string, namespace?: string): string | null {
  const child = childNamed(parent, localName, namespace);
  return child === null ? null : child.text.trim();
}

export function attributeValue(element: XmlElement, localName: string, namespace: string | null = null): string | null {
  return element.attributes.find((attribute) => attribute.localName === localName && attribute.namespace === namespace)?.value ?? null;
}

/** The element reached by following child names from `parent` (first match at each step), or null. */
export function pathTo(parent: XmlElement, ...localNames: string[]): XmlElement | null {
  let element: XmlElement | null = parent;
  for (const name of localNames) {
    if (element === null) return null;
    element = childNamed(element, name);
  }
  return element;
}

/** The trimmed text at the end of a path of child names, or null. */
export function pathText(parent: XmlElement, ...localNames: string[]): string | null {
  const element = pathTo(parent, ...localNames);
  return element === null ? null : element.text.trim();
}

/** Every element below (not including) this one, depth first. */
export function descendants(element: XmlElement): XmlElement[] {
  return element.children.flatMap((child) => [child, ...descendants(child)]);
}
