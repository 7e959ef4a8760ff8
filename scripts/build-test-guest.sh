#!/bin/sh
# build-test-guest.sh [OUTDIR] - build (or reuse) the tiny Linux guest that qeventd's real-QEMU tests boot.
#
# Why: NIC_RX_FILTER_CHANGED and other guest-driven QMP events only happen when a guest driver acts, so
# tests need a real guest. It must boot in seconds under TCG and take commands from the test.
#
# What it builds, in OUTDIR (default ${QEVENTD_GUEST_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/qeventd/test-guest}):
#   vmlinuz            Debian's kernel: the version `apt-cache depends linux-image-amd64` names, fetched with
#                      `apt-get download` and unpacked with `dpkg -x` in a temporary directory (never installed).
#   initramfs.cpio.gz  busybox (from Debian's busybox-static), the virtio-net driver modules of that kernel,
#                      the drivers of the devices guest-driven event tests add when the kernel has them
#                      (virtio_blk, virtio_balloon, virtio_console, watchdog + i6300esb, pvpanic + pvpanic-pci
#                      + pvpanic-mmio (the ISA -device pvpanic),
#                      virtio_mem; a driver the kernel lacks is skipped with a note, one built in needs no file),
#                      the host's iproute2 `ip` with its libraries (busybox ip has no `maddr` or `allmulticast`),
#                      and an /init that:
#                        1. mounts proc, sysfs and devtmpfs;
#                        2. loads virtio_ring, virtio, virtio_pci_modern_dev, virtio_pci_legacy_dev, virtio_pci,
#                           failover, net_failover, virtio_net, then the optional drivers above, with busybox
#                           insmod (in that order, each after what it depends on: no modprobe);
#                        3. runs `ip link set eth0 up`;
#                        4. serves the command channel on the second serial port, /dev/ttyS1, forever.
#   build-info         written last; names the kernel and a hash of this script. A directory without it, or
#                      built by another version of this script, is rebuilt.
#
# Boot it with: -kernel vmlinuz -initrd initramfs.cpio.gz -append "console=ttyS0 panic=-1" -no-reboot
#               -serial file:CONSOLE.log -serial chardev:CMD (e.g. a unix socket chardev). The console (ttyS0)
#               carries kernel and /init messages only.
#
# Command channel protocol (ttyS1, raw mode, lines end with \n):
#   request:  "<id> <shell command>"          one line; <id> is a token without spaces chosen by the host
#   reply:    "|<line>" for every line the command wrote to stdout or stderr, then
#             "@@qeventd-done <id> <exit code>"
#   Output lines always start with "|", so no output can be taken for the end marker, and anything else
#   the port carries (e.g. the tty echoing input that arrived before /init switched echo off) is ignored.
#   A request that arrives before /init is listening can be lost: the host probes with fresh ids until
#   one is answered (the id tells which reply belongs to which request).
#
# The script is idempotent and safe to run concurrently: it takes a lock, reuses a complete build, and
# builds into a temporary directory beside OUTDIR that it renames into place only when complete.
# It prints OUTDIR on stdout; progress goes to stderr.
set -eu

script_path=$(readlink -f "$0")
out_dir=${1:-${QEVENTD_GUEST_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/qeventd/test-guest}}
modules="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci failover net_failover virtio_net"
# Drivers for devices that make QEMU emit guest-driven events (disk I/O errors, balloon, virtio-serial port,
# watchdog, guest panic, virtio-mem). Each follows the modules it depends on.
optional_modules="virtio_blk virtio_balloon virtio_console watchdog i6300esb pvpanic pvpanic-pci pvpanic-mmio virtio_mem"

log() { echo "build-test-guest: $*" >&2; }
die() { log "error: $*"; exit 1; }

for tool in apt-get apt-cache dpkg cpio gzip flock sha256sum ldd; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' is required but not installed"
done

script_hash=$(sha256sum "$script_path" | cut -d' ' -f1)

build_is_complete() {
    [ -f "$1/vmlinuz" ] && [ -f "$1/initramfs.cpio.gz" ] && [ -f "$1/build-info" ] &&
        grep -qx "script-sha256=$script_hash" "$1/build-info"
}

mkdir -p "$(dirname "$out_dir")"
out_dir=$(readlink -f "$out_dir")

if build_is_complete "$out_dir"; then
    echo "$out_dir"
    exit 0
fi

exec 9>"$out_dir.lock"
flock 9
# Another build may have finished while we waited for the lock.
if build_is_complete "$out_dir"; then
    echo "$out_dir"
    exit 0
fi

# Holding the lock, any other build directory is what a killed build left behind.
rm -rf "$out_dir".build.*
work=$(mktemp -d "$out_dir.build.XXXXXX")
trap 'rm -rf "$work"' EXIT
# A signal ends the script (running the EXIT trap); a trap that did not exit would let the build go on.
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# Prints the package that `apt-cache depends linux-image-amd64` names, e.g. linux-image-6.1.0-56-amd64.
kernel_package() {
    apt-cache depends linux-image-amd64 2>/dev/null |
        sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1
}

# As root, apt-get download would drop to the _apt user, who cannot write our private directory.
apt_options=
[ "$(id -u)" -ne 0 ] || apt_options="-o APT::Sandbox::User=root"

