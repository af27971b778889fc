// Declarations of the commands that serve or check things beside pipelines and runs: ui, models, doctor.
import { defineCommand, WORKSPACE_OPTION } from './command-spec.js';

export const UI = defineCommand({
  name: 'ui',
  summary: 'a local, read-only web view of the runs in the workspace',
  positionals: { min: 0, max: 0 },
  options: { ...WORKSPACE_OPTION, port: { type: 'string', short: 'p' }, host: { type: 'string' } },
  usage: `usage: sonic ui [--port N] [--host ADDR] [--workspace DIR]

Serves a read-only view of the workspace: the runs, each run's stages (state, duration, why it ran or was
cached, logs, artifacts, images), a comparison of two or more runs (param and metric deltas, training
curves overlaid) and the stage graph. It opens the run store read-only and never writes the workspace.
--port N      the port (default 4780; 0 picks a free one)
--host ADDR   the address to listen on (default 127.0.0.1: only this machine; 0.0.0.0 exposes it to
              your network, with no authentication)
Stops on Ctrl-C.`,
});

export const MODELS = defineCommand({
  name: 'models',
  summary: 'every weight file of the model registry: present, missing, hash verified',
  positionals: { min: 0, max: 1 },
  options: { registry: { type: 'string' }, 'no-verify': { type: 'boolean' }, json: { type: 'boolean' } },
  usage: `usage: sonic models [MODEL] [--registry FILE] [--no-verify] [--json]

Lists every file of the model registry (experiments/models.yaml, or --registry FILE), or of MODEL only:
  ok         present, and its sha256 matches the one recorded in the registry
  present    present; no sha256 is recorded to check it against (or --no-verify)
  BAD HASH   present, but its sha256 differs from the recorded one
  MISSING    not found: where to put it, where to download it from and the command that makes it
Present files with a recorded sha256 are hashed (large files take a while; --no-verify skips it).
SONIC_MODELS_DIR and SONIC_MODEL_CACHE move the models and download-cache directories.
Exit code 0 when every listed file is present with no hash mismatch, else 1.`,
});

export const DOCTOR = defineCommand({
  name: 'doctor',
  summary: 'what this machine can run: backends, GPU adapters, ffmpeg, Slurm',
  positionals: { min: 0, max: 0 },
  options: { json: { type: 'boolean' } },
  usage: `usage: sonic doctor [--json]

Prints the tfjs backends that load here and which one \`auto\` picks (tensorflow → webgpu on a hardware
adapter → wasm → cpu), the GPU adapters Dawn sees with their buffer limits (index = the GPU id --gpus and
resources.gpu select), whether SD-1.4 fits each backend for sampling and adapter training at 512 px, and
whether ffmpeg and Slurm are usable. --json: the same as one JSON object.`,
});
