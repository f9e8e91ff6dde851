import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BuildOutput } from '../../../../../core/api/builds.schema';
import { stepLines } from './stepLines';

const out = (step: number, text: string, stream: BuildOutput['stream'] = 'stdout'): BuildOutput => ({ step, stream, text });

describe('a step’s output as lines', () => {
  it('joins chunks of one line and keeps the streams apart', () => {
    const lines = stepLines(
      [out(3, 'built-'), out(2, 'other step\n'), out(3, 'err: x\n', 'stderr'), out(3, 'line\nhello\n'), out(3, 'no newline')],
      3,
    );
    assert.deepEqual(
      lines.map((l) => `${l.stream}:${l.text}${l.partial ? '…' : ''}`),
      ['stderr:err: x', 'stdout:built-line', 'stdout:hello', 'stdout:no newline…'],
    );
    assert.deepEqual(
      lines.map((l) => l.seq),
      [0, 1, 2, 3],
    );
  });

  it('keeps empty lines and drops carriage returns', () => {
    assert.deepEqual(
      stepLines([out(1, 'a\r\n\nb\n')], 1).map((l) => l.text),
      ['a', '', 'b'],
    );
    assert.deepEqual(stepLines([], 1), []);
  });
});
