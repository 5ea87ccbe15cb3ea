/*
 * Optional LD_PRELOAD shim for AMD (and other non-Intel) x86-64 CPUs.
 *
 * libtorch (pytorch-native-cpu 2.7.1) links oneMKL 2024.0 statically and exports its service
 * functions. oneMKL picks its SGEMM kernels by CPU vendor: on a non-Intel CPU it takes a generic
 * AVX2 path even when the CPU has AVX-512 (measured here on an AMD EPYC Zen 5: 2048x384x1536
 * SGEMM 12.4 ms -> 5.2 ms with this shim). Both functions are called through the PLT, so a
 * preloaded definition wins. The numbers computed are the same kind of fp32 GEMM (the golden tests
 * against OnnxRuntime pass either way). Never needed on Intel CPUs; harmless there.
 *
 * Build: model/native/build-mkl-shim.sh  ->  model/target/native/libdoppel_mklshim.so
 * Use:   LD_PRELOAD=/path/to/libdoppel_mklshim.so java ...
 */
int mkl_serv_intel_cpu_true(void) { return 1; }
int mkl_serv_intel_cpu(void) { return 1; }
