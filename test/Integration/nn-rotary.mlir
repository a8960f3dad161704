// Execution test of the rotary_embedding lowering against numpy
// references: rotate_half (Hugging Face LLaMA/NeoX: cos/sin repeated over
// both halves, rotate_half(x) = concat(-x2, x1)) and interleaved (GPT-J,
// computed with complex multiplication), full and partial rotary_dim,
// [S, R/2] tables and position-gathered [B, 1, S, R/2] tables, dynamic
// sequence length.
// RUN: llm-opt %s --convert-transformer-to-linalg | %cpu-lower | %cpu-run \
// RUN:   | %python %S/Inputs/check_numpy.py %s

// Inputs: data(shape, seed) = sin(arange(n) * 0.731 + seed) in f32 (the
// literals below were printed from it); the tables are cos/sin of angles.
// NUMPY: data = lambda shape, seed: np.sin(np.arange(int(np.prod(shape))) * 0.731 + seed).reshape(shape).astype(np.float32)
// NUMPY: x = data((1, 2, 3, 8), 1); c4 = data((3, 4), 2); s4 = data((3, 4), 3)
// NUMPY: y = data((2, 2, 3, 8), 4); c2 = data((2, 1, 3, 2), 5); s2 = data((2, 1, 3, 2), 6)
// NUMPY: c3 = data((3, 3), 7); s3 = data((3, 3), 8)
// NUMPY: rotate_half_ref = lambda x, c, s, r: np.concatenate([x[..., :r] * np.concatenate([c, c], -1) + np.concatenate([-x[..., r // 2:r], x[..., :r // 2]], -1) * np.concatenate([s, s], -1), x[..., r:]], -1)
// NUMPY: interleave = lambda z, x, r: np.concatenate([np.stack([z.real, z.imag], -1).reshape(z.shape[:-1] + (r,)), np.broadcast_to(x[..., r:], z.shape[:-1] + (x.shape[-1] - r,))], -1)
// NUMPY: interleaved_ref = lambda x, c, s, r: interleave((x[..., 0:r:2] + 1j * x[..., 1:r:2]) * (c + 1j * s), x, r)

func.func @rotate_half(%x: tensor<1x2x?x8xf32>, %c: tensor<?x4xf32>, %s: tensor<?x4xf32>) -> tensor<1x2x?x8xf32> {
  %0 = transformer.rotary_embedding %x, %c, %s : tensor<1x2x?x8xf32>, tensor<?x4xf32>
  return %0 : tensor<1x2x?x8xf32>
}

func.func @interleaved_partial(%x: tensor<2x2x3x8xf32>, %c: tensor<2x1x3x2xf32>, %s: tensor<2x1x3x2xf32>) -> tensor<2x2x3x8xf32> {
  %0 = transformer.rotary_embedding %x, %c, %s mode = interleaved {rotary_dim = 4 : i64} : tensor<2x2x3x8xf32>, tensor<2x1x3x2xf32>
  return %0 : tensor<2x2x3x8xf32>
}

func.func @rotate_half_partial(%x: tensor<1x2x3x8xf32>, %c: tensor<3x3xf32>, %s: tensor<3x3xf32>) -> tensor<1x2x3x8xf32> {
  %0 = transformer.rotary_embedding %x, %c, %s mode = rotate_half {rotary_dim = 6 : i64} : tensor<1x2x3x8xf32>, tensor<3x3xf32>
  return %0 : tensor<1x2x3x8xf32>
}

func.func @interleaved_dynamic_dim(%x: tensor<2x2x3x?xf32>, %c: tensor<2x1x3x?xf32>, %s: tensor<2x1x3x?xf32>) -> tensor<2x2x3x?xf32> {
  %0 = transformer.rotary_embedding %x, %c, %s mode = interleaved : tensor<2x2x3x?xf32>, tensor<2x1x3x?xf32>
  return %0 : tensor<2x2x3x?xf32>
}

