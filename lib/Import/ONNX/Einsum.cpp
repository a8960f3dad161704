//===- Einsum.cpp - ONNX Einsum as transposes, reductions and a matmul ----===//
//
// Converts the Einsum equations transformer exports use into existing
// transformer ops instead of a general contraction op:
//  - one operand: sums over the labels missing from the output
//    (`reduce_sum`) and a `transpose` to the output order ("ij->ji",
//    "ij->i", "bhqd->bqhd");
//  - two operands: labels only in one operand and not in the output are
//    summed first; the rest are batch labels (in both operands and the
//    output), free labels (in one operand and the output) and contracted
//    labels (in both operands, not in the output). Each operand is
//    transposed to [batch, free, contracted] / [batch, contracted, free],
//    its free and contracted groups reshaped to one dim each, multiplied
//    with `matmul` (numpy broadcasting of the batch dims), reshaped back
//    and transposed to the output order: "bhqd,bhkd->bhqk",
//    "bhqk,bhkd->bhqd", "bij,bjk->bik", "i,i" (inner product), outer
//    products.
// An ellipsis ("...") is supported where it stands for the same leading
// batch dims in every term (e.g. "...qd,...kd->...qk"). Equations with a
// label repeated inside one term (diagonals, "ii->i"), more than two
// operands, or an ellipsis missing from some term are reported up front,
// with the equation, among the unsupported features of the model.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "Transformer/IR/TransformerOps.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <algorithm>
#include <map>
#include <variant>

using namespace mlir;
using namespace mlir::llm;
using namespace mlir::llm::onnx_import;
namespace tf = mlir::llm::transformer;

