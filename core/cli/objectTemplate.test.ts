import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatObject } from './objectTemplate.js';

describe('formatObject (inspect -f, events --format)', () => {
  const value = { Name: '/web', State: { Status: 'running', Pid: 42 }, Config: { Cmd: ['sleep', '1'] }, Labels: null };

  it('walks nested fields and prints scalars as Go does, objects and lists as JSON', () => {
    assert.equal(formatObject('{{.Name}} {{.State.Status}} {{.State.Pid}}', value), '/web running 42');
    assert.equal(formatObject('{{.Config.Cmd}}', value), '["sleep","1"]');
    assert.equal(formatObject('{{json .State}}', value), '{"Status":"running","Pid":42}');
    assert.equal(formatObject('{{.Labels}}|{{.Missing}}', value), '<no value>|<no value>');
    assert.equal(formatObject('{{.Name}}\\t{{.State.Pid}}', value), '/web\t42');
  });

  it('refuses what it does not support rather than printing it wrong', () => {
    assert.throws(() => formatObject('{{range .Config.Cmd}}x{{end}}', value), /not supported/);
    assert.throws(() => formatObject('{{.Name', value), /without its/);
    assert.throws(() => formatObject('{{.Name.Inner}}', value), /no field Inner/);
  });
});
