// Every URL shown to a person (logs, dashboard) goes through this: never leak credentials.

/** `redis://:secret@host:6379/0` → `redis://:***@host:6379/0`. Also handles unparseable strings. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass|secret|token/i.test(key)) parsed.searchParams.set(key, '***');
    }
    return parsed.toString();
  } catch {
    // Not a WHATWG URL: blank out whatever sits between "user:" and "@".
    return url.replace(/(\/\/[^/:@\s]*:)[^@\s]*@/, '$1***@').replace(/([?&][^=&]*(?:pass|secret|token)[^=&]*=)[^&]*/gi, '$1***');
  }
}
