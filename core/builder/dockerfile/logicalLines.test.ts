import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lexDockerfile } from './logicalLines.js';

const texts = (source: string) => lexDockerfile(source).lines.map((l) => l.text);

describe('Dockerfile lines: directives', () => {
  it('reads escape and syntax at the top; syntax is kept and otherwise ignored', () => {
    const lexed = lexDockerfile('# syntax=docker/dockerfile:1\n# escape=`\nFROM scratch\n');
    assert.equal(lexed.escape, '`');
    assert.equal(lexed.syntax, 'docker/dockerfile:1');
    assert.deepEqual(texts('# syntax=x\nFROM scratch\n'), ['FROM scratch']);
  });

  it('accepts spacing and case around a directive', () => {
    assert.equal(lexDockerfile('#  ESCAPE = `\nFROM scratch').escape, '`');
  });

  it('ignores a directive after a comment, a blank line or an instruction', () => {
    assert.equal(lexDockerfile('# a comment\n# escape=`\nFROM scratch').escape, '\\');
    assert.equal(lexDockerfile('\n# escape=`\nFROM scratch').escape, '\\');
    assert.equal(lexDockerfile('FROM scratch\n# escape=`\n').escape, '\\');
  });

  it('an unknown directive is a comment and ends the directives', () => {
    assert.equal(lexDockerfile('# foo=bar\n# escape=`\nFROM scratch').escape, '\\');
  });

  it('refuses a repeated directive and an escape other than \\ or `', () => {
    assert.throws(() => lexDockerfile('# escape=`\n# escape=\\\nFROM x'), /Dockerfile line 2: parser directive: only one escape/);
    assert.throws(() => lexDockerfile('# escape=x\nFROM x'), /Dockerfile line 1: parser directive: invalid escape token 'x'/);
  });
});

describe('Dockerfile lines: comments and continuations', () => {
  it('drops comment lines, including indented ones, but not a # inside an instruction', () => {
    assert.deepEqual(texts('# c\n  # indented\nRUN echo # not a comment\n'), ['RUN echo # not a comment']);
  });

  it('joins continuation lines, keeping their leading whitespace and the space before the escape', () => {
    const lexed = lexDockerfile('FROM x\nRUN a \\\n    b \\\n  c\nRUN d\n');
    assert.deepEqual(
      lexed.lines.map((l) => [l.line, l.endLine, l.text]),
      [
        [1, 1, 'FROM x'],
        [2, 4, 'RUN a     b   c'],
        [5, 5, 'RUN d'],
      ],
    );
  });

  it('allows whitespace after the escape that continues the line', () => {
    assert.deepEqual(texts('RUN a \\   \t\n b'), ['RUN a  b']);
  });

  it('an escaped escape at the end of a line does not continue it', () => {
    assert.deepEqual(texts('RUN echo a\\\\\nRUN b'), ['RUN echo a\\\\', 'RUN b']);
  });

  it('skips comment lines and empty lines inside a continuation, and warns about the empty ones', () => {
    const lexed = lexDockerfile('RUN a \\\n# comment\n  # indented comment\n\n   \n b\nRUN c');
    assert.deepEqual(
      lexed.lines.map((l) => [l.line, l.endLine, l.text]),
      [
        [1, 6, 'RUN a  b'],
        [7, 7, 'RUN c'],
      ],
    );
    assert.equal(lexed.warnings.length, 1);
    assert.match(lexed.warnings[0] ?? '', /line 1: empty continuation line/);
  });

  it('a continuation at the end of the file ends the instruction there', () => {
    assert.deepEqual(texts('RUN a \\'), ['RUN a ']);
    assert.deepEqual(texts('RUN a \\\n'), ['RUN a ']);
  });

  it('a comment line ending in the escape does not continue', () => {
    assert.deepEqual(texts('# comment \\\nRUN a'), ['RUN a']);
  });

  it('uses the backtick under escape=` and leaves backslashes alone', () => {
    assert.deepEqual(texts('# escape=`\nRUN dir c:\\ `\n  /b\nCOPY a\\ b'), ['RUN dir c:\\   /b', 'COPY a\\ b']);
  });

  it('reads CRLF line endings and a byte-order mark', () => {
    assert.deepEqual(texts('\uFEFFFROM x\r\nRUN a \\\r\n b\r\n'), ['FROM x', 'RUN a  b']);
  });
});

describe('Dockerfile lines: heredocs', () => {
  it('reads a heredoc body up to its terminator, with line endings', () => {
    const [run, next] = lexDockerfile('RUN <<EOF\necho hi\n  echo indented\nEOF\nRUN b\n').lines;
    assert.deepEqual(run?.heredocs, [{ name: 'EOF', chomp: false, expand: true, content: 'echo hi\n  echo indented\n' }]);
    assert.equal(run?.endLine, 4);
    assert.equal(next?.line, 5);
  });

  it('reads several heredocs of one instruction in order', () => {
    const [copy] = lexDockerfile('COPY <<A <<B /dest/\na body\nA\nb body\nB\n').lines;
    assert.deepEqual(
      copy?.heredocs.map((h) => [h.name, h.content]),
      [
        ['A', 'a body\n'],
        ['B', 'b body\n'],
      ],
    );
  });

  it('<<- accepts a tab-indented terminator; the body keeps its tabs until chomped', () => {
    const [run] = lexDockerfile('RUN <<-EOT\n\techo hi\n\tEOT\n').lines;
    assert.deepEqual(run?.heredocs, [{ name: 'EOT', chomp: true, expand: true, content: '\techo hi\n' }]);
  });

  it('a quoted delimiter means no expansion', () => {
    for (const word of ['<<"EOF"', "<<'EOF'", '<<E"O"F']) {
      const [run] = lexDockerfile(`RUN cat ${word}\n$HOME\nEOF\n`).lines;
      assert.deepEqual(run?.heredocs[0], { name: 'EOF', chomp: false, expand: false, content: '$HOME\n' }, word);
    }
  });

  it('comment-looking and empty lines are part of a body', () => {
    const [run] = lexDockerfile('RUN <<EOF\n# kept\n\nEOF').lines;
    assert.equal(run?.heredocs[0]?.content, '# kept\n\n');
  });

  it('reads heredocs after a continued line, with flags, and behind ONBUILD', () => {
    const [copy, onbuild] = lexDockerfile('COPY --chmod=755 \\\n  <<EOF /x\nbody\nEOF\nONBUILD RUN <<EOF\nhi\nEOF\n').lines;
    assert.equal(copy?.heredocs[0]?.content, 'body\n');
    assert.equal(onbuild?.heredocs[0]?.content, 'hi\n');
  });

  it('finds no heredoc in other instructions, in exec form, or inside quotes', () => {
    assert.deepEqual(texts('LABEL a=<<EOF\nCMD ["<<EOF"]\nRUN echo "<<EOF"\nRUN echo << EOF\n'), [
      'LABEL a=<<EOF',
      'CMD ["<<EOF"]',
      'RUN echo "<<EOF"',
      'RUN echo << EOF',
    ]);
  });

  it('refuses an unterminated heredoc, naming the instruction line', () => {
    assert.throws(
      () => lexDockerfile('FROM x\n\nRUN <<EOF\necho hi\n'),
      /Dockerfile line 3: RUN: unterminated heredoc <<EOF \(no line "EOF" before the end of the file\)/,
    );
  });
});
