// Execution test of the matmul and linear lowerings against numpy:
// broadcast batch dims (generic), [B, S, K] x [K, N] (collapsed matmul),
// equal batch dims (batch_matmul, collapsed), rank 2, linear with and
// without bias on static and dynamic shapes, and unsigned integers (generics
// with signless casts).
// RUN: llm-opt %s --convert-transformer-to-linalg | %cpu-lower | %cpu-run \
// RUN:   | %python %S/Inputs/check_numpy.py %s

// Inputs: data(shape, seed) = sin(arange(n) * 0.731 + seed) in f32, the
// literals below were printed from it.
// NUMPY: data = lambda shape, seed: np.sin(np.arange(int(np.prod(shape))) * 0.731 + seed).reshape(shape).astype(np.float32)
// NUMPY: a = data((2, 1, 3, 4), 1); b = data((3, 4, 5), 2)
// NUMPY: x = data((2, 3, 4), 3); w = data((4, 5), 4)
// NUMPY: p = data((2, 2, 3, 4), 5); q = data((2, 2, 4, 5), 6)
// NUMPY: lw = data((5, 4), 7); lb = data((5,), 8)
// NUMPY: ua = np.array([[1, 2, 3], [4, 5, 6]]); ub = np.array([[7, 8], [9, 10], [4000000000, 12]])

func.func @broadcast_batch(%a: tensor<2x1x3x4xf32>, %b: tensor<3x4x5xf32>) -> tensor<2x3x3x5xf32> {
  %0 = transformer.matmul %a, %b : tensor<2x1x3x4xf32>, tensor<3x4x5xf32> -> tensor<2x3x3x5xf32>
  return %0 : tensor<2x3x3x5xf32>
}

func.func @rhs_matrix(%x: tensor<?x?x4xf32>, %w: tensor<4x5xf32>) -> tensor<?x?x5xf32> {
  %0 = transformer.matmul %x, %w : tensor<?x?x4xf32>, tensor<4x5xf32> -> tensor<?x?x5xf32>
  return %0 : tensor<?x?x5xf32>
}

func.func @same_batch(%p: tensor<?x2x3x4xf32>, %q: tensor<?x2x4x5xf32>) -> tensor<?x2x3x5xf32> {
  %0 = transformer.matmul %p, %q : tensor<?x2x3x4xf32>, tensor<?x2x4x5xf32> -> tensor<?x2x3x5xf32>
  return %0 : tensor<?x2x3x5xf32>
}

