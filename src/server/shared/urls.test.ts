import { describe, expect, it } from 'vitest';
import { playgroundPath, projectPath, runPath, taskAnchor, taskFromAnchor, whatIfPath, withQuery, workflowPath } from './urls';

const run = '01900000-0000-7000-8000-000000000000';
const report = '01900000-0000-7000-8000-0000000000ff';

describe('projectPath', () => {
  it('is the runs list without a section', () => expect(projectPath('default')).toBe('/p/default'));
  it('appends the section', () => {
    expect(projectPath('default', 'settings')).toBe('/p/default/settings');
    expect(projectPath('default', 'what-if')).toBe('/p/default/what-if');
  });
  it('encodes the slug as one segment', () => expect(projectPath('a b/c')).toBe('/p/a%20b%2Fc'));
});

describe('runPath', () => {
  it('is the run page', () => {
    expect(runPath('default', run)).toBe(`/p/default/runs/${run}`);
    expect(runPath('a b', run)).toBe(`/p/a%20b/runs/${run}`);
  });
  it('opens a task with its #task- anchor (the name encoded)', () => {
    expect(runPath('a', run, { task: 'classify' })).toBe(`/p/a/runs/${run}#task-classify`);
    expect(runPath('a', run, { task: 'draft reply/v2' })).toBe(`/p/a/runs/${run}#task-draft%20reply%2Fv2`);
    expect(runPath('a', run, { task: '' })).toBe(`/p/a/runs/${run}`);
  });
});

describe('playgroundPath', () => {
  it('encodes the task name as one path segment', () => {
    expect(playgroundPath('default', run, 'draft-reply')).toBe(`/p/default/runs/${run}/playground/draft-reply`);
    expect(playgroundPath('default', run, 'a/b c?#')).toBe(`/p/default/runs/${run}/playground/a%2Fb%20c%3F%23`);
    expect(playgroundPath('a', run, 'draft reply/v2')).toBe(`/p/a/runs/${run}/playground/draft%20reply%2Fv2`);
  });
  it('adds the batch as a query parameter', () => {
    expect(playgroundPath('default', run, 'draft', 'b-1')).toBe(`/p/default/runs/${run}/playground/draft?batch=b-1`);
    expect(playgroundPath('default', run, 'draft', 'b&c')).toBe(`/p/default/runs/${run}/playground/draft?batch=b%26c`);
  });
});

describe('whatIfPath', () => {
  it('is the reports list, or one report', () => {
    expect(whatIfPath('default')).toBe('/p/default/what-if');
    expect(whatIfPath('default', report)).toBe(`/p/default/what-if/${report}`);
  });
});

describe('workflowPath', () => {
  it('encodes the name as one segment', () => {
    expect(workflowPath('default', 'support-reply')).toBe('/p/default/workflows/support-reply');
    expect(workflowPath('default', 'a/b')).toBe('/p/default/workflows/a%2Fb');
  });
});

describe('withQuery', () => {
  it('encodes each value and leaves undefined ones out', () => {
    expect(withQuery('/p/default', { workflow: 'a b&c' })).toBe('/p/default?workflow=a%20b%26c');
    expect(withQuery('/p/default/events', { id: report, key: undefined })).toBe(`/p/default/events?id=${report}`);
  });
  it('adds no ? without values', () => expect(withQuery('/p/default/usage', { range: undefined })).toBe('/p/default/usage'));
});

describe('task anchors', () => {
  it('round-trips a task name through the run page fragment', () => {
    for (const name of ['classify', 'draft reply/v2', '100%', 'ümlaut#1']) expect(taskFromAnchor(taskAnchor(name))).toBe(name);
  });
  it('names no task for other fragments or bad encodings', () => {
    expect(taskFromAnchor('timeline')).toBeNull();
    expect(taskFromAnchor('task-%E0%A4%A')).toBeNull();
  });
});
