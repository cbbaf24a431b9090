// The demo runs offline, so its "LLM" is a deterministic stand-in with a little latency.
export async function fakeLlm(system: string, prompt: string, temperature: number): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, 50 + Math.round(temperature * 100)));
  const tone = system.toLowerCase().includes('concise') ? 'Briefly' : 'In detail';
  return `${tone}: thanks for reaching out about "${prompt}". We have looked into it and will follow up today.`;
}
