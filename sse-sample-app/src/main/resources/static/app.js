'use strict';

const room = new URLSearchParams(location.search).get('room') || 'lobby';
const $ = (selector) => document.querySelector(selector);

/** An EventSource whose connection state is shown on the card's badge. */
function stream(name, url, handlers) {
  const badge = document.querySelector(`[data-state="${name}"]`);
  const show = (state) => { badge.textContent = state; badge.className = `state ${state}`; };
  show('connecting');
  const source = new EventSource(url);
  source.onopen = () => show('open');
  source.onerror = () => show(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
  for (const [type, handle] of Object.entries(handlers)) {
    source.addEventListener(type, (event) => handle(JSON.parse(event.data || 'null'), event));
  }
  return source;
}

// Clock: one stream per connection.
let ticks = 0;
stream('clock', '/clock', {
  tick: (tick) => {
    $('#clock-time').textContent = tick.time;
    ticks++;
    $('#clock-ticks').textContent = `${ticks} ${ticks === 1 ? 'tick' : 'ticks'}`;
  },
});

// Chat: a topic with replay. Message numbers are consecutive per room, so the page can prove it missed none.
$('#chat-room').textContent = room;
let connection = null;
let lastNumber = null;
let received = 0;
let gaps = 0;
let awaitingResume = null;

function logLine(html, cls) {
  const item = document.createElement('li');
  if (cls) item.className = cls;
  item.innerHTML = html;
  const log = $('#chat-log');
  log.appendChild(item);
  log.scrollTop = log.scrollHeight;
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

function showIntegrity() {
  const integrity = $('#chat-integrity');
  integrity.className = `integrity ${gaps === 0 ? 'ok' : 'bad'}`;
  integrity.textContent = gaps === 0
    ? `No gaps, no duplicates: ${received} messages in order.`
    : `${gaps} gap(s) detected!`;
}

stream('chat', `/chat/${encodeURIComponent(room)}`, {
  hello: (hello) => {
    connection = hello.connection;
    $('#connection-id').textContent = connection;
    $('#cut-button').disabled = false;
    if (hello.resumedFrom) {
      logLine(`Reconnected: resumed from Last-Event-ID <code>${escapeHtml(hello.resumedFrom)}</code>`, 'system');
      if (awaitingResume) {
        awaitingResume.resumedFrom = hello.resumedFrom;
      }
    }
  },
  message: (message) => {
    if (lastNumber !== null && message.number !== lastNumber + 1) {
      gaps++;
      logLine(`Expected #${lastNumber + 1}, got #${message.number}`, 'system');
    }
    lastNumber = message.number;
    received++;
    logLine(`<span class="n">#${message.number}</span><span class="who">${escapeHtml(message.author)}</span>`
      + escapeHtml(message.text));
    showIntegrity();
    if (awaitingResume && awaitingResume.resumedFrom && message.number >= awaitingResume.lastExpected) {
      const status = $('#resume-status');
      status.className = 'resume ok';
      status.innerHTML = `Resumed from Last-Event-ID <code>${escapeHtml(awaitingResume.resumedFrom)}</code> and `
        + `received #${awaitingResume.first} to #${awaitingResume.lastExpected}, sent while away: `
        + (gaps === 0 ? 'nothing missed.' : 'but a gap was detected!');
      awaitingResume = null;
    }
  },
  'sse-reset': () => {
    logLine('The server could not resume this stream: starting over.', 'system');
    lastNumber = null;
  },
});

$('#chat-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('#chat-text').value.trim();
  const author = $('#chat-author').value.trim();
  if (!text || !author) return;
  $('#chat-text').value = '';
  await fetch(`/chat/${encodeURIComponent(room)}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ author, text }),
  });
});

$('#cut-button').addEventListener('click', async () => {
  if (!connection) return;
  $('#cut-button').disabled = true;
  $('#resume-status').className = 'resume';
  $('#resume-status').textContent = 'Connection cut; the server is posting while you are away…';
  const response = await fetch(`/chat/${encodeURIComponent(room)}/cut/${connection}`, { method: 'POST' });
  const cut = await response.json();
  connection = null;
  awaitingResume = { first: cut.postedFrom, lastExpected: cut.postedFrom + cut.count - 1, resumedFrom: null };
});

// Meters: the sse.* meters, streamed.
let updates = 0;
stream('meters', '/meters', {
  meters: (byEndpoint) => {
    $('#meters-updates').textContent = String(++updates);
    const rows = Object.entries(byEndpoint).map(([endpoint, meters]) => {
      const sum = (prefix) => Object.entries(meters).filter(([k]) => k.startsWith(prefix)).reduce((a, [, v]) => a + v, 0);
      return `<tr><td><code>${escapeHtml(endpoint)}</code></td><td>${sum('sse.connections.active')}</td>`
        + `<td>${sum('sse.events.sent')}</td><td>${sum('sse.events.dropped')}</td>`
        + `<td>${sum('sse.connections.closed')}</td><td>${sum('sse.bytes.sent')}</td></tr>`;
    });
    $('#meters-table tbody').innerHTML = rows.join('');
  },
});

// Assistant: a POST read as a stream with fetch (EventSource can only GET), stopped with an AbortController.
let assistantRun = null;
let assistantAbort = null;

function assistantState(state) {
  const badge = document.querySelector('[data-state="assistant"]');
  badge.textContent = state;
  badge.className = `state ${state === 'streaming' ? 'open' : state === 'stopped' ? 'closed' : 'connecting'}`;
}

/** Calls onEvent(type, data) for each complete event block of an SSE body; returns what is left over. */
function parseBlocks(buffer, onEvent) {
  const blocks = buffer.replace(/\r\n?/g, '\n').split('\n\n');
  const rest = blocks.pop();
  for (const block of blocks) {
    let type = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) type = line.slice(6).replace(/^ /, '');
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length) onEvent(type, data.join('\n'));
  }
  return rest;
}

async function ask(prompt) {
  assistantRun = `run-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  assistantAbort = new AbortController();
  const answer = $('#assistant-answer');
  answer.textContent = '';
  $('#assistant-report').textContent = '';
  $('#assistant-stop').disabled = false;
  $('#assistant-ask').disabled = true;
  assistantState('streaming');
  let tokens = 0;
  try {
    const response = await fetch(`/assistant?run=${assistantRun}`, {
      method: 'POST', signal: assistantAbort.signal,
      headers: { 'Content-Type': 'application/json', 'Accept': 'text/event-stream' },
      body: JSON.stringify({ text: prompt }),
    });
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (let chunk; !(chunk = await reader.read()).done;) {
      buffer = parseBlocks(buffer + chunk.value, (type, data) => {
        if (type === 'token') {
          answer.textContent += (tokens++ ? ' ' : '') + data;
          answer.dataset.tokens = String(tokens);
        }
        else if (type === 'error') answer.textContent += ` [error: ${data}]`;
      });
    }
    assistantState('done');
    $('#assistant-report').textContent = `Complete: ${tokens} tokens.`;
  }
  catch (error) {
    if (error.name !== 'AbortError') {
      assistantState('stopped');
      $('#assistant-report').textContent = `Failed: ${error.message}`;
    }
  }
  finally {
    $('#assistant-stop').disabled = true;
    $('#assistant-ask').disabled = false;
  }
}

/** After Stop: ask the server how far its generator got before it saw the cancellation. */
async function reportCancellation(run, shown) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const report = await (await fetch(`/assistant/runs/${run}`)).json();
    if (report.state !== 'running') {
      $('#assistant-report').textContent = report.state === 'cancelled'
        ? `Stopped: the server's generator saw its cancellation after ${report.tokens} tokens (${shown} shown here).`
        : `The answer had already completed (${report.tokens} tokens).`;
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

$('#assistant-form').addEventListener('submit', (event) => {
  event.preventDefault();
  ask($('#assistant-prompt').value);
});

$('#assistant-stop').addEventListener('click', () => {
  if (assistantAbort) {
    assistantAbort.abort();
    assistantState('stopped');
    reportCancellation(assistantRun, Number($('#assistant-answer').dataset.tokens || 0));
  }
});
