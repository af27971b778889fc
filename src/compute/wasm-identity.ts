// A zero-copy Identity kernel for the wasm backend. tfjs runs Identity for every tensor it saves for the
// backward pass (engine.saveTensorsForBackwardMode and customGrad's save both keep a clone), and tfjs-wasm's
// own Identity copies the whole buffer: about 1,300 copies per toy-SD stage-2 step, most of them of
// activations. Kernel outputs on wasm are always fresh buffers and no kernel writes into its inputs, so a
// clone can share the input's buffer and take a reference, as the wasm Reshape kernel and the cpu backend's
// Identity already do; the buffer is freed when its last tensor is disposed.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { registerProjectKernel } from './project-kernels.js';

interface RefCountingBackend {
  incRef(dataId: tf.DataId): void;
}

let copying: tf.KernelFunc | undefined;

const sharedIdentity: tf.KernelFunc = (args) => {
  const x = args.inputs['x']!;
  if (x.dtype === 'string') return copying!(args);
  (args.backend as unknown as RefCountingBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

/** Replaces tfjs-wasm's copying Identity (idempotent; string tensors keep the copying path). */
export function useSharedIdentityOnWasm(): void {
  const current = tf.getKernel('Identity', 'wasm');
  if (!current || current.kernelFunc === sharedIdentity) return;
  copying = current.kernelFunc;
  tf.unregisterKernel('Identity', 'wasm');
  registerProjectKernel('Identity', 'wasm', sharedIdentity);
}
