/**
 * Where to go after signing in: only a path on this site, else '/'. The value is resolved with
 * `URL` against a placeholder origin, the way a browser would resolve it (it strips tabs and
 * newlines, turns `\` into `/`), and accepted only when it stays on that origin — so `//evil`,
 * `/\evil`, `/%09/evil` (a tab: `/\t/evil` → `//evil`), `javascript:…` and `https://…` all go to '/'.
 * What is returned is the normalized path, query and fragment, never the raw input.
 */
const BASE = 'http://whetstone.invalid';

export function safeNext(value: string | string[] | undefined | null): string {
  const next = Array.isArray(value) ? value[0] : value;
  if (!next || !next.startsWith('/')) return '/';
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return '/';
  }
  if (url.origin !== BASE) return '/';
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Belt and braces: what we hand to redirect()/location.assign must itself be a plain path.
  return path.startsWith('/') && !path.startsWith('//') && !path.includes('\\') && !hasControlCharacter(path) ? path : '/';
}

function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 0x20 || s.charCodeAt(i) === 0x7f) return true;
  return false;
}
