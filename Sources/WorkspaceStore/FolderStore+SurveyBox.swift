import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The folder's survey box, `<workspace>/.accord-survey/` (folder 0700, files 0600):
///
///     <client>.<round>.json   an open round: the hashes of the codes not used yet, and the
///                             answers, in an order shuffled on every write
///     lock                    held while a box is read to change it, and written
///
/// A box is one file, written whole (a temporary file, synced, renamed), so that an answer
/// and the use of its code are one write: a crash keeps both or neither. Client and round
/// ids are ids (letters, digits, `-`), so `<client>.<round>` names one box.
extension FolderStore: SurveyBoxStore {
  var surveyBox: FolderSurveyBox { FolderSurveyBox(folder: workspace.directory.appendingPathComponent(".accord-survey")) }

  public func openBox(_ box: SurveyBoxKey, codes: [String], shared: Bool) async throws(StoreFailure) -> Bool {
    do { try workspace.makeFolder() } catch { throw StoreFailure(error, client: box.client) }
    let surveyBox = surveyBox
    let hold = try await surveyBox.lock()
    defer { hold.unlock() }
    guard try surveyBox.read(box) == nil else { return false }
    var file = FolderSurveyBox.File(client: box.client, round: box.round)
    file.shared = shared
    file.codes = Array(Set(codes)).sorted()
    try surveyBox.write(file)
    return true
  }

  public func box(forCode code: String) async throws(StoreFailure) -> SurveyBoxKey? {
    try surveyBox.files().first { !$0.sealed && $0.codes.contains(code) }.map(\.key)
  }

  public func submit(_ answer: SurveyAnswer, code: String) async throws(StoreFailure) -> SurveyBoxKey? {
    let surveyBox = surveyBox
    guard FileManager.default.fileExists(atPath: surveyBox.folder.path) else { return nil }
    let hold = try await surveyBox.lock()
    defer { hold.unlock() }
    guard var file = try surveyBox.files().first(where: { !$0.sealed && $0.codes.contains(code) }) else { return nil }
    if !file.shared { file.codes.removeAll { $0 == code } }
    file.answers.append(answer)
    file.answers.shuffle()
    try surveyBox.write(file)
    return file.key
  }

  public func answerCount(_ box: SurveyBoxKey) async throws(StoreFailure) -> Int {
    try surveyBox.read(box)?.answers.count ?? 0
  }

  public func seal(_ box: SurveyBoxKey) async throws(StoreFailure) -> [SurveyAnswer] {
    let surveyBox = surveyBox
    guard FileManager.default.fileExists(atPath: surveyBox.file(box).path) else { return [] }
    let hold = try await surveyBox.lock()
    defer { hold.unlock() }
    guard var file = try surveyBox.read(box) else { return [] }
    if !file.sealed || !file.codes.isEmpty {
      file.sealed = true
      file.codes = []
      try surveyBox.write(file)
    }
    return file.answers
  }

  public func remove(_ box: SurveyBoxKey) async throws(StoreFailure) {
    let surveyBox = surveyBox
    let path = surveyBox.file(box).path
    guard FileManager.default.fileExists(atPath: path) else { return }
    let hold = try await surveyBox.lock()
    defer { hold.unlock() }
    if unlink(path) != 0 && errno != ENOENT { throw FolderOutbox.problem(path, "cannot be removed") }
  }
}

/// The files of the folder's survey box.
struct FolderSurveyBox {
  let folder: URL

  /// One box's file.
  struct File: Codable {
    var client: String
    var round: String
    /// Whether the one code answers any number of times (a shared link).
    var shared = false
    /// Whether the round takes no more answers (closing has begun).
    var sealed = false
    /// The SHA-256 of each code that may still answer, sorted.
    var codes: [String] = []
    var answers: [SurveyAnswer] = []

    init(client: String, round: String) {
      self.client = client
      self.round = round
    }

    var key: SurveyBoxKey { SurveyBoxKey(client: client, round: round) }
  }

  func file(_ box: SurveyBoxKey) -> URL { folder.appendingPathComponent("\(box.client).\(box.round).json") }

  func lock() async throws(StoreFailure) -> FolderOutbox.Hold {
    try await FolderOutbox.lock(folder.appendingPathComponent("lock").path, making: [folder])
  }

  func read(_ box: SurveyBoxKey) throws(StoreFailure) -> File? {
    try read(file(box))
  }

  /// Every box, in the order of their files' names; none when the folder was never made.
  func files() throws(StoreFailure) -> [File] {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    } catch {
      guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
      throw FolderOutbox.problem(folder.path, "cannot be listed: \(error.localizedDescription)")
    }
    var files: [File] = []
    for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
      if let file = try read(folder.appendingPathComponent(name)) { files.append(file) }
    }
    return files
  }

  private func read(_ url: URL) throws(StoreFailure) -> File? {
    guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
    do {
      return try JSONDecoder().decode(File.self, from: data)
    } catch {
      throw .damaged(client: nil, problem: "\(url.path) is not a survey box Accord can read: \(error)")
    }
  }

  func write(_ file: File) throws(StoreFailure) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // Strings, numbers and flags only: encoding cannot fail.
    try FolderOutbox.write(try! encoder.encode(file) + Data([0x0A]), to: self.file(file.key))
  }
}
