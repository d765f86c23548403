import Foundation

/// SplitMix64 (Steele, Lea and Flood): small, fast and seedable, so that every randomised
/// test can be replayed from the seed it prints and the benchmark's inputs are the same on
/// every machine. Test support and benchmark tooling only; never part of `accord`.
public struct SeededRandom: RandomNumberGenerator, Sendable {
  private var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// `$ACCORD_SEED` to replay a run, else a fresh seed; printed either way, so a failure
  /// can be run again exactly (`ACCORD_SEED=<seed> swift test --filter <test>`).
  public static func seed(for test: String) -> UInt64 {
    let given = ProcessInfo.processInfo.environment["ACCORD_SEED"].flatMap { UInt64($0) }
    let seed = given ?? UInt64.random(in: 0...UInt64.max)
    print("\(test): seed \(seed) (replay with ACCORD_SEED=\(seed))")
    return seed
  }
}

/// The size of a randomised run: the default keeps `swift test` to a few minutes on two
/// cores; `ACCORD_SOAK=1` runs the long version.
public enum Soak {
  public static var isOn: Bool { ProcessInfo.processInfo.environment["ACCORD_SOAK"] == "1" }

  public static func count(_ normal: Int, soak: Int) -> Int { isOn ? soak : normal }
}