namespace {

/// A parsed equation. Terms hold label characters; '.' marks where an
/// ellipsis stands (one character for the whole ellipsis).
struct Equation {
  SmallVector<std::string> inputs;
  std::string output;
};

/// Parses and checks `text`; returns the equation or a reason it is
/// unsupported.
std::variant<Equation, std::string> parseEquation(StringRef text) {
  std::string compact;
  for (char c : text)
    if (c != ' ')
      compact.push_back(c);
  StringRef eq(compact);
  Equation result;
  auto [lhs, rhs] = eq.split("->");
  bool explicitOutput = eq.contains("->");

  // Each term: letters, with at most one "..." replaced by '.'.
  auto parseTerm = [](StringRef term,
                      std::string &out) -> std::optional<std::string> {
    size_t dots = term.find("...");
    if (dots != StringRef::npos) {
      if (term.substr(dots + 3).contains('.'))
        return std::string("more than one ellipsis in a term");
      out = (term.substr(0, dots) + "." + term.substr(dots + 3)).str();
    } else {
      out = term.str();
    }
    for (char c : out)
      if (c != '.' && !llvm::isAlpha(c))
        return std::string("'") + c + "' is not a label (letters only)";
    for (size_t i = 0; i < out.size(); ++i)
      if (out.find(out[i], i + 1) != std::string::npos)
        return std::string("label '") + out[i] +
               "' repeats within one operand (diagonals are unsupported)";
    return std::nullopt;
  };
  SmallVector<StringRef> terms;
  lhs.split(terms, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/true);
  for (StringRef term : terms) {
    std::string parsed;
    if (std::optional<std::string> err = parseTerm(term, parsed))
      return *err;
    result.inputs.push_back(parsed);
  }
  if (result.inputs.size() > 2)
    return std::string("more than two operands are unsupported");

  if (explicitOutput) {
    if (std::optional<std::string> err = parseTerm(rhs, result.output))
      return *err;
  } else {
    // Implicit output: the ellipsis, then the labels that occur once, in
    // alphabetical order.
    std::map<char, int> counts;
    bool ellipsis = false;
    for (const std::string &t : result.inputs)
      for (char c : t) {
        if (c == '.')
          ellipsis = true;
        else
          ++counts[c];
      }
    if (ellipsis)
      result.output.push_back('.');
    for (auto [c, count] : counts)
      if (count == 1)
        result.output.push_back(c);
  }
  for (char c : result.output)
    if (c != '.' && llvm::none_of(result.inputs, [&](const std::string &t) {
          return t.find(c) != std::string::npos;
        }))
      return std::string("output label '") + c + "' is in no operand";
  bool outEllipsis = result.output.find('.') != std::string::npos;
  for (const std::string &t : result.inputs)
    if ((t.find('.') != std::string::npos) != outEllipsis)
      return std::string("an ellipsis must appear in every term or in none");
  return result;
}

std::string checkEinsum(const pb::NodeProto &node, int64_t) {
  std::string equation;
  for (const pb::AttributeProto &a : node.attribute())
    if (a.name() == "equation")
      equation = a.s();
  if (equation.empty())
    return "Einsum without an equation attribute";
  auto parsed = parseEquation(equation);
  if (auto *reason = std::get_if<std::string>(&parsed))
    return "Einsum equation '" + equation + "' is unsupported: " + *reason;
  if (static_cast<int>(std::get<Equation>(parsed).inputs.size()) !=
      node.input_size())
    return "Einsum equation '" + equation + "' names " +
           std::to_string(std::get<Equation>(parsed).inputs.size()) +
           " operands but the node has " + std::to_string(node.input_size());
  return "";
}

/// Replaces the '.' of `term` by `count` labels that no equation uses
/// (characters '0', '1', ...).
std::string expandEllipsis(const std::string &term, int64_t count) {
  std::string out;
  for (char c : term) {
    if (c != '.') {
      out.push_back(c);
      continue;
    }
    for (int64_t i = 0; i < count; ++i)
      out.push_back(static_cast<char>('0' + i));
  }
  return out;
}

/// An operand with the labels of its dims.
struct Labeled {
  Value value;
  std::string labels;
};

FailureOr<Value> transposeTo(NodeImporter &n, Value v, StringRef from,
                             StringRef to) {
  SmallVector<int64_t> perm;
  for (char c : to)
    perm.push_back(static_cast<int64_t>(from.find(c)));
  if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
    return v;
  auto op = createInferred<tf::TransposeOp>(n.builder, n.loc, 1, v,
                                            n.builder.getDenseI64ArrayAttr(perm));
  if (failed(op))
    return failure();
  return op->getResult();
}

/// Sums `x` over the labels not in `keep`.
FailureOr<Labeled> sumOut(NodeImporter &n, Labeled x, StringRef keep) {
  SmallVector<int64_t> axes;
  std::string kept;
  for (auto [i, c] : llvm::enumerate(x.labels)) {
    if (keep.contains(c))
      kept.push_back(c);
    else
      axes.push_back(i);
  }
  if (axes.empty())
    return x;
  auto op = createInferred<tf::ReduceSumOp>(
      n.builder, n.loc, 1, x.value, n.builder.getDenseI64ArrayAttr(axes),
      n.builder.getBoolAttr(false));
  if (failed(op))
    return failure();
  return Labeled{op->getResult(), kept};
}

LogicalResult convertEinsum(NodeImporter &n) {
  std::string text = n.stringAttr("equation", "");
  Equation eq = std::get<Equation>(parseEquation(text));
  SmallVector<Labeled> operands;
  int64_t ellipsisRank = -1;
  for (auto [i, term] : llvm::enumerate(eq.inputs)) {
    FailureOr<Value> v = n.input(i);
    if (failed(v))
      return failure();
    int64_t rank = cast<RankedTensorType>(v->getType()).getRank();
    bool hasEllipsis = term.find('.') != std::string::npos;
    int64_t named = term.size() - (hasEllipsis ? 1 : 0);
    if (hasEllipsis ? rank < named : rank != named)
      return n.emitError() << "equation '" << text << "': operand " << i
                           << " has rank " << rank << " but its term names "
                           << named << " dims";
    if (hasEllipsis) {
      if (ellipsisRank >= 0 && ellipsisRank != rank - named)
        return n.emitError() << "equation '" << text
                             << "': the ellipsis covers " << ellipsisRank
                             << " dims in one operand and " << rank - named
                             << " in another (unsupported)";
      ellipsisRank = rank - named;
    }
    operands.push_back({*v, expandEllipsis(term, rank - named)});
  }
  std::string output =
      expandEllipsis(eq.output, std::max<int64_t>(ellipsisRank, 0));

  if (operands.size() == 1) {
    FailureOr<Labeled> summed = sumOut(n, operands[0], output);
    if (failed(summed))
      return failure();
    FailureOr<Value> r =
        transposeTo(n, summed->value, summed->labels, output);
    if (failed(r))
      return failure();
    n.setOutput(0, *r);
    return success();
  }

  // Sum out what only one operand has and the output does not.
  Labeled &a = operands[0], &b = operands[1];
  std::string keepA = output + b.labels, keepB = output + a.labels;
  FailureOr<Labeled> sa = sumOut(n, a, keepA), sb = sumOut(n, b, keepB);
  if (failed(sa) || failed(sb))
    return failure();
  std::string batch, freeA, freeB, contracted;
  for (char c : output) {
    bool inA = sa->labels.find(c) != std::string::npos;
    bool inB = sb->labels.find(c) != std::string::npos;
    (inA && inB ? batch : inA ? freeA : freeB).push_back(c);
  }
  for (char c : sa->labels)
    if (output.find(c) == std::string::npos)
      contracted.push_back(c);

  FailureOr<Value> ta =
      transposeTo(n, sa->value, sa->labels, batch + freeA + contracted);
  FailureOr<Value> tb =
      transposeTo(n, sb->value, sb->labels, batch + contracted + freeB);
  if (failed(ta) || failed(tb))
    return failure();

  // [batch..., prod(free), prod(contracted)] and the like for b.
  SymInts dimsA = n.dimsOf(*ta), dimsB = n.dimsOf(*tb);
  size_t nb = batch.size();
  auto group = [&](const SymInts &dims, size_t from, size_t count) {
    return n.product(ArrayRef(dims).slice(from, count));
  };
  SymInts shapeA(dimsA.begin(), dimsA.begin() + nb);
  shapeA.push_back(group(dimsA, nb, freeA.size()));
  shapeA.push_back(group(dimsA, nb + freeA.size(), contracted.size()));
  SymInts shapeB(dimsB.begin(), dimsB.begin() + nb);
  shapeB.push_back(group(dimsB, nb, contracted.size()));
  shapeB.push_back(group(dimsB, nb + contracted.size(), freeB.size()));
  Value ma = n.reshape(*ta, shapeA), mb = n.reshape(*tb, shapeB);
  auto mm = createInferred<tf::MatmulOp>(n.builder, n.loc, 1, ma, mb);
  if (failed(mm))
    return failure();

  // Back to [batch..., freeA..., freeB...] (already so when each free
  // group is one dim), then the output order.
  Value r = mm->getResult();
  if (freeA.size() != 1 || freeB.size() != 1) {
    SymInts dimsP = n.dimsOf(r);
    SymInts shapeR(dimsP.begin(), dimsP.begin() + nb);
    shapeR.append(dimsA.begin() + nb, dimsA.begin() + nb + freeA.size());
    shapeR.append(dimsB.begin() + nb + contracted.size(), dimsB.end());
    r = n.reshape(r, shapeR);
  }
  FailureOr<Value> out = transposeTo(n, r, batch + freeA + freeB, output);
  if (failed(out))
    return failure();
  n.setOutput(0, *out);
  return success();
}

} // namespace

void mlir::llm::onnx_import::addEinsum(OpTable &t) {
  t.add({"", "Einsum", 12, 21, 1, -1, 1, {"equation"}, convertEinsum,
         checkEinsum});
}
