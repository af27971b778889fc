#!/usr/bin/env bash
# Installs what the webgpu backend needs to run on a machine without a GPU: the Vulkan loader (libvulkan1)
# and SwiftShader, Google's software Vulkan driver. SwiftShader's ICD (libvk_swiftshader.so, 5.2 MB, needs
# only libc/libm/libgcc_s) is taken from Debian's `chromium-common` package without installing Chromium.
# Usage (as root, Debian/Ubuntu): bash scripts/webgpu/install-swiftshader.sh [DIR]
#   DIR defaults to $SONIC_SWIFTSHADER_DIR, else <repo>/.cache/swiftshader (where the tests look).
# Then: export VK_DRIVER_FILES=DIR/vk_swiftshader_icd.json  (the tests and `sonic doctor` find the default
# location by themselves). Mesa's lavapipe from Debian 12 (22.3) is rejected by Dawn: do not use it.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:-${SONIC_SWIFTSHADER_DIR:-$repo/.cache/swiftshader}}

if [ -f "$dir/vk_swiftshader_icd.json" ] && [ -f "$dir/libvk_swiftshader.so" ]; then
  echo "SwiftShader already in $dir"
else
  if ! command -v apt-get >/dev/null; then
    echo "install-swiftshader.sh: needs apt-get (Debian/Ubuntu); elsewhere install a Vulkan driver for your GPU" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! ldconfig -p | grep -q 'libvulkan\.so\.1'; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends libvulkan1 >/dev/null
  fi
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  # apt-get download runs as the _apt user when it can: give it a directory it may write.
  chmod 777 "$tmp"
  (cd "$tmp" && { apt-get download chromium-common >/dev/null 2>&1 || { apt-get update -qq && apt-get download chromium-common >/dev/null; }; })
  dpkg-deb --fsys-tarfile "$tmp"/chromium-common_*.deb |
    tar -x -C "$tmp" ./usr/lib/chromium/libvk_swiftshader.so ./usr/lib/chromium/vk_swiftshader_icd.json
  mkdir -p "$dir"
  mv "$tmp"/usr/lib/chromium/libvk_swiftshader.so "$tmp"/usr/lib/chromium/vk_swiftshader_icd.json "$dir"/
  echo "SwiftShader installed in $dir"
fi
echo "export VK_DRIVER_FILES=$dir/vk_swiftshader_icd.json"
