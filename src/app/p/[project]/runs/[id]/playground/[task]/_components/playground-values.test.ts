import { describe, expect, it } from 'vitest';
import {
  checkInputText,
  checkVariableText,
  editorKind,
  fromOfflineModel,
  overridesSummary,
  sameJson,
  sourceTexts,
  textsFromOverrides,
  valueToText,
  variantOverrides,
} from './playground-values';

const prompt = { name: 'system_prompt', defaultValue: 'You are kind.', sourceValue: 'You are terse.', stale: false };
const temperature = { name: 'temperature', defaultValue: 0.7, sourceValue: undefined, stale: false };
const options = { name: 'options', defaultValue: { stop: ['\n'] }, sourceValue: { stop: [] }, stale: false };
const gone = { name: 'old_prompt', defaultValue: 'x', sourceValue: 'x', stale: true };
const variables = [prompt, temperature, options, gone];

describe('editor texts', () => {
  it('edits strings as plain text and everything else as pretty JSON', () => {
    expect(editorKind('a')).toBe('text');
    expect(editorKind(0.7)).toBe('json');
    expect(editorKind(null)).toBe('json');
    expect(valueToText('text', 'line 1\nline 2')).toBe('line 1\nline 2');
    expect(valueToText('json', { a: 1 })).toBe('{\n  "a": 1\n}');
    expect(valueToText('json', undefined)).toBe('null');
  });

  it("starts from the source run's values, its default when it reported none, and leaves stale ones out", () => {
    expect(sourceTexts(variables)).toEqual({ system_prompt: 'You are terse.', temperature: '0.7', options: '{\n  "stop": []\n}' });
  });

  it("reopens a batch's values; a variable the batch did not send ran with its default", () => {
    expect(textsFromOverrides(variables, { system_prompt: 'Be formal.', old_prompt: 'ignored' })).toEqual({
      system_prompt: 'Be formal.',
      temperature: '0.7',
      options: '{\n  "stop": [\n    "\\n"\n  ]\n}',
    });
  });
});

describe('checkVariableText', () => {
  it('takes any text for a string variable', () => {
    expect(checkVariableText(prompt, '"hot"')).toEqual({ ok: true, value: '"hot"' });
  });

  it('refuses invalid JSON with the parser message', () => {
    const check = checkVariableText(temperature, '0.7,');
    expect(check.ok).toBe(false);
    expect(!check.ok && check.error).toMatch(/^Invalid JSON: /);
  });

  it('names both types when the JSON type differs from the default (the server rule)', () => {
    expect(checkVariableText(temperature, '"hot"')).toEqual({
      ok: false,
      error: "'temperature' is a number in code; the new value is a string",
    });
    expect(checkVariableText(options, '[1]')).toEqual({ ok: false, error: "'options' is an object in code; the new value is an array" });
    expect(checkVariableText(temperature, '0.2')).toEqual({ ok: true, value: 0.2 });
  });
});

describe('variantOverrides', () => {
  it('sends every non-stale variable, explicitly, even when it equals the default', () => {
    expect(variantOverrides(variables, { system_prompt: 'Be formal.', temperature: '0.7', options: '{"stop":[]}' })).toEqual({
      overrides: { system_prompt: 'Be formal.', temperature: 0.7, options: { stop: [] } },
      errors: {},
    });
  });

  it('collects the problems by variable name', () => {
    const check = variantOverrides(variables, { system_prompt: 'x', temperature: '"hot"', options: '{' });
    expect(Object.keys(check.errors).sort()).toEqual(['options', 'temperature']);
    expect(check.overrides).toEqual({ system_prompt: 'x' });
  });
});

describe('checkInputText', () => {
  it('is unchanged when the JSON equals the source input, whatever the key order or spacing', () => {
    expect(checkInputText('{ "b": 2, "a": [1] }', { a: [1], b: 2 })).toEqual({
      ok: true,
      value: { changed: false, input: { b: 2, a: [1] } },
    });
  });

  it('is changed when a value differs, and refuses invalid JSON', () => {
    expect(checkInputText('{"a": [2]}', { a: [1] })).toEqual({ ok: true, value: { changed: true, input: { a: [2] } } });
    expect(checkInputText('{', {}).ok).toBe(false);
  });

  it('compares null and missing inputs', () => {
    expect(sameJson(null, null)).toBe(true);
    expect(sameJson({ a: null }, { a: undefined })).toBe(false);
    expect(checkInputText('null', null)).toEqual({ ok: true, value: { changed: false, input: null } });
  });
});

describe('overridesSummary', () => {
  it('lists only the overrides that differ from the defaults, shortened to one line', () => {
    const summary = overridesSummary(
      { system_prompt: `Line one\nline two ${'x'.repeat(80)}`, temperature: 0.7, options: { stop: [] } },
      variables,
    );
    expect(summary).toHaveLength(2);
    expect(summary[0]).toMatch(/^system_prompt = "Line one line two x+…$/);
    expect(summary[0]!.length).toBeLessThan(70);
    expect(summary[1]).toBe('options = {"stop":[]}');
  });
});

describe('fromOfflineModel', () => {
  it('finds the offline label in a string anywhere in the output', () => {
    expect(fromOfflineModel('Hi\n\n— (offline demo model)')).toBe(true);
    expect(fromOfflineModel({ text: 'Hi — (offline demo model)', model: 'offline-small' })).toBe(true);
    expect(fromOfflineModel([{ nested: ['(offline demo model)'] }])).toBe(true);
    expect(fromOfflineModel({ text: 'Hi from gpt', score: 1 })).toBe(false);
    expect(fromOfflineModel(null)).toBe(false);
  });
});
