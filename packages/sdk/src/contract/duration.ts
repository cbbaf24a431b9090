// Durations are written as in Hatchet (Go's time.ParseDuration): a sequence of decimal numbers,
// each with a unit, summed: "250ms", "30s", "5m", "1h30m", "1.5h". A unit is required.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

/** Milliseconds in `text`, or throws an Error saying what is wrong with it. */
export function parseDuration(text: string): number {
  if (typeof text !== 'string' || text.length === 0)
    throw new Error(`Invalid duration ${JSON.stringify(text)}: use e.g. "30s", "5m", "1h30m"`);
  PART.lastIndex = 0;
  let total = 0;
  while (PART.lastIndex < text.length) {
    const start = PART.lastIndex;
    const match = PART.exec(text);
    if (!match) {
      throw new Error(
        `Invalid duration ${JSON.stringify(text)} at "${text.slice(start)}": use numbers with a unit (ms, s, m, h, d), e.g. "30s", "5m", "1h30m"`,
      );
    }
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
  }
  if (total <= 0) throw new Error(`Invalid duration ${JSON.stringify(text)}: must be longer than 0`);
  return Math.round(total);
}

/** The problem with `text` as a duration, or null. */
export function durationProblem(text: string): string | null {
  try {
    parseDuration(text);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
