import { describe, expect, it } from 'vitest';
import { DeclarativeWorkflowError } from './errors';
import { parseDeclarativeWorkflow } from './parse';

const HATCHET_EXAMPLE = `name: "post-user-sign-up"
version: v0.2.0
triggers:
  events:
    - user:create
  crons: ["*/15 * * * *"]
jobs:
  print-user:
    steps:
      - id: echo1
        action: echo:echo
        timeout: 60s
        with:
          message: "Username is {{ .user.username }}"
      - id: echo2
        action: echo:echo
        retries: 2
        with:
          message: "Email is {{ .user.email }}"
`;

/** The problems of a refused file as `line:column: message`. */
function problemsOf(text: string): string[] {
  try {
    parseDeclarativeWorkflow(text, 'wf.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(DeclarativeWorkflowError);
    const error = err as DeclarativeWorkflowError;
    expect(error.problems.every((p) => p.file === 'wf.yaml')).toBe(true);
    return error.problems.map((p) => `${p.line}:${p.column}: ${p.message}`);
  }
  throw new Error('expected the file to be refused');
}

describe('parseDeclarativeWorkflow', () => {
  it("reads Hatchet's v0 format", () => {
    expect(parseDeclarativeWorkflow(HATCHET_EXAMPLE, 'wf.yaml')).toEqual({
      file: 'wf.yaml',
      name: 'post-user-sign-up',
      version: 'v0.2.0',
      description: undefined,
      events: ['user:create'],
      crons: ['*/15 * * * *'],
      jobs: [
        {
          name: 'print-user',
          description: undefined,
          steps: [
            {
              id: 'echo1',
              taskName: 'print-user__echo1',
              action: 'echo:echo',
              timeout: '60s',
              retries: undefined,
              with: { message: 'Username is {{ .user.username }}' },
            },
            {
              id: 'echo2',
              taskName: 'print-user__echo2',
              action: 'echo:echo',
              timeout: undefined,
              retries: 2,
              with: { message: 'Email is {{ .user.email }}' },
            },
          ],
        },
      ],
    });
  });

  it('takes `on:` as well as `triggers:`, and no triggers at all', () => {
    const spec = parseDeclarativeWorkflow(
      'name: w\non:\n  events: [a:b]\njobs:\n  j:\n    steps:\n      - id: s\n        action: x:y\n',
      'wf.yaml',
    );
    expect(spec).toMatchObject({ events: ['a:b'], crons: [], jobs: [{ name: 'j', steps: [{ id: 's', with: {} }] }] });
    expect(parseDeclarativeWorkflow('name: w\njobs:\n  j:\n    steps: [{ id: s, action: "x:y" }]\n', 'wf.yaml').events).toEqual([]);
  });

  it('refuses text that is not YAML, at the line of the syntax error', () => {
    expect(problemsOf('name: w\njobs: [\n')).toEqual([expect.stringMatching(/^3:1: not valid YAML: /)]);
    expect(problemsOf('name: w\nname: v\njobs: {}\n')).toEqual(['2:1: not valid YAML: Map keys must be unique']);
  });

  it('refuses a file that is not a mapping, or has no name or jobs', () => {
    expect(problemsOf('')).toEqual(['1:1: the file must be a mapping with name and jobs, got nothing (null)']);
    expect(problemsOf('- a\n- b\n')).toEqual(['1:1: the file must be a mapping with name and jobs, got a list']);
    expect(problemsOf('version: v1\n')).toEqual(['1:1: missing required key "name"', '1:1: missing required key "jobs"']);
    expect(problemsOf('name: w\njobs: {}\n')).toEqual(['2:1: jobs: a workflow needs at least one job']);
    expect(problemsOf('name: bad name\njobs: {}\n')[0]).toMatch(/^1:1: name: must start with a letter or digit/);
  });

  it('names the line and column of each bad step', () => {
    const text = [
      'name: w', //                                   1
      'jobs:', //                                     2
      '  j:', //                                      3
      '    steps:', //                                4
      '      - id: first', //                         5
      '        action: echo', //                      6
      '        timeout: soon', //                     7
      '      - action: "echo:echo"', //               8
      '      - id: first', //                         9
      '        action: "echo:echo"', //              10
      '        retries: -1', //                      11
      '        colour: blue', //                     12
      '  empty:', //                                 13
      '    steps: []', //                            14
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      '6:9: jobs.j.steps[0].action: must be "integration:action" (letters, digits, "-" and "_" on each side of one ":"), e.g. "echo:echo"',
      expect.stringMatching(/^7:9: jobs\.j\.steps\[0\]\.timeout: Invalid duration "soon"/),
      '8:9: jobs.j.steps[1]: missing required key "id"',
      '9:9: jobs.j.steps[2].id: duplicate step id "first" in job "j": step ids must be unique within a job',
      expect.stringMatching(/^11:9: jobs\.j\.steps\[2\]\.retries: /),
      '12:9: jobs.j.steps[2].colour: unknown key (allowed keys: id, action, timeout, retries, with)',
      '14:5: jobs.empty.steps: a job needs at least one step',
    ]);
  });

  it('refuses bad triggers and unknown keys at any level', () => {
    const text =
      'name: w\ntriggers:\n  events: [ok]\n  crons: ["61 * * * *"]\n  schedules: []\nconcurrency: {}\njobs:\n  j:\n    steps: [{ id: s, action: "x:y" }]\n';
    expect(problemsOf(text)).toEqual([
      expect.stringMatching(/^4:11: triggers\.crons\[0\]: Invalid cron expression "61 \* \* \* \*"/),
      '5:3: triggers.schedules: unknown key (allowed keys: events, crons)',
      '6:1: concurrency: unknown key (allowed keys: name, version, description, on, triggers, jobs)',
    ]);
    expect(problemsOf('name: w\non: {}\ntriggers: {}\njobs:\n  j:\n    steps: [{ id: s, action: "x:y" }]\n')).toEqual([
      '3:1: triggers: use either "on" or "triggers" (the same thing), not both',
    ]);
  });

  it('checks templates at load: syntax, and steps they read', () => {
    const text = [
      'name: w',
      'jobs:',
      '  j:',
      '    steps:',
      '      - id: a',
      '        action: x:y',
      '        with:',
      '          early: "{{ .steps.b.out }}"', //   8
      '      - id: b',
      '        action: x:y',
      '        with:',
      '          ok: "{{ .steps.a.out }}"',
      '          nested:',
      '            list: ["fine", "{{ .user.name"]', // 14
      '          pipe: "{{ .name | upper }}"', //   15
      '          bare: "{{ .steps }}"', //          16
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      '8:11: jobs.j.steps[0].with.early: template reads step "b", which is not an earlier step of job "j" (this is the first step)',
      '14:28: jobs.j.steps[1].with.nested.list[1]: template error: unclosed "{{" at character 1: close it with "}}"',
      expect.stringMatching(
        /^15:11: jobs\.j\.steps\[1\]\.with\.pipe: template error: \{\{ \.name \| upper \}\} is not a supported template/,
      ),
      '16:11: jobs.j.steps[1].with.bare: template error: {{ .steps }} must name a step: {{ .steps.<stepId> }} or {{ .steps.<stepId>.field }}',
    ]);
  });

  it('refuses step ids of another job, and job names that are not task names', () => {
    const text =
      'name: w\njobs:\n  one:\n    steps: [{ id: a, action: "x:y" }]\n  two:\n    steps:\n      - id: b\n        action: x:y\n        with: { v: "{{ .steps.a }}" }\n  "bad job": { steps: [{ id: c, action: "x:y" }] }\n';
    expect(problemsOf(text)).toEqual([
      '9:17: jobs.two.steps[0].with.v: template reads step "a", which is not an earlier step of job "two" (this is the first step)',
      '10:3: jobs["bad job"]: invalid job name "bad job": use letters, digits, "-" and "_", starting with a letter or digit',
    ]);
  });

  it('throws one error whose message lists every problem with file:line:column', () => {
    const error = (() => {
      try {
        parseDeclarativeWorkflow('name: w\njobs:\n  j:\n    steps:\n      - id: s\n      - action: x\n', '.whetstone/w.yaml');
      } catch (err) {
        return err as Error;
      }
    })();
    expect(error?.message.split('\n')).toEqual([
      'Invalid declarative workflow (3 problems in .whetstone/w.yaml):',
      '  .whetstone/w.yaml:5:9: jobs.j.steps[0]: missing required key "action"',
      '  .whetstone/w.yaml:6:9: jobs.j.steps[1]: missing required key "id"',
      expect.stringMatching(/^ {2}\.whetstone\/w\.yaml:6:9: jobs\.j\.steps\[1\]\.action: must be "integration:action"/),
    ]);
  });
});
