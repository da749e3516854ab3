import { XMLBuilder } from 'fast-xml-parser';

/**
 * GeoReport v2 output. The JSON is the XML under the Spark convention: a list element becomes an
 * array of what it repeats (`<services><service>…</service></services>` ⇄ `[{…}]`). So responses are
 * built once as JSON-shaped values, and the XML is derived here by naming, for every list, the
 * element it repeats.
 */
export type Format = 'xml' | 'json';

export const CONTENT_TYPE: Record<Format, string> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** List element → the element it repeats, for every list GeoReport v2 and Service Discovery have. */
const ITEM_OF: Record<string, string> = {
  services: 'service',
  attributes: 'attribute',
  values: 'value',
  service_requests: 'request',
  errors: 'error',
  endpoints: 'endpoint',
  formats: 'format',
};

const builder = new XMLBuilder({
  format: true,
  indentBy: '  ',
  // Empty and null values become self-closing elements (`<account_id/>`), as in the spec's examples.
  suppressEmptyNode: true,
  ignoreAttributes: false,
});

/** A value in the shape fast-xml-parser builds: arrays under a list element repeat its item element. */
function toNode(key: string, value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) {
    const item = ITEM_OF[key];
    if (!item) throw new Error(`no item element for list <${key}>`);
    if (value.length === 0) return '';
    return { [item]: value.map((v) => toNode(item, v)) };
  }
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, toNode(k, v)]));
  }
  return typeof value === 'boolean' ? String(value) : value;
}

/** An XML document whose root element is `root`, for the JSON-shaped `value` (array or object). */
export function toXml(root: string, value: unknown): string {
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    [root]: toNode(root, value),
  }) as string;
}

/** The body for a response in `format`: the JSON as is, or its XML under `root`. */
export function render(format: Format, root: string, value: unknown): string {
  return format === 'json' ? JSON.stringify(value) : toXml(root, value);
}
