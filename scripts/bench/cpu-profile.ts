// Summarises V8 .cpuprofile files (written by `node --cpu-prof`, which the bench turns on with
// BENCH_CPU_PROF=<dir>): self time per package or source file, so the note can say where time goes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  hitCount?: number;
  callFrame: { functionName: string; url: string };
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Where a frame's code lives: an npm package, a file of ours, node's internals, or V8's own work. */
export function frameOwner(frame: { functionName: string; url: string }): string {
  const url = frame.url;
  if (!url) return frame.functionName ? `(${frame.functionName})` : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1];
  if (pkg) return pkg;
  const ours = url.match(/\/(src|packages|scripts|examples)\/(.+)$/);
  return ours ? `${ours[1]}/${ours[2]}` : url;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** Self time in ms per owner, largest first. */
  top: Array<{ owner: string; ms: number; share: number }>;
}

export function summariseProfile(profile: CpuProfile, file: string, limit = 12): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i]!);
    const us = deltas[i] ?? 0;
    if (!node || us <= 0) continue;
    if (node.callFrame.functionName === '(idle)') continue;
    const owner = frameOwner(node.callFrame);
    self.set(owner, (self.get(owner) ?? 0) + us);
    total += us;
  }
  const top = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([owner, us]) => ({ owner, ms: Math.round(us / 1000), share: total ? Math.round((us / total) * 1000) / 10 : 0 }));
  return { file, totalMs: Math.round(total / 1000), top };
}

export function summariseProfiles(dir: string): ProfileSummary[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => summariseProfile(JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile, f))
    .sort((a, b) => b.totalMs - a.totalMs);
}

// `tsx scripts/bench/cpu-profile.ts <dir>`: print the summaries.
if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: tsx scripts/bench/cpu-profile.ts <directory of .cpuprofile files>');
  for (const s of summariseProfiles(dir)) {
    console.log(`\n${s.file}: ${s.totalMs} ms of CPU (not idle)`);
    for (const t of s.top) console.log(`  ${String(t.share).padStart(5)}%  ${String(t.ms).padStart(6)} ms  ${t.owner}`);
  }
}
