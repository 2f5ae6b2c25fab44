#!/usr/bin/env bash
# Make sure the Debian packages the portal needs are present: install them when we
# can (root with apt-get), otherwise stop and say exactly what to install.
# Arguments: debian-package:command pairs; the command may be /a/file or lib:a-shared-library.so.N.
set -euo pipefail
missing=()
for pair in "$@"; do
  package=${pair%%:*}
  command=${pair#*:}
  if [[ $command == /* ]]; then
    [ -e "$command" ] || missing+=("$package")
  elif [[ $command == lib:* ]]; then
    /sbin/ldconfig -p | grep -q "${command#lib:}" || missing+=("$package")
  else
    command -v "$command" >/dev/null 2>&1 || missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi
echo "Missing Debian packages: ${missing[*]}" >&2
echo "Install them with: sudo apt-get install ${missing[*]}" >&2
exit 1
