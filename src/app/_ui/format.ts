// Pure formatting helpers for the dashboard (shared by server and client code).

/** Pretty-printed JSON above this many characters is cut until the user asks for all of it. */
export const TRUNCATE_AT = 20 * 1024;

/** 850 → "850 ms", 1234 → "1.23 s", 75_000 → "1m 15s", 7_380_000 → "2h 3m". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(Math.floor(ms / 10) / 100).toFixed(2)} s`;
  if (ms < 60_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)} s`;
  const totalSeconds = Math.floor(ms / 1000);
  const s = totalSeconds % 60;
  const totalMinutes = Math.floor(totalSeconds / 60);
  const m = totalMinutes % 60;
  const totalHours = Math.floor(totalMinutes / 60);
  if (totalHours === 0) return `${m}m ${s}s`;
  const h = totalHours % 24;
  const d = Math.floor(totalHours / 24);
  return d === 0 ? `${h}h ${m}m` : `${d}d ${h}h`;
}

/** Duration of something that may still be going: finished ones are fixed, running ones tick. */
export function elapsedMs(startedAt: Date | null, finishedAt: Date | null, now: number): number | null {
  if (!startedAt) return null;
  return Math.max(0, (finishedAt ? finishedAt.getTime() : now) - startedAt.getTime());
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago", or a date past 30 days. */
export function formatRelative(date: Date, now: number): string {
  const diff = now - date.getTime();
  if (diff < 5_000) return 'just now';
  const s = Math.floor(diff / 1000);
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.floor(h / 24);
  if (d <= 30) return `${d} d ago`;
  return formatAbsolute(date).slice(0, 10);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Local time as "2026-11-21 05:30:12". */
export function formatAbsolute(date: Date): string {
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/** "05:30:12.345" — for log lines. */
export function formatClock(date: Date): string {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** Text for a JSON value: strings as they are (LLM text reads better raw), the rest pretty-printed. */
export function toDisplayText(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

export interface Truncated {
  text: string;
  truncated: boolean;
  /** Characters not shown. */
  hidden: number;
}

/** Cuts text at `limit` characters without splitting a surrogate pair. */
export function truncateText(text: string, limit = TRUNCATE_AT): Truncated {
  if (text.length <= limit) return { text, truncated: false, hidden: 0 };
  let end = Math.max(0, limit);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return { text: text.slice(0, end), truncated: true, hidden: text.length - end };
}

/** 20480 → "20 KB", 1234567 → "1.2 MB" (characters, close enough to bytes for a hint). */
export function formatSize(chars: number): string {
  if (chars < 1024) return `${chars} chars`;
  if (chars < 1024 * 1024) return `${Math.round(chars / 1024)} KB`;
  return `${(chars / (1024 * 1024)).toFixed(1)} MB`;
}
