import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next';

describe('safeNext', () => {
  it('keeps paths on this site, with query and fragment', () => {
    expect(safeNext('/p/default/runs?status=FAILED#top')).toBe('/p/default/runs?status=FAILED#top');
    expect(safeNext(['/p/x', '/other'])).toBe('/p/x');
  });

  it('sends everything else to /', () => {
    for (const evil of [
      undefined,
      '',
      'https://evil.example/',
      'evil.example',
      '//evil.example',
      '/\\evil.example',
      '/\t/evil.example', // what /login?next=/%09/evil.example decodes to: browsers drop the tab
      '/\n/evil.example',
      '/\r\n/evil.example',
      ' //evil.example',
      'javascript:alert(1)',
      '/\\/evil.example',
    ]) {
      expect(safeNext(evil), JSON.stringify(evil)).toBe('/');
    }
  });

  it('never returns a control character (a %0A in next used to end in a 500)', () => {
    expect(safeNext('/runs\n')).toBe('/runs');
    expect([...safeNext('/a\u0000b')].every((c) => c.charCodeAt(0) >= 0x20)).toBe(true);
  });
});
