// Which engine a run of the built CLI used, told by the run itself: a preload (`node --require`)
// watches its connections to an engine socket (`…/engine.sock`). An answer to a call coming back
// over one means the work went through that engine; a connection without one, that the CLI tried
// and ran in-process after all (a stale socket, an engine with another Docker config); no
// connection, that it ran in-process from the start. 'none': the run left no trace (killed).
import { chownSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type EnginePath = 'engine' | 'fallback' | 'in-process' | 'none';

const TRACE_ENV = 'STEVEDORE_TEST_ENGINE_TRACE';

const TRACER = `
const net = require('node:net');
const fs = require('node:fs');
const file = process.env.${TRACE_ENV};
let path = 'in-process';
const connect = net.connect;
net.connect = function (...args) {
  const socket = connect.apply(this, args);
  const target = typeof args[0] === 'string' ? args[0] : args[0] && args[0].path;
  if (typeof target === 'string' && target.endsWith('engine.sock')) {
    if (path === 'in-process') path = 'fallback';
    // The engine's frames are not masked: its answers ({"kind":"result",…}) read as they are sent.
    socket.on('data', (chunk) => {
      if (chunk.includes('"kind":"result"')) path = 'engine';
    });
  }
  return socket;
};
process.on('exit', () => {
  if (file) fs.writeFileSync(file, path);
});
`;

export interface EngineTrace {
  /** Node's arguments (before the script) and the environment for one run; `path()` reads it after. */
  run(): { nodeArgs: string[]; env: NodeJS.ProcessEnv; path(): EnginePath };
}

/** A tracer kept in `dir` (a test's temporary directory); `owner`: the account the traced runs are made as. */
export function engineTrace(dir: string, owner?: { uid: number; gid: number }): EngineTrace {
  const tracer = join(dir, 'engine-trace.cjs');
  writeFileSync(tracer, TRACER);
  return {
    run() {
      const traceDir = mkdtempSync(join(dir, 'trace-'));
      if (owner) chownSync(traceDir, owner.uid, owner.gid);
      const file = join(traceDir, 'path');
      return {
        nodeArgs: ['--require', tracer],
        env: { [TRACE_ENV]: file },
        path: () => {
          try {
            return readFileSync(file, 'utf8') as EnginePath;
          } catch {
            return 'none';
          }
        },
      };
    },
  };
}
