import { LgspError } from '../errors.js';
import type { EdxmlRawElement } from '../edxml/model.js';
import type { XmlAttribute, XmlHandler, XmlName } from './reader.js';

/** An element of a parsed document. Text of mixed content is concatenated. */
export interface XmlElement {
  readonly name: XmlName;
  readonly attributes: readonly XmlAttribute[];
  readonly children: XmlElement[];
  text: string;
  /** Byte offset of the start tag. */
  readonly offset: number;
  /** Slash-separated local names from the root, e.g. `edXML/edXMLEnvelope/edXMLHeader`. */
  readonly path: string;
}

/** Receives the text of an element chosen for streaming instead of it being kept in the tree. */
export interface XmlTextSink {
  text(text: string, offset: number): void;
  end(offset: number): void;
}

export interface TreeBuilderOptions {
  /** Maximum characters of text kept for one element. */
  readonly maxTextLength: number;
  /** Returns a sink for elements whose text should be streamed rather than kept. */
  readonly stream?: (element: XmlElement) => XmlTextSink | undefined;
}

/** Builds a light element tree from {@link XmlReader} events. */
export class TreeBuilder implements XmlHandler {
  root: XmlElement | undefined;
  private readonly stack: { element: XmlElement; sink: XmlTextSink | undefined }[] = [];

  constructor(private readonly options: TreeBuilderOptions) {}

  start(name: XmlName, attributes: readonly XmlAttribute[], offset: number): void {
    const parent = this.stack[this.stack.length - 1]?.element;
    const element: XmlElement = {
      name,
      attributes,
      children: [],
      text: '',
      offset,
      path: parent === undefined ? name.local : `${parent.path}/${name.local}`,
    };
    if (parent === undefined) this.root = element;
    else parent.children.push(element);
    this.stack.push({ element, sink: this.options.stream?.(element) });
  }

  text(text: string, offset: number): void {
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) return;
    if (top.sink !== undefined) {
      top.sink.text(text, offset);
      return;
    }
    if (top.element.text.length + text.length > this.options.maxTextLength) {
      throw new LgspError(
        'EDXML_LIMIT_EXCEEDED',
        `the text of ${top.element.path} is longer than ${this.options.maxTextLength} characters (byte ${offset}) / nội dung của ${top.element.path} dài quá ${this.options.maxTextLength} ký tự`,
        { details: { path: top.element.path, offset } },
      );
    }
    top.element.text += text;
  }

  end(_name: XmlName, offset: number): void {
    const top = this.stack.pop();
    top?.sink?.end(offset);
  }
}

/** First child with the given local name (namespaces are checked once, at the root). */
export function child(element: XmlElement | undefined, local: string): XmlElement | undefined {
  return element?.children.find((c) => c.name.local === local);
}

/** All children with the given local name. */
export function children(element: XmlElement | undefined, local: string): XmlElement[] {
  return element === undefined ? [] : element.children.filter((c) => c.name.local === local);
}

/** Trimmed text of a child element, `undefined` when the child is absent. */
export function childText(element: XmlElement | undefined, local: string): string | undefined {
  const c = child(element, local);
  return c === undefined ? undefined : c.text.trim();
}

/** Converts an element to the plain, serializable shape used for raw edXML parts and SOAP bodies. */
export function toRawElement(el: XmlElement): EdxmlRawElement {
  const attributes: Record<string, string> = {};
  for (const a of el.attributes) if (a.name.prefix !== 'xmlns') attributes[a.qname] = a.value;
  return {
    name: el.name.local,
    ...(el.name.uri === undefined ? {} : { namespace: el.name.uri }),
    attributes,
    text: el.children.length > 0 ? el.text.trim() : el.text,
    children: el.children.map(toRawElement),
  };
}
