// The seed of the guest agent, started by init. Over the virtio-serial port the host named
// (core/vm: AGENT_PORT_NAME) it says hello, then takes what the host sends for this boot: the
// time, the token the agent must demand, and the agent's code (the host's own engine, so guest
// and host never differ in version). It sets the clock, starts the agent, and says ready once the
// agent listens. The port is a byte stream: one JSON line, then the files' bytes back to back.
//
// The agent's files are kept on the data disk by their sha256 (core/vm/agentDelivery.ts): the
// host lists them, the seed answers which it lacks, and only those cross the port, which moves a
// few MB/s under TCG. At the first boot of a delivery the agent runs in this same process (a second
// Node would cost its start-up again), and then, in the background, a startup snapshot of it is
// made; the boots after it start the agent from that snapshot in a process of its own.
'use strict';
// CommonJS, not an ES module: Node starts a script without its ES module loader, which under TCG
// is a good part of a cold start (warm, an empty .cjs started in 0.29 s and an empty .mjs in 0.37).
const { spawn } = require('node:child_process');
const { createHash, randomBytes } = require('node:crypto');
const {
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
} = require('node:fs');
const { setPriority } = require('node:os');
const { dirname, join, normalize } = require('node:path');
const { pathToFileURL } = require('node:url');

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
  // Recursive: whatever else is there (a directory put there by hand) must not stop every boot.
  for (const name of readdirSync(blobs)) if (!keep.has(name)) rmSync(join(blobs, name), { recursive: true, force: true });
  for (const name of readdirSync(AGENT_DIR))
    if (name !== 'blobs' && name !== key) rmSync(join(AGENT_DIR, name), { recursive: true, force: true });
  // The launcher keys V8's code cache by its bundle's sha256, which it computes unless told: told
  // here, where every file was checked as it arrived (hashing the 1.7 MB bundle under TCG took
  // ~0.1 s of each agent start). A global of this process, which the agent runs in.
  globalThis.__stevedoreVerifiedFiles = new Map(listed.map((f) => [join(tree, f.path), f.sha256]));
  return tree;
}

/** What the agent is started with, and where it keeps what it needs. */
function agentArguments() {
  mkdirSync(dirname(TOKEN_FILE), { recursive: true });
  writeFileSync(TOKEN_FILE, delivery.token, { mode: 0o600 });
  mkdirSync(STORE, { recursive: true });
  // The launcher keeps V8's code cache of the bundle in XDG_CACHE_HOME: on the data disk, a boot
  // after the first skips compiling it (seconds under TCG), as long as the host's build is the same.
  process.env.XDG_CACHE_HOME = '/var/lib/stevedore/cache';
  // Containers run with crun, which this image has (guest/packages.ts): a C program, it starts a
  // container under TCG in ~0.2 s where runc takes ~0.5 s. The agent's children (health checks) inherit it.
  process.env.STEVEDORE_OCI_RUNTIME = 'crun';
  return ['--root', STORE, 'agent', '--listen', `0.0.0.0:${AGENT_PORT}`, '--token-file', TOKEN_FILE];
}

/** Ready once the agent listens and the clock is set; the host hears it on the port. */
async function announceReady(listened, clockSet) {
  await Promise.all([listened, clockSet]);
  agentReady = true;
  say(`stevedore-agent ready ${VERSION} boots=${boots}`);
  console.log(`stevedore-agent: ready (${VERSION}, boot ${boots} of this data disk, uptime ${uptime()} s)`);
}

/** The agent in this process: the CLI's launcher as if node had been started on it. */
async function runAgent(main, clockSet) {
  process.argv = [process.execPath, main, ...agentArguments()];
  let listening;
  const listened = new Promise((resolve) => {
    listening = resolve;
  });
  // The agent says on stdout when it listens (core/cli/commands/agent.ts).
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk, ...rest) => {
    if (!agentReady && String(chunk).includes('listening on port')) listening();
    return write(chunk, ...rest);
  };
  process.on('exit', (code) => {
    if (!agentReady && !failed) fail(`the agent exited before it listened (status ${code})`);
    else if (agentReady) console.log(`stevedore-agent: the agent ended (status ${code})`);
  });
  step('starting the agent');
  await import(pathToFileURL(main).href);
  await announceReady(listened, clockSet);
}

/**
 * The agent from its startup snapshot (made by makeSnapshot at an earlier boot of this delivery):
 * a process of its own, since a snapshot is only read at a process's start, which costs the warm
 * Node start of a second process (~0.3 s under TCG) and saves evaluating the bundle and the
 * engine's modules (at boot under TCG the agent listened 0.95-1.5 s after its start instead of
 * ~1.5 s; docs/architecture.md has the lazily and eagerly compiled figures). If it ends before
 * it listens (a snapshot another Node cannot read), the snapshot is removed and the agent runs
 * here from its code.
 */
