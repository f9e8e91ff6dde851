import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkContainerName, checkEnv, checkPort, checkVolume } from './runFlags';

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
