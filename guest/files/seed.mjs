// The seed of the guest agent: it finds the virtio-serial port the host named (core/vm:
// AGENT_PORT_NAME), records this boot on the data disk, and says it is ready. Later work makes
// it serve the engine's wire protocol over the same port.
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';

const PORT_NAME = 'org.stevedore.agent.0';
const VERSION = readFileSync('/etc/stevedore/version', 'utf8').trim();
const BOOTS = '/var/lib/stevedore/boots';

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
writeSync(port, `stevedore-agent ready ${VERSION} boots=${boots}\n`);
console.log(`stevedore-agent: ready (${VERSION}, boot ${boots} of this data disk)`);
// Stay up, holding the port: the host's end sees the agent as long as this process lives.
setInterval(() => {}, 1 << 30);
