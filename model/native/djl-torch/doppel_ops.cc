/*
 * Doppel's own JNI functions (not DJL's; Apache-2.0 like the rest of this folder), built into the same
 * libdjl_torch.so so that they take and return DJL's tensor handles (a heap torch::Tensor*, as DJL's own
 * functions do). Java side: org.doppel.model.TorchOps, which falls back to DJL's ops when the stock JNI
 * (without these symbols) is loaded.
 */

#include <jni.h>
#include <torch/torch.h>

#include "djl_pytorch_jni_exception.h"
#include "djl_pytorch_jni_log.h"

extern "C" {

// What TorchOps checks before using anything here: bump it when a signature changes.
JNIEXPORT jint JNICALL Java_org_doppel_model_TorchOps_abi(JNIEnv* env, jclass jcls) { return 1; }

// softmax(q k^T * scale + mask) v in one call: libtorch picks a fused kernel (flash / memory-efficient on CUDA,
// flash on the CPU) when the shapes and dtypes allow, else its math path. mask: 0 or an additive float mask
// broadcastable to [B, heads, Lq, L].
JNIEXPORT jlong JNICALL Java_org_doppel_model_TorchOps_sdpa(
    JNIEnv* env, jclass jcls, jlong jq, jlong jk, jlong jv, jlong jmask, jdouble scale) {
  API_BEGIN()
  const auto* q = reinterpret_cast<torch::Tensor*>(jq);
  const auto* k = reinterpret_cast<torch::Tensor*>(jk);
  const auto* v = reinterpret_cast<torch::Tensor*>(jv);
  torch::Tensor out = jmask == 0
      ? at::scaled_dot_product_attention(*q, *k, *v, {}, 0.0, false, scale)
      : at::scaled_dot_product_attention(*q, *k, *v, *reinterpret_cast<torch::Tensor*>(jmask), 0.0, false, scale);
  const auto* result_ptr = new torch::Tensor(out);
  return reinterpret_cast<uintptr_t>(result_ptr);
  API_END_RETURN()
}

}  // extern "C"
