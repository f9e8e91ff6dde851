// The seed of the guest agent, started by init. Over the virtio-serial port the host named
// (core/vm: AGENT_PORT_NAME) it says hello, then takes what the host sends for this boot: the
// time, the token the agent must demand, and the agent's code (the host's own engine, so guest
// and host never differ in version). It sets the clock, starts the agent, and says ready once the
// agent listens. The port is a byte stream: one JSON line, then the files' bytes back to back.
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join, normalize } from 'node:path';

const PORT_NAME = 'org.stevedore.agent.0';
const VERSION = readFileSync('/etc/stevedore/version', 'utf8').trim();
const BOOTS = '/var/lib/stevedore/boots';
const AGENT_DIR = '/run/stevedore/agent';
const TOKEN_FILE = '/run/stevedore/agent-token';
const STORE = '/var/lib/stevedore/store';
const AGENT_PORT = 7070;

function portDevice() {
  for (const port of readdirSync('/sys/class/virtio-ports')) {
    const name = readFileSync(`/sys/class/virtio-ports/${port}/name`, 'utf8').trim();
    if (name === PORT_NAME) return `/dev/${port}`;
  }
  throw new Error(`no virtio-serial port named ${PORT_NAME}`);
}

// The data disk must be writable and keep what was written: count boots, durably.
let boots = 0;
try {
  boots = Number.parseInt(readFileSync(BOOTS, 'utf8'), 10) || 0;
} catch {}
boots += 1;
const fd = openSync(BOOTS, 'w');
writeSync(fd, `${boots}\n`);
fsyncSync(fd);
closeSync(fd);

// A blocking write: virtio_console holds it until the host end is connected.
const port = openSync(portDevice(), 'r+');
const say = (line) => writeSync(port, `${line}\n`);
say(`stevedore-seed hello ${VERSION}`);

// Blocking reads from the port: nothing else happens in this process until the host has spoken.
let pending = Buffer.alloc(0);
function fill() {
  const chunk = Buffer.allocUnsafe(1 << 16);
  const n = readSync(port, chunk, 0, chunk.length, null);
  if (n === 0) throw new Error('the host closed the agent channel');
  pending = Buffer.concat([pending, chunk.subarray(0, n)]);
}
function readLine() {
  for (;;) {
    const end = pending.indexOf(0x0a);
    if (end >= 0) {
      const line = pending.subarray(0, end).toString('utf8');
      pending = pending.subarray(end + 1);
      return line;
    }
    if (pending.length > 1 << 20) throw new Error('the host sent a line too long');
    fill();
  }
}
function readBytes(size) {
  while (pending.length < size) fill();
  const bytes = pending.subarray(0, size);
  pending = pending.subarray(size);
  return bytes;
}

let failed = false;
function fail(message) {
  failed = true;
  console.log(`stevedore-agent: failed: ${message}`);
  say(`stevedore-agent failed ${message}`);
  setInterval(() => {}, 1 << 30);
}

/** The host's clock, to the millisecond: wait for the next whole second, then `date -s @N`. */
function setClock(hostMs, receivedAt) {
  const now = hostMs + (performance.now() - receivedAt);
  const next = Math.ceil(now / 1000) * 1000;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, next - now);
  spawnSync('date', ['-u', '-s', `@${next / 1000}`], { stdio: 'ignore' });
}

let delivery;
try {
  delivery = JSON.parse(readLine());
} catch (err) {
  fail(`the host's delivery was not understood (${err.message})`);
}
if (delivery) {
  if (typeof delivery.clockMs === 'number') setClock(delivery.clockMs, performance.now());
  const files = Array.isArray(delivery.files) ? delivery.files : [];
  for (const file of files) {
    const path = normalize(join(AGENT_DIR, String(file.path)));
    if (!path.startsWith(`${AGENT_DIR}/`)) {
      fail(`the host sent a file outside the agent's directory: ${file.path}`);
      break;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, readBytes(Number(file.size)), { mode: 0o644 });
  }
  if (failed) {
    // said already
  } else if (typeof delivery.token !== 'string' || typeof delivery.main !== 'string') {
    // A boot without an agent (the host only checks that the machine boots).
    say(`stevedore-agent ready ${VERSION} boots=${boots}`);
    console.log(`stevedore-agent: ready without an agent (${VERSION}, boot ${boots} of this data disk)`);
  } else {
    writeFileSync(TOKEN_FILE, delivery.token, { mode: 0o600 });
    mkdirSync(STORE, { recursive: true });
    const agent = spawn(
      process.execPath,
      [join(AGENT_DIR, delivery.main), '--root', STORE, 'agent', '--listen', `0.0.0.0:${AGENT_PORT}`, '--token-file', TOKEN_FILE],
      // The launcher keeps V8's code cache of the bundle in XDG_CACHE_HOME: on the data disk, a boot
      // after the first skips compiling it (seconds under TCG), as long as the host's build is the same.
      { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, XDG_CACHE_HOME: '/var/lib/stevedore/cache' } },
    );
    let ready = false;
    agent.stdout.setEncoding('utf8').on('data', (text) => {
      process.stdout.write(text);
      if (!ready && text.includes('listening on port')) {
        ready = true;
        say(`stevedore-agent ready ${VERSION} boots=${boots}`);
        console.log(`stevedore-agent: ready (${VERSION}, boot ${boots} of this data disk)`);
      }
    });
    agent.on('exit', (code, signal) => {
      if (!ready) fail(`the agent exited before it listened (${signal ?? `status ${code}`})`);
      else console.log(`stevedore-agent: the agent ended (${signal ?? `status ${code}`})`);
    });
  }
}
// Stay up, holding the port: the host's end sees the agent as long as this process lives.
setInterval(() => {}, 1 << 30);
