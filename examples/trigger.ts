// Triggers a few demo runs and prints their outputs: npx tsx examples/trigger.ts
import { Whetstone } from '@whetstone/sdk';
import { lowercase } from './src/simple.js';
import { supportReply } from './src/support-reply.js';
import { demoTickets, ticketTriage, type Classification, type ToneCheck } from './src/ticket-triage.js';

const ws = Whetstone.init();
const tickets = [
  { customerId: 'c42', question: 'Why was I charged twice for my invoice?' },
  { customerId: 'c17', question: 'How do I invite a teammate?' },
  { customerId: 'c7', question: 'Can I get a refund for last month?' },
];
const [results, triaged] = await Promise.all([
  Promise.all([
    ...tickets.map((t) => supportReply(ws).run(t, { additionalMetadata: { customerId: t.customerId } })),
    lowercase(ws).run({ message: 'Hello, WHETSTONE' }),
  ]),
  Promise.all(demoTickets.map((t) => ticketTriage(ws).run(t, { additionalMetadata: { customerId: t.customerId } }))),
]);
console.log(`[demo] ${results.length + triaged.length} demo runs completed`);
triaged.forEach((output, i) => {
  const { category, urgency } = output.classify as Classification;
  const { score, pass } = output['tone-check'] as ToneCheck;
  console.log(
    `[demo] ticket-triage ${demoTickets[i]!.customerId}: ${category}/${urgency}, tone ${score} ${pass ? 'pass' : 'needs a human'}`,
  );
});
