// llm-gpu-async-launches: launches, frees and dense copies queued on one
// token; a copy between dense buffers after queued work is a stream-ordered
// gpu.memcpy (no wait), a copy before any queued work stays a host copy,
// a strided copy or a host store waits first.
// RUN: llm-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(llm-gpu-async-launches))' | FileCheck %s

module attributes {gpu.container_module} {
  gpu.module @k {
    gpu.func @f(%a: memref<16xf32>) kernel { gpu.return }
  }
  // CHECK-LABEL: func.func @copies(
  // CHECK-SAME: [[IN:%[^:]+]]: memref<16xf32>, [[OUT:%[^:]+]]: memref<16xf32>
  func.func @copies(%in: memref<16xf32>, %out: memref<16xf32>, %view: memref<16xf32, strided<[2]>>) {
    %c1 = arith.constant 1 : index
    %a = gpu.alloc host_shared () : memref<16xf32>
    %b = gpu.alloc host_shared () : memref<16xf32>
    // Nothing queued yet: the input's copy stays on the host.
    // CHECK: memref.copy [[IN]], [[A:%.+]] : memref<16xf32> to memref<16xf32>
    memref.copy %in, %a : memref<16xf32> to memref<16xf32>
    // CHECK: [[S:%.+]] = gpu.wait async
    // CHECK: [[L0:%.+]] = gpu.launch_func async [[[S]]] @k::@f
    gpu.launch_func @k::@f blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%a : memref<16xf32>)
    // A copy between device buffers: queued after the launch.
    // CHECK-NOT: gpu.wait [
    // CHECK: [[M0:%.+]] = gpu.memcpy async [[[L0]]] [[B:%.+]], [[A]] : memref<16xf32>, memref<16xf32>
    memref.copy %a, %b : memref<16xf32> to memref<16xf32>
    // CHECK: [[L1:%.+]] = gpu.launch_func async [[[M0]]] @k::@f
    gpu.launch_func @k::@f blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%b : memref<16xf32>)
    // A strided copy is the host's: wait first.
    // CHECK: gpu.wait [[[L1]]]
    // CHECK-NEXT: memref.copy [[B]], {{%.+}} : memref<16xf32> to memref<16xf32, strided<[2]>>
    memref.copy %b, %view : memref<16xf32> to memref<16xf32, strided<[2]>>
    // CHECK: [[S2:%.+]] = gpu.wait async
    // CHECK: [[L2:%.+]] = gpu.launch_func async [[[S2]]] @k::@f
    gpu.launch_func @k::@f blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%b : memref<16xf32>)
    // The result's copy out and the frees: queued; one wait at the end.
    // CHECK: [[M1:%.+]] = gpu.memcpy async [[[L2]]] [[OUT]], [[B]]
    memref.copy %b, %out : memref<16xf32> to memref<16xf32>
    // CHECK: [[F0:%.+]] = gpu.dealloc async [[[M1]]] [[A]]
    %t0 = gpu.wait async
    %t1 = gpu.dealloc async [%t0] %a : memref<16xf32>
    gpu.wait [%t1]
    // CHECK: [[F1:%.+]] = gpu.dealloc async [[[F0]]] [[B]]
    %t2 = gpu.wait async
    %t3 = gpu.dealloc async [%t2] %b : memref<16xf32>
    gpu.wait [%t3]
    // CHECK-NEXT: gpu.wait [[[F1]]]
    // CHECK-NEXT: return
    return
  }
}
