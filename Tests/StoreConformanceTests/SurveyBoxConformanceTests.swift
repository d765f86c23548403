import Foundation
import PostgresNIO
import PostgresStore
import PostgresTestSupport
import ProgrammeEngine
import Synchronization
import Testing
import WorkspaceStore

/// The survey box's promises (`SurveyBoxStore`), on both stores: a single-use code answers
/// once, however many try it at once; a shared code answers many times; a sealed box takes
/// nothing more; and what is kept holds no code, no time and no order of arrival.
@Suite("Survey box conformance")
struct SurveyBoxConformanceTests {
  static let box = SurveyBoxKey(client: "acme", round: "round-1")

  static func answer(_ team: String = "sales", _ score: Int = 4) -> SurveyAnswer {
    SurveyAnswer(team: team, level: "manager", answers: ["g1": score, "g2": 5])
  }

  static let codes = (0..<3).map { _ in SurveyAnswer.newCode() }

  @Test(arguments: StoreKind.allCases)
  func aSingleUseCodeAnswersOnceAndAWrongOneNever(_ kind: StoreKind) async throws {
    try await withSurveyBox(kind) { box in
      let codes = Self.codes
      let opened = try await box.openBox(Self.box, codes: codes.map(SurveyAnswer.hash(ofCode:)), shared: false)
      #expect(opened)
      #expect(try await box.box(forCode: SurveyAnswer.hash(ofCode: codes[0])) == Self.box)
      #expect(try await box.box(forCode: codes[0]) == nil, "a code is looked up by its hash only")
      #expect(try await box.submit(Self.answer(), code: SurveyAnswer.hash(ofCode: "not-a-code")) == nil)
      #expect(try await box.submit(Self.answer(), code: SurveyAnswer.hash(ofCode: codes[0])) == Self.box)
      #expect(try await box.submit(Self.answer("marketing"), code: SurveyAnswer.hash(ofCode: codes[0])) == nil)
      #expect(try await box.box(forCode: SurveyAnswer.hash(ofCode: codes[0])) == nil, "its hash is gone")
      #expect(try await box.submit(Self.answer("marketing", 2), code: SurveyAnswer.hash(ofCode: codes[1])) == Self.box)
      #expect(try await box.answerCount(Self.box) == 2)
      #expect(try await box.answerCount(SurveyBoxKey(client: "acme", round: "other")) == 0)
    }
  }

  @Test(arguments: StoreKind.allCases)
  func aRoundsBoxOpensOnce(_ kind: StoreKind) async throws {
    try await withSurveyBox(kind) { box in
      let first = SurveyAnswer.hash(ofCode: Self.codes[0])
      let second = SurveyAnswer.hash(ofCode: Self.codes[1])
      let opened = try await box.openBox(Self.box, codes: [first], shared: false)
      #expect(opened)
      let again = try await box.openBox(Self.box, codes: [second], shared: true)
      #expect(!again, "the round has a box")
      #expect(try await box.box(forCode: second) == nil, "nothing of the second opening is kept")
      #expect(try await box.submit(Self.answer(), code: first) == Self.box)
      #expect(try await box.submit(Self.answer(), code: first) == nil, "still single-use")
    }
  }

