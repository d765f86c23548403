/// A size limit as messages state it: `16777216 bytes (16 MiB)`, worked out from the
/// limit itself so that the two can never disagree.
public func describeLimit(_ bytes: Int) -> String {
  let mebibytes = Double(bytes) / 1_048_576
  let tenths = Int((mebibytes * 10).rounded())
  let shown = tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
  return "\(bytes) bytes (\(shown) MiB)"
}
