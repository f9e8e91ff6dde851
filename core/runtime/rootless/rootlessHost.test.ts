import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeMissing, userNamespaceBlocker } from './rootlessHost.js';

describe('userNamespaceBlocker', () => {
  const sysctls = (values: Record<string, string>) => (name: string) => values[name] ?? null;

  it('sees nothing in the way on a kernel that allows user namespaces (or has none of the switches)', () => {
    assert.equal(userNamespaceBlocker(sysctls({ 'user/max_user_namespaces': '63711' })), null);
    assert.equal(userNamespaceBlocker(sysctls({})), null);
  });

  it('names the sysctl that turns them off', () => {
    assert.match(userNamespaceBlocker(sysctls({ 'user/max_user_namespaces': '0' })) ?? '', /user\.max_user_namespaces = 0/);
    assert.match(
      userNamespaceBlocker(sysctls({ 'kernel/unprivileged_userns_clone': '0' })) ?? '',
      /kernel\.unprivileged_userns_clone = 0/,
    );
    assert.match(
      userNamespaceBlocker(sysctls({ 'kernel/apparmor_restrict_unprivileged_userns': '1' })) ?? '',
      /AppArmor restricts/,
    );
  });
});

describe('what blocks rootless, each with its fix', () => {
  const sysctls = (values: Record<string, string>) => (name: string) => values[name] ?? null;

  it('a sysctl that turns user namespaces off names the command that turns them on', () => {
    assert.match(
      userNamespaceBlocker(sysctls({ 'user/max_user_namespaces': '0' })) ?? '',
      /\(sysctl -w user\.max_user_namespaces=\d+\)$/,
    );
    assert.match(
      userNamespaceBlocker(sysctls({ 'kernel/unprivileged_userns_clone': '0' })) ?? '',
      /\(sysctl -w kernel\.unprivileged_userns_clone=1\)$/,
    );
    assert.match(
      userNamespaceBlocker(sysctls({ 'kernel/apparmor_restrict_unprivileged_userns': '1' })) ?? '',
      /sysctl -w kernel\.apparmor_restrict_unprivileged_userns=0\)$/,
    );
  });

  it('missing tools, one sentence a package, with the package that gives them', () => {
    assert.equal(describeMissing([]), null);
    assert.equal(
      describeMissing(['newuidmap', 'newgidmap', 'conmon']),
      'newuidmap and newgidmap are not installed (Debian: apt-get install uidmap); conmon is not installed (Debian: apt-get install conmon)',
    );
  });
});
