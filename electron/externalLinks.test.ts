import assert from 'node:assert/strict';
import { it } from 'node:test';
import { opensExternally } from './externalLinks.js';

it('opens https links and http links to this machine (published ports) in the browser, nothing else', () => {
  for (const url of [
    'https://example.com/x',
    'http://localhost:8080/',
    'http://web.localhost:8080/',
    'http://127.0.0.1:32768',
    'http://127.1.2.3/',
    'http://[::1]:80/',
  ]) {
    assert.equal(opensExternally(url), true, url);
  }
  for (const url of [
    'http://example.com/',
    'http://localhost.evil.com/',
    'http://128.0.0.1/',
    'http://[::2]/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'not a url',
  ]) {
    assert.equal(opensExternally(url), false, url);
  }
});
