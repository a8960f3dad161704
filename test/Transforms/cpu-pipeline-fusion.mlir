// --llm-cpu-pipeline runs transformer-raise-patterns and
// transformer-fuse-attention before lowering; raise-patterns=false and
// fuse-attention=false leave them out (for comparing fused and unfused).
// RUN: llm-opt %s --llm-cpu-pipeline --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=ON
// RUN: llm-opt %s --llm-cpu-pipeline="raise-patterns=false" --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=NORAISE
// RUN: llm-opt %s --llm-cpu-pipeline="raise-patterns=false fuse-attention=false" --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=OFF

// ON: transformer-raise-patterns
// ON-NEXT: cse
// ON-NEXT: transformer-fuse-attention
// ON: convert-transformer-to-linalg{attention-tile-kv=64 attention-tile-q=64 flash-attention=true
// NORAISE-NOT: transformer-raise-patterns
// NORAISE: transformer-fuse-attention
// OFF-NOT: transformer-raise-patterns
// OFF-NOT: transformer-fuse-attention
// OFF: convert-transformer-to-linalg

func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %s = transformer.sigmoid %x : tensor<4xf32>
  %y = transformer.mul %x, %s : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return %y : tensor<4xf32>
}
