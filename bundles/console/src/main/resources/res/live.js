// The live view: every watched camera's newest frame with boxes and zones, the pipeline's figures, and
// a zone editor drawn on the picture.
import { api, el, say, every, round, local } from './osprey.js';

const status = document.getElementById('osprey-status');
const grid = document.getElementById('osprey-cameras');
const cards = new Map();
// asked again this long after each answer: new frames show within ~0.1 s, a frame already shown costs the server a copy
const FRAME_PERIOD = 60;
// as long as the server goes on showing a restarting pipeline's last picture
const CARD_GRACE = 5000;

function figures(c) {
    const p = c.pipeline;
    const stages = Object.entries(p.stageMillis || {}).map(([k, v]) => `${k} ${round(v)} ms`).join(', ');
    return `camera ${c.state}${c.message ? ' (' + c.message + ')' : ''}\n`
        + `pipeline ${p.state}, ${round(p.fps)} of ${round(p.targetFps)} fps, ${p.framesProcessed} processed, ${p.framesDropped} dropped, ${p.errors} errors\n`
        + `model ${p.model || '-'} ${p.modelVersion || ''}\n${stages}`;
}

function corner(v) {
    return Number(v).toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
}

function card(id) {
    const img = el('img', { className: 'live', alt: 'camera ' + id });
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 1 1');
    svg.setAttribute('preserveAspectRatio', 'none');
    const frame = el('div', { className: 'frame' }, img, svg);
    const info = el('div', { className: 'figures' });
    const message = el('div', { className: 'hint' });
    const zoneList = el('ul', { className: 'zones' });
    const name = el('input', { className: 'zone-name', placeholder: 'zone name', size: 14 });
    const save = el('button', { className: 'save-zone', type: 'button', disabled: true }, 'Save zone');
    const cancel = el('button', { className: 'cancel-zone', type: 'button' }, 'Cancel');
    const editor = el('div', { className: 'toolbar', hidden: true }, name, save, cancel, el('span', { className: 'hint' }, 'click the corners on the picture'));
    const edit = el('button', { className: 'edit-zones', type: 'button' }, 'Edit zones');
    const root = el('div', { className: 'card', 'data-camera': id, 'data-updates': 0 },
        el('h3', {}, id), frame, info, el('div', { className: 'toolbar' }, edit), editor, zoneList, message);
    const state = { id, img, svg, frame, info, message, zoneList, zones: [], points: [], editing: false, url: null, stop: null };

    const drawPoints = () => {
        svg.querySelectorAll('.new').forEach(n => n.remove());
        if (state.points.length) {
            const line = document.createElementNS(svg.namespaceURI, 'polygon');
            line.setAttribute('class', 'new');
            line.setAttribute('points', state.points.map(p => p.join(',')).join(' '));
            line.setAttribute('fill', 'rgba(41,121,255,0.25)');
            line.setAttribute('stroke', '#2979ff');
            line.setAttribute('stroke-width', '0.004');
            svg.append(line);
        }
        save.disabled = state.points.length < 3 || !name.value.trim();
    };
    const stopEditing = () => {
        state.editing = false;
        state.points = [];
        frame.classList.remove('editing');
        editor.hidden = true;
        edit.hidden = false;
        name.value = '';
        drawPoints();
    };
    edit.addEventListener('click', () => {
        state.editing = true;
        frame.classList.add('editing');
        editor.hidden = false;
        edit.hidden = true;
        name.focus();
    });
    cancel.addEventListener('click', stopEditing);
    name.addEventListener('input', drawPoints);
    frame.addEventListener('click', e => {
        if (!state.editing) return;
        const box = img.getBoundingClientRect();
        const x = Math.min(1, Math.max(0, (e.clientX - box.left) / box.width));
        const y = Math.min(1, Math.max(0, (e.clientY - box.top) / box.height));
        state.points.push([corner(x), corner(y)]);
        drawPoints();
    });
    save.addEventListener('click', async () => {
        const text = `${name.value.trim()}: ${state.points.map(p => p.join(',')).join(' ')}`;
        await saveZones(state, [...state.zones.filter(z => !z.startsWith(name.value.trim() + ':')), text]);
        stopEditing();
    });
    state.stop = every(FRAME_PERIOD, () => refresh(state, root));
    grid.append(root);
    return { root, state };
}

