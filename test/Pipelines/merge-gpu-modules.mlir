// llm-merge-gpu-modules moves the kernels of all gpu.modules into one and
// renames them after their modules (or module_symbol when a module holds
// several symbols); the host's launches follow.
// RUN: llm-opt %s -split-input-file --llm-merge-gpu-modules -verify-diagnostics | FileCheck %s
// RUN: llm-opt %s -split-input-file --llm-merge-gpu-modules="name=kernels" -verify-diagnostics | FileCheck %s --check-prefix=NAME

// CHECK-LABEL: func.func @host(
// CHECK: gpu.launch_func @llm_kernels::@k1 blocks
// CHECK: gpu.launch_func @llm_kernels::@k2_f blocks
// CHECK: gpu.launch_func @llm_kernels::@k2_g blocks
// CHECK: gpu.module @llm_kernels {
// CHECK-DAG: gpu.func @k1() kernel
// CHECK-DAG: gpu.func @k2_f() kernel
// CHECK-DAG: gpu.func @k2_g() kernel
// CHECK-NOT: gpu.module
// NAME: gpu.launch_func @kernels::@k1 blocks
// NAME: gpu.module @kernels {
module attributes {gpu.container_module} {
  func.func @host() {
    %c1 = arith.constant 1 : index
    gpu.launch_func @k1::@f blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
    gpu.launch_func @k2::@f blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
    gpu.launch_func @k2::@g blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
    return
  }
  gpu.module @k1 {
    gpu.func @f() kernel { gpu.return }
  }
  gpu.module @k2 {
    gpu.func @f() kernel { gpu.return }
    gpu.func @g() kernel { gpu.return }
  }
}

// -----

// Modules compiled for different targets cannot become one PTX module.
module attributes {gpu.container_module} {
  gpu.module @a [#nvvm.target<chip = "sm_90">] {
    gpu.func @f() kernel { gpu.return }
  }
  // expected-error @+1 {{llm-merge-gpu-modules: targets differ from those of gpu.module @a}}
  gpu.module @b [#nvvm.target<chip = "sm_80">] {
    gpu.func @f() kernel { gpu.return }
  }
}

// -----

// No kernels: an empty module of that name, in a GPU container module.
// CHECK-LABEL: module attributes {gpu.container_module}
// CHECK: func.func @copy_only
// CHECK: gpu.module @llm_kernels {
// CHECK-NEXT: }
func.func @copy_only(%x: memref<4xf32>, %y: memref<4xf32>) {
  memref.copy %x, %y : memref<4xf32> to memref<4xf32>
  return
}
