/**
 * A very small XML writer for the JUnit report: escaping, and one function that writes an element.
 * Hand-written because the JUnit document is a handful of elements; an XML library would add a
 * dependency for ten lines of work. The escaping follows XML 1.0 section 2.2 and 2.4.
 */

/**
 * Characters XML 1.0 does not allow at all (section 2.2, production [2] Char): C0 controls other
 * than tab, newline and carriage return, lone surrogates, U+FFFE and U+FFFF. They cannot even be
 * written as character references, so they are dropped.
 */
const INVALID_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** stripInvalidXmlChars removes the characters XML 1.0 cannot carry. */
export function stripInvalidXmlChars(text: string): string {
  return text.replace(INVALID_XML_CHARS, '');
}

/** escapeXmlText makes text safe as element content. */
export function escapeXmlText(text: string): string {
  return stripInvalidXmlChars(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * escapeXmlAttribute makes text safe inside a double-quoted attribute. Tab, newline and carriage
 * return are written as character references, because a parser normalizes literal ones to spaces
 * (XML 1.0 section 3.3.3) and the message would lose its lines.
 */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

/** Attribute values; `undefined` leaves the attribute out. */
export type XmlAttributes = Readonly<Record<string, string | number | undefined>>;

/**
 * indentChild indents a written element one level, as a child. Only lines that start with markup
 * are indented: escaped text never starts with `<`, so a multi-line text content keeps its exact lines.
 */
export function indentChild(element: string): string {
  return element.replace(/^(?=\s*<)/gm, '  ');
}

/**
 * xmlElement writes one element. `children` are already-written elements (indented one level
 * each), or a string of text content; none gives an empty element.
 */
export function xmlElement(name: string, attributes: XmlAttributes, children?: readonly string[] | string): string {
  const attributeText = Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXmlAttribute(String(value))}"`)
    .join('');
  if (children === undefined || children.length === 0) return `<${name}${attributeText}/>`;
  if (typeof children === 'string') return `<${name}${attributeText}>${escapeXmlText(children)}</${name}>`;
  const inner = children.map(indentChild).join('\n');
  return `<${name}${attributeText}>\n${inner}\n</${name}>`;
}
