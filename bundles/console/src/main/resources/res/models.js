// Models: the list, upload by file picker or drag and drop (started at once), removal, the default model.
import { api, el, say, every } from './osprey.js';

const status = document.getElementById('osprey-status');
const body = document.querySelector('#osprey-model-list tbody');
const defaultModel = document.getElementById('osprey-default-model');
const drop = document.getElementById('osprey-drop');
const file = document.getElementById('osprey-model-file');

async function list() {
    const answer = await api('/models');
    body.replaceChildren(...answer.models.map(m => el('tr', { 'data-model': m.name, 'data-version': m.version, 'data-state': m.state },
        el('td', {}, m.name), el('td', {}, m.version), el('td', {}, m.task || ''),
        el('td', { className: m.state === 'failed' ? 'error' : '' }, m.state + (m.message ? ': ' + m.message : '')),
        el('td', {}, new Date(m.since).toLocaleString()), el('td', {}, m.bundleId),
        el('td', {}, el('button', { type: 'button', className: 'remove-model', onclick: () => remove(m) }, 'Remove')))));
    document.getElementById('osprey-sessions').textContent = answer.openSessions === null ? '' : `${answer.openSessions} ONNX Runtime session(s) open`;
    const names = [...new Set(answer.models.map(m => m.name))].sort();
    const chosen = answer.defaultModel || '';
    defaultModel.replaceChildren(el('option', { value: '' }, 'the newest installed'), ...names.map(n => el('option', { value: n }, n)));
    if (chosen && !names.includes(chosen)) defaultModel.append(el('option', { value: chosen }, chosen + ' (not installed)'));
    defaultModel.value = chosen;
}

async function upload(f) {
    say(status, `uploading ${f.name} (${Math.round(f.size / 1024)} KB)...`);
    try {
        const b = await api('/models', { method: 'POST', body: f, headers: { 'Content-Type': 'application/java-archive' } });
        say(status, `installed ${b.symbolicName} ${b.version} (bundle ${b.bundleId}); it serves once its state is active`);
        await list();
    } catch (e) {
        say(status, `${f.name} not installed: ${e.message}`, true);
    }
}

async function remove(m) {
    if (!confirm(`Remove model ${m.name} ${m.version} (bundle ${m.bundleId})?`)) return;
    try {
        await api('/models/' + m.bundleId, { method: 'DELETE' });
        say(status, `removed ${m.name} ${m.version}`);
        await list();
    } catch (e) {
        say(status, e.message, true);
    }
}

file.addEventListener('change', () => file.files.length && upload(file.files[0]).then(() => { file.value = ''; }));
drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', e => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer.files.length) upload(e.dataTransfer.files[0]);
});
defaultModel.addEventListener('change', async () => {
    try {
        await api('/models/default', { method: 'PUT', json: { name: defaultModel.value } });
        say(status, defaultModel.value ? `requests without ?model= go to ${defaultModel.value}` : 'requests without ?model= go to the newest model');
    } catch (e) {
        say(status, e.message, true);
    }
});
every(2000, list);
