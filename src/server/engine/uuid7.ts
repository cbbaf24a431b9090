import { randomBytes, randomInt } from 'node:crypto';

// Ids the server generates itself for multi-row inserts (createRuns), in the same shape as the
// schema's `@default(uuid(7))`: 48 bits of Unix milliseconds, then version 7, a 12-bit counter
// (RFC 9562 method 1) and random bits. Ids generated in one process are strictly increasing, so a
// batch's runs sort in the order they were given even when they share a millisecond.

let lastMs = 0;
let counter = 0;

export function uuidv7(): string {
  let ms = Date.now();
  if (ms > lastMs) {
    lastMs = ms;
    // Start low in the counter's range, leaving room for thousands of ids within the millisecond.
    counter = randomInt(0, 0x400);
  } else {
    ms = lastMs;
    counter++;
    if (counter > 0xfff) {
      // More ids in one millisecond than the counter holds: borrow the next millisecond.
      lastMs = ms = lastMs + 1;
      counter = 0;
    }
  }
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