  @Test(arguments: StoreKind.allCases)
  func aSharedCodeAnswersManyTimes(_ kind: StoreKind) async throws {
    try await withSurveyBox(kind) { box in
      let code = SurveyAnswer.hash(ofCode: "shared-code-of-the-round")
      let opened = try await box.openBox(Self.box, codes: [code], shared: true)
      #expect(opened)
      for score in 1...4 { #expect(try await box.submit(Self.answer("sales", score), code: code) == Self.box) }
      #expect(try await box.answerCount(Self.box) == 4)
    }
  }

  @Test(arguments: StoreKind.allCases)
  func aSealedBoxTakesNothingMoreAndGivesItsAnswersUntilRemoved(_ kind: StoreKind) async throws {
    try await withSurveyBox(kind) { box in
      let codes = Self.codes.map(SurveyAnswer.hash(ofCode:))
      let opened = try await box.openBox(Self.box, codes: codes, shared: false)
      #expect(opened)
      _ = try await box.submit(Self.answer("sales", 1), code: codes[0])
      _ = try await box.submit(Self.answer("marketing", 3), code: codes[1])
      let sealed = try await box.seal(Self.box)
      #expect(Set(sealed) == [Self.answer("sales", 1), Self.answer("marketing", 3)])
      #expect(try await box.submit(Self.answer(), code: codes[2]) == nil, "sealed: the last code answers nothing")
      #expect(try await box.box(forCode: codes[2]) == nil)
      #expect(Set(try await box.seal(Self.box)) == Set(sealed), "sealing again gives the same answers")
      try await box.remove(Self.box)
      #expect(try await box.answerCount(Self.box) == 0)
      #expect(try await box.seal(Self.box) == [])
    }
  }

  @Test(arguments: StoreKind.allCases)
  func oneCodeTriedAtOnceByManyIsKeptOnce(_ kind: StoreKind) async throws {
    try await withSurveyBox(kind) { box in
      let code = SurveyAnswer.hash(ofCode: Self.codes[0])
      let opened = try await box.openBox(Self.box, codes: [code], shared: false)
      #expect(opened)
      let kept = Kept()
      try await withThrowingTaskGroup(of: Void.self) { group in
        for score in 1...8 {
          group.addTask {
            if try await box.submit(Self.answer("sales", score % 5 + 1), code: code) != nil {
              kept.count.withLock { $0 += 1 }
            }
          }
        }
        try await group.waitForAll()
      }
      #expect(kept.count.withLock { $0 } == 1)
      #expect(try await box.answerCount(Self.box) == 1)
    }
  }

  /// What the folder keeps, read as a person with the files would: hashes, never codes; a
  /// used code's hash gone; no time; and answers in an order that is not arrival's.
  @Test func theFolderKeepsNoCodeNoTimeAndNoOrder() async throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("accord-box-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    let store = FolderStore(Workspace(directory: root, lockTimeout: .seconds(10), holder: "test"))
    let codes = (0..<40).map { _ in SurveyAnswer.newCode() }
    let opened = try await store.openBox(Self.box, codes: codes.map(SurveyAnswer.hash(ofCode:)), shared: false)
    #expect(opened)
    // Forty answers, each with a score that says when it came: 1 for the first ten...
    for (number, code) in codes.enumerated() {
      let answer = SurveyAnswer(team: "sales", level: "manager", answers: ["g1": number / 10 + 1, "n": number])
      #expect(try await store.submit(answer, code: SurveyAnswer.hash(ofCode: code)) != nil)
    }
    let file = root.appendingPathComponent(".accord-survey/acme.round-1.json")
    let text = try String(contentsOf: file, encoding: .utf8)
    for code in codes {
      #expect(!text.contains(code), "no code is kept")
      #expect(!text.contains(SurveyAnswer.hash(ofCode: code)), "a used code's hash is gone")
    }
    #expect(text.range(of: #"\d{4}-\d{2}-\d{2}|T\d{2}:\d{2}"#, options: .regularExpression) == nil, "no time")
    struct Kept: Decodable { var answers: [SurveyAnswer] }
    let order = try JSONDecoder().decode(Kept.self, from: Data(text.utf8)).answers.map { $0.answers["n"]! }
    #expect(Set(order) == Set(0..<40))
    #expect(order != Array(0..<40) && order != Array((0..<40).reversed()), "not the order of arrival")
    let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
  }

  /// The same of the database's rows.
  @Test func theDatabaseKeepsNoCodeNoTimeAndNoOrder() async throws {
    let address = try await PostgresCluster.database()
    try await PostgresStore.migrate(address)
    let store = try await PostgresStore.open(address)
    do {
      let codes = (0..<40).map { _ in SurveyAnswer.newCode() }
      let opened = try await store.openBox(Self.box, codes: codes.map(SurveyAnswer.hash(ofCode:)), shared: false)
      #expect(opened)
      for (number, code) in codes.prefix(30).enumerated() {
        let answer = SurveyAnswer(team: "sales", level: "manager", answers: ["n": number])
        #expect(try await store.submit(answer, code: SurveyAnswer.hash(ofCode: code)) != nil)
      }
      let (answers, hashes, columns) = try await PostgresCluster.connect(address) { connection in
        let answers = try await connection.query("SELECT answers FROM survey_boxes", logger: PostgresCluster.quiet)
          .collect().map { try $0.decode(String.self) }
        let hashes = try await connection.query("SELECT hash FROM survey_codes", logger: PostgresCluster.quiet)
          .collect().map { try $0.decode(String.self) }
        let columns = try await connection.query(
          """
          SELECT column_name, data_type FROM information_schema.columns
          WHERE table_name IN ('survey_boxes', 'survey_codes')
          """, logger: PostgresCluster.quiet
        ).collect().map { try $0.decode((String, String).self) }
        return (answers, hashes, columns)
      }
      #expect(Set(hashes) == Set(codes.suffix(10).map(SurveyAnswer.hash(ofCode:))), "only unused codes' hashes")
      #expect(!columns.contains { $0.1.contains("time") || $0.1.contains("date") }, "no time column")
      let text = try #require(answers.first)
      for code in codes { #expect(!text.contains(code)) }
      let order = try JSONDecoder().decode([SurveyAnswer].self, from: Data(text.utf8)).map { $0.answers["n"]! }
      #expect(Set(order) == Set(0..<30))
      #expect(order != Array(0..<30), "not the order of arrival")
    } catch {
      await store.shutdown()
      await PostgresCluster.drop(address)
      throw error
    }
    await store.shutdown()
    await PostgresCluster.drop(address)
  }
}

/// How many answers the racers had kept, shared by their tasks.
private final class Kept: Sendable {
  let count = Mutex(0)
}

func withSurveyBox(_ kind: StoreKind, _ body: (any SurveyBoxStore) async throws -> Void) async throws {
  try await withStore(kind) { store in
    try await body(try #require(store as? any SurveyBoxStore, "every store keeps a survey box"))
  }
}
