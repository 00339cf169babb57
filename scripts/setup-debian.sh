#!/usr/bin/env bash
# Installs the Debian packages Box office needs; only what is missing, so it is cheap to re-run.
#   scripts/setup-debian.sh          what building and testing need
#   scripts/setup-debian.sh --gui    also what opening the window needs (OpenGL, X11/Wayland client libraries)
#   scripts/setup-debian.sh --bench  also what the benchmarks' baselines need: reportlab (mail), and the
#                                    window's libraries with Xvfb (benches/cold_start.py)
set -euo pipefail

packages=(pkg-config)
# Printing: `queue:` printers go through CUPS's `lp` and `lpstat` (cups-client); `serialport`
# needs libudev; the printing tests start their own CUPS server (cupsd, lpadmin); the Windows
# cross-build needs MinGW.
packages+=(libudev-dev cups cups-client gcc-mingw-w64-x86-64)
# The bank tests compute their vectors independently with Python's hashlib.
command -v python3 >/dev/null 2>&1 || packages+=(python3)
# The mail tests: a real SMTP server (aiosmtpd, run with /usr/bin/python3), an independent DKIM
# verifier (dkimpy), and pdfinfo/pdftoppm + zbarimg to read the ticket PDF's QR codes.
packages+=(python3-aiosmtpd python3-dkim poppler-utils zbar-tools)
# The SAF-T Cash Register export is validated against the Norwegian Tax Administration's XSD.
packages+=(libxml2-utils)
# The GUI image snapshots (tests/snapshots/) render with wgpu on Vulkan in software (llvmpipe).
packages+=(mesa-vulkan-drivers)
# The shared-ledger tests (issue 15) start their own PostgreSQL server with initdb and pg_ctl
# from /usr/lib/postgresql/<version>/bin, as the package's unprivileged `postgres` user.
packages+=(postgresql)
# The day's Z tests (issue 13) run the real binary a day back with libfaketime.
packages+=(faketime)
# A test process that hangs past BOXOFFICE_TEST_TIMEOUT fails with its threads' stacks (gdb).
packages+=(gdb)
# `bench queries` times verify against `openssl sha256` of the ledger file (issue 16's baseline).
packages+=(openssl)
if [ "${1:-}" = "--bench" ]; then
  packages+=(python3-reportlab xvfb xauth)
fi
if [ "${1:-}" = "--gui" ] || [ "${1:-}" = "--bench" ]; then
  packages+=(libgl1 libegl1 libgl1-mesa-dri libxkbcommon-x11-0 libxcursor1 libxrandr2 libxi6
             libwayland-client0 libwayland-cursor0 libwayland-egl1 fonts-dejavu-core)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
