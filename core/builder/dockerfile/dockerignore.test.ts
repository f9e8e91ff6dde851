import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../testkit/tempDir.js';
import { isStevedoreError } from '../../errors.js';
import { matcher, parseDockerignore, readDockerignore } from './dockerignore.js';

/** patterns, path, ignored? — Docker's patternmatcher, path and parents. */
const table: [string[], string, boolean][] = [
  [['*.log'], 'app.log', true],
  [['*.log'], 'logs/app.log', false],
  [['**/*.log'], 'app.log', true],
  [['**/*.log'], 'a/b/c.log', true],
  [['node_modules'], 'node_modules', true],
  [['node_modules'], 'node_modules/pkg/index.js', true],
  [['node_modules'], 'src/node_modules/pkg/index.js', false],
  [['/build'], 'build/out/app', true],
  [['./dist/'], 'dist/app.js', true],
  [['temp?'], 'temp1', true],
  [['temp?'], 'temp12', false],
  [['*/temp*'], 'somedir/temporary.txt', true],
  [['*/temp*'], 'temp.txt', false],
  [['*/temp*'], 'a/b/temp.txt', false],
  [['*/*/temp*'], 'a/b/temp.txt', true],
  [['[a-c].txt'], 'b.txt', true],
  [['[a-c].txt'], 'd.txt', false],
  [['\\*.txt'], '*.txt', true],
  [['\\*.txt'], 'a.txt', false],
  [['*.md', '!README.md'], 'README.md', false],
  [['*.md', '!README.md'], 'CHANGES.md', true],
  [['!README.md', '*.md'], 'README.md', true],
  [['docs', '!docs/keep.md'], 'docs/keep.md', false],
  [['docs', '!docs/keep.md'], 'docs/other.md', true],
  [['docs', '!docs/keep.md'], 'docs', true],
  [['docs/**'], 'docs/a/b', true],
  [['docs/**'], 'docs', false],
  [['**', '!src'], 'src/main.ts', false],
  [['**', '!src'], 'README.md', true],
  [['**/foo'], 'foo', true],
  [['**/foo'], 'x/y/foo', true],
  [['**/foo'], 'xfoo', false],
  [['.git'], '.git/config', true],
  [['.git'], '.gitignore', false],
  [['a/../b'], 'b/c', true],
  [['*.log'], './app.log', true],
  [['*'], 'anything/below/it', true],
  [[], 'anything', false],
];

describe('.dockerignore matching', () => {
  for (const [patterns, path, ignored] of table) {
    it(`${JSON.stringify(patterns)} ${ignored ? 'ignores' : 'keeps'} ${path}`, () => {
      assert.equal(matcher(patterns).ignores(path), ignored);
    });
  }

  it('never ignores the context root', () => {
    assert.equal(matcher(['*', '**']).ignores('.'), false);
  });

  it('walks into an excluded directory only when an exception may re-include something below it', () => {
    assert.equal(matcher(['docs']).walkInto('docs'), false);
    const m = matcher(['docs', '!docs/keep.md']);
    assert.equal(m.walkInto('docs'), true);
    assert.equal(m.walkInto('docs/sub'), false);
    assert.equal(m.walkInto('src'), true);
    assert.equal(matcher(['*', '!**/*.go']).walkInto('vendor/x'), true);
  });

  it('refuses a lone ! and a malformed class', () => {
    for (const bad of [['!'], ['[abc'], ['a\\']]) {
      assert.throws(
        () => matcher(bad),
        (err: unknown) => isStevedoreError(err) && /\.dockerignore: /.test(err.message),
      );
    }
  });
});

describe('.dockerignore files', () => {
  it('reads patterns as Docker does: comments at column 0, trimmed lines, cleaned paths', () => {
    const text = '\uFEFF# comment\n\n  *.log  \n/abs/path\n./rel/\n!./keep.log\n ! spaced\n # not a comment\r\nsub//dir/../x\n';
    assert.deepEqual(parseDockerignore(text), ['*.log', 'abs/path', 'rel', '!keep.log', '!spaced', '# not a comment', 'sub/x']);
  });

  it('prefers <Dockerfile>.dockerignore beside the Dockerfile, else .dockerignore at the context root', () => {
    const context = tempDir();
    mkdirSync(join(context, 'build'));
    writeFileSync(join(context, '.dockerignore'), 'root-pattern\n');
    writeFileSync(join(context, 'build', 'app.Dockerfile.dockerignore'), 'app-pattern\n');
    writeFileSync(join(context, 'Dockerfile.dockerignore'), 'default-pattern\n');
    assert.deepEqual(readDockerignore(context, 'build/app.Dockerfile'), ['app-pattern']);
    assert.deepEqual(readDockerignore(context, join(context, 'build', 'app.Dockerfile')), ['app-pattern']);
    assert.deepEqual(readDockerignore(context), ['default-pattern']);
    assert.deepEqual(readDockerignore(context, 'other.Dockerfile'), ['root-pattern']);
    assert.deepEqual(readDockerignore(tempDir()), []);
  });
});
