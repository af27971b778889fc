// Where Vulkan drivers (ICD manifests) are on Linux, so the webgpu probe can say "no Vulkan driver" without
// starting Dawn (which prints loader warnings to stderr when there is none), and where this repository's
// SwiftShader install (scripts/webgpu/install-swiftshader.sh) puts its manifest.
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';

const SYSTEM_ICD_DIRS = ['/usr/share/vulkan/icd.d', '/usr/local/share/vulkan/icd.d', '/etc/vulkan/icd.d'];

/** The repository's default SwiftShader manifest: <repo>/.cache/swiftshader/vk_swiftshader_icd.json. */
export function defaultSwiftShaderIcd(): string {
  // This file is dist/src/compute/webgpu/vulkan-icd.js (or src/… under a TS loader): four levels below the repo.
  return resolve(fileURLToPath(new URL('../../../../.cache/swiftshader/vk_swiftshader_icd.json', import.meta.url)));
}

export const SWIFTSHADER_INSTALL_HINT =
  'run `bash scripts/webgpu/install-swiftshader.sh` (as root on Debian/Ubuntu: installs libvulkan1 and puts the SwiftShader software Vulkan driver in .cache/swiftshader), then export VK_DRIVER_FILES=$PWD/.cache/swiftshader/vk_swiftshader_icd.json';

/** ICD manifests the Vulkan loader would read: VK_DRIVER_FILES / VK_ICD_FILENAMES, else the system dirs. */
export function vulkanIcdManifests(env: Record<string, string | undefined> = process.env): { files: string[]; source: string } {
  const explicit = env.VK_DRIVER_FILES?.trim() || env.VK_ICD_FILENAMES?.trim();
  if (explicit) {
    const name = env.VK_DRIVER_FILES?.trim() ? 'VK_DRIVER_FILES' : 'VK_ICD_FILENAMES';
    return { files: explicit.split(':').filter((f) => f && existsSync(f)), source: name };
  }
  const files: string[] = [];
  for (const dir of SYSTEM_ICD_DIRS) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (f.endsWith('.json')) files.push(join(dir, f));
  }
  return { files, source: SYSTEM_ICD_DIRS.join(', ') };
}

/**
 * A SwiftShader manifest for tests and `sonic doctor`: SONIC_VK_ICD, else VK_DRIVER_FILES / VK_ICD_FILENAMES
 * when it names an existing file, else the repository default when installed; undefined when none exists.
 */
export function findSoftwareIcd(env: Record<string, string | undefined> = process.env): string | undefined {
  for (const candidate of [env.SONIC_VK_ICD, env.VK_DRIVER_FILES, env.VK_ICD_FILENAMES, defaultSwiftShaderIcd()]) {
    const file = candidate?.trim();
    if (file && !file.includes(':') && existsSync(file)) return file;
  }
  return undefined;
}
