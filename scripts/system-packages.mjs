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
  // The guest's kernel is stored uncompressed (guest/kernelImage.ts): Debian packs it with LZ4.
  { pkg: 'lz4', check: '/usr/bin/lz4' },
  { pkg: 'e2fsprogs', check: '/usr/sbin/mkfs.ext4' },
  { pkg: 'cpio', check: '/usr/bin/cpio' },
  // Bind mounts through the machine: virtiofsd serves the host's files, in a user namespace that
  // newuidmap/newgidmap map to the user's subordinate ids (core/vm/hostShare.ts).
  { pkg: 'qemu-system-common', check: '/usr/lib/qemu/virtiofsd' },
  { pkg: 'uidmap', check: '/usr/bin/newuidmap' },
  // The rootless containers' default network and published ports (core/runtime/rootless/rootlessNetwork.ts).
  { pkg: 'passt', check: '/usr/bin/pasta' },
  // A rootless container's filesystem where the kernel refuses overlayfs in a user namespace (core/runtime/containerRootfs.ts).
  { pkg: 'fuse-overlayfs', check: '/usr/bin/fuse-overlayfs' },
  // run --init: catatonit, as podman, else tini (core/runtime/initProcess.ts).
  { pkg: 'catatonit', check: '/usr/bin/catatonit' },
  { pkg: 'tini', check: '/usr/bin/tini' },
  // ADD of .tar.bz2 and .tar.xz runs these (core/builder/addArchive.ts).
  { pkg: 'bzip2', check: '/usr/bin/bzip2' },
  { pkg: 'xz-utils', check: '/usr/bin/xz' },
  // The benchmarks read a finished program's peak memory with GNU time (bench/support/peakMemory.ts).
  { pkg: 'time', check: '/usr/bin/time' },
];
