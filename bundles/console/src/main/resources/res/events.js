// The events timeline: the recent events, then new ones as the server sends them (server-sent events),
// filtered by camera, label, zone and type in the browser.
import { api, el, say } from './osprey.js';

const KEPT = 500;
const status = document.getElementById('osprey-status');
const body = document.querySelector('#osprey-event-list tbody');
const filters = Object.fromEntries(['camera', 'label', 'zone', 'type'].map(f => [f, document.getElementById('osprey-filter-' + f)]));
const events = [];
const seen = new Set();

function visible(e) {
    return Object.entries(filters).every(([k, select]) => !select.value || String(e[k] ?? '') === select.value);
}

function offer(select, value) {
    if (value && ![...select.options].some(o => o.value === value)) {
        select.append(el('option', { value }, value));
    }
}

function row(e) {
    const picture = e.snapshot ? el('a', { href: e.snapshot, target: '_blank' }, el('img', { className: 'thumb', src: e.snapshot, loading: 'lazy', alt: e.label })) : '';
    return el('tr', { 'data-event': e.id, 'data-type': e.type },
        el('td', {}, new Date(e.time).toLocaleString()), el('td', {}, e.type), el('td', {}, e.camera), el('td', {}, e.label),
        el('td', {}, e.zone || ''), el('td', {}, e.score ? Math.round(e.score * 100) + '%' : ''), el('td', {}, e.count ?? ''), el('td', {}, picture));
}

// each event's row is made once: a new event adds one row instead of redrawing the table and its pictures
const rows = new Map();

function rowOf(e) {
    let r = rows.get(e.id);
    if (!r) rows.set(e.id, r = row(e));
    return r;
}

function render() {
    body.replaceChildren(...events.filter(visible).map(rowOf));
}

/** Keeps the event unless it is known; whether it was new. */
function add(e, newest) {
    if (seen.has(e.id)) return false;
    seen.add(e.id);
    if (newest) events.unshift(e); else events.push(e);
    if (events.length > KEPT) {
        const oldest = events.pop().id;
        seen.delete(oldest);
        rows.get(oldest)?.remove();
        rows.delete(oldest);
    }
    offer(filters.camera, e.camera);
    offer(filters.label, e.label);
    offer(filters.zone, e.zone);
    offer(filters.type, e.type);
    return true;
}

Object.values(filters).forEach(s => s.addEventListener('change', render));

try {
    (await api('/events')).events.forEach(e => add(e, false));
    render();
} catch (e) {
    say(status, 'cannot read the events: ' + e.message, true);
}

const stream = new EventSource('/api/v1/events', { withCredentials: true });
const onEvent = m => {
    const e = JSON.parse(m.data);
    if (add(e, true) && visible(e)) body.prepend(rowOf(e));
};
['appeared', 'left', 'count_changed', 'zone_occupied', 'zone_freed'].forEach(t => stream.addEventListener(t, onEvent));
stream.onmessage = onEvent;
stream.onopen = () => say(status, 'live');
stream.onerror = () => say(status, 'the live stream was cut; reconnecting', true);
