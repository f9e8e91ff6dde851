/**
 * What the guest is made of: Debian packages only (plus the Node binary, see nodeBinary.ts),
 * fetched with `apt-get download` at the versions apt resolves and recorded in manifest.json.
 */

/** The kernel: the metapackage is resolved to the versioned image package it depends on. */
export const KERNEL_PACKAGE = 'linux-image-cloud-amd64';

/** Unpacked into the initramfs: its /bin/busybox is the initramfs's only program. */
export const INITRAMFS_PACKAGES = ['busybox-static'];

/**
 * Unpacked into the root filesystem: crun and conmon, busybox for the init and the shell, and the
 * shared libraries of those and of Node (the build checks that every DT_NEEDED is present). The
 * agent runs containers with crun, not runc as on a host (the seed says so): under TCG, crun (a C
 * program) starts a container in ~0.2 s where runc (Go) takes ~0.5 s.
 */
export const ROOTFS_PACKAGES = [
  'busybox-static',
  'crun',
  'conmon',
  // libc, and what Node's binary links beyond it (libstdc++, libgcc_s).
  'libc6',
  'libgcc-s1',
  'libstdc++6',
  // crun: seccomp, and its JSON parser
  'libseccomp2',
  'libyajl2',
  // conmon: glib and libsystemd, and theirs.
  'libglib2.0-0',
  'libpcre2-8-0',
  'libffi8',
  'libmount1',
  'libblkid1',
  'libselinux1',
  'zlib1g',
  'libsystemd0',
  'libcap2',
  'libgcrypt20',
  'libgpg-error0',
  'liblz4-1',
  'liblzma5',
  'libzstd1',
  // the engine's bridge network (core/runtime/network): ip (iproute2) and nft (nftables), and theirs.
  'iproute2',
  'nftables',
  'libnftables1',
  'libgmp10',
  'libjansson4',
  'libmnl0',
  'libnftnl11',
  'libxtables12',
  'libbpf1',
  'libbsd0',
  'libmd0',
  'libdb5.3',
  'libelf1',
  'libtirpc3',
  'libgssapi-krb5-2',
  'libcom-err2',
  'libk5crypto3',
  'libkrb5-3',
  'libkrb5support0',
  'libkeyutils1',
  'libssl3',
  'libedit2',
  'libtinfo6',
  // `top CONTAINER` runs ps as on any host (ps -f, and the options docker passes on): busybox's has neither.
  'procps',
  'libproc2-0',
  'libncursesw6',
];

/**
 * Kernel modules the initramfs loads (with what they depend on, read from each module's
 * .modinfo): the cloud kernel builds these as modules (its config: CONFIG_VIRTIO_BLK=m,
 * CONFIG_EROFS_FS=m, ...); ext4 is built in. Loaded in dependency order by the init.
 */
export const KERNEL_MODULES = [
  // the machine: virtio over PCI, the disks, the agent's channel, the network, entropy, memory
  'virtio_pci',
  'virtio_blk',
  'virtio_console',
  'virtio_net',
  'virtio_rng',
  'virtio_balloon',
  // the root filesystem
  'erofs',
  // the host's files (core/vm/hostShare.ts: virtiofsd on the host), for bind mounts
  'virtiofs',
  // ACPI power button as an input device, for the host's power-off (QMP system_powerdown)
  'button',
  'evdev',
  // containers: overlay snapshots, the bridge network and its firewall (core/runtime/network)
  'overlay',
  'veth',
  'bridge',
  'br_netfilter',
  'nf_tables',
  'nft_ct',
  'nft_nat',
  'nft_masq',
  'nft_chain_nat',
  'nft_fib_inet',
  'nft_fib_ipv4',
  'nft_compat',
];
