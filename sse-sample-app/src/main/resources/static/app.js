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

// Dashboard: one EventSource on five topics. Each event's id is "<topic> <cursor>": the topic is the text before the
// last space. The page keeps the last id and what it saw per topic in sessionStorage; a reload passes the id as
// ?lastEventId= (an EventSource cannot set headers), so every topic resumes with nothing missed.
const board = JSON.parse(sessionStorage.getItem('dashboard') || 'null')
  || { lastId: null, topics: {}, gaps: 0, resets: 0, reloads: -1 };
board.reloads++;
const topicOf = (id) => id.slice(0, id.lastIndexOf(' '));

function showBoard() {
  const names = Object.keys(board.topics).sort();
  $('#dashboard-table tbody').innerHTML = names.map((name) => {
    const seen = board.topics[name];
    return `<tr><td>${escapeHtml(name)}</td><td>${seen.count}</td><td>${escapeHtml(String(seen.value))}</td></tr>`;
  }).join('');
  const total = names.reduce((sum, name) => sum + board.topics[name].count, 0);
  const integrity = $('#dashboard-integrity');
  integrity.dataset.total = String(total);
  integrity.className = `integrity ${board.gaps === 0 ? 'ok' : 'bad'}`;
  integrity.textContent = board.gaps === 0
    ? `No gaps, no duplicates: ${total} events on ${names.length} topics, ${board.reloads} reload(s)`
      + `${board.resets ? `, ${board.resets} reset(s)` : ''}.`
    : `${board.gaps} gap(s) detected!`;
}

const boardSource = stream('dashboard', `/dashboard/${encodeURIComponent(room)}`
  + (board.lastId ? `?lastEventId=${encodeURIComponent(board.lastId)}` : ''), {
  message: (item, event) => {
    const topic = topicOf(event.lastEventId);
    const seen = board.topics[topic] || (board.topics[topic] = { count: 0, last: null, value: '' });
    if (seen.last !== null && item.number !== seen.last + 1) board.gaps++;
    seen.last = item.number;
    seen.count++;
    seen.value = item.value || item.text;
    board.lastId = event.lastEventId;
    sessionStorage.setItem('dashboard', JSON.stringify(board));
    showBoard();
  },
});
// a topic that could not be resumed: its numbering starts over from what comes next
boardSource.addEventListener('sse-reset', (event) => {
  const seen = board.topics[event.data];
  if (seen) seen.last = null;
  board.resets++;
  board.lastId = event.lastEventId;
  sessionStorage.setItem('dashboard', JSON.stringify(board));
  showBoard();
});
showBoard();

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

// Assistant: a POST read as a stream with fetch (EventSource can only GET), stopped with an AbortController. The
// server runs the answer as an SseRun and names it in the SSE-Run-Id header; the run's id, its last token id and the
// answer so far live in sessionStorage, so a refresh re-attaches to the run (GET with Last-Event-ID).
const params = new URLSearchParams(location.search);
const every = params.get('every') || '120';
let assistantAbort = null;

function assistantState(state) {
  const badge = document.querySelector('[data-state="assistant"]');
  badge.textContent = state;
  badge.className = `state ${state === 'streaming' ? 'open' : state === 'stopped' ? 'closed' : ''}`;
}

/** Calls onEvent({type, data, id}) for each complete event block of an SSE body; returns what is left over. */
function parseBlocks(buffer, onEvent) {
  const blocks = buffer.replace(/\r\n?/g, '\n').split('\n\n');
  const rest = blocks.pop();
  for (const block of blocks) {
    const event = { type: 'message', data: [], id: null };
    for (const line of block.split('\n')) {
      const value = (name) => line.slice(name.length + 1).replace(/^ /, '');
      if (line.startsWith('event:')) event.type = value('event');
      else if (line.startsWith('data:')) event.data.push(value('data'));
      else if (line.startsWith('id:')) event.id = value('id');
    }
    if (event.data.length) onEvent({ ...event, data: event.data.join('\n') });
  }
  return rest;
}

function saved() {
  try { return JSON.parse(sessionStorage.getItem('assistant-run') || 'null'); } catch (e) { return null; }
}

function showAnswer(run) {
  const answer = $('#assistant-answer');
  answer.textContent = run.answer;
  answer.dataset.tokens = String(run.tokens);
  answer.dataset.run = run.id || '';
  const watch = $('#assistant-watch');
  watch.hidden = !run.id;
  if (run.id) watch.href = `?room=${encodeURIComponent(params.get('room') || 'lobby')}&run=${run.id}`;
}

