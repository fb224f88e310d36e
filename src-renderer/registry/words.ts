// The registry's words and numbers for people: sizes, record and URI states, settlement, trust
// levels, and the layout of the relations graph (pure, tested).
import type { RecordView } from '../../src-shared/registry/contract.ts';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

export function settlementWords(witnesses: number, needed: number): string {
  if (witnesses >= needed) return `Settled: witnessed by ${witnesses} nodes`;
  return `Witnessed by ${witnesses} of ${needed} nodes`;
}

export const STATUS_WORDS = {
  verified: 'This node hashed the content and it matches',
  unverified: 'Not checked by this node yet',
  mismatch: 'This node could not get content matching the hash',
} as const;

export const URI_WORDS = {
  unchecked: 'not checked yet',
  ok: 'serves the content',
  bad: 'serves other bytes',
  unreachable: 'unreachable',
  refused: 'private address, not fetched',
} as const;

export function licenceText(l: RecordView['licence']): string {
  return 'spdx' in l ? l.spdx : l.text;
}

export interface GraphNode {
  readonly key: string;
  readonly label: string;
  readonly x: number;
  readonly y: number;
  readonly id: string | null;
  readonly centre: boolean;
}
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
}

/**
 * The record in the middle; what it points at on the right, what points at it on the left, each
 * column spread evenly. Unknown targets keep a short hash as their label.
 */
export function relationsLayout(
  r: Pick<RecordView, 'id' | 'name' | 'relations' | 'relatedFrom'>,
  width = 560,
  rowH = 44,
) {
  const right = r.relations.map((rel) => ({
    key: `out-${rel.type}-${rel.hash}`,
    label: rel.known[0]?.name ?? `${rel.hash.slice(0, 10)}…`,
    id: rel.known[0]?.id ?? null,
    type: rel.type,
  }));
  const left = r.relatedFrom.map((x) => ({ key: `in-${x.type}-${x.id}`, label: x.name, id: x.id, type: x.type }));
  const rows = Math.max(1, right.length, left.length);
  const height = rows * rowH + 20;
  const col = (items: typeof right, x: number): GraphNode[] =>
    items.map((it, i) => ({
      key: it.key,
      label: it.label,
      id: it.id,
      x,
      y: ((i + 0.5) * height) / items.length,
      centre: false,
    }));
  const centre: GraphNode = { key: 'centre', label: r.name, id: r.id, x: width / 2, y: height / 2, centre: true };
  const nodes = [centre, ...col(left, 90), ...col(right, width - 90)];
  const edges: GraphEdge[] = [
    ...left.map((l) => ({ from: l.key, to: 'centre', label: l.type })),
    ...right.map((o) => ({ from: 'centre', to: o.key, label: o.type })),
  ];
  return { width, height, nodes, edges };
}
