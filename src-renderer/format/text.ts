// Small text helpers for dense tables: long identifiers shortened in the middle (the full
// value stays available to copy), durations in words.

/** "12D3KooWAbCdEf…XyZ123" — keeps both ends, which is what people compare by eye. */
export function shortenMiddle(text: string, head = 8, tail = 6): string {
  if (text.length <= head + tail + 1) return text;
  return `${text.slice(0, head)}\u2026${text.slice(-tail)}`;
}

/** 59 → "59 s", 3720 → "1 h 2 min", 90000 → "1 d 1 h". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  return `${minutes} min`;
}

/** Round-trip time: one decimal below 10 ms (loopback peers), whole milliseconds above. */
export function formatLatency(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '\u2014';
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}
