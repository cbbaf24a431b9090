import { describe, expect, it } from 'vitest';
import type { HttpClient } from '../client/http';
import { WhetstoneWorker } from '../worker/worker';

const http = {} as HttpClient;

describe('worker.registerAction and YAML-only workers', () => {
  it('lets a worker without code workflows be created, unless YAML is turned off', () => {
    expect(() => new WhetstoneWorker(http, 'yaml-only', {})).not.toThrow();
    expect(() => new WhetstoneWorker(http, 'nothing', { declarative: false })).toThrow("Worker 'nothing' needs at least one workflow");
  });

  it('validates action names and refuses duplicates', () => {
    const worker = new WhetstoneWorker(http, 'w', {});
    expect(worker.registerAction('echo:echo', (input: { message: string }) => input.message)).toBe(worker);
    expect(() => worker.registerAction('echo:echo', () => null)).toThrow("action 'echo:echo' is already registered");
    expect(() => worker.registerAction('echo', () => null)).toThrow(/invalid action name "echo"/);
  });
});
