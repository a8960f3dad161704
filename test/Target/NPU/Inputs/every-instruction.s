# One of every mnemonic (and every b= mode), with defaults left out where
# the syntax allows; roundtrip.test checks the canonical disassembly.
.input r1, "in", f32[4x16]
.output r2, "out/0", bf16[2x3]
.data
.byte 1, 255
.align 2
.i16 0
.bf16 1.5, 1.0
.zero 6
.reserve 32
.text
dma.load sp+0, r1, rows=4, bytes=64, signal=cp      ; defaults: strides = bytes
dma.load acc+0x100, r0+6, rows=2, bytes=2, lstride=4, dstride=0, signal=cp
dma.gather sp+0x1000, r1+0x40, sp+0x0, rows=2, bytes=16, table=3, idx=i64
sync.ld signal=st|cp
sync.cp wait=ld
sync.cp wait=ld
sync.cp wait=ld
matmul.i8 acc+0x200, sp+0x0, sp+0x400, m=4, k=16, n=16, astride=64, cstride=64
matmul.bf16 acc+0x200, sp+0x0, sp+0x400, m=2, k=8, n=3, astride=32, cstride=64, tb, acc
vcopy sp+0x800, sp+0x0, rows=4, cols=16
vneg sp+0x800, sp+0x800, rows=4, cols=16
vabs sp+0x800, sp+0x800, rows=4, cols=16
vrelu sp+0x800, sp+0x800, rows=4, cols=16
vexp sp+0x800, sp+0x800, rows=4, cols=16
vtanh sp+0x800, sp+0x800, rows=4, cols=16
vsqrt sp+0x800, sp+0x800, rows=4, cols=16
vrsqrt sp+0x800, sp+0x800, rows=4, cols=16
vrecip sp+0x800, sp+0x800, rows=4, cols=16
vsigmoid sp+0x800, sp+0x800, rows=4, cols=16
vadd sp+0x800, sp+0x800, sp+0x0, rows=4, cols=16
vsub sp+0x800, sp+0x800, acc+0x100, rows=4, cols=16, b=row
vmul sp+0x800, sp+0x800, sp+0x0, rows=4, cols=16, b=col
vmax sp+0x800, sp+0x800, sp+0x0, rows=4, cols=16, b=scalar
vmin sp+0x800, sp+0x800, sp+0x0, rows=4, cols=16, b=tile
vredsum sp+0xc00, sp+0x800, rows=4, cols=16
vredmax sp+0xc00, sp+0x800, rows=4, cols=16, acc
vcvt sp+0xd00, sp+0x800, to=bf16, from=f32, rows=2, cols=3, src_stride=64
vfill acc+0, value=-1.5, rows=1, cols=1, signal=st
dma.store r2, sp+0xd00, rows=1, bytes=12, wait=ld|cp
halt
