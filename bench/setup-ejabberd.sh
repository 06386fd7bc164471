#!/bin/sh
# Installs Debian's ejabberd (and the SQLite driver its MAM store can use) for
# the bench's `ejabberd` system. The bench runs ejabberd as a plain process
# with a generated config on loopback (bench/lib/ejabberd.ts), so installing
# must never start the system service: its default config listens on public
# ports and an MQTT port that clash here. invoke-rc.d and deb-systemd-invoke
# ask /usr/sbin/policy-rc.d first; exit 101 means "not allowed".
# Idempotent: does nothing when the packages are present.
set -eu

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

PACKAGES="ejabberd erlang-p1-sqlite3"

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
if [ -z "$missing" ]; then
  echo "ejabberd present: $(dpkg-query -W -f='${Version}' ejabberd)"
  exit 0
fi

policy=/usr/sbin/policy-rc.d
saved=""
if [ -e "$policy" ]; then
  saved="${policy}.parley-bench"
  as_root mv "$policy" "$saved"
fi
restore() {
  as_root rm -f "$policy"
  if [ -n "$saved" ]; then as_root mv "$saved" "$policy"; fi
}
trap restore EXIT
printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null
as_root chmod 755 "$policy"

# apt-get update only when the package is unknown to the local lists.
if ! apt-cache show ejabberd >/dev/null 2>&1; then
  as_root apt-get update
fi
# shellcheck disable=SC2086
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing

# Belt and braces: had anything started the packaged node, stop it, so the
# bench's own node name and ports are free.
if pgrep -u ejabberd beam.smp >/dev/null 2>&1; then
  echo "stopping an ejabberd the package started" >&2
  as_root ejabberdctl stop >/dev/null 2>&1 || true
fi
echo "ejabberd installed: $(dpkg-query -W -f='${Version}' ejabberd)"
