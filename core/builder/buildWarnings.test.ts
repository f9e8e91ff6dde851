import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildWarnings } from './buildWarnings.js';
import { parseDockerfile } from './dockerfile/parseDockerfile.js';

describe('build warnings', () => {
  it('names the --build-args no ARG consumed, in docker’s words (issue 16)', () => {
    const df = parseDockerfile('FROM scratch\nARG USED\n', { buildArgs: { USED: '1', NOT_USED: '2', OTHER: '3' } });
    assert.deepEqual(buildWarnings(df), ['[Warning] One or more build-args [NOT_USED OTHER] were not consumed']);
  });

  it('says nothing when every build arg was consumed, proxy args included', () => {
    const df = parseDockerfile('FROM scratch\nARG USED\n', { buildArgs: { USED: '1', HTTP_PROXY: 'http://p:3128' } });
    assert.deepEqual(buildWarnings(df), []);
  });

  it('passes the parser’s own warnings on', () => {
    const df = parseDockerfile('FROM scratch\nRUN a \\\n\n  b\n');
    assert.equal(buildWarnings(df).length, 1);
    assert.match(buildWarnings(df)[0] ?? '', /empty continuation line/);
  });
});
