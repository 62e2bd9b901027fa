// Reads the sample's OpenAI-compatible endpoint with the official `openai` package, pointed at it with baseURL:
// `chat.completions.create({stream: true})` chunk by chunk, and the SDK's `chat.completions.stream()` helper to its
// final completion. Prints one JSON line per read; a failure the SDK raises is printed, not thrown.
// Usage: node openai-chat.mjs <base-url> <prompt>. Exits 0 when done, 1 after 30 s.
import OpenAI from 'openai';

const [base, prompt] = process.argv.slice(2);
const print = (line) => process.stdout.write(JSON.stringify(line) + '\n');
setTimeout(() => { print({ timeout: true }); process.exit(1); }, 30000).unref();

const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'not-needed-here', maxRetries: 0 });
const request = { model: 'sse-boot', messages: [{ role: 'user', content: prompt }] };

try {
  const stream = await client.chat.completions.create({ ...request, stream: true });
  const read = { read: 'create', content: '', chunks: 0, role: null, finish: null, ids: new Set() };
  for await (const chunk of stream) {
    read.chunks++;
    read.ids.add(chunk.id);
    const choice = chunk.choices[0];
    read.role = read.role ?? choice.delta.role ?? null;
    read.content += choice.delta.content ?? '';
    read.finish = choice.finish_reason ?? read.finish;
  }
  print({ ...read, ids: [...read.ids] });
}
catch (error) {
  print({ read: 'create', error: error.message, type: error.constructor.name });
}

try {
  const runner = client.chat.completions.stream(request);
  const final = await runner.finalChatCompletion();
  print({ read: 'stream', content: final.choices[0].message.content, finish: final.choices[0].finish_reason });
}
catch (error) {
  print({ read: 'stream', error: error.message, type: error.constructor.name });
}
process.exit(0);