function runAgentFromSnapshot(main, snapshot, clockSet) {
  step('starting the agent from its snapshot');
  const child = spawn(process.execPath, ['--snapshot-blob', snapshot, main, ...agentArguments()], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let listening;
  const listened = new Promise((resolve) => {
    listening = resolve;
  });
  let said = false;
  let before = '';
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    if (said) return;
    before = (before + chunk).slice(-4096);
    if (before.includes('listening on port')) {
      said = true;
      listening();
    }
  });
  // rc.shutdown signals every node process: the agent stops, and this seed ends with it.
  process.on('SIGTERM', () => {});
  child.on('exit', (code, signal) => {
    const status = code ?? signal;
    if (said) {
      console.log(`stevedore-agent: the agent ended (status ${status})`);
      process.exit(code ?? 1);
    }
    step(`the agent's snapshot did not start (status ${status}): the agent starts from its code`);
    rmSync(snapshot, { force: true });
    runAgentThenSnapshot(main, snapshot, clockSet);
  });
  announceReady(listened, clockSet).catch(agentFailed);
}

/**
 * The agent's startup snapshot, for the boots after this one: `node --build-snapshot` runs the
 * agent's start on a scratch store and keeps the heap it leaves (core/cli/snapshotEntry.ts). In
 * the background at the lowest priority, once per delivery and Node version (~5 s of the guest's
 * CPU under TCG); a machine stopped meanwhile makes it at its next boot.
 */
function makeSnapshot(tree, snapshot) {
  const scratch = '/tmp/stevedore-snapshot';
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(join(scratch, 'store'), { recursive: true });
  writeFileSync(join(scratch, 'token'), randomBytes(24).toString('hex'));
  const temp = `${snapshot}.tmp`;
  const args = [
    ...['--snapshot-blob', temp, '--build-snapshot', join(tree, 'snapshot-entry.cjs')],
    ...['--root', join(scratch, 'store'), 'agent', '--listen', '127.0.0.1:0', '--token-file', join(scratch, 'token')],
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    setPriority(child.pid, 19);
  } catch {}
  let errors = '';
  child.stderr.on('data', (chunk) => {
    errors = (errors + chunk).slice(-4096);
  });
  child.on('exit', (code) => {
    rmSync(scratch, { recursive: true, force: true });
    if (code === 0 && existsSync(temp)) {
      // On the disk before it is named, as the agent's files are (receiveAgent).
      const out = openSync(temp, 'r');
      fsyncSync(out);
      closeSync(out);
      renameSync(temp, snapshot);
      step("the agent's startup snapshot is made, for the next boot");
    } else {
      rmSync(temp, { force: true });
      const why = errors
        .trim()
        .split('\n')
        .filter((l) => l && !/Warning|may still|To request|trace-warnings/.test(l));
      console.log(
        `stevedore-seed: the agent's startup snapshot was not made (status ${code}${why.length ? `: ${why.at(-1)}` : ''})`,
      );
    }
  });
}

/** The agent here, and once it is ready, its snapshot for the next boot (where the host sent the entry). */
function runAgentThenSnapshot(main, snapshot, clockSet) {
  const tree = dirname(snapshot);
  runAgent(main, clockSet)
    .then(() => existsSync(join(tree, 'snapshot-entry.cjs')) && makeSnapshot(tree, snapshot))
    .catch(agentFailed);
}

function agentFailed(err) {
  fail(`the agent did not start (${err?.message ?? err})`);
  process.exit(1);
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
    clockSet.then(() => {
      say(`stevedore-agent ready ${VERSION} boots=${boots}`);
      console.log(`stevedore-agent: ready without an agent (${VERSION}, boot ${boots} of this data disk)`);
    });
  } else {
    const main = normalize(join(tree, delivery.main));
    if (!main.startsWith(`${tree}/`)) fail(`the host named an agent outside its files: ${delivery.main}`);
    else {
      step('agent files in place');
      // The agent's server keeps this process (or its own) up from here; if it fails, the process
      // ends and the exit handler says why. Node reads only a snapshot its own version made.
      agentRuns = true;
      const snapshot = join(tree, `agent-${process.version}.snapshot`);
      if (existsSync(snapshot)) runAgentFromSnapshot(main, snapshot, clockSet);
      else runAgentThenSnapshot(main, snapshot, clockSet);
    }
  }
}
// Without an agent, stay up holding the port: the host's end sees the guest as long as this lives.
if (!agentRuns) setInterval(() => {}, 1 << 30);
