// Cameras: the list by id with state and reason, removal, and a form that adds a camera with its pipeline.
import { api, el, say, every, round, local } from './osprey.js';

const status = document.getElementById('osprey-status');
const body = document.querySelector('#osprey-camera-list tbody');
const form = document.getElementById('osprey-add-camera');
const model = document.getElementById('osprey-camera-model');

async function list() {
    const cameras = (await api('/cameras')).cameras;
    body.replaceChildren(...cameras.map(c => el('tr', { 'data-camera': c.id, 'data-state': c.state },
        el('td', {}, c.id), el('td', { className: c.state !== 'streaming' ? 'error' : '' }, c.state + (c.message ? ': ' + c.message : '')),
        el('td', {}, c.framesDelivered),
        el('td', { className: c.pipeline && c.pipeline.state.startsWith('invalid') ? 'error' : '' }, c.pipeline ? c.pipeline.state : 'none'),
        el('td', {}, c.pipeline ? `${c.pipeline.model || '-'} ${c.pipeline.modelVersion || ''}` : ''),
        el('td', {}, c.pipeline ? `${round(c.pipeline.fps)} / ${round(c.pipeline.targetFps)}` : ''),
        el('td', {}, el('button', { type: 'button', className: 'remove-camera', onclick: () => remove(c.id) }, 'Remove')))));
}

async function models() {
    const names = [...new Set((await api('/models')).models.map(m => m.name))].sort();
    const chosen = model.value;
    model.replaceChildren(el('option', { value: '' }, 'the newest installed'), ...names.map(n => el('option', { value: n }, n)));
    model.value = names.includes(chosen) ? chosen : '';
}

async function remove(id) {
    if (!confirm(`Remove camera ${id} and its pipeline?`)) return;
    try {
        await api('/cameras/' + encodeURIComponent(id), { method: 'DELETE' });
        say(status, `removed ${id}`);
        await list();
    } catch (e) {
        say(status, e.message, true);
    }
}

const tested = document.getElementById('osprey-test-frame');

// tries the form's camera for a moment: its first frame, or what it says
document.getElementById('osprey-test-camera').addEventListener('click', async () => {
    const f = new FormData(form);
    say(status, 'trying the camera (up to 15 s)...');
    tested.hidden = true;
    const response = await fetch(local('/api/v1/cameras/test'), { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ kind: f.get('kind'), source: f.get('source').trim(), fps: Number(f.get('fps')) }) });
    if (response.ok) {
        if (tested.src) URL.revokeObjectURL(tested.src);
        tested.src = URL.createObjectURL(await response.blob());
        tested.hidden = false;
        say(status, 'the camera works: its first frame is below');
    } else {
        const body = await response.json().catch(() => ({}));
        say(status, 'the camera does not work: ' + (body.error || 'HTTP ' + response.status), true);
    }
});

form.addEventListener('submit', async e => {
    e.preventDefault();
    const f = new FormData(form);
    const camera = { id: f.get('id').trim(), kind: f.get('kind'), source: f.get('source').trim(), fps: Number(f.get('fps')),
        model: f.get('model'), pipelineFps: Number(f.get('pipelineFps')) };
    try {
        await api('/cameras', { method: 'POST', json: camera });
        say(status, `added ${camera.id}: it shows on the live view once its first frame is processed`);
        form.reset();
        await list();
    } catch (err) {
        say(status, `${camera.id} not added: ${err.message}`, true);
    }
});
every(2000, list);
every(10000, models);
