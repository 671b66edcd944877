// The API tokens page: the list from /api/v1/tokens, a form that makes one (shown once), revoke buttons.
import { api, el, say } from './osprey.js';

const status = document.getElementById('osprey-status');
const body = document.querySelector('#osprey-token-list tbody');
const form = document.getElementById('osprey-make-token');

async function list() {
    const answer = await api('/tokens');
    body.replaceChildren(...answer.tokens.map(t => el('tr', { 'data-token': t.name },
        el('td', {}, t.name), el('td', {}, t.scopes.join(', ')), el('td', {}, t.created), el('td', {}, t.lastUsed || 'never'),
        el('td', {}, el('button', { type: 'button', onclick: () => revoke(t.name) }, 'Revoke')))));
    if (!answer.tokens.length) {
        body.replaceChildren(el('tr', {}, el('td', { colspan: 5 }, 'no tokens yet')));
    }
}

async function revoke(name) {
    if (!confirm(`Revoke the token ${name}? Whatever uses it is refused from its next request on.`)) return;
    try {
        await api('/tokens/' + encodeURIComponent(name), { method: 'DELETE' });
        say(status, `token ${name} revoked`);
        await list();
    } catch (e) {
        say(status, e.message, true);
    }
}

form.addEventListener('submit', async event => {
    event.preventDefault();
    const name = document.getElementById('osprey-token-name').value.trim();
    const scopes = [...document.querySelectorAll('#osprey-token-scopes input:checked')].map(i => i.value);
    try {
        const made = await api('/tokens', { method: 'POST', json: { name, scopes } });
        document.getElementById('osprey-new-token-name').textContent = made.name;
        document.getElementById('osprey-new-token-value').textContent = made.token;
        document.getElementById('osprey-new-token').hidden = false;
        say(status, '');
        form.reset();
        await list();
    } catch (e) {
        say(status, e.message, true);
    }
});

list().catch(e => say(status, e.message, true));
