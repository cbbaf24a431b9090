'use client';

import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDuration } from '@/app/_ui/format';

/** One bucket as the charts use it. */
export interface ChartPoint {
  t: number;
  runs: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  failureRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
}

// Same hues as the status colours in globals.css (SVG attributes cannot read CSS variables everywhere).
const COLORS = {
  succeeded: '#2e9b57',
  failed: '#dc3b2f',
  cancelled: '#d98b12',
  other: '#9aa3ad',
  p50: '#3b6cf0',
  p95: '#8a3ffc',
  grid: '#e1e4e8',
};
const HEIGHT = 210;
const pad = (n: number) => String(n).padStart(2, '0');

/** Axis labels: time of day, with the date when the range spans days. */
export function timeLabel(t: number, withDate: boolean): string {
  const d = new Date(t);
  const clock = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return withDate ? `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock}` : clock;
}

const perMinute = (n: number, bucketMs: number) => Math.round((n / (bucketMs / 60_000)) * 1000) / 1000;

interface ChartProps {
  points: readonly ChartPoint[];
  bucketMs: number;
  withDate: boolean;
}

function xAxis(withDate: boolean) {
  return <XAxis dataKey="t" tickFormatter={(t: number) => timeLabel(t, withDate)} minTickGap={28} tick={{ fontSize: 11 }} />;
}

/** Tooltips always name the day: a bucket's time alone is ambiguous over 24 h. */
const tooltipLabel = (t: unknown) => timeLabel(Number(t), true);

/** Runs started per minute in each bucket, stacked by outcome (bucket counts divided by its minutes). */
export function RunsPerMinuteChart({ points, bucketMs, withDate }: ChartProps) {
  const data = points.map((p) => ({
    t: p.t,
    succeeded: perMinute(p.succeeded, bucketMs),
    failed: perMinute(p.failed, bucketMs),
    cancelled: perMinute(p.cancelled, bucketMs),
    other: perMinute(p.runs - p.succeeded - p.failed - p.cancelled, bucketMs),
  }));
  return (
    <ResponsiveContainer width="100%" height={HEIGHT}>
      <BarChart data={data} margin={{ top: 6, right: 12, bottom: 0, left: 0 }} barCategoryGap={1}>
        <CartesianGrid stroke={COLORS.grid} vertical={false} />
        {xAxis(withDate)}
        <YAxis width={44} domain={[0, 'auto']} tick={{ fontSize: 11 }} allowDecimals />
        <Tooltip labelFormatter={tooltipLabel} formatter={(v) => `${Number(v)} / min`} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="succeeded" name="succeeded" stackId="runs" fill={COLORS.succeeded} isAnimationActive={false} />
        <Bar dataKey="failed" name="failed" stackId="runs" fill={COLORS.failed} isAnimationActive={false} />
        <Bar dataKey="cancelled" name="cancelled" stackId="runs" fill={COLORS.cancelled} isAnimationActive={false} />
        <Bar dataKey="other" name="queued / running" stackId="runs" fill={COLORS.other} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Failed ÷ (succeeded + failed) per bucket; a gap where nothing ended. */
export function FailureRateChart({ points, withDate }: ChartProps) {
  const data = points.map((p) => ({ t: p.t, failureRate: p.failureRate === null ? null : Math.round(p.failureRate * 1000) / 10 }));
  return (
    <ResponsiveContainer width="100%" height={HEIGHT}>
      <LineChart data={data} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={COLORS.grid} vertical={false} />
        {xAxis(withDate)}
        <YAxis width={44} domain={[0, 100]} unit="%" tick={{ fontSize: 11 }} />
        <Tooltip labelFormatter={tooltipLabel} formatter={(v) => `${v} %`} />
        <Line dataKey="failureRate" name="failure rate" stroke={COLORS.failed} strokeWidth={2} dot={{ r: 1.5 }} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}

/** p50 and p95 of start-to-finish durations of the runs that ended in each bucket. */
export function DurationChart({ points, withDate }: ChartProps) {
  return (
    <ResponsiveContainer width="100%" height={HEIGHT}>
      <LineChart data={points as ChartPoint[]} margin={{ top: 6, right: 12, bottom: 0, left: 8 }}>
        <CartesianGrid stroke={COLORS.grid} vertical={false} />
        {xAxis(withDate)}
        <YAxis width={60} domain={[0, 'auto']} tickFormatter={(ms: number) => formatDuration(ms)} tick={{ fontSize: 11 }} />
        <Tooltip labelFormatter={tooltipLabel} formatter={(v) => formatDuration(Number(v))} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Line dataKey="p50Ms" name="p50" stroke={COLORS.p50} strokeWidth={2} dot={{ r: 1.5 }} isAnimationActive={false} />
        <Line dataKey="p95Ms" name="p95" stroke={COLORS.p95} strokeWidth={2} dot={{ r: 1.5 }} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}