# apt-get download with one retry after refreshing the package lists (a stale list names removed files).
download() {
    # shellcheck disable=SC2086 # apt_options is a list of words
    if ! (cd "$work/debs" && apt-get $apt_options download "$@" >&2); then
        log "apt-get download $* failed; running apt-get update and retrying"
        apt-get update >&2
        # shellcheck disable=SC2086
        (cd "$work/debs" && apt-get $apt_options download "$@" >&2) || die "apt-get download $* failed"
    fi
}

mkdir -p "$work/debs"
kpkg=$(kernel_package)
if [ -z "$kpkg" ]; then
    log "apt-cache does not know linux-image-amd64; running apt-get update"
    apt-get update >&2
    kpkg=$(kernel_package)
    [ -n "$kpkg" ] || die "apt-cache depends linux-image-amd64 names no linux-image package"
fi
kver=${kpkg#linux-image-}
log "kernel package $kpkg"
download "$kpkg" busybox-static

mkdir -p "$work/pkg"
for deb in "$work"/debs/*.deb; do
    dpkg -x "$deb" "$work/pkg"
done

kernel_image="$work/pkg/boot/vmlinuz-$kver"
[ -f "$kernel_image" ] || die "$kpkg has no boot/vmlinuz-$kver"
moddir="$work/pkg/lib/modules/$kver"
[ -d "$moddir" ] || moddir="$work/pkg/usr/lib/modules/$kver"
[ -d "$moddir" ] || die "$kpkg has no lib/modules/$kver"
busybox="$work/pkg/bin/busybox"
[ -x "$busybox" ] || busybox="$work/pkg/usr/bin/busybox"
[ -x "$busybox" ] || die "busybox-static has no bin/busybox"

root="$work/root"
mkdir -p "$root/bin" "$root/sbin" "$root/etc" "$root/lib/modules" "$root/proc" "$root/sys" "$root/dev" "$root/tmp"

# busybox and a link for each applet, except ip: the full iproute2 ip is installed below.
cp "$busybox" "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
    [ "$applet" = busybox ] || [ "$applet" = ip ] || ln -s busybox "$root/bin/$applet"
done

# The modules, decompressed: busybox insmod is not built to read compressed modules.
: >"$root/etc/modules"
for module in $modules $optional_modules; do
    file=$(find "$moddir" -name "$module.ko" -o -name "$module.ko.xz" -o -name "$module.ko.zst" | head -n 1)
    if [ -z "$file" ]; then
        if grep -q "/$module\.ko" "$moddir/modules.builtin" 2>/dev/null; then
            log "module $module is built into the kernel"
            continue
        fi
        case " $optional_modules " in
            *" $module "*) log "module $module is not in $kpkg; its device will not work in the guest"; continue ;;
        esac
        die "module $module is neither in $kpkg nor built into its kernel"
    fi
    case "$file" in
        *.ko.xz) xz -dc "$file" >"$root/lib/modules/$module.ko" ;;
        *.ko.zst) zstd -qdc "$file" >"$root/lib/modules/$module.ko" ;;
        *) cp "$file" "$root/lib/modules/$module.ko" ;;
    esac
    echo "$module" >>"$root/etc/modules"
done

# iproute2's ip and the shared libraries it links (the guest runs the same x86-64 glibc ABI as the host).
host_ip=$(command -v ip) || die "iproute2 'ip' is not installed on this host"
host_ip=$(readlink -f "$host_ip")
cp "$host_ip" "$root/sbin/ip"
for lib in $(ldd "$host_ip" | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p'); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
done

cat >"$root/init" <<'EOF'
#!/bin/busybox sh
# qeventd test guest init (generated by scripts/build-test-guest.sh; see there for the protocol).
export PATH=/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for module in $(cat /etc/modules); do
    insmod "/lib/modules/$module.ko" || echo "init: insmod $module failed"
done
ip link set lo up
ip link set eth0 up || echo "init: no eth0"

# This busybox runs its own applets before anything on PATH; commands should get the full iproute2 ip.
ip() { /sbin/ip "$@"; }

# raw: no echo, no line editing, no CR/LF translation; clocal: a host that disconnects is no hangup.
stty -F /dev/ttyS1 raw -echo clocal || echo "init: stty on ttyS1 failed"

serve() {
    while IFS= read -r request; do
        id=${request%% *}
        command=${request#"$id"}
        # A subshell: exit, cd or set in a command cannot end or change the server.
        ( eval "$command" ) </dev/null >/tmp/command-output 2>&1
        rc=$?
        # awk ends every line, also an unterminated last one, so the marker always starts a line.
        awk '{ print "|" $0 }' /tmp/command-output
        echo "@@qeventd-done $id $rc"
    done
}

echo "init: serving commands on ttyS1"
while true; do
    serve </dev/ttyS1 >/dev/ttyS1 2>&1
    echo "init: command channel closed; reopening"
    sleep 1
done
EOF
chmod 0755 "$root/init"

result="$work/result"
mkdir -p "$result"
cp "$kernel_image" "$result/vmlinuz"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip -6 >"$result/initramfs.cpio.gz"
printf 'kernel=%s\nscript-sha256=%s\n' "$kpkg" "$script_hash" >"$result/build-info"

# Replace any incomplete or outdated build in one rename.
rm -rf "$out_dir"
mv "$result" "$out_dir"
log "built $out_dir ($kpkg)"
echo "$out_dir"
