// A tiny deterministic stand-in for an LLM, so the demo (and the playground) works with no
// network and no API key. It really follows the system prompt's instructions it knows about
// (see docs/demo-llm.md), so editing a prompt in the playground visibly changes the reply.

export const OFFLINE_LABEL = '— (offline demo model)';

export interface OfflineRequest {
  system: string;
  user: string;
  temperature: number;
}

export interface OfflineResponse {
  text: string;
  inputTokens: number;
  outputTokens: number;
}

type Tone = 'friendly' | 'formal' | 'apologetic' | 'concise' | 'firm';
type Language = 'en' | 'es' | 'fr' | 'de';
type Topic = 'double-charge' | 'refund' | 'how-to' | 'login' | 'bug' | 'cancel' | 'general';

export interface Instructions {
  tones: Tone[];
  maxWords?: number;
  signOff?: string;
  mentionOrder: boolean;
  language: Language;
  classify: boolean;
}

export function offlineComplete(request: OfflineRequest): OfflineResponse {
  const instructions = readInstructions(request.system);
  const random = seededRandom(hashText(`${request.system}\u0000${request.user}\u0000${request.temperature}`));
  const pick = (options: readonly string[]) => choose(options, request.temperature, random);
  const body = instructions.classify ? classification(request.system, request.user) : reply(instructions, request.user, pick);
  const text = `${body}\n\n${OFFLINE_LABEL}`;
  return { text, inputTokens: roughTokens(request.system + request.user), outputTokens: roughTokens(text) };
}

