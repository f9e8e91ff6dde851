import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkContainerName,
  checkEnv,
  checkEnvFile,
  checkLabel,
  checkLimits,
  checkPort,
  checkRestart,
  checkUser,
  checkVolume,
  checkWorkdir,
  labelsOf,
  routeVolumes,
} from './runFlags';

// The rules of -p and -v are core/api's parsers' (tested beside them); the dialog shows their
// sentences, starting a sentence, for the text as it will be sent (trimmed).
describe('checkPort', () => {
  it('takes what the engine takes, blanks around it aside', () => {
    for (const ok of ['8080:80', ' 127.0.0.1::80 ', '53:53/udp']) assert.equal(checkPort(ok), null, ok);
  });

  it('refuses in the CLI’s words', () => {
    assert.equal(checkPort('8080:http'), 'Invalid port "8080:http": the container port must be a number from 1 to 65535');
  });
});

describe('checkVolume', () => {
  it('takes what the engine takes, blanks around it aside', () => {
    for (const ok of ['/srv:/data', ' /srv:/data:ro ']) assert.equal(checkVolume(ok), null, ok);
  });

  it('refuses in the CLI’s words', () => {
    assert.equal(checkVolume('/srv:/'), 'Invalid volume "/srv:/": the container path cannot be /');
  });

  it('takes named and anonymous volumes as -v does', () => {
    for (const ok of ['data:/data', 'data:/data:ro', '/cache']) assert.equal(checkVolume(ok), null, ok);
    assert.equal(checkVolume('data:data'), 'Invalid volume "data:data": the container path must be absolute');
  });

  it('refuses a relative host path: there is no working directory here', () => {
    assert.match(checkVolume('./site:/srv') ?? '', /full path/);
  });
});

describe('routeVolumes', () => {
  it('sends binds as -v and volumes as --mount, as the CLI routes them', () => {
    assert.deepEqual(routeVolumes(['/srv:/data:ro', 'data:/data', '/cache']), {
      volumes: ['/srv:/data:ro'],
      mounts: ['type=volume,src=data,dst=/data', 'type=volume,dst=/cache'],
    });
  });
});

describe('checkRestart', () => {
  it('is docker’s --restart, and refuses --rm with a policy in the CLI’s words', () => {
    assert.deepEqual(checkRestart('no', '', true), { restart: undefined, problem: null });
    assert.deepEqual(checkRestart('always', '', false), { restart: 'always', problem: null });
    assert.deepEqual(checkRestart('on-failure', ' 3 ', false), { restart: 'on-failure:3', problem: null });
    assert.deepEqual(checkRestart('on-failure', '', false), { restart: 'on-failure', problem: null });
    assert.match(checkRestart('on-failure', 'x', false).problem ?? '', /^Invalid restart policy/);
    assert.equal(checkRestart('unless-stopped', '', true).problem, 'Conflicting options: --restart and --rm.');
  });
});

describe('checkEnv', () => {
  it('wants KEY=VALUE, the value possibly empty or holding “=”', () => {
    assert.equal(checkEnv('A=1'), null);
    assert.equal(checkEnv('A='), null);
    assert.equal(checkEnv('A=b=c'), null);
    assert.match(checkEnv('A') ?? '', /KEY=VALUE/);
    assert.match(checkEnv('=1') ?? '', /name before/);
    assert.match(checkEnv('MY VAR=1') ?? '', /blanks/);
  });
});

describe('checkContainerName', () => {
  it('follows docker’s rule, and an empty name is fine (the engine picks one)', () => {
    for (const ok of ['', 'web', 'my_app.1-b', '9lives']) assert.equal(checkContainerName(ok), null, ok);
    assert.match(checkContainerName('a') ?? '', /at least two/);
    assert.match(checkContainerName('-web') ?? '', /starts with a letter or digit/);
    assert.match(checkContainerName('my app') ?? '', /starts with a letter or digit/);
  });
});

describe('the advanced section’s checks', () => {
  it('takes an env file by its full path on the engine’s machine', () => {
    assert.equal(checkEnvFile(''), null);
    assert.equal(checkEnvFile(' /srv/app.env '), null);
    assert.equal(checkEnvFile('app.env'), 'Type the file’s full path, starting with /: it is on the engine’s machine.');
  });

  it('takes -u as a name or ID with an optional group', () => {
    for (const ok of ['', 'nobody', '1000', '1000:1000', 'www-data:www-data']) assert.equal(checkUser(ok), null, ok);
    for (const bad of ['web user', '1000:', ':1000', 'a:b:c']) {
      assert.equal(checkUser(bad), 'Write a user name or ID, optionally :group, without blanks.', bad);
    }
  });

  it('refuses a relative -w in the engine’s words', () => {
    assert.equal(checkWorkdir('/srv/app'), null);
    assert.equal(checkWorkdir('srv'), 'The working directory must be absolute, got "srv"');
  });

  it('reads labels as the CLI does: a bare name is an empty value, a label needs a name', () => {
    assert.equal(checkLabel('tier'), null);
    assert.equal(checkLabel('team=web'), null);
    assert.equal(checkLabel('=web'), 'The name before “=” is missing.');
    assert.deepEqual(labelsOf(['team=web', 'tier', 'a=b=c']), { team: 'web', tier: '', a: 'b=c' });
    assert.equal(labelsOf([]), undefined);
  });

  it('checks --memory and --cpus by the engine’s rules; empty is no limit', () => {
    assert.deepEqual(checkLimits('', ''), { resources: undefined, memoryProblem: null, cpusProblem: null });
    assert.deepEqual(checkLimits(' 64m ', '0.5'), {
      resources: { memory: '64m', cpus: '0.5' },
      memoryProblem: null,
      cpusProblem: null,
    });
    assert.equal(checkLimits('1m', '').memoryProblem, 'Minimum memory limit allowed is 6MB');
    assert.equal(checkLimits('', '-1').cpusProblem, 'Invalid --cpus "-1": expected a positive number such as 0.5');
  });
});
