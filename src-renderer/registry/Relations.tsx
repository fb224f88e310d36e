// A record's relations as a small SVG graph: what points at it on the left, what it points at on
// the right; known records are links.
import type { RecordView } from '../../src-shared/registry/contract.ts';
import { href } from '../app/routes.ts';
import { relationsLayout } from './words.ts';

export function Relations(props: { record: RecordView }) {
  const g = relationsLayout(props.record);
  const at = new Map(g.nodes.map((n) => [n.key, n]));
  return (
    <div className="panel stack">
      <h2>Related content</h2>
      <svg
        className="registry-graph"
        viewBox={`0 0 ${g.width} ${g.height}`}
        role="img"
        aria-label="Relations"
        data-testid="registry-graph"
      >
        {g.edges.map((e) => {
          const a = at.get(e.from)!;
          const b = at.get(e.to)!;
          return (
            <g key={`${e.from}-${e.to}`}>
              <line
                x1={a.x + (a.x < b.x ? 80 : -80)}
                y1={a.y}
                x2={b.x + (a.x < b.x ? -80 : 80)}
                y2={b.y}
                className="registry-edge"
                markerEnd="url(#registry-arrow)"
              />
              <text x={(a.x + b.x) / 2} y={(a.y + b.y) / 2 - 4} className="registry-edge-label" textAnchor="middle">
                {e.label}
              </text>
            </g>
          );
        })}
        <defs>
          <marker
            id="registry-arrow"
            viewBox="0 0 10 10"
            refX="10"
            refY="5"
            markerWidth="6"
            markerHeight="6"
            orient="auto"
          >
            <path d="M0 0L10 5L0 10z" className="registry-arrow" />
          </marker>
        </defs>
        {g.nodes.map((n) => {
          const label = n.label.length > 22 ? `${n.label.slice(0, 21)}…` : n.label;
          const body = (
            <g>
              <rect
                x={n.x - 80}
                y={n.y - 14}
                width={160}
                height={28}
                rx={6}
                className={n.centre ? 'registry-node centre' : 'registry-node'}
              />
              <text x={n.x} y={n.y + 4} textAnchor="middle" className="registry-node-label">
                {label}
              </text>
            </g>
          );
          return n.id && !n.centre ? (
            <a key={n.key} href={href('registry', 'record', n.id)}>
              {body}
            </a>
          ) : (
            <g key={n.key}>{body}</g>
          );
        })}
      </svg>
    </div>
  );
}
