// The processes the chaos run kills: its SDK worker processes and the stack's engine. Each is
// supervised the way a process manager would (a process that dies without being killed by a
// fault is reported as a crash and started again), and everything they print goes to a log file.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestStack } from '../../tests/helpers/stack';
import { startProcess, type ManagedProcess } from '../stack/processes';

export type Log = (line: string) => void;

export const isAlive = (p: ManagedProcess) => p.child.exitCode === null && p.child.signalCode === null;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Appends every line a process prints to `<dir>/<name>.log`, prefixed with its pid and a timestamp. */
export function captureOutput(dir: string, proc: ManagedProcess): void {
  const file = join(dir, `${proc.name}.log`);
  const pid = proc.child.pid;
  const write = (text: string) => appendFileSync(file, text);
  const earlier = proc.tail();
  write(
    `==== ${new Date().toISOString()} ${proc.name} pid ${pid} ====\n${earlier ? `${earlier}\n---- (above: printed before capture started) ----\n` : ''}`,
  );
  const onData = (chunk: Buffer) => {
    const stamp = new Date().toISOString();
    write(
      chunk
        .toString()
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => `${stamp} [${pid}] ${l}\n`)
        .join(''),
    );
  };
  proc.child.stdout?.on('data', onData);
  proc.child.stderr?.on('data', onData);
  void proc.exited.then((code) =>
    write(`${new Date().toISOString()} [${pid}] ==== exited (code ${code}, signal ${proc.child.signalCode}) ====\n`),
  );
}

export async function waitForLine(proc: ManagedProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(proc.tail())) {
    if (!isAlive(proc))
      throw new Error(
        `${proc.name} (pid ${proc.child.pid}) exited (code ${proc.child.exitCode}) before printing ${pattern}:\n${proc.tail()}`,
      );
    if (Date.now() > deadline)
      throw new Error(`${proc.name} (pid ${proc.child.pid}) did not print ${pattern} within ${timeoutMs / 1000} s:\n${proc.tail()}`);
    await sleep(100);
  }
}

export interface Crash {
  at: string;
  process: string;
  pid?: number;
  code: number | null;
  signal: string | null;
  tail: string;
}

/** The chaos SDK workers: `count` processes, each one `node --import tsx scripts/chaos/worker.ts`. */
export class ChaosWorkers {
  private seq = 0;
  private readonly live = new Set<ManagedProcess>();
  private readonly killedByUs = new WeakSet<ManagedProcess>();
  private stopping = false;
  readonly crashes: Crash[] = [];

  constructor(
    private readonly opts: {
      root: string;
      env: NodeJS.ProcessEnv;
      execLog: string;
      logDir: string;
      slots: number;
      echo: boolean;
      log: Log;
    },
  ) {}

  async start(): Promise<ManagedProcess> {
    const name = `chaos-${++this.seq}`;
    const proc = startProcess(name, process.execPath, ['--import', 'tsx', 'scripts/chaos/worker.ts'], {
      env: { ...this.opts.env, CHAOS_WORKER_NAME: name, CHAOS_EXEC_LOG: this.opts.execLog, CHAOS_SLOTS: String(this.opts.slots) },
      echo: this.opts.echo,
      cwd: this.opts.root,
    });
    captureOutput(this.opts.logDir, proc);
    this.live.add(proc);
    void proc.exited.then((code) => {
      this.live.delete(proc);
      if (this.killedByUs.has(proc) || this.stopping) return;
      this.crashes.push({
        at: new Date().toISOString(),
        process: name,
        pid: proc.child.pid,
        code,
        signal: proc.child.signalCode,
        tail: proc.tail(),
      });
      this.opts.log(
        `!! worker ${name} (pid ${proc.child.pid}) exited on its own (code ${code}); starting a replacement. Last lines:\n${indent(proc.tail())}`,
      );
      this.start().catch((err: Error) => this.opts.log(`!! could not start a replacement worker: ${err.message}`));
    });
    await waitForLine(proc, /registered as/, 60_000);
    return proc;
  }

  /** SIGKILLs the oldest live worker (its whole process group) and starts a replacement. */
  async killOne(): Promise<string> {
    const victim = [...this.live][0];
    if (!victim) throw new Error('no live chaos worker to kill');
    this.killedByUs.add(victim);
    await victim.stop('SIGKILL');
    const replacement = await this.start();
    return `SIGKILLed ${victim.name} (pid ${victim.child.pid}); started ${replacement.name} (pid ${replacement.child.pid})`;
  }

  /** SIGTERM: the SDK finishes running tasks and reports before exiting. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.live].map((p) => p.stop('SIGTERM', 10_000)));
  }
}

/** The stack's engine: killed and restarted by a fault, restarted after a crash like a supervisor would. */
export class EngineControl {
  private readonly killedByUs = new WeakSet<ManagedProcess>();
  private busy = false;
  private stopping = false;
  private timer?: NodeJS.Timeout;
  readonly crashes: Crash[] = [];

  constructor(
    private readonly stack: TestStack,
    private readonly opts: { logDir: string; log: Log; downMs: number },
  ) {
    for (const p of this.engines()) captureOutput(opts.logDir, p);
  }

  private engines(): ManagedProcess[] {
    return this.stack.processes.filter((p) => p.name === 'engine' && isAlive(p));
  }

  /** Every second: no live engine and no fault busy with it means it crashed: report and restart it. */
  supervise(): void {
    this.timer = setInterval(() => {
      if (this.busy || this.stopping || this.engines().length) return;
      const dead = this.stack.processes.filter((p) => p.name === 'engine' && !this.killedByUs.has(p));
      const last = dead[dead.length - 1];
      if (last) {
        this.killedByUs.add(last); // reported once
        this.crashes.push({
          at: new Date().toISOString(),
          process: 'engine',
          pid: last.child.pid,
          code: last.child.exitCode,
          signal: last.child.signalCode,
          tail: last.tail(),
        });
        this.opts.log(
          `!! the engine (pid ${last.child.pid}) exited on its own (code ${last.child.exitCode}); restarting it. Last lines:\n${indent(last.tail())}`,
        );
      }
      void this.restart().catch((err: Error) => this.opts.log(`!! engine restart failed: ${err.message}`));
    }, 1_000);
  }

  /** SIGKILLs every live engine (process group), waits `downMs`, starts one and waits until it is ready. */
  async killAndRestart(): Promise<string> {
    this.busy = true;
    try {
      const victims = this.engines();
      for (const v of victims) this.killedByUs.add(v);
      await Promise.all(victims.map((v) => v.stop('SIGKILL')));
      await sleep(this.opts.downMs);
      const proc = await this.startOne();
      return `SIGKILLed engine pid ${victims.map((v) => v.child.pid).join(', ') || '(none alive)'}; down ${this.opts.downMs} ms; restarted as pid ${proc.child.pid}`;
    } finally {
      this.busy = false;
    }
  }

  private async restart(): Promise<void> {
    this.busy = true;
    try {
      await this.startOne();
    } finally {
      this.busy = false;
    }
  }

  private async startOne(): Promise<ManagedProcess> {
    const proc = this.stack.startEngine();
    captureOutput(this.opts.logDir, proc);
    await waitForLine(proc, /\[engine\] ready/, 60_000);
    return proc;
  }

  stop(): void {
    this.stopping = true;
    clearInterval(this.timer);
  }
}

export function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
