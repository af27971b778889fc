#!/usr/bin/env bash
# Builds src/compute/wasm-kernels/sonic-kernels.wasm from the C sources beside it with Debian's clang + lld
# (apt-get install clang lld). The output is byte-reproducible: no debug info, no producers or name
# sections, sources passed by relative path from a fixed directory.
# Usage: bash scripts/wasm-kernels/build.sh [OUT.wasm]   (default: the committed file)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=src/compute/wasm-kernels
out=${1:-$root/$dir/sonic-kernels.wasm}
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
cd "$root/$dir"
clang=${CLANG:-clang}
"$clang" --target=wasm32 -O3 -msimd128 -ffreestanding -nostdlib -fno-ident -fno-builtin \
  -ffile-prefix-map="$root"=. -Wall -Wextra -Werror \
  -Wl,--no-entry -Wl,--strip-all -Wl,--export=__heap_base \
  -Wl,-z,stack-size=65536 -Wl,--initial-memory=1048576 \
  -o "$out" csrc/attention.c csrc/attention_forward.c csrc/group_norm.c csrc/gelu.c csrc/adamw.c
