import { describe, expect, it } from 'vitest';
import { TemplateSyntaxError, TemplateValueError, parseTemplate, referencedSteps, renderTemplates, type TemplateScope } from './template';

const scope = (input: unknown, steps: Record<string, unknown> = {}): TemplateScope => ({
  input,
  stepOutput: (id) => {
    if (!(id in steps)) throw new Error(`no step ${id}`);
    return steps[id];
  },
});

const user = { user: { username: 'ada', email: 'ada@example.com', age: 36, admin: false, tags: ['a', 'b'], manager: null } };

describe('parseTemplate', () => {
  it('splits text and {{ .path }} references, with or without spaces', () => {
    expect(parseTemplate('Hi {{ .user.name }}, {{.n}}!')).toEqual([
      { text: 'Hi ' },
      { source: '{{ .user.name }}', path: ['user', 'name'] },
      { text: ', ' },
      { source: '{{.n}}', path: ['n'] },
      { text: '!' },
    ]);
    expect(parseTemplate('{{ . }}')).toEqual([{ source: '{{ . }}', path: [] }]);
    expect(parseTemplate('no template }}')).toEqual([{ text: 'no template }}' }]);
  });

  it.each([
    ['Hi {{ .user', /unclosed "\{\{" at character 4/],
    ['{{ user.name }}', /\{\{ user\.name \}\} is not a supported template/],
    ['{{ .a | upper }}', /no functions or pipelines/],
    ['{{}}', /is not a supported template/],
    ['{{ .a..b }}', /is not a supported template/],
    ['{{ .steps }}', /must name a step/],
  ])('refuses %j', (text, message) => {
    expect(() => parseTemplate(text)).toThrow(TemplateSyntaxError);
    expect(() => parseTemplate(text)).toThrow(message);
  });

  it('lists the steps a template reads', () => {
    expect(referencedSteps('{{ .steps.a.x }} {{ .user }} {{ .steps.b }}')).toEqual(['a', 'b']);
    expect(referencedSteps('{{ .steps.a')).toEqual([]);
  });
});

describe('renderTemplates', () => {
  it('keeps the type of a value that is exactly one template', () => {
    const rendered = renderTemplates(
      {
        age: '{{ .user.age }}',
        admin: '{{ .user.admin }}',
        tags: '{{ .user.tags }}',
        who: '{{ .user }}',
        manager: '{{ .user.manager }}',
        all: '{{ . }}',
      },
      scope(user),
    );
    expect(rendered).toEqual({ age: 36, admin: false, tags: ['a', 'b'], who: user.user, manager: null, all: user });
  });

  it('stringifies values inside longer strings (objects as JSON)', () => {
    expect(
      renderTemplates(
        { m: 'Username is {{ .user.username }}, age {{ .user.age }}, tags {{ .user.tags }}, {{ .user.manager }}' },
        scope(user),
      ),
    ).toEqual({
      m: 'Username is ada, age 36, tags ["a","b"], null',
    });
  });

  it('reads .input.* as the run input, list items by index, and earlier steps by id', () => {
    const rendered = renderTemplates(
      {
        a: '{{ .input.user.email }}',
        b: '{{ .user.tags.1 }}',
        c: '{{ .steps.first.out.n }}',
        d: 'n={{ .steps.first.out.n }}',
        e: '{{ .steps.first }}',
      },
      scope(user, { first: { out: { n: 7 } } }),
    );
    expect(rendered).toEqual({ a: 'ada@example.com', b: 'b', c: 7, d: 'n=7', e: { out: { n: 7 } } });
  });

  it('fills templates in nested objects and lists, leaving other values alone', () => {
    expect(
      renderTemplates(
        { deep: { list: ['{{ .user.username }}', 1, true, null, { x: 'mail {{ .user.email }}' }] }, plain: 'no {template}' },
        scope(user),
      ),
    ).toEqual({
      deep: { list: ['ada', 1, true, null, { x: 'mail ada@example.com' }] },
      plain: 'no {template}',
    });
  });

  it('fails clearly on a missing path instead of rendering nothing', () => {
    const render =
      (value: unknown, input: unknown = user) =>
      () =>
        renderTemplates(value, scope(input, { first: 1 }), 'with');
    expect(render({ m: 'Phone {{ .user.phone }}' })).toThrow(TemplateValueError);
    expect(render({ m: 'Phone {{ .user.phone }}' })).toThrow(
      'with.m: template {{ .user.phone }} has no value: the run input has no "phone" at .user (.user is an object)',
    );
    expect(render({ m: '{{ .user.username.first }}' })).toThrow(
      'the run input has no "first" at .user.username (.user.username is a string)',
    );
    expect(render({ list: ['{{ .user.tags.5 }}'] })).toThrow(
      'with.list[0]: template {{ .user.tags.5 }} has no value: the run input has no "5" at .user.tags (.user.tags is a list)',
    );
    expect(render({ m: '{{ .steps.first.missing }}' })).toThrow(
      `the output of step 'first' has no "missing" at .steps.first (.steps.first is a number)`,
    );
    expect(render({ m: '{{ .user }}' }, {})).toThrow('the run input has no "user" at . (. is an object)');
  });

  it('never reads inherited properties', () => {
    expect(() => renderTemplates({ m: '{{ .user.constructor }}' }, scope(user))).toThrow(TemplateValueError);
    expect(() => renderTemplates({ m: '{{ .toString }}' }, scope({}))).toThrow(TemplateValueError);
  });
});
