import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkRunInput, compileInputSchema, exampleInput, metadataFromRows } from './workflows-input';

// The schema the SDK sends for `inputValidator: z.object({ message: z.string().min(1), count: z.number().int().optional() })`.
const schema = z.toJSONSchema(z.object({ message: z.string().min(1), count: z.number().int().optional() }), { io: 'input' }) as Record<
  string,
  unknown
>;

describe('trigger form checks', () => {
  it('refuses text that is not JSON, with the parser message', () => {
    const result = checkRunInput('{"message": ', null);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^Invalid JSON: /);
    expect(checkRunInput('[1, 2]', null)).toEqual({ ok: true, value: [1, 2] });
  });

  it('checks the value against the version input schema', () => {
    const compiled = compileInputSchema(schema);
    expect(compiled).not.toBeNull();
    expect(checkRunInput('{"message": "hi", "count": 2}', compiled)).toEqual({ ok: true, value: { message: 'hi', count: 2 } });
    const missing = checkRunInput('{"count": 2}', compiled);
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.error).toContain('message');
    expect(checkRunInput('{"message": "hi", "count": 1.5}', compiled).ok).toBe(false);
  });

  it('turns metadata rows into a record, ignoring blank rows', () => {
    expect(
      metadataFromRows([
        { key: ' customer ', value: 'c1' },
        { key: '', value: '' },
      ]),
    ).toEqual({ ok: true, value: { customer: 'c1' } });
    expect(metadataFromRows([{ key: '', value: '' }])).toEqual({ ok: true, value: undefined });
    expect(
      metadataFromRows([
        { key: 'a', value: '1' },
        { key: 'a', value: '2' },
      ]).ok,
    ).toBe(false);
    expect(metadataFromRows([{ key: '', value: 'orphan' }]).ok).toBe(false);
    expect(metadataFromRows([{ key: 'long', value: 'x'.repeat(1001) }]).ok).toBe(false);
  });

  it('starts the editor with the required properties of the schema', () => {
    expect(JSON.parse(exampleInput(schema))).toEqual({ message: '' });
    expect(exampleInput(undefined)).toBe('{}');
  });
});
