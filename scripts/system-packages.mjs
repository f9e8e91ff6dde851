// The Debian packages the tests drive for real, with a file that shows each is installed.
export const systemPackages = [
  { pkg: 'skopeo', check: '/usr/bin/skopeo' },
  { pkg: 'umoci', check: '/usr/bin/umoci' },
  { pkg: 'docker-registry', check: '/usr/bin/docker-registry' },
  { pkg: 'openssl', check: '/usr/bin/openssl' },
  { pkg: 'chromium', check: '/usr/bin/chromium' },
  { pkg: 'busybox-static', check: '/bin/busybox' },
  { pkg: 'zstd', check: '/usr/bin/zstd' },
  { pkg: 'runc', check: '/usr/sbin/runc' },
  { pkg: 'conmon', check: '/usr/bin/conmon' },
  { pkg: 'iproute2', check: '/usr/sbin/ip' },
  { pkg: 'nftables', check: '/usr/sbin/nft' },
  { pkg: 'curl', check: '/usr/bin/curl' },
  { pkg: 'podman', check: '/usr/bin/podman' },
  { pkg: 'buildah', check: '/usr/bin/buildah' },
  { pkg: 'fonts-liberation', check: '/usr/share/fonts/truetype/liberation' },
  // The VM (core/vm, guest/): QEMU boots the guest; mkfs.erofs makes its root, mkfs.ext4 its data
  // disk; cpio reads the initramfs back in guest/newcCpio.test.ts.
  { pkg: 'qemu-system-x86', check: '/usr/bin/qemu-system-x86_64' },
  { pkg: 'erofs-utils', check: '/usr/bin/mkfs.erofs' },
  { pkg: 'e2fsprogs', check: '/usr/sbin/mkfs.ext4' },
  { pkg: 'cpio', check: '/usr/bin/cpio' },
];
