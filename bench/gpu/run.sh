#!/usr/bin/env bash
# GPU benchmark: tfjs on its webgpu backend (Dawn) against PyTorch on the same card, in one command.
#
#   bash bench/gpu/run.sh pack
#       Builds .gpu/ (about 40 MB, git-ignored via .git/info/exclude): the benchmark bundled by esbuild
#       (bench/gpu/device-entry.ts), this machine's node binary, dawn.node, the Vulkan loader's Debian
#       packages and a diffusers wheel (the GPU machine has PyTorch but no Node.js, no diffusers, no internet).
#   bash bench/gpu/run.sh device [--out DIR] [--mode gpu] [--batch N] [--steps N]
#       On the GPU machine (device tool: carry [".gpu"]): unpacks, runs the tfjs side on the NVIDIA Vulkan
#       driver, then torch_gpu.py on CUDA, then writes DIR/report.md (timings + per-kernel profile).
#   bash bench/gpu/run.sh swiftshader [--out DIR] [--mode swiftshader] [--batch N] [--steps N] [--torch-device cpu]
#       Here, without a GPU: the same bundle on the SwiftShader software Vulkan driver (VK_DRIVER_FILES, or
#       .cache/swiftshader/vk_swiftshader_icd.json), at the plan's small size. The PyTorch side runs only with
#       --torch-device (e.g. cpu) and a python3 that has torch and diffusers.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
pack=.gpu
what=${1:-}; shift || true
out=bench/gpu/.work/out
mode=
torch_device=
bench_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --mode) mode=$2; shift 2 ;;
    --batch|--steps) bench_args+=("$1" "$2"); shift 2 ;;
    --torch-device) torch_device=$2; shift 2 ;;
    *) echo "bench/gpu/run.sh: unknown argument '$1' (see the header of this file)" >&2; exit 2 ;;
  esac
done
command_line="bash bench/gpu/run.sh $what${mode:+ --mode $mode}${bench_args[*]:+ ${bench_args[*]}}${torch_device:+ --torch-device $torch_device}"

bundle() {
  [ -d node_modules/webgpu ] && [ -x node_modules/.bin/esbuild ] || { echo "run.sh: npm install first (webgpu, esbuild)" >&2; exit 2; }
  rm -rf "$pack"; mkdir -p "$pack/app/node_modules/webgpu/dist/linux-x64" "$pack/debs" "$pack/whl"
  # One copy of tfjs-core (its ESM build, which the gradient registration imports): --main-fields=module,main.
  node_modules/.bin/esbuild bench/gpu/device-entry.ts --bundle --platform=node --format=esm --main-fields=module,main \
    --external:webgpu --outfile="$pack/app/main.mjs" --log-level=warning \
    "--banner:js=import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);"
  cp node_modules/webgpu/package.json node_modules/webgpu/index.js "$pack/app/node_modules/webgpu/"
  xz -T2 -6 -c node_modules/webgpu/dist/linux-x64/dawn.node > "$pack/app/node_modules/webgpu/dist/linux-x64/dawn.node.xz"
  xz -T2 -6 -c "$(readlink -f "$(command -v node)")" > "$pack/node.xz"
  (cd "$pack/debs" && apt-get download libvulkan1 libglvnd0 libegl1 libgl1 libglx0 libopengl0 libgles2 >/dev/null 2>&1) \
    || { echo "run.sh: apt-get download failed (run apt-get update once)" >&2; exit 2; }
  python3 -m pip download -q --no-deps --only-binary=:all: -d "$pack/whl" diffusers==0.42.1
  grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || echo '/.gpu/' >> "$(git rev-parse --git-path info/exclude)"
  du -sh "$pack"
}

unpack_dawn() {
  local d=$pack/app/node_modules/webgpu/dist/linux-x64
  [ -f "$d/dawn.node" ] || xz -d -k "$d/dawn.node.xz"
}

run_sides() {  # $1 node binary, $2 default plan mode, $3 torch device or empty
  local node=$1 m=${mode:-$2} tdev=$3
  mkdir -p "$out"; out=$(cd "$out" && pwd)
  rm -f "$out/tfjs.json" "$out/torch.json" "$out/report.md"
  echo "tfjs (webgpu)…" >&2
  (cd "$pack/app" && "$node" main.mjs bench --plan "$root/bench/gpu/cases.json" --mode "$m" --out "$out" "${bench_args[@]}") || echo "tfjs side failed" >&2
  if [ -n "$tdev" ]; then
    echo "torch ($tdev)…" >&2
    python3 bench/gpu/torch_gpu.py --plan bench/gpu/cases.json --mode "$m" --device "$tdev" --out "$out/torch.json" "${bench_args[@]}" || echo "torch side failed" >&2
  fi
  (cd "$pack/app" && "$node" main.mjs report --tfjs "$out/tfjs.json" --torch "$out/torch.json" --command "$command_line") > "$out/report.md"
  cat "$out/report.md"
}

case "$what" in
  pack) bundle ;;
  device)
    [ -d "$pack/app" ] || { echo "run.sh: no $pack here; run 'bash bench/gpu/run.sh pack' first and carry .gpu" >&2; exit 2; }
    for f in "$pack"/debs/*.deb; do dpkg -x "$f" /; done; ldconfig
    [ -x /tmp/node ] || { xz -d -c "$pack/node.xz" > /tmp/node; chmod +x /tmp/node; }
    unpack_dawn
    export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
    export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
    if ! python3 -c 'import diffusers' 2>/dev/null; then
      python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site "$pack"/whl/*.whl
      export PYTHONPATH=/tmp/site${PYTHONPATH:+:$PYTHONPATH}
    fi
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader >&2 || true
    run_sides /tmp/node gpu cuda
    ;;
  swiftshader)
    [ -d "$pack/app" ] || bundle
    unpack_dawn
    icd=${VK_DRIVER_FILES:-$root/.cache/swiftshader/vk_swiftshader_icd.json}
    [ -f "$icd" ] || { echo "run.sh: no SwiftShader ICD at $icd (set VK_DRIVER_FILES)" >&2; exit 2; }
    export VK_DRIVER_FILES=$icd NODEVICE_SELECT=1
    run_sides "$(command -v node)" swiftshader "$torch_device"
    ;;
  *) echo "usage: bash bench/gpu/run.sh pack | device [flags] | swiftshader [flags]  (see the header of this file)" >&2; exit 2 ;;
esac
