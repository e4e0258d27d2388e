/** An element of a parsed XML document: its name, attributes (decoded), children and text. */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

// XML 1.0's Char production: tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF.
const legalChar = (cp: number): boolean => cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
const NAME = /^[A-Za-z_:][-A-Za-z0-9_.:]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  if (raw.includes('<')) throw new Error(`'<' in ${where}`);
  return raw.replace(/&([^;]*);?/g, (m, ref: string) => {
    if (!m.endsWith(';')) throw new Error(`unterminated reference '${m}' in ${where}`);
    if (Object.hasOwn(ENTITIES, ref)) return ENTITIES[ref];
    const num = /^#(x[0-9A-Fa-f]+|[0-9]+)$/.exec(ref);
    if (!num) throw new Error(`unknown entity '&${ref};' in ${where}`);
    const cp = num[1][0] === 'x' ? parseInt(num[1].slice(1), 16) : parseInt(num[1], 10);
    if (!legalChar(cp)) throw new Error(`character reference to an illegal character &${ref}; in ${where}`);
    return String.fromCodePoint(cp);
  });
}

/**
 * A small, strict XML 1.0 reader for the tests: it checks the document is well-formed (legal
 * characters only, one root, balanced tags, quoted and unique attributes, known entities, no
 * '<' or unescaped '&' in text or attributes) and returns the root element. No DTDs, no CDATA.
 */
export function parseXml(doc: string): XmlElement {
  for (const ch of doc) if (!legalChar(ch.codePointAt(0) as number)) throw new Error(`illegal character U+${(ch.codePointAt(0) as number).toString(16)}`);
  let i = 0;
  const rest = () => doc.slice(i);
  const skipSpace = () => {
    while (/\s/.test(doc[i] ?? '')) i++;
  };
  const decl = /^<\?xml[^?]*\?>/.exec(rest());
  if (decl) i += decl[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < doc.length) {
    if (doc.startsWith('</', i)) {
      const m = /^<\/([^\s>]+)\s*>/.exec(rest());
      const open = stack.pop();
      if (!m || !open || m[1] !== open.name) throw new Error(`mismatched end tag at ${i}: ${rest().slice(0, 30)}`);
      i += m[0].length;
    } else if (doc.startsWith('<!--', i)) {
      const end = doc.indexOf('-->', i);
      if (end < 0) throw new Error('unterminated comment');
      i = end + 3;
    } else if (doc[i] === '<') {
      i++;
      const name = NAME.exec(rest())?.[0];
      if (!name) throw new Error(`bad tag name at ${i}`);
      i += name.length;
      const el: XmlElement = { name, attrs: {}, children: [], text: '' };
      for (;;) {
        const before = i;
        skipSpace();
        if (doc.startsWith('/>', i) || doc[i] === '>') break;
        if (i === before) throw new Error(`attributes of <${name}> need white space between them`);
        const a = /^([A-Za-z_:][-A-Za-z0-9_.:]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(rest());
        if (!a) throw new Error(`bad attribute in <${name}> at ${i}: ${rest().slice(0, 30)}`);
        if (Object.hasOwn(el.attrs, a[1])) throw new Error(`duplicate attribute ${a[1]} in <${name}>`);
        // Attribute value normalization: literal tab, LF and CR become spaces.
        el.attrs[a[1]] = decode((a[3] ?? a[4]).replace(/[\t\n\r]/g, ' '), `attribute ${a[1]} of <${name}>`);
        i += a[0].length;
      }
      if (stack.length === 0 && root) throw new Error('more than one root element');
      if (stack.length) stack[stack.length - 1].children.push(el);
      else root = el;
      if (doc.startsWith('/>', i)) i += 2;
      else {
        i++;
        stack.push(el);
      }
    } else {
      const end = doc.indexOf('<', i);
      const raw = doc.slice(i, end < 0 ? doc.length : end);
      if (stack.length === 0) {
        if (raw.trim() !== '') throw new Error(`text outside the root element: ${raw.slice(0, 30)}`);
      } else stack[stack.length - 1].text += decode(raw, `text of <${stack[stack.length - 1].name}>`);
      i += raw.length;
    }
  }
  if (stack.length) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  if (!root) throw new Error('no root element');
  return root;
}
