import Crypto
import Foundation

/// File names for digests, from people's names, which are free text: spaces, any script,
/// slashes, `..`. A name is never used as a path: only `a-z`, `0-9` and `-` reach the disk.
///
/// A name that is already such a slug (`sam`, `mia-jones`) is its own file name. Any other
/// name (`Sam`, `Zoë Ångström`, `../etc`, `李雷`) keeps what it has of letters and digits,
/// accents folded (`zoe-angstrom`, or `person` when nothing is left), and adds eight hex digits
/// of the SHA-256 of the name, so that `Sam` and `sam`, or `a/b` and `a b`, never share a file
/// and a name always gets the same file. Work waiting on nobody is `nobody`; a person called
/// `nobody` is hashed like any name that could be mistaken for another.
package enum DigestFileName {
  /// The longest slug, hash included, well below any file system's limit.
  static let maximumLength = 60

  /// A slug for each of `people` (nil: nobody), all different.
  static func slugs(for people: [String?]) -> [String?: String] {
    var result: [String?: String] = [:]
    var taken: Set<String> = []
    // Plain names first, so that a hashed one can never take a plain name's slug.
    let ordered = people.filter { $0.map(isPlain) ?? true } + people.filter { !($0.map(isPlain) ?? true) }
    for person in ordered {
      var slug = person.map { self.slug(for: $0) } ?? "nobody"
      if taken.contains(slug), let person {
        // Eight hex digits collided: fall back on the whole hash, unique for any two names.
        slug = "person-" + hash(person, length: 64)
      }
      taken.insert(slug)
      result[person] = slug
    }
    return result
  }

  /// The slug for a person's name, the same on every run.
  package static func slug(for name: String) -> String {
    isPlain(name) ? name : base(name) + "-" + hash(name, length: 8)
  }

  /// A name that is a slug already, and not one kept for nobody.
  static func isPlain(_ name: String) -> Bool {
    !name.isEmpty && name.count <= 40 && name != "nobody" && name.first != "-" && name.last != "-"
      && name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
      && !name.contains("--")
  }

  /// The name's letters and digits, lowercase ASCII, runs of anything else one `-`.
  package static func base(_ name: String) -> String {
    let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
    var slug = ""
    for scalar in folded.unicodeScalars {
      if scalar.isASCII, let byte = UInt8(exactly: scalar.value),
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
      {
        slug.unicodeScalars.append(scalar)
      } else if scalar.isASCII, let byte = UInt8(exactly: scalar.value), byte >= 0x41 && byte <= 0x5A {
        slug.unicodeScalars.append(Unicode.Scalar(byte + 0x20))
      } else if !slug.isEmpty, slug.last != "-" {
        slug.append("-")
      }
    }
    while slug.last == "-" { slug.removeLast() }
    slug = String(slug.prefix(maximumLength - 9))
    while slug.last == "-" { slug.removeLast() }
    return slug.isEmpty ? "person" : slug
  }

  package static func hash(_ name: String, length: Int) -> String {
    let digest = SHA256.hash(data: Data(name.utf8))
    return String(digest.map { String(format: "%02x", $0) }.joined().prefix(length))
  }
}
