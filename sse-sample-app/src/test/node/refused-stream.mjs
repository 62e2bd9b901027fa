// Reads one stream with the npm `eventsource` client, as a browser's EventSource would, and prints one JSON line per
// thing it sees: each error with the client's readyState after it, each event. A refused request must leave the client
// reconnecting (readyState 0), never closed for good (2).
// Usage: node refused-stream.mjs <url> <event-type> <seconds>. Exits 0 at the first event of that type, 2 if the
// client is ever closed for good, 1 after the given seconds.
import { EventSource } from 'eventsource';

const [url, type, seconds] = process.argv.slice(2);
const print = (line) => process.stdout.write(JSON.stringify(line) + '\n');
const source = new EventSource(url);
let errors = 0;

function done(code) {
  source.close();
  process.exit(code);
}

source.onopen = () => print({ open: true });
source.onerror = () => {
  errors++;
  print({ error: errors, readyState: source.readyState });
  if (source.readyState === EventSource.CLOSED) {
    print({ closed: true });
    done(2);
  }
};
source.addEventListener(type, (event) => {
  print({ event: event.type, data: event.data, errors });
  done(0);
});
setTimeout(() => { print({ timeout: true, errors }); done(1); }, Number(seconds) * 1000);