async function saveZones(state, zones) {
    try {
        const saved = await api(`/cameras/${encodeURIComponent(state.id)}/zones`, { method: 'PUT', json: { zones } });
        state.zones = saved.zones;
        listZones(state);
        say(state.message, `saved ${saved.zones.length} zone(s); the pipeline restarts with them`);
    } catch (e) {
        say(state.message, 'zones not saved: ' + e.message, true);
    }
}

function listZones(state) {
    state.zoneList.replaceChildren(...state.zones.map(z => el('li', {}, z, ' ',
        el('button', { type: 'button', className: 'delete-zone', onclick: () => saveZones(state, state.zones.filter(o => o !== z)) }, 'Delete'))));
}

async function refresh(state, root) {
    if (state.editing) return; // the picture holds still while corners are clicked on it
    if (!state.processed) return; // nothing to show before the pipeline's first frame
    if (state.missingSince) return; // restarting or removed: the picture shown stays
    const response = await fetch(local(`/api/v1/cameras/${encodeURIComponent(state.id)}/frame.jpg?width=640`), { credentials: 'same-origin', cache: 'no-store' });
    if (!response.ok) {
        const body = await response.json().catch(() => ({}));
        // 503: no frame yet, the pipeline (re)starting; asked again on the next tick
        say(state.message, body.error || `HTTP ${response.status}`, response.status !== 503);
        state.frameProblem = true;
        return;
    }
    if (state.frameProblem) {
        state.frameProblem = false;
        say(state.message, '');
    }
    const sequence = response.headers.get('X-Frame-Sequence');
    if (sequence === root.dataset.sequence) return;
    const blob = await response.blob();
    if (state.editing) return;
    const url = URL.createObjectURL(blob);
    state.img.src = url;
    if (state.url) URL.revokeObjectURL(state.url);
    state.url = url;
    root.dataset.sequence = sequence;
    root.dataset.updates = Number(root.dataset.updates) + 1;
}

every(1000, async () => {
    let cameras;
    try {
        cameras = (await api('/cameras')).cameras.filter(c => c.pipeline);
        say(status, cameras.length ? '' : 'No camera is watched by a pipeline yet: add one on the Cameras page.');
    } catch (e) {
        say(status, 'cannot read the cameras: ' + e.message, true);
        return;
    }
    for (const c of cameras) {
        let entry = cards.get(c.id);
        if (!entry) {
            entry = card(c.id);
            cards.set(c.id, entry);
        }
        entry.state.info.textContent = figures(c);
        entry.state.processed ||= c.pipeline.framesProcessed > 0;
        entry.root.querySelector('.edit-zones').disabled = !c.pipeline.editable;
        entry.root.querySelector('.edit-zones').title = c.pipeline.editable ? '' : 'configured by a file in the deploy folder: edit the file';
        const zones = c.pipeline.zones || [];
        if (!entry.state.editing && JSON.stringify(zones) !== JSON.stringify(entry.state.zones)) {
            entry.state.zones = zones;
            listZones(entry.state);
        }
    }
    for (const [id, entry] of cards) {
        if (cameras.some(c => c.id === id)) {
            entry.state.missingSince = undefined;
            continue;
        }
        // a pipeline restarting (a zone saved, a model chosen) is briefly not listed: its card stays meanwhile
        entry.state.missingSince ??= Date.now();
        if (Date.now() - entry.state.missingSince > CARD_GRACE) {
            entry.state.stop();
            entry.root.remove();
            cards.delete(id);
        }
    }
});
