// Talks to the sample's AI SDK endpoint as `useChat` does, with the official `ai` package: its DefaultChatTransport
// sends the chat, readUIMessageStream turns the UI message stream into the assistant message; with <abort-after>
// above 0 the fetch is aborted after that many updates (a refresh) and the transport resumes the chat from
// GET /api/chat/{chatId}/stream, as `resume: true` does. Prints one JSON line per phase.
// Usage: node ai-sdk-chat.mjs <base-url> <chat-id> <prompt> <abort-after>. Exits 0 when done, 1 after 30 s.
import { DefaultChatTransport, readUIMessageStream } from 'ai';

const [base, chatId, prompt, abortAfter] = process.argv.slice(2);
const print = (line) => process.stdout.write(JSON.stringify(line) + '\n');
setTimeout(() => { print({ timeout: true }); process.exit(1); }, 30000).unref();

const transport = new DefaultChatTransport({ api: `${base}/api/chat` });
const textOf = (message) => (message ? message.parts.filter((p) => p.type === 'text').map((p) => p.text).join('') : null);

/** Reads a UI message stream to its end (or `stopAfter` updates); the last message and the errors told. */
async function read(stream, stopAfter, abort) {
  const errors = [];
  let message;
  let updates = 0;
  try {
    for await (const update of readUIMessageStream({ stream, onError: (error) => errors.push(error.message) })) {
      message = update;
      if (++updates === stopAfter) {
        abort.abort();
        break;
      }
    }
  }
  catch (error) {
    if (error.name !== 'AbortError') errors.push(error.message);
  }
  return { text: textOf(message), parts: message ? message.parts.map((p) => p.type) : [], updates, errors };
}

const abort = new AbortController();
const messages = [{ id: 'user-1', role: 'user', parts: [{ type: 'text', text: prompt }] }];
const first = await transport.sendMessages({
  chatId, messages, trigger: 'submit-message', messageId: undefined, abortSignal: abort.signal,
});
print({ phase: 'send', ...(await read(first, Number(abortAfter), abort)) });

if (Number(abortAfter) > 0) {
  const resumed = await transport.reconnectToStream({ chatId });
  print(resumed === null ? { phase: 'resume', none: true } : { phase: 'resume', ...(await read(resumed, 0, null)) });
}
const unknown = await transport.reconnectToStream({ chatId: `${chatId}-unknown` });
print({ phase: 'unknown', none: unknown === null });
process.exit(0);
