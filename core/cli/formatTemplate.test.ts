import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatRows } from './formatTemplate.js';

const headers = { ID: 'IMAGE ID', Repository: 'REPOSITORY', Tag: 'TAG' };
const rows = [
  { ID: 'abc', Repository: 'busybox', Tag: 'latest' },
  { ID: 'def', Repository: 'registry.example:5000/team/app', Tag: '1' },
];

describe('formatRows (docker --format)', () => {
  it('fills fields into the text, one line per row', () => {
    assert.equal(formatRows('{{.Repository}}:{{.Tag}}', rows, headers), 'busybox:latest\nregistry.example:5000/team/app:1');
  });

  it('aligns `table` columns under docker’s headers; \\t as typed in a shell separates them', () => {
    assert.equal(
      formatRows('table {{.Repository}}\\t{{.ID}}', rows, headers),
      [
        'REPOSITORY                       IMAGE ID',
        'busybox                          abc',
        'registry.example:5000/team/app   def',
      ].join('\n'),
    );
  });

  it('prints a row, or one field, as JSON', () => {
    assert.equal(formatRows('{{json .}}', rows.slice(0, 1), headers), '{"ID":"abc","Repository":"busybox","Tag":"latest"}');
    assert.equal(formatRows('{{json .Tag}}', rows.slice(0, 1), headers), '"latest"');
    assert.equal(
      formatRows('json', rows, headers),
      '{"ID":"abc","Repository":"busybox","Tag":"latest"}\n{"ID":"def","Repository":"registry.example:5000/team/app","Tag":"1"}',
      '--format json: one object per line, as docker',
    );
  });

  it('refuses in one line what it cannot do, naming the fields there are', () => {
    assert.throws(() => formatRows('{{.Size}}', rows, headers), /^.*no field "Size" here; the fields are ID, Repository, Tag$/);
    assert.throws(() => formatRows('{{.ID', rows, headers), /"\{\{" without its "\}\}"/);
    assert.throws(() => formatRows('{{range .}}{{end}}', rows, headers), /is not supported; use \{\{\.Field\}\}/);
  });
});