/** About 4 characters per token for English text (OpenAI's rule of thumb). */
export function roughTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function readInstructions(system: string): Instructions {
  const lower = system.toLowerCase();
  const tones = (['friendly', 'formal', 'apologetic', 'concise', 'firm'] as const).filter((tone) =>
    new RegExp(`\\b${tone}\\b`).test(lower),
  );
  const maxWords = /\b(?:under|at most|no more than|max(?:imum)?|fewer than|less than)\s+(\d{1,4})\s+words\b/.exec(lower)?.[1];
  const signOff = /\bsign(?:\s+off)?\s+as\s+["']?([^"'\n.,;]{1,60})/i.exec(system)?.[1]?.trim();
  return {
    tones,
    maxWords: maxWords ? Math.max(1, Number(maxWords)) : undefined,
    signOff: signOff || undefined,
    mentionOrder: /\bmention\s+(?:the\s+)?order\s+(?:number|id)\b/.test(lower),
    language: languageOf(lower),
    classify: /\bclassify\b/.test(lower),
  };
}

function languageOf(lower: string): Language {
  if (/\b(spanish|español|espanol)\b/.test(lower)) return 'es';
  if (/\b(french|français|francais)\b/.test(lower)) return 'fr';
  if (/\b(german|deutsch)\b/.test(lower)) return 'de';
  return 'en';
}

export function topicOf(user: string): Topic {
  const lower = user.toLowerCase();
  if (/charged twice|double[- ]charge|two charges|billed twice|duplicate (?:charge|payment)/.test(lower)) return 'double-charge';
  if (/\brefund|money back|reimburse/.test(lower)) return 'refund';
  if (/\bcancel/.test(lower)) return 'cancel';
  if (/password|log ?in|sign ?in|locked out/.test(lower)) return 'login';
  if (/\b(bug|error|crash|broken|doesn't work|does not work)\b/.test(lower)) return 'bug';
  if (/\bhow (?:do|can|to)\b|\bhow\b.*\?/.test(lower)) return 'how-to';
  return 'general';
}

// ---- classification: JSON with a category the prompt lists and an urgency ----

const CATEGORY_HINTS: Record<string, RegExp> = {
  billing: /charge|invoice|billing|payment|card|price/,
  refund: /refund|money back|reimburse/,
  'how-to': /how (?:do|can|to)|where (?:do|can|is)|invite|set ?up|configure/,
  bug: /bug|error|crash|broken|not work/,
  account: /password|log ?in|account|locked/,
};
function hintCount(category: string, lower: string): number {
  const hint = CATEGORY_HINTS[category];
  return hint ? (lower.match(new RegExp(hint.source, 'g'))?.length ?? 0) : 0;
}

const URGENT = /\b(immediately|asap|urgent|now|angry|furious|unacceptable|lawyer|charged twice|ridiculous|!!)/;

function classification(system: string, user: string): string {
  const lower = user.toLowerCase();
  // The prompt's own list wins ("Categories: billing, how-to, refund, other"), so editing it changes the answer.
  const listed = /categor(?:y|ies)\s*(?:[:=]|are|is one of)\s*([^\n.]+)/i.exec(system)?.[1];
  const categories = listed
    ? listed
        .split(/,|\bor\b|\//)
        .map((c) => c.trim().toLowerCase())
        .filter(Boolean)
    : Object.keys(CATEGORY_HINTS).concat('other');
  const scored = categories.map((category) => ({ category, score: 2 * hintCount(category, lower) + (lower.includes(category) ? 1 : 0) }));
  const best = scored.reduce((a, b) => (b.score > a.score ? b : a), {
    category: categories.includes('other') ? 'other' : categories[categories.length - 1]!,
    score: 0,
  });
  const urgency = URGENT.test(lower) || /!{2,}/.test(user) ? 'high' : topicOf(user) === 'how-to' ? 'low' : 'normal';
  return JSON.stringify({ category: best.category, urgency });
}

// ---- replies: templates per language, topic and tone ----

type Pick = (options: readonly string[]) => string;

interface Phrases {
  greeting: Record<'friendly' | 'formal' | 'plain', readonly string[]>;
  thanks: readonly string[];
  sorry: readonly string[];
  topic: Record<Topic, readonly string[]>;
  firm: string;
  order: (order: string) => string;
  closing: readonly string[];
  team: string;
}

const PHRASES: Record<Language, Phrases> = {
  en: {
    greeting: {
      friendly: ['Hi there!', 'Hey!', 'Hello there!'],
      formal: ['Dear customer,', 'Dear valued customer,'],
      plain: ['Hello,', 'Hi,'],
    },
    thanks: [
      'Thank you for reaching out about {subject}.',
      'Thanks for contacting us about {subject}.',
      'We appreciate you telling us about {subject}.',
    ],
    sorry: [
      'We are very sorry for the trouble this has caused.',
      'Please accept our sincere apologies for the inconvenience.',
      'We apologize, this should not have happened.',
    ],
    topic: {
      'double-charge': [
        'We can see the duplicate charge and have started a reversal; it should reach your card within 3-5 business days.',
        'Our billing team confirmed the second charge and is refunding it; expect it within 3-5 business days.',
      ],
      refund: [
        'We have reviewed your request and issued the refund; it will show on your statement within 5 business days.',
        'Your refund has been approved and is on its way; please allow up to 5 business days.',
      ],
      'how-to': [
        'Here is how to do it: open Settings, choose the relevant section, and follow the on-screen steps.',
        'You can do this from Settings: pick the section you need and the guide walks you through it.',
      ],
      login: [
        'Please use the "Forgot password" link on the sign-in page; the reset email arrives within a minute.',
        'A password reset from the sign-in page will get you back in right away.',
      ],
      bug: [
        'Our engineers are looking into the error you reported and we will update you as soon as it is fixed.',
        'We reproduced the problem and a fix is in progress.',
      ],
      cancel: [
        'Your subscription can be cancelled under Settings → Billing; nothing further will be charged.',
        'We have noted your cancellation request; you will not be billed again.',
      ],
      general: [
        'We have looked into your message and will follow up shortly.',
        'A specialist is reviewing your message and will get back to you soon.',
      ],
    },
    firm: 'Per our policy, we cannot make exceptions, and you must contact billing directly.',
    order: (order) => `This concerns order ${order}.`,
    closing: [
      'Let us know if there is anything else we can help with.',
      'Happy to help with anything else.',
      'We are here if you need anything else.',
    ],
    team: 'The Support Team',
  },
  es: {
    greeting: { friendly: ['¡Hola!', '¡Hola, qué tal!'], formal: ['Estimado cliente:', 'Estimada clienta:'], plain: ['Hola:'] },
    thanks: ['Gracias por escribirnos sobre {subject}.', 'Le agradecemos su mensaje sobre {subject}.'],
    sorry: ['Lamentamos mucho las molestias.', 'Le pedimos disculpas por el inconveniente.'],
    topic: {
      'double-charge': ['Hemos visto el cargo duplicado y ya iniciamos la devolución (3-5 días hábiles).'],
      refund: ['Hemos aprobado su reembolso; lo verá en su extracto en 5 días hábiles.'],
      'how-to': ['Puede hacerlo desde Configuración siguiendo los pasos en pantalla.'],
      login: ['Use el enlace "Olvidé mi contraseña" en la página de inicio de sesión.'],
      bug: ['Nuestro equipo está investigando el error y le informaremos pronto.'],
      cancel: ['Puede cancelar su suscripción en Configuración → Facturación.'],
      general: ['Hemos revisado su mensaje y le responderemos en breve.'],
    },
    firm: 'Según nuestra política, no podemos hacer excepciones.',
    order: (order) => `Se trata del pedido ${order}.`,
    closing: ['Quedamos a su disposición.', 'Estamos aquí para ayudarle.'],
    team: 'El equipo de soporte',
  },
  fr: {
    greeting: { friendly: ['Bonjour !', 'Salut !'], formal: ['Madame, Monsieur,'], plain: ['Bonjour,'] },
    thanks: ['Merci de nous avoir contactés au sujet de {subject}.', 'Nous vous remercions pour votre message concernant {subject}.'],
    sorry: ['Nous sommes vraiment désolés pour ce désagrément.', 'Veuillez nous excuser pour la gêne occasionnée.'],
    topic: {
      'double-charge': ['Nous avons constaté le double prélèvement et lancé le remboursement (3 à 5 jours ouvrés).'],
      refund: ['Votre remboursement est approuvé ; il apparaîtra sous 5 jours ouvrés.'],
      'how-to': ['Vous pouvez le faire depuis Paramètres en suivant les étapes affichées.'],
      login: ['Utilisez le lien « Mot de passe oublié » sur la page de connexion.'],
      bug: ['Nos ingénieurs analysent l’erreur et reviendront vers vous rapidement.'],
      cancel: ['Vous pouvez résilier votre abonnement dans Paramètres → Facturation.'],
      general: ['Nous avons examiné votre message et reviendrons vers vous rapidement.'],
    },
    firm: 'Conformément à notre politique, nous ne pouvons pas faire d’exception.',
    order: (order) => `Cela concerne la commande ${order}.`,
    closing: ['N’hésitez pas à nous recontacter.', 'Nous restons à votre disposition.'],
    team: 'L’équipe support',
  },
  de: {
    greeting: { friendly: ['Hallo!', 'Hi!'], formal: ['Sehr geehrte Kundin, sehr geehrter Kunde,'], plain: ['Hallo,'] },
    thanks: ['Danke für Ihre Nachricht zu {subject}.', 'Vielen Dank, dass Sie uns wegen {subject} kontaktieren.'],
    sorry: ['Es tut uns sehr leid für die Unannehmlichkeiten.', 'Bitte entschuldigen Sie die Umstände.'],
    topic: {
      'double-charge': ['Wir sehen die doppelte Abbuchung und haben die Erstattung veranlasst (3-5 Werktage).'],
      refund: ['Ihre Erstattung ist genehmigt und in 5 Werktagen auf Ihrem Konto.'],
      'how-to': ['Das geht unter Einstellungen; folgen Sie einfach den Schritten.'],
      login: ['Nutzen Sie bitte den Link „Passwort vergessen“ auf der Anmeldeseite.'],
      bug: ['Unser Team untersucht den Fehler und meldet sich bald.'],
      cancel: ['Sie können Ihr Abo unter Einstellungen → Abrechnung kündigen.'],
      general: ['Wir haben Ihre Nachricht geprüft und melden uns in Kürze.'],
    },
    firm: 'Gemäß unseren Richtlinien können wir keine Ausnahme machen.',
    order: (order) => `Es geht um Bestellung ${order}.`,
    closing: ['Melden Sie sich gern bei weiteren Fragen.', 'Wir helfen gern weiter.'],
    team: 'Ihr Support-Team',
  },
};

function reply(instructions: Instructions, user: string, pick: Pick): string {
  const phrases = PHRASES[instructions.language];
  const has = (tone: Tone) => instructions.tones.includes(tone);
  const subject = subjectOf(user);
  const greeting = has('concise') ? undefined : pick(phrases.greeting[has('formal') ? 'formal' : has('friendly') ? 'friendly' : 'plain']);
  // Lower priority = more important: a length limit drops the highest numbers first.
  const sentences: Sentence[] = [];
  if (!has('concise')) sentences.push({ text: pick(phrases.thanks).replace('{subject}', subject), priority: 3 });
  if (has('apologetic')) sentences.push({ text: pick(phrases.sorry), priority: 2 });
  sentences.push({ text: pick(phrases.topic[topicOf(user)]), priority: 0 });
  if (has('firm')) sentences.push({ text: phrases.firm, priority: 1 });
  const order = instructions.mentionOrder ? orderNumberOf(user) : undefined;
  if (order) sentences.push({ text: phrases.order(order), priority: 1 });
  if (!has('concise')) sentences.push({ text: pick(phrases.closing), priority: 4 });
  const signature = instructions.signOff ?? (has('concise') ? undefined : phrases.team);
  const parts =
    instructions.maxWords === undefined
      ? [...(greeting ? [greeting] : []), ...sentences.map((s) => s.text), ...(signature ? [signature] : [])]
      : fitWords(greeting, sentences, signature, instructions.maxWords);
  return parts.join(has('concise') ? ' ' : '\n');
}

interface Sentence {
  text: string;
  priority: number;
}

/** Drops the least important sentences, then the greeting, then cuts words until the reply is under the limit. */
function fitWords(greeting: string | undefined, sentences: Sentence[], signature: string | undefined, maxWords: number): string[] {
  const countWords = (parts: string[]) => parts.join(' ').split(/\s+/).filter(Boolean).length;
  const limit = Math.max(1, maxWords - 1);
  const body = [...sentences];
  const build = (withGreeting: boolean) => [
    ...(withGreeting && greeting ? [greeting] : []),
    ...body.map((s) => s.text),
    ...(signature ? [signature] : []),
  ];
  while (body.length > 1 && countWords(build(true)) > limit) {
    const leastImportant = body.reduce((worst, s, i) => (s.priority >= body[worst]!.priority ? i : worst), 0);
    body.splice(leastImportant, 1);
  }
  const parts = countWords(build(true)) <= limit ? build(true) : build(false);
  if (countWords(parts) <= limit) return parts;
  return [
    `${parts
      .join(' ')
      .split(/\s+/)
      .slice(0, limit)
      .join(' ')
      .replace(/[,;:.]?$/, '')}…`,
  ];
}

function subjectOf(user: string): string {
  const subject = /^subject:\s*(.+)$/im.exec(user)?.[1]?.trim() ?? user.split(/[.?!\n]/)[0]!.trim();
  const short = subject.length > 60 ? `${subject.slice(0, 57)}…` : subject;
  return `"${short.replace(/[.?!]+$/, '')}"`;
}

function orderNumberOf(user: string): string | undefined {
  return /\border\s*(?:number|no\.?|id)?\s*[:#]?\s*([A-Z0-9-]{4,})/i.exec(user)?.[1] ?? /#([A-Z0-9-]{4,})/i.exec(user)?.[1];
}

/** Temperature 0 always takes the first wording; higher temperatures sample from more of them. */
function choose(options: readonly string[], temperature: number, random: () => number): string {
  const spread = Math.min(options.length, 1 + Math.round(Math.max(0, temperature) * (options.length - 1)));
  return options[Math.floor(random() * spread)]!;
}

function hashText(text: string): number {
  let hash = 2166136261; // FNV-1a
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return hash >>> 0;
}

/** mulberry32: a small seeded PRNG. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
