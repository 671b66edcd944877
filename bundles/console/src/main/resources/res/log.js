// The log page: recent warnings and errors from /api/v1/log, refreshed every few seconds.
import { api, el, say, every } from './osprey.js';

const status = document.getElementById('osprey-status');
const body = document.querySelector('#osprey-log-list tbody');
const level = document.getElementById('osprey-log-level');

async function list() {
    const answer = await api('/log?limit=500');
    document.getElementById('osprey-log-file').textContent = answer.file;
    const shown = answer.entries.filter(e => !level.value || e.level === level.value);
    body.replaceChildren(...shown.map(e => {
        const message = e.detail ? el('details', {}, el('summary', {}, e.message), el('pre', {}, e.detail)) : e.message;
        return el('tr', { 'data-level': e.level }, el('td', {}, e.time), el('td', { className: e.level === 'ERROR' ? 'error' : '' }, e.level),
            el('td', { title: e.thread }, e.logger), el('td', {}, message));
    }));
    say(status, shown.length ? '' : 'nothing to report');
}

level.addEventListener('change', () => list().catch(e => say(status, e.message, true)));
every(5000, list);
