//===- NPUBase.td - npu dialect definition -----------------*- tablegen -*-===//
//
// The `npu` dialect: programs for the NPU of docs/npu.md. Two levels live in
// one `npu.program`:
//   - tile-level ops (`npu.gemm`, `npu.eltwise`, `npu.softmax`,
//     `npu.layer_norm`) compute whole tensors held in DRAM
//     (`#npu.view`s: a register, a byte offset and a strided shape);
//   - instruction-level ops (`npu.dma_load`, `npu.matmul`, `npu.vbinary`,
//     ...), one op per instruction class of the ISA, whose attributes are the
//     encoding fields. They export 1:1 to the lib/Target/NPU program
//     representation (assembler text, binary, simulator).
//
//===----------------------------------------------------------------------===//

#ifndef NPU_BASE_TD
#define NPU_BASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/SymbolInterfaces.td"

def NPU_Dialect : Dialect {
  let name = "npu";
  let cppNamespace = "::mlir::llm::npu_ir";
  let summary = "Tile- and instruction-level programs for the NPU";
  let description = [{
    Programs for the NPU (docs/npu.md): a weight-stationary 16x16 systolic
    array, a 16-lane f32 vector unit, scratchpad and accumulator memories and
    a DMA engine, driven by three instruction queues synchronised by
    dependency tokens. `convert-transformer-to-npu` produces tile-level ops
    on DRAM tensors, `npu-lower-tiles` expands them into instructions and
    `npu-insert-tokens` orders the queues; the result exports to the NPU
    assembler and binary format (llm-opt --emit=npu-asm|npu-bin).
  }];
  let useDefaultAttributePrinterParser = 1;
}

class NPU_Op<string mnemonic, list<Trait> traits = []>
    : Op<NPU_Dialect, mnemonic, traits>;

/// An f32 tensor in DRAM: `shape` elements at `reg + offset` bytes with
/// `strides` in elements (numpy-style: stride 0 broadcasts a dim; each
/// tile-level op's lowering says which layouts it takes).
def NPU_ViewAttr : AttrDef<NPU_Dialect, "View"> {
  let mnemonic = "view";
  let summary = "A strided tensor in DRAM, addressed through a base register";
  let parameters = (ins "int64_t":$reg, "int64_t":$offset,
                        "::mlir::DenseI64ArrayAttr":$shape,
                        "::mlir::DenseI64ArrayAttr":$strides);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let description = [{
    ```mlir
    #npu.view<reg = 1, offset = 0, shape = [16, 64], strides = [64, 1]>
    ```
  }];
  let extraClassDeclaration = [{
    int64_t getRank() const { return getShape().size(); }
    int64_t getNumElements() const;
  }];
}

#endif // NPU_BASE_TD
