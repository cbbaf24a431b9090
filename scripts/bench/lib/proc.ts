import { readdirSync, readFileSync } from 'node:fs';

/** VmRSS of one process in KiB, or 0 when it is gone (Linux /proc only). */
export function rssKiB(pid: number): number {
  return statusKiB(pid, 'VmRSS');
}

/** A `kB` field of /proc/<pid>/status (VmRSS, VmHWM = peak RSS since start), 0 when it is gone. */
function statusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** KiB (what /proc reports) to MB (10^6 bytes, the unit of the memory goal), one decimal. */
export const kibToMB = (kib: number): number => Math.round((kib * 1024) / 100_000) / 10;

/** The kernel's peak RSS (VmHWM) of one process, in MB; 0 when it is gone. */
export function peakRssMB(pid: number): number {
  return kibToMB(statusKiB(pid, 'VmHWM'));
}

export interface PeakRss {
  /** Highest sum of VmRSS over the group's processes seen at one sample. */
  peakMB: number;
  /** Highest VmHWM of a single process of the group (the kernel's own peak, between samples too). */
  largestProcessPeakMB: number;
  /** Distinct pids seen in the group. */
  processes: number;
  samples: number;
}

/**
 * Samples the RSS of process groups (e.g. every engine, every worker process with their children)
 * every `intervalMs` until stop(). Groups are re-resolved every few samples (walking /proc is the
 * costly part), so processes started later count too. Linux /proc only.
 */
export function rssSampler(groups: Record<string, () => number[]>, intervalMs = 250): { stop(): Record<string, PeakRss> } {
  const state = new Map(
    Object.keys(groups).map((name) => [name, { peakKiB: 0, hwmKiB: new Map<number, number>(), samples: 0, pids: [] as number[] }]),
  );
  const sample = (resolvePids: boolean) => {
    for (const [name, pids] of Object.entries(groups)) {
      const s = state.get(name)!;
      if (resolvePids || s.samples % 4 === 0) s.pids = pids();
      let sum = 0;
      for (const pid of s.pids) {
        sum += rssKiB(pid);
        const hwm = statusKiB(pid, 'VmHWM');
        if (hwm) s.hwmKiB.set(pid, hwm);
      }
      s.peakKiB = Math.max(s.peakKiB, sum);
      s.samples++;
    }
  };
  sample(true);
  const timer = setInterval(() => sample(false), intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample(true);
      return Object.fromEntries(
        [...state].map(([name, s]) => [
          name,
          {
            peakMB: kibToMB(s.peakKiB),
            largestProcessPeakMB: kibToMB(Math.max(0, ...s.hwmKiB.values())),
            processes: s.hwmKiB.size,
            samples: s.samples,
          },
        ]),
      );
    },
  };
}

/** `pid` and all its descendants, found through the ppid field of /proc/<pid>/stat. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // comm (field 2) may contain spaces and parentheses: parse after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // exited while we looked
    }
  }
  const tree: number[] = [];
  const visit = (p: number) => {
    tree.push(p);
    for (const c of children.get(p) ?? []) visit(c);
  };
  visit(pid);
  return tree;
}

export interface TreeRss {
  pids: number[];
  /** Sum of VmRSS over the process and its descendants (shared pages counted once per process). */
  rssMiB: number;
  /** The largest single process of the tree (the node that does the work, not the tsx/next launcher). */
  largestMiB: number;
}

export function treeRss(pid: number | undefined): TreeRss {
  if (!pid) return { pids: [], rssMiB: 0, largestMiB: 0 };
  const pids = processTree(pid);
  const sizes = pids.map(rssKiB);
  return {
    pids,
    rssMiB: Math.round(sizes.reduce((s, v) => s + v, 0) / 1024),
    largestMiB: Math.round(Math.max(0, ...sizes) / 1024),
  };
}

const CLOCK_TICKS = 100; // getconf CLK_TCK on Linux x86-64

/** User + system CPU seconds a process has used so far (0 when it is gone). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime field 15.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** Pids whose command name (comm) is exactly `name`, e.g. every `postgres` backend. */
export function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // exited
    }
  }
  return pids;
}

/**
 * CPU seconds used between the call and `stop()` by named groups of processes, plus
 * `other processes` (the machine's busy time minus the groups: anything else running, e.g.
 * someone's test suite, which skews the figures). Processes that exit in between are not counted.
 */
export function cpuMeter(groups: Record<string, () => number[]>): { stop(): Record<string, number> } {
  const read = () => {
    const out: Record<string, Map<number, number>> = {};
    for (const [name, pids] of Object.entries(groups)) out[name] = new Map(pids().map((p) => [p, cpuSeconds(p)]));
    return out;
  };
  const before = read();
  const machineBefore = machineBusySeconds();
  return {
    stop() {
      const machine = machineBusySeconds() - machineBefore;
      const after = read();
      const result: Record<string, number> = {};
      let ours = 0;
      for (const name of Object.keys(groups)) {
        let sum = 0;
        for (const [pid, s] of after[name]!) sum += s - (before[name]!.get(pid) ?? 0);
        result[name] = Math.round(sum * 100) / 100;
        ours += sum;
      }
      result['other processes'] = Math.round(Math.max(0, machine - ours) * 100) / 100;
      return result;
    },
  };
}

/** Pids whose command line contains `text`, e.g. the `postgres: … <database> …` backends of one database. */
export function pidsWithCmdline(comm: string, text: string): number[] {
  return pidsNamed(comm).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
    } catch {
      return false;
    }
  });
}

/** CPU seconds the whole machine spent busy (all cores, not idle or iowait) since boot. */
export function machineBusySeconds(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((s, v) => s + v, 0); // user..steal; guest is already in user
  return (total - fields[3]! - fields[4]!) / CLOCK_TICKS;
}

/** How many cores the machine keeps busy over `ms` (0 = idle, 2 = both cores of a 2-core box). */
export async function busyCores(ms = 2000): Promise<number> {
  const t0 = performance.now();
  const b0 = machineBusySeconds();
  await new Promise((r) => setTimeout(r, ms));
  return Math.round(((machineBusySeconds() - b0) / ((performance.now() - t0) / 1000)) * 100) / 100;
}
