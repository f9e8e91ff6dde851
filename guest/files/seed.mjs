// The seed of the guest agent, started by init. Over the virtio-serial port the host named
// (core/vm: AGENT_PORT_NAME) it says hello, then takes what the host sends for this boot: the
// time, the token the agent must demand, and the agent's code (the host's own engine, so guest
// and host never differ in version). It sets the clock, starts the agent, and says ready once the
// agent listens. The port is a byte stream: one JSON line, then the files' bytes back to back.
//
// The agent's files are kept on the data disk by their sha256 (core/vm/agentDelivery.ts): the
// host lists them, the seed answers which it lacks, and only those cross the port, which moves a
// few MB/s under TCG. The agent then runs in this same process: a second Node would cost its whole
// start-up again (seconds under TCG).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';

const PORT_NAME = 'org.stevedore.agent.0';
const VERSION = readFileSync('/etc/stevedore/version', 'utf8').trim();
const BOOTS = '/var/lib/stevedore/boots';
/** The agent's files by digest (`blobs/<sha256>`) and the tree of each delivery, linked from them. */
const AGENT_DIR = '/var/lib/stevedore/agent';
const TOKEN_FILE = '/run/stevedore/agent-token';
const STORE = '/var/lib/stevedore/store';
const AGENT_PORT = 7070;
const DIGEST = /^[0-9a-f]{64}$/;

const uptime = () => readFileSync('/proc/uptime', 'utf8').split(' ')[0];
/** The seed's steps on the console with the guest's uptime, to see where a boot's time goes. */
const step = (what) => console.log(`stevedore-seed: ${what} (uptime ${uptime()} s)`);
step(`started as pid ${process.pid}`);

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

// A blocking write: virtio_console holds it until the host end is connected. "by-digest": this
// seed answers the file list with the ones it lacks (an older seed took every file at once).
const port = openSync(portDevice(), 'r+');
const say = (line) => writeSync(port, `${line}\n`);
say(`stevedore-seed hello ${VERSION} by-digest`);

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
// Read straight into a buffer of the file's size: a port read gives a page or so at a time, and
// growing `pending` by a copy per read made a 2 MB file cost hundreds of MB of copying (seconds
// of emulated CPU at the first boot of a data disk).
function readBytes(size) {
  const bytes = Buffer.allocUnsafe(size);
  let at = Math.min(size, pending.length);
  pending.copy(bytes, 0, 0, at);
  pending = pending.subarray(at);
  while (at < size) {
    const n = readSync(port, bytes, at, size - at, null);
    if (n === 0) throw new Error('the host closed the agent channel');
    at += n;
  }
  return bytes;
}

let failed = false;
let agentReady = false;
function fail(message) {
  failed = true;
  console.log(`stevedore-agent: failed: ${message}`);
  say(`stevedore-agent failed ${message}`);
}
// The host hears of the seed's own failure at once, rather than waiting out its boot timeout.
process.on('uncaughtException', (err) => {
  console.error(err);
  if (!failed && !agentReady) fail(`the seed failed (${err?.message ?? err})`);
  process.exit(1);
});

/**
 * The host's clock, to the millisecond: at the next whole second, `date -s @N` (busybox's date
 * takes whole seconds). A child waits for that second, so the agent starts meanwhile; the seed
 * says ready only once the clock is set.
 */
function setClock(hostMs, receivedAt) {
  const now = hostMs + (performance.now() - receivedAt);
  const next = Math.ceil(now / 1000) * 1000;
  const wait = Math.round((next - now) * 1000);
  const child = spawn('/bin/sh', ['-c', `usleep ${wait}; exec date -u -s @${next / 1000} >/dev/null`], { stdio: 'ignore' });
  return new Promise((resolve) => {
    child.on('exit', resolve);
    child.on('error', resolve);
  });
}