func.func @main() {
  %x = arith.constant dense<[[[[0.8414709568023682, 0.987194836139679, 0.6284762024879456, -0.05138470605015755, -0.7049887776374817, -0.9983537197113037, -0.7815741896629333, -0.16542142629623413], [0.5352593064308167, 0.9624301791191101, 0.8978130221366882, 0.3744262754917145, -0.3402869403362274, -0.8811184167861938, -0.9717109799385071, -0.5657731890678406], [0.1292666494846344, 0.7582530379295349, 0.9997829794883728, 0.7304381728172302, 0.08784987777471542, -0.5996284484863281, -0.980705201625824, -0.860655665397644]], [[-0.3008233904838562, 0.4127252995967865, 0.9153773188591003, 0.9502846002578735, 0.4996100664138794, -0.20635804533958435, -0.8068801760673523, -0.9950980544090271], [-0.6748350858688354, -0.009741074405610561, 0.6603304743766785, 0.9929826259613037, 0.8182348608970642, 0.2253808081150055, -0.4826396405696869, -0.9440381526947021], [-0.9230466485023499, -0.4303915798664093, 0.28218746185302734, 0.8505727052688599, 0.984327495098114, 0.6151050329208374, -0.06842729449272156, -0.7169942855834961]]]]> : tensor<1x2x3x8xf32>
  %c4 = arith.constant dense<[[0.9092974066734314, 0.3991527855396271, -0.3149532079696655, -0.8681226372718811], [-0.9776937961578369, -0.5876774787902832, 0.10263364762067795, 0.7405004501342773], [0.9999821186065674, 0.7484872341156006, 0.11452611535787582, -0.5779561996459961]]> : tensor<3x4xf32>
  %s4 = arith.constant dense<[[0.14112000167369843, -0.5558684468269348, -0.9688161015510559, -0.8867126107215881], [-0.3515116572380066, 0.3633067309856415, 0.8924805521965027, 0.965609610080719], [0.5453259944915771, -0.153611421585083, -0.7740556001663208, -0.9989684224128723]]> : tensor<3x4xf32>
  %y = arith.constant dense<[[[[-0.756802499294281, -0.9998268485069275, -0.7319539785385132, -0.09006310254335403, 0.5978487133979797, 0.9802683591842651, 0.8617849349975586, 0.30294176936149597], [-0.41070035099983215, -0.914480447769165, -0.95097416639328, -0.5015336871147156, 0.20418332517147064, 0.805565595626831, 0.9953153133392334, 0.6764732003211975], [0.011962982825934887, -0.6586601734161377, -0.992717444896698, -0.819510281085968, -0.2275451123714447, 0.4806923270225525, 0.9433028697967529, 0.9238991737365723]], [[0.43239620327949524, -0.2800550162792206, -0.849402129650116, -0.9847169518470764, -0.6168555021286011, 0.0662102997303009, 0.7154435515403748, 0.9990954399108887], [0.7722238302230835, 0.15075691044330597, -0.547744631767273, -0.9663565158843994, -0.8911740183830261, -0.3606143891811371, 0.35421401262283325, 0.8880441784858704], [0.9680964350700378, 0.5534653067588806, -0.14397867023944855, -0.7678515911102295, -0.999363362789154, -0.7202147841453552, -0.0730467289686203, 0.6114471554756165]]], [[[0.9835003018379211, 0.8529988527297974, 0.28662723302841187, -0.4262067973613739, -0.9212552905082703, -0.9455555081367493, -0.48669037222862244, 0.22086653113365173], [0.8155637979507446, 0.99351966381073, 0.6638011932373047, -0.00511017395183444, -0.671410322189331, -0.9946293830871582, -0.8096070885658264, -0.21088717877864838], [0.4955931007862091, 0.9488323926925659, 0.9172319173812866, 0.4169390797615051, -0.2964036464691162, -0.8582883477210999, -0.9815999865531921, -0.6033281087875366]], [[0.08323582261800766, 0.7272674441337585, 0.9996758103370667, 0.7612641453742981, 0.13385742902755737, -0.5619485378265381, -0.9706068634986877, -0.883298933506012], [-0.344637930393219, 0.3701281249523163, 0.8957639932632446, 0.9636773467063904, 0.5391653180122375, -0.16085243225097656, -0.7786769270896912, -0.9986086487770081], [-0.7082656621932983, -0.05600905418395996, 0.6248673796653748, 0.9864454865455627, 0.8439640998840332, 0.27022916078567505, -0.44158902764320374, -0.9277615547180176]]]]> : tensor<2x2x3x8xf32>
  %c2 = arith.constant dense<[[[[-0.9589242935180664, -0.5245490074157715], [0.17786328494548798, 0.789389967918396], [0.9975497126579285, 0.6959758400917053]]], [[[0.03876824304461479, -0.6382493376731873], [-0.9891306757926941, -0.8345803618431091], [-0.25357145071029663, 0.45700883865356445]]]]> : tensor<2x1x3x2xf32>
  %s2 = arith.constant dense<[[[[-0.279415488243103, 0.4329967498779297], [0.9241538643836975, 0.9430815577507019], [0.4801081120967865, -0.2281937152147293]]], [[[-0.8198918104171753, -0.9926369786262512], [-0.6581588387489319, 0.012629049830138683], [0.6769636273384094, 0.9953795075416565]]]]> : tensor<2x1x3x2xf32>
  %c3 = arith.constant dense<[[0.6569865942001343, 0.9924472570419312, 0.8207816481590271], [0.22970829904079437, -0.47874265909194946, -0.942562997341156], [-0.924747109413147, -0.43439871072769165, 0.277921199798584]]> : tensor<3x3xf32>
  %s3 = arith.constant dense<[[0.9893582463264465, 0.6394463777542114, -0.03721344470977783], [-0.6948577165603638, -0.9974396824836731, -0.7903441786766052], [-0.1793941855430603, 0.5232236981391907, 0.9584817290306091]]> : tensor<3x3xf32>

  // EXPECT: rotate_half_ref(x, c4, s4, 8)
  %xd = tensor.cast %x : tensor<1x2x3x8xf32> to tensor<1x2x?x8xf32>
  %c4d = tensor.cast %c4 : tensor<3x4xf32> to tensor<?x4xf32>
  %s4d = tensor.cast %s4 : tensor<3x4xf32> to tensor<?x4xf32>
  %r0 = call @rotate_half(%xd, %c4d, %s4d) : (tensor<1x2x?x8xf32>, tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<1x2x?x8xf32>
  %pb1 = bufferization.to_buffer %r0 : tensor<1x2x?x8xf32> to memref<1x2x?x8xf32>
  %pu1 = memref.cast %pb1 : memref<1x2x?x8xf32> to memref<*xf32>
  call @printMemrefF32(%pu1) : (memref<*xf32>) -> ()

  // EXPECT: interleaved_ref(y, c2, s2, 4)
  %r1 = call @interleaved_partial(%y, %c2, %s2) : (tensor<2x2x3x8xf32>, tensor<2x1x3x2xf32>, tensor<2x1x3x2xf32>) -> tensor<2x2x3x8xf32>
  %pb2 = bufferization.to_buffer %r1 : tensor<2x2x3x8xf32> to memref<2x2x3x8xf32>
  %pu2 = memref.cast %pb2 : memref<2x2x3x8xf32> to memref<*xf32>
  call @printMemrefF32(%pu2) : (memref<*xf32>) -> ()

  // EXPECT: rotate_half_ref(x, c3, s3, 6)
  %r2 = call @rotate_half_partial(%x, %c3, %s3) : (tensor<1x2x3x8xf32>, tensor<3x3xf32>, tensor<3x3xf32>) -> tensor<1x2x3x8xf32>
  %pb3 = bufferization.to_buffer %r2 : tensor<1x2x3x8xf32> to memref<1x2x3x8xf32>
  %pu3 = memref.cast %pb3 : memref<1x2x3x8xf32> to memref<*xf32>
  call @printMemrefF32(%pu3) : (memref<*xf32>) -> ()

  // EXPECT: interleaved_ref(y[..., :4], c2, s2, 4)
  %y4 = tensor.extract_slice %y[0, 0, 0, 0] [2, 2, 3, 4] [1, 1, 1, 1] : tensor<2x2x3x8xf32> to tensor<2x2x3x4xf32>
  %y4d = tensor.cast %y4 : tensor<2x2x3x4xf32> to tensor<2x2x3x?xf32>
  %c2d = tensor.cast %c2 : tensor<2x1x3x2xf32> to tensor<2x1x3x?xf32>
  %s2d = tensor.cast %s2 : tensor<2x1x3x2xf32> to tensor<2x1x3x?xf32>
  %r3 = call @interleaved_dynamic_dim(%y4d, %c2d, %s2d) : (tensor<2x2x3x?xf32>, tensor<2x1x3x?xf32>, tensor<2x1x3x?xf32>) -> tensor<2x2x3x?xf32>
  %pb4 = bufferization.to_buffer %r3 : tensor<2x2x3x?xf32> to memref<2x2x3x?xf32>
  %pu4 = memref.cast %pb4 : memref<2x2x3x?xf32> to memref<*xf32>
  call @printMemrefF32(%pu4) : (memref<*xf32>) -> ()
  return
}

func.func private @printMemrefF32(memref<*xf32>)