func.func @matrix(%x: tensor<3x4xf32>, %w: tensor<4x5xf32>) -> tensor<3x5xf32> {
  %0 = transformer.matmul %x, %w : tensor<3x4xf32>, tensor<4x5xf32> -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

func.func @linear_bias(%x: tensor<?x?x4xf32>, %w: tensor<5x4xf32>, %b: tensor<5xf32>) -> tensor<?x?x5xf32> {
  %0 = transformer.linear %x, %w, %b : tensor<?x?x4xf32>, tensor<5x4xf32>, tensor<5xf32> -> tensor<?x?x5xf32>
  return %0 : tensor<?x?x5xf32>
}

func.func @linear_vector(%x: tensor<4xf32>, %w: tensor<5x4xf32>) -> tensor<5xf32> {
  %0 = transformer.linear %x, %w : tensor<4xf32>, tensor<5x4xf32> -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

func.func @unsigned_matmul(%a: tensor<2x3xui32>, %b: tensor<3x2xui32>) -> tensor<2x2xui32> {
  %0 = transformer.matmul %a, %b : tensor<2x3xui32>, tensor<3x2xui32> -> tensor<2x2xui32>
  return %0 : tensor<2x2xui32>
}

func.func @unsigned_linear(%x: tensor<2x3xui32>, %w: tensor<2x3xui32>, %b: tensor<2xui32>) -> tensor<2x2xui32> {
  %0 = transformer.linear %x, %w, %b : tensor<2x3xui32>, tensor<2x3xui32>, tensor<2xui32> -> tensor<2x2xui32>
  return %0 : tensor<2x2xui32>
}

func.func @main() {
  %a = arith.constant dense<[[[[0.8414709568023682, 0.987194836139679, 0.6284762024879456, -0.05138470605015755], [-0.7049887776374817, -0.9983537197113037, -0.7815741896629333, -0.16542142629623413], [0.5352593064308167, 0.9624301791191101, 0.8978130221366882, 0.3744262754917145]]], [[[-0.3402869403362274, -0.8811184167861938, -0.9717109799385071, -0.5657731890678406], [0.1292666494846344, 0.7582530379295349, 0.9997829794883728, 0.7304381728172302], [0.08784987777471542, -0.5996284484863281, -0.980705201625824, -0.860655665397644]]]]> : tensor<2x1x3x4xf32>
  %b = arith.constant dense<[[[0.9092974066734314, 0.3991527855396271, -0.3149532079696655, -0.8681226372718811, -0.9776937961578369], [-0.5876774787902832, 0.10263364762067795, 0.7405004501342773, 0.9999821186065674, 0.7484872341156006], [0.11452611535787582, -0.5779561996459961, -0.975111186504364, -0.8739983439445496, -0.32628482580184937], [0.3881555497646332, 0.9042540192604065, 0.9582915902137756, 0.5226559042930603, -0.18004946410655975]], [[-0.790752112865448, -0.9973918199539185, -0.6943785548210144, -0.03654778003692627, 0.639958381652832], [0.9894549250602722, 0.8333542346954346, 0.25142142176628113, -0.4589841067790985, -0.9348553419113159], [-0.9330288767814636, -0.4544380307197571, 0.2563641667366028, 0.8361679315567017, 0.9887018799781799], [0.6360232830047607, -0.041654061526060104, -0.6980468034744263, -0.9977476000785828, -0.7876136898994446]], [[-0.17502044141292572, 0.5270057320594788, 0.9597395062446594, 0.9020601511001587, 0.3834409713745117], [-0.3311110734939575, -0.8764700889587402, -0.9739654660224915, -0.5737784504890442, 0.11960116773843765], [0.7518662810325623, 0.9999384880065918, 0.7370564341545105, 0.09754911810159683, -0.5918043851852417], [-0.9787543416023254, -0.865574836730957, -0.3100989758968353, 0.4038330316543579, 0.9114121198654175]]]> : tensor<3x4x5xf32>
  %x = arith.constant dense<[[[0.14112000167369843, -0.5558684468269348, -0.9688161015510559, -0.8867126107215881], [-0.3515116572380066, 0.3633067309856415, 0.8924805521965027, 0.965609610080719], [0.5453259944915771, -0.153611421585083, -0.7740556001663208, -0.9989684224128723]], [[-0.7134227156639099, -0.06332820653915405, 0.6191260814666748, 0.9852158427238464], [0.8478744029998779, 0.2772812843322754, -0.43499860167503357, -0.9250004291534424], [-0.9423402547836304, -0.47815772891044617, 0.23035655915737152, 0.8211619257926941]]]> : tensor<2x3x4xf32>
  %w = arith.constant dense<[[-0.756802499294281, -0.9998268485069275, -0.7319539785385132, -0.09006310254335403, 0.5978487133979797], [0.9802683591842651, 0.8617849349975586, 0.30294176936149597, -0.41070035099983215, -0.914480447769165], [-0.95097416639328, -0.5015336871147156, 0.20418332517147064, 0.805565595626831, 0.9953153133392334], [0.6764732003211975, 0.011962982825934887, -0.6586601734161377, -0.992717444896698, -0.819510281085968]]> : tensor<4x5xf32>
  %p = arith.constant dense<[[[[-0.9589242935180664, -0.5245490074157715, 0.17786328494548798, 0.789389967918396], [0.9975497126579285, 0.6959758400917053, 0.03876824304461479, -0.6382493376731873], [-0.9891306757926941, -0.8345803618431091, -0.25357145071029663, 0.45700883865356445]], [[0.9340641498565674, 0.9338260889053345, 0.4564162492752075, -0.2542157471179962], [-0.8349471688270569, -0.989032506942749, -0.6377363801002502, 0.03943385183811188], [0.6964539885520935, 0.9975960850715637, 0.7889809012413025, 0.17720775306224823]]], [[[-0.5251160264015198, -0.9591130018234253, -0.903016984462738, -0.3854922354221344], [0.32901355624198914, 0.8753980994224548, 0.9744668006896973, 0.5755968689918518], [-0.11739478260278702, -0.7503994107246399, -0.9999606609344482, -0.7385563254356384]], [[-0.09976031631231308, 0.5900118350982666, 0.9782963395118713, 0.8666854500770569], [0.31221070885658264, -0.4017992317676544, -0.9104955196380615, -0.9539416432380676], [-0.5099372267723083, 0.19463777542114258, 0.7997556924819946, 0.9962099194526672]]]]> : tensor<2x2x3x4xf32>
  %q = arith.constant dense<[[[[-0.279415488243103, 0.4329967498779297, 0.9241538643836975, 0.9430815577507019, 0.4801081120967865], [-0.2281937152147293, -0.8198918104171753, -0.9926369786262512, -0.6581588387489319, 0.012629049830138683], [0.6769636273384094, 0.9953795075416565, 0.8051707148551941, 0.2035311907529831, -0.5021098256111145], [-0.9511799216270447, -0.9142107367515564, -0.41009289026260376, 0.3035764992237091, 0.862122654914856]], [[0.980136513710022, 0.5973145961761475, -0.09072649478912354, -0.7324076294898987, -0.9998390078544617], [-0.7563669085502625, -0.12640218436717987, 0.5681522488594055, 0.9723890423774719, 0.8797489404678345], [0.3375697433948517, -0.3771027624607086, -0.8990811705589294, -0.9616419672966003, -0.5328174829483032], [0.1682690978050232, 0.7833725810050964, 0.9981839060783386, 0.7029375433921814, 0.04850015416741371]]], [[[-0.6307200789451599, -0.9876514077186584, -0.8399069905281067, -0.2629821300506592, 0.4483228325843811], [0.9305412769317627, 0.9372664093971252, 0.46506187319755554, -0.24478264153003693, -0.8295467495918274], [-0.9904243350028992, -0.6452092528343201, 0.029698481783270836, 0.6894307136535645, 0.9968737363815308], [0.7949285507202148, 0.1867862492799759, -0.516801118850708, -0.9563105702400208, -0.9071589708328247]], [[-0.39446213841438293, 0.31979918479919434, 0.8706477284431458, 0.9766077399253845, 0.5835351943969727], [-0.10771549493074417, -0.7439250946044922, -0.9999996423721313, -0.7450886368751526, -0.10944806784391403], [0.5821189284324646, 0.9762314558029175, 0.8715037107467651, 0.32145005464553833, -0.3928599953651428], [-0.9064242243766785, -0.9568186402320862, -0.5182924270629883, 0.18507376313209534, 0.7938699126243591]]]]> : tensor<2x2x4x5xf32>
  %lw = arith.constant dense<[[0.6569865942001343, 0.9924472570419312, 0.8207816481590271, 0.22970829904079437], [-0.47874265909194946, -0.942562997341156, -0.924747109413147, -0.43439871072769165], [0.277921199798584, 0.8482273817062378, 0.9851015210151672, 0.6186028718948364], [-0.06399297714233398, -0.7138893008232117, -0.9989984631538391, -0.7736336588859558], [-0.15295317769050598, 0.5458841919898987, 0.9657825827598572, 0.8921799063682556]]> : tensor<5x4xf32>
  %lb = arith.constant dense<[0.9893582463264465, 0.6394463777542114, -0.03721344470977783, -0.6948577165603638, -0.9974396824836731]> : tensor<5xf32>

  // EXPECT: a @ b
  %r0 = call @broadcast_batch(%a, %b) : (tensor<2x1x3x4xf32>, tensor<3x4x5xf32>) -> tensor<2x3x3x5xf32>
  %pb1 = bufferization.to_buffer %r0 : tensor<2x3x3x5xf32> to memref<2x3x3x5xf32>
  %pu1 = memref.cast %pb1 : memref<2x3x3x5xf32> to memref<*xf32>
  call @printMemrefF32(%pu1) : (memref<*xf32>) -> ()

  // EXPECT: x @ w
  %xd = tensor.cast %x : tensor<2x3x4xf32> to tensor<?x?x4xf32>
  %r1 = call @rhs_matrix(%xd, %w) : (tensor<?x?x4xf32>, tensor<4x5xf32>) -> tensor<?x?x5xf32>
  %pb2 = bufferization.to_buffer %r1 : tensor<?x?x5xf32> to memref<?x?x5xf32>
  %pu2 = memref.cast %pb2 : memref<?x?x5xf32> to memref<*xf32>
  call @printMemrefF32(%pu2) : (memref<*xf32>) -> ()

  // EXPECT: p @ q
  %pd = tensor.cast %p : tensor<2x2x3x4xf32> to tensor<?x2x3x4xf32>
  %qd = tensor.cast %q : tensor<2x2x4x5xf32> to tensor<?x2x4x5xf32>
  %r2 = call @same_batch(%pd, %qd) : (tensor<?x2x3x4xf32>, tensor<?x2x4x5xf32>) -> tensor<?x2x3x5xf32>
  %pb3 = bufferization.to_buffer %r2 : tensor<?x2x3x5xf32> to memref<?x2x3x5xf32>
  %pu3 = memref.cast %pb3 : memref<?x2x3x5xf32> to memref<*xf32>
  call @printMemrefF32(%pu3) : (memref<*xf32>) -> ()

  // EXPECT: x[0] @ w
  %x0 = tensor.extract_slice %x[0, 0, 0] [1, 3, 4] [1, 1, 1] : tensor<2x3x4xf32> to tensor<3x4xf32>
  %r3 = call @matrix(%x0, %w) : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  %pb4 = bufferization.to_buffer %r3 : tensor<3x5xf32> to memref<3x5xf32>
  %pu4 = memref.cast %pb4 : memref<3x5xf32> to memref<*xf32>
  call @printMemrefF32(%pu4) : (memref<*xf32>) -> ()

  // EXPECT: x @ lw.T + lb
  %r4 = call @linear_bias(%xd, %lw, %lb) : (tensor<?x?x4xf32>, tensor<5x4xf32>, tensor<5xf32>) -> tensor<?x?x5xf32>
  %pb5 = bufferization.to_buffer %r4 : tensor<?x?x5xf32> to memref<?x?x5xf32>
  %pu5 = memref.cast %pb5 : memref<?x?x5xf32> to memref<*xf32>
  call @printMemrefF32(%pu5) : (memref<*xf32>) -> ()

  // EXPECT: lw @ x[1, 2]
  %x12 = tensor.extract_slice %x[1, 2, 0] [1, 1, 4] [1, 1, 1] : tensor<2x3x4xf32> to tensor<4xf32>
  %r5 = call @linear_vector(%x12, %lw) : (tensor<4xf32>, tensor<5x4xf32>) -> tensor<5xf32>
  %pb6 = bufferization.to_buffer %r5 : tensor<5xf32> to memref<5xf32>
  %pu6 = memref.cast %pb6 : memref<5xf32> to memref<*xf32>
  call @printMemrefF32(%pu6) : (memref<*xf32>) -> ()

  // ui32 wraps modulo 2^32; printed as i64 through transformer.cast, which
  // zero-extends.
  // EXPECT: (ua @ ub) % 2 ** 32
  // EXPECT: (ua @ ub + [100, 200]) % 2 ** 32
  %ua = arith.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xui32>
  %ub = arith.constant dense<[[7, 8], [9, 10], [4000000000, 12]]> : tensor<3x2xui32>
  %uw = arith.constant dense<[[7, 9, 4000000000], [8, 10, 12]]> : tensor<2x3xui32>
  %ubias = arith.constant dense<[100, 200]> : tensor<2xui32>
  %r6 = call @unsigned_matmul(%ua, %ub) : (tensor<2x3xui32>, tensor<3x2xui32>) -> tensor<2x2xui32>
  %c6 = transformer.cast %r6 : tensor<2x2xui32> to tensor<2x2xi64>
  %pb7 = bufferization.to_buffer %c6 : tensor<2x2xi64> to memref<2x2xi64>
  %pu7 = memref.cast %pb7 : memref<2x2xi64> to memref<*xi64>
  call @printMemrefI64(%pu7) : (memref<*xi64>) -> ()
  %r7 = call @unsigned_linear(%ua, %uw, %ubias) : (tensor<2x3xui32>, tensor<2x3xui32>, tensor<2xui32>) -> tensor<2x2xui32>
  %c7 = transformer.cast %r7 : tensor<2x2xui32> to tensor<2x2xi64>
  %pb8 = bufferization.to_buffer %c7 : tensor<2x2xi64> to memref<2x2xi64>
  %pu8 = memref.cast %pb8 : memref<2x2xi64> to memref<*xi64>
  call @printMemrefI64(%pu8) : (memref<*xi64>) -> ()
  return
}

func.func private @printMemrefF32(memref<*xf32>)
func.func private @printMemrefI64(memref<*xi64>)