/** The agent's tree for this delivery: files the disk has are linked, the others taken from the port. */
function receiveAgent(files) {
  const blobs = join(AGENT_DIR, 'blobs');
  mkdirSync(blobs, { recursive: true });
  const listed = [];
  for (const file of files) {
    const path = normalize(String(file.path));
    if (path.startsWith('/') || path === '..' || path.startsWith('../') || !DIGEST.test(String(file.sha256))) {
      fail(`the host sent a bad file entry: ${JSON.stringify(file)}`);
      return undefined;
    }
    listed.push({ path, sha256: file.sha256, size: Number(file.size) });
  }
  // A kept file of the wrong size (never seen: they are fsynced before they are named) is sent again.
  const kept = (f) => statSync(join(blobs, f.sha256), { throwIfNoEntry: false })?.size === f.size;
  const wanted = listed.map((f, i) => (kept(f) ? -1 : i)).filter((i) => i >= 0);
  say(`stevedore-seed want ${wanted.length > 0 ? wanted.join(',') : '-'}`);
  step(`${wanted.length} of ${listed.length} agent files to be sent, the others kept on the data disk`);
  for (const i of wanted) {
    const file = listed[i];
    const bytes = readBytes(file.size);
    if (createHash('sha256').update(bytes).digest('hex') !== file.sha256) {
      fail(`the host's ${file.path} does not match its sha256`);
      return undefined;
    }
    // Written whole and fsynced before it takes its name: after QEMU is killed, a file named by
    // a digest holds those bytes (ext4 could otherwise commit the rename before the data).
    const temp = join(blobs, `.${file.sha256}.tmp`);
    const out = openSync(temp, 'w', 0o644);
    for (let at = 0; at < bytes.length; ) at += writeSync(out, bytes, at);
    fsyncSync(out);
    closeSync(out);
    renameSync(temp, join(blobs, file.sha256));
  }
  // A tree per delivery, named by what it holds, so a boot never runs half of one and half of another.
  const key = createHash('sha256')
    .update(listed.map((f) => `${f.path}\0${f.sha256}\n`).join(''))
    .digest('hex')
    .slice(0, 16);
  const tree = join(AGENT_DIR, key);
  if (!existsSync(tree)) {
    const temp = join(AGENT_DIR, `.${key}.tmp`);
    rmSync(temp, { recursive: true, force: true });
    mkdirSync(temp);
    for (const file of listed) {
      mkdirSync(dirname(join(temp, file.path)), { recursive: true });
      linkSync(join(blobs, file.sha256), join(temp, file.path));
    }
    renameSync(temp, tree);
  }
  // Only this delivery's files are kept: the disk does not fill with every build that ran.
  const keep = new Set(listed.map((f) => f.sha256));
  for (const name of readdirSync(blobs)) if (!keep.has(name)) rmSync(join(blobs, name), { force: true });
  for (const name of readdirSync(AGENT_DIR))
    if (name !== 'blobs' && name !== key) rmSync(join(AGENT_DIR, name), { recursive: true, force: true });
  // The launcher keys V8's code cache by its bundle's sha256, which it computes unless told: told
  // here, where every file was checked as it arrived (hashing the 1.7 MB bundle under TCG took
  // ~0.1 s of each agent start). A global of this process, which the agent runs in.
  globalThis.__stevedoreVerifiedFiles = new Map(listed.map((f) => [join(tree, f.path), f.sha256]));
  return tree;
}

/** The agent in this process: the CLI's launcher as if node had been started on it. */
async function runAgent(main, clockSet) {
  mkdirSync(dirname(TOKEN_FILE), { recursive: true });
  writeFileSync(TOKEN_FILE, delivery.token, { mode: 0o600 });
  mkdirSync(STORE, { recursive: true });
  // The launcher keeps V8's code cache of the bundle in XDG_CACHE_HOME: on the data disk, a boot
  // after the first skips compiling it (seconds under TCG), as long as the host's build is the same.
  process.env.XDG_CACHE_HOME = '/var/lib/stevedore/cache';
  process.argv = [
    process.execPath,
    main,
    '--root',
    STORE,
    'agent',
    '--listen',
    `0.0.0.0:${AGENT_PORT}`,
    '--token-file',
    TOKEN_FILE,
  ];
  let ready = false;
  let listening;
  const listened = new Promise((resolve) => {
    listening = resolve;
  });
  // The agent says on stdout when it listens (core/cli/commands/agent.ts).
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk, ...rest) => {
    if (!ready && String(chunk).includes('listening on port')) listening();
    return write(chunk, ...rest);
  };
  process.on('exit', (code) => {
    if (!ready && !failed) fail(`the agent exited before it listened (status ${code})`);
    else if (ready) console.log(`stevedore-agent: the agent ended (status ${code})`);
  });
  step('starting the agent');
  await import(pathToFileURL(main).href);
  await Promise.all([listened, clockSet]);
  ready = true;
  agentReady = true;
  say(`stevedore-agent ready ${VERSION} boots=${boots}`);
  console.log(`stevedore-agent: ready (${VERSION}, boot ${boots} of this data disk, uptime ${uptime()} s)`);
}

let delivery;
let agentRuns = false;
try {
  delivery = JSON.parse(readLine());
} catch (err) {
  fail(`the host's delivery was not understood (${err.message})`);
}
if (delivery) {
  step('delivery line read');
  const clockSet = typeof delivery.clockMs === 'number' ? setClock(delivery.clockMs, performance.now()) : Promise.resolve();
  const tree = receiveAgent(Array.isArray(delivery.files) ? delivery.files : []);
  pending = Buffer.alloc(0);
  if (failed) {
    // said already
  } else if (typeof delivery.token !== 'string' || typeof delivery.main !== 'string') {
    // A boot without an agent (the host only checks that the machine boots).
    await clockSet;
    say(`stevedore-agent ready ${VERSION} boots=${boots}`);
    console.log(`stevedore-agent: ready without an agent (${VERSION}, boot ${boots} of this data disk)`);
  } else {
    const main = normalize(join(tree, delivery.main));
    if (!main.startsWith(`${tree}/`)) fail(`the host named an agent outside its files: ${delivery.main}`);
    else {
      step('agent files in place');
      // The agent's server keeps this process up from here; if it fails, the process ends and
      // the exit handler says why.
      agentRuns = true;
      runAgent(main, clockSet).catch((err) => {
        fail(`the agent did not start (${err?.message ?? err})`);
        process.exit(1);
      });
    }
  }
}
// Without an agent, stay up holding the port: the host's end sees the guest as long as this lives.
if (!agentRuns) setInterval(() => {}, 1 << 30);
