// Where a figure's article comes from: a policy path ("deductions.byType.暂停结算") leads to
// the nearest `ref:` at or above it, and a ref ("<file> <article>") is shown with the
// document's display title from `documents:` (SPEC §4, §5.6). Pure.
import type { Policy } from './schema.js';

export interface Citation {
  /** The policy path the figure used. */
  path: string;
  /** The ref found at the path or the nearest level above it, as written in the policy. */
  ref?: string;
  /** The number at the path is marked `assumed: true`: the document leaves it open. */
  assumed: boolean;
}

type Node = unknown;

/** One level down: an object key, an array index, or the array element whose `code` (or `name`) is the segment. */
function child(node: Node, segment: string): Node {
  if (Array.isArray(node)) {
    if (/^\d+$/.test(segment)) return node[Number(segment)];
    return node.find((e: unknown) => typeof e === 'object' && e !== null && ((e as { code?: unknown }).code === segment || (e as { name?: unknown }).name === segment));
  }
  if (typeof node === 'object' && node !== null) return (node as Record<string, unknown>)[segment];
  return undefined;
}

const field = (node: Node, key: 'ref' | 'assumed'): unknown => (typeof node === 'object' && node !== null && !Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined);

/** The citation of a policy path: the deepest `ref:` on the way down to it, and whether the value there is assumed. */
export function citationAt(policy: Policy, path: string): Citation {
  const segments = path === '' ? [] : path.split('.');
  let node: Node = policy;
  let ref = typeof field(node, 'ref') === 'string' ? (field(node, 'ref') as string) : undefined;
  let assumed = false;
  for (const segment of segments) {
    node = child(node, segment);
    if (node === undefined) break;
    const r = field(node, 'ref');
    if (typeof r === 'string') ref = r;
    // A plain number (deductions.keySupervision) is as assumed as the object holding it.
    if (typeof node === 'object' && node !== null) assumed = field(node, 'assumed') === true;
  }
  return { path, ref, assumed };
}

/** Splits "<file> <article>" into the document file and the article; null when the ref names no document file. */
export function refDocument(ref: string): { file: string; article: string } | null {
  const m = /^(\S+\.(?:txt|pdf|docx?|html?))\s*(.*)$/i.exec(ref.trim());
  return m ? { file: m[1] ?? '', article: m[2] ?? '' } : null;
}

/**
 * A ref as the public reads it: the document's display title and the article
 * ("《…办法》第N条" from "<file>.txt 第N条"). The policy check
 * guarantees every document file a ref names has a title, so a file name never shows.
 */
export function citeRef(policy: Policy, ref: string | undefined): string {
  if (!ref) return '';
  const doc = refDocument(ref);
  if (!doc) return ref;
  const title = policy.documents?.[doc.file];
  return title ? `${title}${doc.article}` : ref;
}

/** The display citation of a policy path, '' when no ref is found. */
export function citePath(policy: Policy, path: string): string {
  return citeRef(policy, citationAt(policy, path).ref);
}

/** Every `ref:` in the policy with its path, for the load-time check that each names a known document. */
export function allRefs(node: Node, path: (string | number)[] = []): { path: (string | number)[]; ref: string }[] {
  const out: { path: (string | number)[]; ref: string }[] = [];
  if (Array.isArray(node)) node.forEach((e, i) => out.push(...allRefs(e, [...path, i])));
  else if (typeof node === 'object' && node !== null) {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'ref' && typeof v === 'string') out.push({ path: [...path, k], ref: v });
      else out.push(...allRefs(v, [...path, k]));
    }
  }
  return out;
}
