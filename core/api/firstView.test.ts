import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FIRST_VIEW_DATA_ID, firstViewDataScript } from './firstView.js';
import type { ImageSummary } from './images.schema.js';

test("the first view's data cannot end its script element or open a comment, and reads back the same", () => {
  const hostile = '</script><script>alert(1)</script><!--';
  const images = [{ reference: hostile, repository: hostile, tag: '<b>' } as unknown as ImageSummary];
  const script = firstViewDataScript({ images, drawnAt: 1 });
  const opening = `<script type="application/json" id="${FIRST_VIEW_DATA_ID}">`;
  assert.ok(script.startsWith(opening) && script.endsWith('</script>'));
  const text = script.slice(opening.length, -'</script>'.length);
  assert.doesNotMatch(text, /</);
  assert.deepEqual(JSON.parse(text), { images, drawnAt: 1 });
});
