// Many npm eventsource clients (an independent implementation of the WHATWG EventSource, with its own reconnects and
// Last-Event-ID) reading topics through the proxy, for the system test. Client i reads topic "t<i % topics>".
// Usage: node clients.mjs <base-url> <clients> <topics>
// Reads commands on stdin, one a line: "report" prints one JSON line with what every client saw since the last
// report, in the order it happened; "stop" closes every client and exits 0. Event data is "<seq>:<published at, ms>".
// A client's log holds ["o", at] for an open, ["x", at, readyState] for an error, ["e", at, data, lastEventId] for a
// message and ["r", at, data, lastEventId] for an sse-reset.
import { EventSource } from 'eventsource';
import { createInterface } from 'node:readline';

const [base, count, topics] = process.argv.slice(2);
const clients = [];

for (let i = 0; i < Number(count); i++) {
  const topic = `t${i % Number(topics)}`;
  const client = { topic, log: [] };
  const source = new EventSource(`${base}/topics/${topic}`);
  client.source = source;
  source.onopen = () => client.log.push(['o', Date.now()]);
  // readyState CLOSED after an error is what a browser's EventSource does on a 5xx or a wrong content type: it would
  // stay dead until the user reloads, and the system test fails on it
  source.onerror = () => client.log.push(['x', Date.now(), source.readyState]);
  source.addEventListener('message', (event) => client.log.push(['e', Date.now(), event.data, event.lastEventId]));
  source.addEventListener('sse-reset', (event) => client.log.push(['r', Date.now(), event.data, event.lastEventId]));
  clients.push(client);
}

function report() {
  const out = clients.map((c) => {
    const line = { topic: c.topic, readyState: c.source.readyState, log: c.log };
    c.log = [];
    return line;
  });
  process.stdout.write(JSON.stringify({ at: Date.now(), clients: out }) + '\n');
}

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'report') {
    report();
  }
  else if (line === 'stop') {
    clients.forEach((c) => c.source.close());
    process.exit(0);
  }
});
process.stdout.write(JSON.stringify({ started: clients.length }) + '\n');
