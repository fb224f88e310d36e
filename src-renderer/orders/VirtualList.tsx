// A scrolling list of fixed-height rows that renders only the rows in view (see virtual.ts),
// so a book with thousands of orders costs the same to draw as one with twenty.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { rowWindow } from './virtual.ts';

export function VirtualList<T>(props: {
  items: readonly T[];
  rowHeight: number;
  render: (item: T, index: number) => ReactNode;
  className?: string;
  testId?: string;
  label: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 400 });

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let frame = 0;
    const measure = () => {
      frame = 0;
      setView((v) =>
        v.top === el.scrollTop && v.height === el.clientHeight ? v : { top: el.scrollTop, height: el.clientHeight },
      );
    };
    const onScroll = () => {
      if (!frame) frame = requestAnimationFrame(measure);
    };
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    el.addEventListener('scroll', onScroll, { passive: true });
    measure();
    return () => {
      ro.disconnect();
      el.removeEventListener('scroll', onScroll);
      if (frame) cancelAnimationFrame(frame);
    };
  }, []);

  const w = rowWindow(view.top, view.height, props.rowHeight, props.items.length);
  const rows: ReactNode[] = [];
  for (let i = w.start; i < w.end; i++) rows.push(props.render(props.items[i] as T, i));
  // Sizes change with the data, so they are set through CSSOM (which the CSP allows), not markup.
  return (
    <div
      ref={ref}
      className={`vlist ${props.className ?? ''}`}
      data-testid={props.testId}
      role="list"
      aria-label={props.label}
      data-rows={props.items.length}
    >
      <div className="vlist-space" style={{ height: w.total }}>
        <div className="vlist-rows" style={{ transform: `translateY(${w.offset}px)` }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