/** Reads a run's stream (the POST that started it, or a GET that re-attaches) until its end event. */
async function readRun(run, request) {
  assistantAbort = new AbortController();
  $('#assistant-stop').disabled = false;
  $('#assistant-ask').disabled = true;
  assistantState('streaming');
  try {
    const response = await fetch(request.url, { ...request.init, signal: assistantAbort.signal });
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    if (response.status === 204) {
      // the run has ended and this tab had all of it, or it expired: nothing to re-attach to
      sessionStorage.removeItem('assistant-run');
      assistantState('done');
      $('#assistant-report').textContent = `Nothing left of ${run.id} to re-attach to.`;
      return;
    }
    run.id = response.headers.get('SSE-Run-Id') || run.id;
    sessionStorage.setItem('assistant-run', JSON.stringify(run));
    showAnswer(run);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let ended = false;
    for (let chunk; !(chunk = await reader.read()).done;) {
      buffer = parseBlocks(buffer + chunk.value, (event) => {
        if (event.type === 'token') {
          run.answer += (run.tokens++ ? ' ' : '') + event.data;
          run.lastId = event.id;
          sessionStorage.setItem('assistant-run', JSON.stringify(run));
          showAnswer(run);
        }
        else if (event.type === 'end') ended = true;
        else if (event.type === 'error') $('#assistant-report').textContent = `Failed: ${event.data}`;
      });
    }
    sessionStorage.removeItem('assistant-run');
    assistantState(ended ? 'done' : 'stopped');
    const report = await (await fetch(`/assistant/runs/${run.id}/report`)).json();
    $('#assistant-report').textContent = report.state === 'completed'
      ? `Complete: ${run.tokens} tokens${run.watched ? ', attached from another tab'
        : run.reattached ? ', re-attached after a refresh' : ''}.`
      : report.tokens === null ? `Ended: the run was ${report.state} on the instance that runs its generator.`
        : `Ended: the server's generator was ${report.state} after ${report.tokens} tokens.`;
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

function ask(prompt) {
  const run = { id: null, answer: '', tokens: 0, lastId: null };
  sessionStorage.setItem('assistant-run', JSON.stringify(run));
  showAnswer(run);
  $('#assistant-report').textContent = '';
  readRun(run, {
    url: `/assistant?every=${encodeURIComponent(every)}`,
    init: {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept': 'text/event-stream' },
      body: JSON.stringify({ text: prompt }),
    },
  });
}

/**
 * A run this tab was reading before a refresh: re-attach with Last-Event-ID, so it finishes without a re-run. Or a
 * run opened from another tab's link (?run=<id>): attach from its start, beside the tab that asked.
 */
const watched = params.get('run');
const unfinished = saved() || (watched ? { id: watched, answer: '', tokens: 0, lastId: null, watched: true } : null);
if (unfinished && unfinished.id) {
  unfinished.reattached = true;
  showAnswer(unfinished);
  $('#assistant-report').textContent = unfinished.watched ? `Attached to ${unfinished.id} from its start.`
    : `Re-attached to ${unfinished.id} after ${unfinished.tokens} tokens.`;
  const headers = { 'Accept': 'text/event-stream' };
  if (unfinished.lastId) headers['Last-Event-ID'] = unfinished.lastId;
  readRun(unfinished, { url: `/assistant/runs/${unfinished.id}`, init: { headers } });
}

/** Stop: end the fetch and tell the server, then show how far its generator got before it saw the cancellation. */
async function stopRun() {
  const run = saved();
  assistantAbort.abort();
  sessionStorage.removeItem('assistant-run');
  assistantState('stopped');
  if (!run || !run.id) return;
  const shown = run.tokens;
  const report = await (await fetch(`/assistant/runs/${run.id}/stop`, { method: 'POST' })).json();
  for (let attempt = 0, current = report; attempt < 50; attempt++) {
    if (current.state !== 'running') {
      // tokens is null where another instance runs the generator (the Redis mode): the stop went there
      $('#assistant-report').textContent = current.state !== 'cancelled'
        ? `The answer had already completed (${shown} tokens shown here).`
        : current.tokens === null
          ? `Stopped: the instance that runs the generator cancelled it (${shown} shown here).`
          : `Stopped: the server's generator saw its cancellation after ${current.tokens} tokens (${shown} shown here).`;
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    current = await (await fetch(`/assistant/runs/${run.id}/report`)).json();
  }
}

$('#assistant-form').addEventListener('submit', (event) => {
  event.preventDefault();
  ask($('#assistant-prompt').value);
});

$('#assistant-stop').addEventListener('click', () => stopRun());
