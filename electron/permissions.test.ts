import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { isAppPage } from './appPage.js';
import { grantsPermission } from './permissions.js';

const dist = '/opt/stevedore/dist';
const page = pathToFileURL(join(dist, 'renderer', 'index.html')).href;
const appPage = (url: string | undefined) => isAppPage(dist, url);

it('grants notifications to the app page (any route), and nothing else to anyone', () => {
  assert.equal(grantsPermission(appPage, 'notifications', page), true);
  assert.equal(grantsPermission(appPage, 'notifications', `${page}#/images`), true);
  for (const permission of ['media', 'geolocation', 'openExternal', 'clipboard-read', 'fullscreen', 'midiSysex']) {
    assert.equal(grantsPermission(appPage, permission, page), false, permission);
  }
  for (const url of ['https://example.com/', 'file:///etc/passwd', `${page}.evil.html`, undefined]) {
    assert.equal(grantsPermission(appPage, 'notifications', url), false, String(url));
  }
});
