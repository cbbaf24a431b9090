// Triggers a few demo runs and prints their outputs: npx tsx examples/trigger.ts
import { Whetstone } from '@whetstone/sdk';
import { lowercase } from './src/simple.js';
import { supportReply } from './src/support-reply.js';

const ws = Whetstone.init();
const tickets = [
  { customerId: 'c42', question: 'Why was I charged twice for my invoice?' },
  { customerId: 'c17', question: 'How do I invite a teammate?' },
  { customerId: 'c7', question: 'Can I get a refund for last month?' },
];
const results = await Promise.all([
  ...tickets.map((t) => supportReply(ws).run(t, { additionalMetadata: { customerId: t.customerId } })),
  lowercase(ws).run({ message: 'Hello, WHETSTONE' }),
]);
console.log(`[demo] ${results.length} demo runs completed`);
