import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePortSpec } from '../../../../core/runtime/network/portSpec';
import { parseVolumeSpec } from '../../../../core/runtime/volumeSpec';
import { checkContainerName, checkEnv, checkPort, checkVolume } from './runFlags';

/** Whether the engine's own parser takes the text: the check as you type must agree with it. */
function engineTakes(parse: (text: string) => unknown, text: string): boolean {
  try {
    parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('checkPort', () => {
  it('accepts what the engine reads: an IP, a host port (or none, for a free one), a protocol', () => {
    for (const ok of ['8080:80', '127.0.0.1:8080:80', '0.0.0.0:53:53/udp', '1:65535/TCP', ' 8080:80 ', '80', '127.0.0.1::80']) {
      assert.equal(checkPort(ok), null, ok);
    }
  });

  it('says what is wrong', () => {
    assert.match(checkPort('8080:80/sctp') ?? '', /tcp or udp/);
    assert.match(checkPort('8080:80/tcp/x') ?? '', /tcp or udp/);
    assert.match(checkPort('localhost:8080:80') ?? '', /“localhost” is not an IPv4 address/);
    assert.match(checkPort('256.0.0.1:8080:80') ?? '', /not an IPv4 address/);
    assert.match(checkPort('[::1]:8080:80') ?? '', /Only IPv4/);
    assert.match(checkPort('127.0.0.1:80') ?? '', /write both colons: 127\.0\.0\.1::80/);
    assert.match(checkPort('x:80') ?? '', /host port “x”/);
    assert.match(checkPort('8080:70000') ?? '', /container port “70000”/);
    assert.match(checkPort('8080:http') ?? '', /container port “http”/);
    assert.match(checkPort('8000-8010:80') ?? '', /ranges are not supported/);
    assert.match(checkPort('a:b:c:d') ?? '', /HOST:CONTAINER/);
  });
});

describe('the checks agree with the engine’s parsers', () => {
  it('on ports', () => {
    const inputs = ['8080:80', '127.0.0.1:8080:80', '0.0.0.0:53:53/udp', '1:65535/TCP', '80', '127.0.0.1::80', '0:80', ':80'];
    const bad = ['8080:80/sctp', 'localhost:8080:80', '256.0.0.1:8080:80', '[::1]:8080:80', '127.0.0.1:80', '8080:70000'];
    for (const text of [...inputs, ...bad, '8080:http', '8000-8010:80', 'a:b:c:d', '', '65536:80', '8080:0']) {
      assert.equal(checkPort(text) === null, engineTakes(parsePortSpec, text), text);
    }
  });

  it('on volumes', () => {
    for (const text of [
      '/srv:/data',
      '/srv:/data:ro',
      '/srv:/data:rw',
      'data:/data',
      '/srv:data',
      '/srv:/',
      '/srv:/data:rx',
      '/srv',
      '/a:/b:ro:x',
    ]) {
      assert.equal(checkVolume(text) === null, engineTakes(parseVolumeSpec, text), text);
    }
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

describe('checkVolume', () => {
  it('wants two absolute paths and an optional mode', () => {
    assert.equal(checkVolume('/srv:/data'), null);
    assert.equal(checkVolume('/srv:/data:ro'), null);
    assert.equal(checkVolume('/srv:/data:rw'), null);
    assert.match(checkVolume('data:/data') ?? '', /host path must be absolute/);
    assert.match(checkVolume('/srv:data') ?? '', /container path must be absolute/);
    assert.match(checkVolume('/srv:/') ?? '', /cannot be \//);
    assert.match(checkVolume('/srv:/data:rx') ?? '', /“rx” is not a mode/);
    assert.match(checkVolume('/srv') ?? '', /HOST:CONTAINER/);
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
