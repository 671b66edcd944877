// Shared by Osprey's console pages: calls to the admin API (the console's login is reused by the
// browser for /api, same realm) and small DOM helpers. No library, nothing fetched from elsewhere.

/** Calls the admin API; resolves to the JSON answer (or null for 204), rejects with the API's error text. */
/** The path against the page's origin: on a page opened as http://user:password@host/, fetch refuses a relative URL. */
export function local(path) {
    return new URL(path, location.origin);
}

export async function api(path, options = {}) {
    const init = { credentials: 'same-origin', ...options, headers: { Accept: 'application/json', ...(options.headers || {}) } };
    if (options.json !== undefined) {
        init.body = JSON.stringify(options.json);
        init.headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(local('/api/v1' + path), init);
    if (response.status === 204) {
        return null;
    }
    const type = response.headers.get('Content-Type') || '';
    const body = type.includes('json') ? await response.json() : await response.text();
    if (!response.ok) {
        throw new Error(typeof body === 'object' && body.error ? body.error : `HTTP ${response.status}`);
    }
    return body;
}

/** An element with attributes (on* are listeners) and children (strings become text). */
export function el(tag, attributes = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attributes)) {
        if (v === undefined || v === null || v === false) continue;
        if (k.startsWith('on')) e.addEventListener(k.substring(2), v);
        else if (k === 'className') e.className = v;
        else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
        if (c !== undefined && c !== null) e.append(c instanceof Node ? c : String(c));
    }
    return e;
}

/** Shows a message in the page's status line: an error in red, else plain. */
export function say(target, text, isError = false) {
    target.textContent = text;
    target.className = isError ? 'error' : 'ok';
}

/** Runs task now and then every period ms, never two at once; returns a stop function. */
export function every(period, task) {
    let stopped = false;
    let timer;
    const run = async () => {
        try {
            await task();
        } catch (e) {
            console.debug('osprey: ' + e.message);
        }
        if (!stopped) timer = setTimeout(run, period);
    };
    run();
    return () => { stopped = true; clearTimeout(timer); };
}

export function round(v, digits = 1) {
    return v === null || v === undefined ? '-' : Number(v).toFixed(digits);
}
