# Row softmax on the vector unit: y = softmax(x, axis=1) for x f32[4x40].
#
# 40 columns is not a multiple of the 16 lanes: the last beat of each row
# is partial. The row maximum is subtracted first (as every numerically
# careful softmax does), the sum of the exponentials is inverted once per
# row and multiplied in.

.input  r1, "x", f32[4x40]
.output r2, "y", f32[4x40]

.equ X,    0x0000            # the tile: 4 rows of 40 f32 = 160 bytes each
.equ MAX,  0x1000            # one f32 per row
.equ SUM,  0x1010

.text
dma.load sp+X, r1+0, rows=4, bytes=160, signal=cp
vredmax sp+MAX, sp+X, rows=4, cols=40, wait=ld
vsub    sp+X, sp+X, sp+MAX, rows=4, cols=40, b=col
vexp    sp+X, sp+X, rows=4, cols=40
vredsum sp+SUM, sp+X, rows=4, cols=40
vrecip  sp+SUM, sp+SUM, rows=1, cols=4
vmul    sp+X, sp+X, sp+SUM, rows=4, cols=40, b=col, signal=st
dma.store r2+0, sp+X, rows=4, bytes=160, wait=cp
halt
