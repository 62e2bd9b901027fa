// Reads the clock and a chat room with the npm `eventsource` client and prints one JSON line per event.
// Usage: node read-streams.mjs <base-url> <room> <ticks> <messages>. Exits 0 once it has that many, 1 after 20 s.
import { EventSource } from 'eventsource';

const [base, room, wantTicks, wantMessages] = process.argv.slice(2);
const print = (line) => process.stdout.write(JSON.stringify(line) + '\n');
let ticks = 0;
let messages = 0;
let opened = 0;
const sources = [];

function done(code) {
  sources.forEach((source) => source.close());
  process.exit(code);
}

function open(name, url, types) {
  const source = new EventSource(url);
  sources.push(source);
  source.onopen = () => { if (++opened === 2) print({ ready: true }); };
  source.onerror = (error) => print({ stream: name, error: String(error.message || error.code || 'error') });
  for (const type of types) {
    source.addEventListener(type, (event) => {
      print({ stream: name, event: event.type, data: JSON.parse(event.data), lastEventId: event.lastEventId });
      if (type === 'tick') ticks++;
      if (type === 'message') messages++;
      if (ticks >= Number(wantTicks) && messages >= Number(wantMessages)) done(0);
    });
  }
}

open('clock', `${base}/clock`, ['tick']);
open('chat', `${base}/chat/${room}`, ['hello', 'message']);
setTimeout(() => { print({ timeout: true, ticks, messages }); done(1); }, 20000);
