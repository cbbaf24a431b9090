// A crude but explainable politeness score for a drafted reply: politeness markers raise it,
// harsh phrases lower it more. 0 = harsh, 1 = very polite; a neutral text scores 0.5.

const POLITE: Record<string, RegExp> = {
  thanks: /\bthank(s| you)\b|\bappreciate\b|\bgracias\b|\bmerci\b|\bdanke\b/i,
  apology: /\bsorry\b|\bapolog|\blamentamos\b|\bdisculpa|\bdésolés\b|\bexcuser\b|\btut uns .*leid\b|\bentschuldigen\b/i,
  please: /\bplease\b|\bkindly\b|\bveuillez\b|\bbitte\b/i,
  greeting: /^(hi|hello|hey|dear|hola|estimad[oa]|bonjour|salut|madame|hallo|sehr geehrte)\b/im,
  offer: /\bhappy to\b|\bglad to\b|\bhere (if|to help)\b|\banything else\b|\bwe can help\b|\bdisposición\b|\bhelfen gern\b/i,
};

const HARSH: Record<string, RegExp> = {
  refusal: /\bcannot\b|\bcan't\b|\bwon't\b|\bno exceptions?\b|\brefuse\b|\bno podemos\b|\bne pouvons pas\b|\bkeine ausnahme\b/i,
  demand: /\byou must\b|\byou should have\b|\bobviously\b|\bas (already )?stated\b/i,
  policy: /\bper our policy\b|\bour policy\b|\bsegún nuestra política\b|\bnotre politique\b|\brichtlinien\b/i,
  blame: /\byour fault\b|\bnot our problem\b|\buser error\b/i,
};

export interface ToneScore {
  score: number;
  polite: string[];
  harsh: string[];
}

export function scoreTone(text: string): ToneScore {
  const polite = Object.keys(POLITE).filter((marker) => POLITE[marker]!.test(text));
  const harsh = Object.keys(HARSH).filter((marker) => HARSH[marker]!.test(text));
  const raw = 0.5 + 0.1 * polite.length - 0.2 * harsh.length;
  return { score: Math.round(Math.min(1, Math.max(0, raw)) * 100) / 100, polite, harsh };
}
