// Streams the sample assistant's answer to a POST with fetch and parses it with the npm `eventsource-parser`
// package, an independent SSE parser; prints one JSON line per event. With <abort-after> above 0 it aborts the fetch
// after that many tokens, as a page's Stop button does.
// Usage: node post-stream.mjs <base-url> <prompt> <abort-after>. Exits 0 at the end (or the abort), 1 after 20 s.
import { createParser } from 'eventsource-parser';

const [base, prompt, abortAfter] = process.argv.slice(2);
const print = (line) => process.stdout.write(JSON.stringify(line) + '\n');
const abort = new AbortController();
setTimeout(() => { print({ timeout: true }); process.exit(1); }, 20000).unref();

let tokens = 0;
const parser = createParser({
  onEvent: (event) => {
    print({ event: event.event || 'message', data: event.data, id: event.id });
    if (event.event === 'token' && ++tokens === Number(abortAfter)) abort.abort();
  },
});

try {
  const response = await fetch(`${base}/assistant?every=20`, {
    method: 'POST',
    signal: abort.signal,
    headers: { 'Content-Type': 'application/json', 'Accept': 'text/event-stream' },
    body: JSON.stringify({ text: prompt }),
  });
  print({ status: response.status, contentType: response.headers.get('content-type'),
    run: response.headers.get('sse-run-id') });
  const decoder = new TextDecoder();
  for await (const chunk of response.body) {
    parser.feed(decoder.decode(chunk, { stream: true }));
  }
  print({ end: true });
}
catch (error) {
  if (error.name !== 'AbortError') throw error;
  print({ aborted: tokens });
}
process.exit(0);
